/**
 * Personal ID numbers (居民身份证号): the one home of how they are masked and
 * recognised. Every place that shows, logs, audits or exports one uses this:
 * the first 6 characters (the region code) and the last 4 stay, every other
 * character becomes `*` (430202200901011234 → 430202********1234). A value too
 * short to keep 10 characters visible and still hide something is masked
 * entirely. Dependency-free: the client imports it too.
 */

export function maskIdNumber(value: string): string {
  if (value.length <= 10) return '*'.repeat(value.length);
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

/** 身份证号 in free text: 18 characters (17 digits and a digit or X) or the old 15 digits. */
const ID_NUMBER_IN_TEXT = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;

/** Masks every ID number in a free text (a complaint, a note), so none is stored or shown unmasked. */
export function maskIdNumbersInText(text: string): string {
  return text.replace(ID_NUMBER_IN_TEXT, maskIdNumber);
}

/** A value that looks like a mainland ID number: 15 digits, or 17 digits and a digit or X. */
export function looksLikeIdNumber(value: unknown): value is string {
  return typeof value === 'string' && /^(\d{15}|\d{17}[\dXx])$/.test(value.trim());
}
