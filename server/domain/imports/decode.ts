/**
 * Turns the bytes of an uploaded text file (CSV or Excel's "Unicode text")
 * into text, deciding the encoding the way an office file needs it decided.
 *
 * The files come from Excel on Chinese Windows: "CSV UTF-8" (BOM, CRLF),
 * plain "CSV" (GBK, i.e. code page 936; we read it as GB18030, its superset),
 * "Unicode text" (UTF-16 LE with BOM, tab separated), and from other tools
 * UTF-8 without BOM. The hard case is a file with no BOM whose bytes are valid
 * in both UTF-8 and GB18030: GBK bytes of many short names are also valid
 * UTF-8 (郑然 = D6 A3 C8 BB, which UTF-8 reads as U+05A3 U+023B, a Hebrew
 * accent and a rare Latin letter), and an ASCII header gives no hint at all.
 *
 * The rule:
 *   1. A byte order mark wins (UTF-8, UTF-16 LE, UTF-16 BE).
 *   2. No BOM but NUL bytes in every other position (ASCII in UTF-16): UTF-16
 *      LE or BE by which half holds the NULs.
 *   3. Pure ASCII is UTF-8. Bytes that are valid UTF-8 and decode to nothing
 *      but plausible characters (below) are UTF-8: multi-byte UTF-8 is hard
 *      to hit by chance, and GBK that happens to be valid UTF-8 decodes to
 *      other scripts, which are not plausible.
 *   4. Otherwise decode both as UTF-8 and as GB18030 (replacement characters
 *      where the bytes are invalid) and keep the one whose text is more
 *      plausible for a Chinese office file (`plausibility`), UTF-8 on a tie.
 *
 * Plausibility is scored over the non-ASCII characters only (ASCII bytes read
 * the same in both encodings, so they carry no evidence):
 *   +2  a hanzi of GB2312 level 1 (the 3,755 most common characters),
 *   +1  a hanzi of GB2312 level 2, CJK or full-width punctuation, the pinyin
 *       vowels with tone marks, the middle dot of minority names (·),
 *    0  any other CJK ideograph (rare but real names use them: 喆, 堃, 玥),
 *   -3  anything else: other scripts (what GBK read as UTF-8 turns into:
 *       Hebrew, Cyrillic, IPA, Latin Extended), private-use characters, C0/C1
 *       control characters, U+FFFD (a byte sequence invalid in that encoding).
 * Why this separates the two: GBK read as UTF-8 yields mostly 2-byte
 * sequences, i.e. code points below U+0800, none of them CJK, so it scores
 * negative; UTF-8 read as GB18030 yields ideographs of which well under half
 * are common (the lead bytes of UTF-8 hanzi, E4-E9, fall in GB2312 level 2 or
 * the GBK extension, never in level 1, and the misaligned pairs land anywhere),
 * while real text of either encoding is mostly level-1 hanzi: about +2 per
 * character. A single stray byte in a UTF-8 file costs -3 in UTF-8 and far
 * more in GB18030, so the file stays UTF-8, and the stray byte is then refused
 * row by row (`textProblem`) instead of being stored as U+FFFD.
 */

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** How the encoding was decided, for messages and tests. */
  by: 'bom' | 'nul-pattern' | 'plausibility';
}

/** Display names of the encodings, for messages. */
export const ENCODING_NAMES: Readonly<Record<TextEncoding, string>> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  gb18030: 'GBK/GB18030',
};

/** GB2312 hanzi level by code point: 1 (common), 2 (less common), 0 (not in GB2312). Built once from the platform's GBK decoder. */
const GB2312_LEVEL: Uint8Array = (() => {
  const level = new Uint8Array(0x10000);
  // GB2312 hanzi: rows 16-55 (lead 0xB0-0xD7) are level 1, rows 56-87 (lead 0xD8-0xF7) level 2; trail 0xA1-0xFE.
  const bytes: number[] = [];
  for (let lead = 0xb0; lead <= 0xf7; lead++) for (let trail = 0xa1; trail <= 0xfe; trail++) bytes.push(lead, trail);
  const text = new TextDecoder('gbk').decode(new Uint8Array(bytes));
  let i = 0;
  for (const ch of text) {
    const lead = bytes[i];
    i += 2;
    const cp = ch.codePointAt(0)!;
    // Unassigned cells (end of row 55) decode to GBK extension characters: leave them to the rarer class.
    if (cp >= 0x4e00 && cp <= 0x9fff && level[cp] === 0) level[cp] = lead <= 0xd7 ? 1 : 2;
  }
  return level;
})();

/** Pinyin vowels with tone marks (and ü), which English-name columns may hold. */
const PINYIN = new Set([...'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüÜĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ']);

/** Plausibility of one non-ASCII character in a Chinese office file (see the module comment). */
export function charScore(cp: number): number {
  if (cp < 0x80) return cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d ? -3 : 0;
  if (cp <= 0xffff) {
    const level = GB2312_LEVEL[cp];
    if (level === 1) return 2;
    if (level === 2) return 1;
  }
  if (isCjkIdeograph(cp)) return 0;
  if (isPlausibleSymbol(cp)) return 1;
  return -3;
}

function isCjkIdeograph(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) || // CJK Unified Ideographs
    (cp >= 0x3400 && cp <= 0x4dbf) || // Extension A
    (cp >= 0xf900 && cp <= 0xfaff) || // Compatibility Ideographs
    (cp >= 0x20000 && cp <= 0x323af) // Extensions B-H (GB18030-2005 four-byte names)
  );
}

function isPlausibleSymbol(cp: number): boolean {
  return (
    cp === 0xb7 || // · in 阿卜杜·买买提
    cp === 0x30fb || // ・ (katakana middle dot), typed for · by some input methods
    cp === 0xa0 || // no-break space, common in text pasted from web pages
    cp === 0xd7 || // ×
    cp === 0xb0 || // °
    PINYIN.has(String.fromCodePoint(cp)) ||
    (cp >= 0x2010 && cp <= 0x2027) || // dashes, quotes “”‘’, ellipsis
    (cp >= 0x2030 && cp <= 0x203b) || // ‰ ′ ″ ※
    (cp >= 0x2160 && cp <= 0x216b) || // Roman numerals Ⅰ-Ⅻ
    (cp >= 0x2460 && cp <= 0x249b) || // ① ⑴ ⒈
    cp === 0x2103 || // ℃
    cp === 0x2116 || // №
    (cp >= 0x3000 && cp <= 0x303f) || // CJK punctuation 、。《》【】
    (cp >= 0xff01 && cp <= 0xff5e) // full-width ASCII （），：
  );
}

/** Sum of charScore over the non-ASCII and control characters of a text. */
export function plausibility(text: string): number {
  let score = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x80) continue;
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    score += charScore(cp);
  }
  return score;
}

/**
 * The first character of a text field that cannot be real text of a Chinese
 * office file (U+FFFD, a control character, a private-use character or a
 * script no name is written in), or null. A field with one is what a wrongly
 * decoded file looks like, and is refused rather than stored garbled.
 */
export function implausibleChar(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (cp === 0x09) continue;
    if (charScore(cp) < 0) return String.fromCodePoint(cp);
  }
  return null;
}

function decode(bytes: Uint8Array, encoding: TextEncoding): string {
  // ignoreBOM: false drops a leading BOM of the encoding; non-fatal: invalid bytes become U+FFFD and are refused per row.
  return new TextDecoder(encoding, { fatal: false, ignoreBOM: false }).decode(bytes);
}

/** UTF-16 without BOM: in ASCII-heavy text (CSV: digits, commas, letters) every other byte is NUL. */
function utf16ByNulPattern(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.3 && evenNul <= pairs * 0.02) return 'utf-16le';
  if (evenNul >= pairs * 0.3 && oddNul <= pairs * 0.02) return 'utf-16be';
  return null;
}

/** Decodes an uploaded text file; never throws (invalid bytes become U+FFFD, refused later per row). */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: decode(bytes, 'utf-8'), encoding: 'utf-8', by: 'bom' };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decode(bytes, 'utf-16le'), encoding: 'utf-16le', by: 'bom' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decode(bytes, 'utf-16be'), encoding: 'utf-16be', by: 'bom' };
  const utf16 = utf16ByNulPattern(bytes);
  if (utf16) return { text: decode(bytes, utf16), encoding: utf16, by: 'nul-pattern' };
  const utf8 = decode(bytes, 'utf-8');
  // Pure ASCII reads the same in both.
  if (bytes.every((b) => b < 0x80)) return { text: utf8, encoding: 'utf-8', by: 'plausibility' };
  // Rule 3: without it, real UTF-8 names can lose to GB18030 on points (訾干 in
  // UTF-8 reads as three GB2312 characters in GB18030, scoring 5 against 3).
  if (implausibleChar(utf8) === null) return { text: utf8, encoding: 'utf-8', by: 'plausibility' };
  const utf8Score = plausibility(utf8);
  const gb = decode(bytes, 'gb18030');
  return plausibility(gb) > utf8Score ? { text: gb, encoding: 'gb18030', by: 'plausibility' } : { text: utf8, encoding: 'utf-8', by: 'plausibility' };
}
