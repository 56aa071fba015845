import { createHash } from 'node:crypto';

/**
 * Canonical JSON text: object keys sorted (UTF-16 order), no whitespace,
 * `undefined` members dropped. PostgreSQL's jsonb does not keep key order, so
 * a round's input and result are hashed and served in this form: the text a
 * bundle carries is the text whose SHA-256 is stored.
 */
export function canonicalJson(value: unknown): string {
  // Most values of a round are built with their keys in order already: then JSON.stringify gives the same text, without a sorted copy.
  return JSON.stringify(inCanonicalOrder(value) ? value : sortKeys(value));
}

/**
 * True when JSON.stringify would write `value` with every object's members in canonical order:
 * integer-like keys (which JavaScript enumerates first, ascending) and then the others ascending.
 */
function inCanonicalOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!inCanonicalOrder(item)) return false;
    return true;
  }
  let previous: string | undefined;
  for (const key of Object.keys(value)) {
    if (!isIndexKey(key)) {
      if (previous !== undefined && key <= previous) return false;
      previous = key;
    }
    if (!inCanonicalOrder((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** A key JavaScript orders as an array index (enumerated first, ascending). */
export function isIndexKey(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

/** Object keys in the order canonical JSON writes them: array-index keys first, as numbers, then the others in UTF-16 order. */
export function compareCanonicalKeys(a: string, b: string): number {
  const ia = isIndexKey(a);
  const ib = isIndexKey(b);
  if (ia !== ib) return ia ? -1 : 1;
  if (ia) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return sortKeys((value as { toJSON(): unknown }).toJSON());
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = sortKeys(item);
  }
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
