/**
 * Signed receipts (回执) of saved applications: what the family holds as proof
 * of what it submitted and when. Pure: keys come in as `node:crypto` KeyObjects,
 * the time as a Date; nothing here reads a file, the clock or the database.
 *
 * A receipt is `{ payload, signature }`:
 * - `payload` (format `zz-admissions/receipt@1`) names the student by platform id
 *   and 准考证号 (never the 身份证号), the cycle, the kind (志愿 or 补录), the
 *   saved version, the choices of every batch in order, the server's time of the
 *   save (ISO 8601, UTC) and `keyId`, the fingerprint of the signing key.
 * - `signature` is Ed25519 (RFC 8032) over the UTF-8 bytes of the payload's
 *   canonical JSON, base64 encoded.
 *
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, strings
 * and numbers as JSON.stringify writes them. For the values a receipt holds
 * (strings, integers, arrays, objects) this is RFC 8785 (JCS). So the key order
 * in a receipt file does not matter (a receipt re-saved by an editor that
 * reorders keys still verifies), while the order of the arrays does: moving one
 * school up or down is a different receipt, and fails.
 *
 * Ed25519 is deterministic: signing the same payload again gives the same
 * signature, so the receipt of a stored version, signed again later from the
 * history, is byte for byte the one the save answered.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const RECEIPT_FORMAT = 'zz-admissions/receipt@1';

export type ReceiptKind = 'main' | 'supplementary';

export interface ReceiptPayload {
  format: typeof RECEIPT_FORMAT;
  /** Fingerprint of the signing key: the first 16 hex digits of SHA-256 over its public half (SPKI DER). */
  keyId: string;
  /** The platform's student id and the 准考证号; never the 身份证号. */
  student: { id: string; examNo: string };
  cycle: { id: string; year: number };
  kind: ReceiptKind;
  version: number;
  /** Every batch with choices, by batch number; schools in the order of preference. */
  choices: { batch: number; schools: string[] }[];
  /** The server's time of the save, ISO 8601 in UTC. */
  savedAt: string;
}

export interface Receipt {
  payload: ReceiptPayload;
  /** Ed25519 signature of canonicalJson(payload), base64. */
  signature: string;
}

export interface ReceiptInput {
  student: { id: string; examNo: string };
  cycle: { id: string; year: number };
  kind: ReceiptKind;
  version: number;
  /** Batch number (decimal string) -> school ids in order, as stored. */
  choices: Readonly<Record<string, readonly string[]>>;
  savedAt: Date;
}

/** Deeper than any receipt: a pasted file nested deeper is not a receipt (and cannot exhaust the stack). */
const MAX_DEPTH = 16;

export class NotCanonicalisableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotCanonicalisableError';
  }
}

/**
 * The canonical JSON text of a JSON value (sorted keys, no whitespace). Throws
 * NotCanonicalisableError for what JSON cannot hold exactly (non-finite numbers,
 * undefined, functions) or for nesting deeper than 16 levels.
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) throw new NotCanonicalisableError(`nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotCanonicalisableError(`the number ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key], depth + 1)}`);
    return `{${entries.join(',')}}`;
  }
  throw new NotCanonicalisableError(`a ${typeof value} has no JSON form`);
}

/** The fingerprint a payload carries as `keyId`: SHA-256 of the public key (SPKI DER), first 16 hex digits. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** The payload of a saved version: batches in numeric order, empty batches left out (as the save stores them). */
export function receiptPayload(input: ReceiptInput, keyId: string): ReceiptPayload {
  const choices = Object.keys(input.choices)
    .sort((a, b) => Number(a) - Number(b))
    .filter((batch) => input.choices[batch].length > 0)
    .map((batch) => ({ batch: Number(batch), schools: [...input.choices[batch]] }));
  return {
    format: RECEIPT_FORMAT,
    keyId,
    student: { id: input.student.id, examNo: input.student.examNo },
    cycle: { id: input.cycle.id, year: input.cycle.year },
    kind: input.kind,
    version: input.version,
    choices,
    savedAt: input.savedAt.toISOString(),
  };
}

/** Signs a saved version with an Ed25519 private key; `keyId` may be given (computed once) to keep the save cheap. */
export function signReceipt(input: ReceiptInput, privateKey: KeyObject, keyId: string = keyIdOf(privateKey)): Receipt {
  const payload = receiptPayload(input, keyId);
  const signature = sign(null, Buffer.from(canonicalJson(payload), 'utf8'), privateKey).toString('base64');
  return { payload, signature };
}

/** Why a receipt does not verify. */
export type ReceiptRejection =
  /** The payload was changed after signing, or the signature is not of this payload. */
  | 'tampered'
  /** The payload names another signing key than the one checked against. */
  | 'otherKey'
  /** Not a receipt: no payload object or no base64 signature of 64 bytes, or a payload JSON cannot hold. */
  | 'malformed';

export type ReceiptVerdict = { valid: true; keyId: string } | { valid: false; reason: ReceiptRejection; keyId: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Checks a receipt (any parsed JSON) against an Ed25519 public key. Only the
 * signature decides validity; `otherKey` is reported when the signature fails
 * and the payload's `keyId` names a different key, to say why.
 */
export function verifyReceipt(receipt: unknown, publicKey: KeyObject): ReceiptVerdict {
  const keyId = keyIdOf(publicKey);
  if (receipt === null || typeof receipt !== 'object' || Array.isArray(receipt)) return { valid: false, reason: 'malformed', keyId };
  const { payload, signature } = receipt as { payload?: unknown; signature?: unknown };
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return { valid: false, reason: 'malformed', keyId };
  if (typeof signature !== 'string' || !BASE64.test(signature)) return { valid: false, reason: 'malformed', keyId };
  const signatureBytes = Buffer.from(signature, 'base64');
  if (signatureBytes.length !== 64) return { valid: false, reason: 'malformed', keyId };
  let text: string;
  try {
    text = canonicalJson(payload);
  } catch (error) {
    if (error instanceof NotCanonicalisableError) return { valid: false, reason: 'malformed', keyId };
    throw error;
  }
  if (verify(null, Buffer.from(text, 'utf8'), publicKey, signatureBytes)) return { valid: true, keyId };
  const claimed = (payload as { keyId?: unknown }).keyId;
  return { valid: false, reason: typeof claimed === 'string' && claimed !== keyId ? 'otherKey' : 'tampered', keyId };
}

/** One line for people (the CLI): why a receipt is or is not valid. */
export function describeVerdict(verdict: ReceiptVerdict, receipt: unknown): string {
  const payload = (receipt as { payload?: Partial<ReceiptPayload> } | null)?.payload;
  if (verdict.valid) {
    const who = payload?.student?.examNo ?? '?';
    return `VALID: receipt of ${who}, ${payload?.kind ?? '?'} version ${payload?.version ?? '?'} saved ${payload?.savedAt ?? '?'}, signed by key ${verdict.keyId}`;
  }
  switch (verdict.reason) {
    case 'otherKey':
      return `INVALID: signed by another key (the receipt names key ${String(payload?.keyId)}, the public key given is ${verdict.keyId})`;
    case 'tampered':
      return `INVALID: the signature does not match the content (changed after signing, or not signed by key ${verdict.keyId})`;
    case 'malformed':
      return 'INVALID: not a receipt (needs {"payload": {...}, "signature": "<base64 of 64 bytes>"})';
  }
}
