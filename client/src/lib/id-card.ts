import { looksLikeIdNumber, maskIdNumber } from '../../../server/domain/id-numbers';

/** Masks a personal ID number for display, by the server's one rule (server/domain/id-numbers.ts); ID numbers are never shown in full in the UI. */
export function maskIdCard(id: string | null | undefined): string {
  if (id == null) return '';
  const value = String(id).trim();
  return value.length === 0 ? '' : maskIdNumber(value);
}

/** A value that looks like a mainland ID number: 15 digits, or 17 digits and a digit or X. */
export const looksLikeIdCard = looksLikeIdNumber;

/** A field name that holds an ID number (idCard, idNumber, identityNo, 身份证号...). */
export function isIdCardField(key: string): boolean {
  return /id_?card|id_?number|idno|identity|citizen_?id|身份证/i.test(key);
}
