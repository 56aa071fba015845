/**
 * Masks a personal ID number (居民身份证号) for display: the first 6 digits
 * (the region code) and the last 4 stay, every other character becomes `*`,
 * so 430202200901011234 shows as 430202********1234. ID numbers are never
 * shown in full anywhere in the UI. Too short to keep 10 characters visible
 * and still hide something, the value is masked entirely.
 */
export function maskIdCard(id: string | null | undefined): string {
  if (id == null) return '';
  const value = String(id).trim();
  if (value.length === 0) return '';
  if (value.length <= 10) return '*'.repeat(value.length);
  return value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
}

/** A value that looks like a mainland ID number: 15 digits, or 17 digits and a digit or X. */
export function looksLikeIdCard(value: unknown): value is string {
  return typeof value === 'string' && /^(\d{15}|\d{17}[\dXx])$/.test(value.trim());
}

/** A field name that holds an ID number (idCard, idNumber, identityNo, 身份证号...). */
export function isIdCardField(key: string): boolean {
  return /id_?card|id_?number|idno|identity|citizen_?id|身份证/i.test(key);
}
