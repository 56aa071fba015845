/**
 * Receipt files (回执) as families keep them: a small pretty-printed JSON file
 * named after the student and version, read back from a paste or an upload.
 * Pure; the page does the Blob and the download.
 */

export interface ReceiptLike {
  payload: { student?: { examNo?: string }; version?: number; kind?: string };
  signature: string;
}

/** `回执-<准考证号>-v<version>.json` (补录: `回执-补录-…`), safe as a file name on every system. */
export function receiptFileName(receipt: ReceiptLike): string {
  const examNo = String(receipt.payload.student?.examNo ?? 'receipt').replace(/[^\w-]+/g, '_');
  const kind = receipt.payload.kind === 'supplementary' ? '补录-' : '';
  return `回执-${kind}${examNo}-v${receipt.payload.version ?? 0}.json`;
}

/** The file's text: indented JSON, which verifies like the compact form (the signature covers the canonical form). */
export function receiptFileText(receipt: ReceiptLike): string {
  return `${JSON.stringify(receipt, null, 2)}\n`;
}

export type ParsedReceipt = { ok: true; receipt: ReceiptLike } | { ok: false; problem: 'empty' | 'notJson' | 'notReceipt' };

/**
 * Reads pasted or uploaded text. Accepts a receipt, or the whole answer of a
 * save (`{..., "receipt": {...}}`); a BOM or surrounding blanks are ignored.
 */
export function parseReceiptText(text: string): ParsedReceipt {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return { ok: false, problem: 'empty' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { ok: false, problem: 'notJson' };
  }
  if (isObject(value) && !('payload' in value) && isObject(value.receipt)) value = value.receipt;
  if (!isObject(value) || !isObject(value.payload) || typeof value.signature !== 'string') return { ok: false, problem: 'notReceipt' };
  return { ok: true, receipt: value as unknown as ReceiptLike };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
