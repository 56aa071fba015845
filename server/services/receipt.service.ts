import { signReceipt, verifyReceipt, type Receipt, type ReceiptInput, type ReceiptRejection } from '../domain/receipts/receipt';
import type { ReceiptKeys } from '../infra/receipt-key';

/**
 * Signed receipts (回执): the application service signs every save with
 * `issue`; the public routes publish the key and check receipts for anyone.
 * No database: a receipt carries everything needed to check it.
 */
export function createReceiptService(deps: { keys: ReceiptKeys }) {
  const { keys } = deps;
  return {
    /** The receipt of a saved version (about 50 µs: cheap enough for the save's hot path). */
    issue(input: ReceiptInput): Receipt {
      return signReceipt(input, keys.privateKey, keys.keyId);
    },

    /** `{ valid }`, and when invalid why (`tampered`, `otherKey`, `malformed`); the key checked against by its id. */
    verify(receipt: unknown): { valid: boolean; reason?: ReceiptRejection; keyId: string } {
      const verdict = verifyReceipt(receipt, keys.publicKey);
      return verdict.valid ? { valid: true, keyId: verdict.keyId } : { valid: false, reason: verdict.reason, keyId: verdict.keyId };
    },

    publicKey(): { pem: string; keyId: string } {
      return { pem: keys.publicKeyPem, keyId: keys.keyId };
    },
  };
}

export type ReceiptService = ReturnType<typeof createReceiptService>;
/** What the application service needs: to sign. */
export type ReceiptIssuer = Pick<ReceiptService, 'issue'>;
