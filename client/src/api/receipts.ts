import { apiRequest } from './client';

/** Signed receipts (回执): the public check (POST /api/receipts/verify) and the key's address. */

export interface ReceiptPayload {
  format: string;
  keyId: string;
  student: { id: string; examNo: string };
  cycle: { id: string; year: number };
  kind: 'main' | 'supplementary';
  version: number;
  choices: { batch: number; schools: string[] }[];
  savedAt: string;
}

export interface Receipt {
  payload: ReceiptPayload;
  signature: string;
}

export interface ReceiptVerdict {
  valid: boolean;
  reason?: 'tampered' | 'otherKey' | 'malformed';
  keyId: string;
}

/** Where the platform's public key is served (PEM): a plain link, downloadable by anyone. */
export const RECEIPT_PUBLIC_KEY_URL = '/api/receipts/public-key';

/** Public: no sign-in needed (and no token sent). */
export const verifyReceipt = (receipt: unknown) =>
  apiRequest<ReceiptVerdict>('/receipts/verify', { method: 'POST', body: receipt, authenticated: false });
