/**
 * 举报编号: the short number a family keeps for a complaint, `TS-7K4Q-92`:
 * `TS` (投诉), four and two characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L, Z beside 2, 5/S, 8/B), so it can be read over the phone. 26^6
 * is about 309 million numbers; the database keeps them unique and the service
 * draws again on the rare clash.
 */
export const COMPLAINT_NUMBER_ALPHABET = '234679ACDEFGHJKMNPQRTUVWXY';

/** The shape of a complaint number (case-insensitive on input; stored upper case). */
export const COMPLAINT_NUMBER_PATTERN = /^TS-[234679ACDEFGHJKMNPQRTUVWXY]{4}-[234679ACDEFGHJKMNPQRTUVWXY]{2}$/;

/** Pure: a complaint number from `randomIndex(n)`, a uniform integer in [0, n). */
export function complaintNumber(randomIndex: (n: number) => number): string {
  const pick = (count: number) =>
    Array.from({ length: count }, () => COMPLAINT_NUMBER_ALPHABET[randomIndex(COMPLAINT_NUMBER_ALPHABET.length)]).join('');
  return `TS-${pick(4)}-${pick(2)}`;
}

/** Pure: what a person typed (spaces, lower case, missing dashes) as a stored number, or null when it cannot be one. */
export function normalizeComplaintNumber(text: string): string | null {
  const compact = text.toUpperCase().replace(/[\s-]/g, '');
  const body = compact.startsWith('TS') ? compact.slice(2) : compact;
  if (body.length !== 6) return null;
  const number = `TS-${body.slice(0, 4)}-${body.slice(4)}`;
  return COMPLAINT_NUMBER_PATTERN.test(number) ? number : null;
}
