/** 身份证号 in free text: 18 characters (17 digits and a digit or X) or the old 15 digits. */
const ID_NUMBER_IN_TEXT = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;

/**
 * Masks every personal ID number a family typed into a free-text field (first
 * 6 and last 4 characters kept), so none is stored or shown unmasked.
 */
export function maskIdNumbersInText(text: string): string {
  return text.replace(ID_NUMBER_IN_TEXT, (id) => `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`);
}
