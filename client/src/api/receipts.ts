import type { ReceiptVerdict } from '../../../server/routes/receipts/receipts.schema';
import { apiRequest } from './client';

/** Signed receipts (回执): the public check (POST /api/receipts/verify) and the key's address. */

export type { Receipt, ReceiptPayload, ReceiptVerdict } from '../../../server/routes/receipts/receipts.schema';

/** Where the platform's public key is served (PEM): a plain link, downloadable by anyone. */
export const RECEIPT_PUBLIC_KEY_URL = '/api/receipts/public-key';

/** Public: no sign-in needed (and no token sent). */
export const verifyReceipt = (receipt: unknown) =>
  apiRequest<ReceiptVerdict>('/receipts/verify', { method: 'POST', body: receipt, authenticated: false });
