/**
 * Refuses an .xlsx (a zip) that would expand past a limit before any zip
 * library reads it: a few kilobytes of deflate can declare gigabytes of XML
 * (a zip bomb), and exceljs inflates every entry into memory.
 *
 * `zipBombProblem` reads the End of Central Directory record and every central
 * directory header itself (APPNOTE.TXT 4.3.12, 4.3.16, 4.5.3 for ZIP64) and
 * sums the declared uncompressed sizes. The declared sizes can lie, so
 * `inflatedSizeProblem` then inflates each entry, counting and discarding the
 * output, and stops as soon as an entry passes its declared size.
 * Pure on bytes, no I/O; node:zlib only for the inflate.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Total declared uncompressed size of all entries. */
  maxTotalBytes: number;
  /** Largest allowed ratio uncompressed / compressed of one entry (above 1 MB uncompressed). */
  maxRatio: number;
  maxEntries: number;
}

/**
 * An .xlsx of 50,000 students is about 8 MB zipped and 60 MB of XML (ratio ~8);
 * spreadsheet XML compresses up to ~30x. 300 MB and 200x leave room for real files.
 */
export const XLSX_LIMITS: ZipLimits = { maxTotalBytes: 300 * 1024 * 1024, maxRatio: 200, maxEntries: 10_000 };

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type ZipProblem = { zh: string; en: string };

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

const CORRUPT: ZipProblem = { zh: 'Excel 文件已损坏（压缩包目录无法读取），请重新保存为 .xlsx', en: 'The Excel file is damaged (its zip directory cannot be read); save it again as .xlsx' };

function u64(view: DataView, at: number): number {
  // Sizes above 2^53 are refused anyway; Number keeps the comparison honest up to there.
  return Number(view.getBigUint64(at, true));
}

/** The entries of a zip's central directory, or a problem when it cannot be read. */
export function readCentralDirectory(bytes: Uint8Array): ZipEntry[] | ZipProblem {
  try {
    return centralDirectory(bytes);
  } catch {
    return CORRUPT; // a field pointing outside the file (RangeError from the DataView)
  }
}

function centralDirectory(bytes: Uint8Array): ZipEntry[] | ZipProblem {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The EOCD is the last 22 bytes plus a comment of at most 65,535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return CORRUPT;
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR_SIG) return CORRUPT;
    const z64 = u64(view, locator + 8);
    if (z64 + 56 > bytes.length || view.getUint32(z64, true) !== ZIP64_EOCD_SIG) return CORRUPT;
    count = u64(view, z64 + 32);
    cdSize = u64(view, z64 + 40);
    cdOffset = u64(view, z64 + 48);
  }
  if (cdOffset + cdSize > bytes.length) return CORRUPT;
  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_SIG) return CORRUPT;
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let uncompressedSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localHeaderOffset = view.getUint32(at + 42, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > bytes.length) return CORRUPT;
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // ZIP64 extended information (header 0x0001): the 8-byte values of the fields set to 0xFFFFFFFF, in this order.
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = view.getUint16(x, true);
      const size = view.getUint16(x + 2, true);
      if (id === 0x0001) {
        let f = x + 4;
        if (uncompressedSize === 0xffffffff && f + 8 <= x + 4 + size) (uncompressedSize = u64(view, f)), (f += 8);
        if (compressedSize === 0xffffffff && f + 8 <= x + 4 + size) (compressedSize = u64(view, f)), (f += 8);
        if (localHeaderOffset === 0xffffffff && f + 8 <= x + 4 + size) localHeaderOffset = u64(view, f);
      }
      x += 4 + size;
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset });
    at = end;
  }
  return entries;
}

function tooBig(limits: ZipLimits): ZipProblem {
  const mb = Math.round(limits.maxTotalBytes / 1024 / 1024);
  return {
    zh: `Excel 文件解压后超过 ${mb} MB（或压缩比异常），拒绝读取；请只保留一个数据工作表，删除图片后另存为 .xlsx，或分成几个文件导入`,
    en: `The Excel file would expand beyond ${mb} MB (or has an abnormal compression ratio) and is refused; keep one data sheet, remove pictures and save as .xlsx, or split it into several files`,
  };
}

/** A problem when the declared sizes of the zip's entries pass the limits, else null. */
export function zipBombProblem(bytes: Uint8Array, limits: ZipLimits = XLSX_LIMITS): ZipProblem | null {
  const entries = readCentralDirectory(bytes);
  if (!Array.isArray(entries)) return entries;
  if (entries.length > limits.maxEntries) return tooBig(limits);
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (total > limits.maxTotalBytes) return tooBig(limits);
    if (e.uncompressedSize > 1024 * 1024 && e.uncompressedSize > Math.max(1, e.compressedSize) * limits.maxRatio) return tooBig(limits);
  }
  return null;
}

/**
 * Inflates every entry, keeping none of the output, and returns a problem when
 * one expands past its declared size (a lying directory) or cannot be inflated.
 * Run it after zipBombProblem, which bounds the declared sizes.
 */
export function inflatedSizeProblem(bytes: Uint8Array, limits: ZipLimits = XLSX_LIMITS): ZipProblem | null {
  const entries = readCentralDirectory(bytes);
  if (!Array.isArray(entries)) return entries;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const e of entries) {
    const problem = entryProblem(bytes, view, e, limits);
    if (problem) return problem;
  }
  return null;
}

/** One entry inflated against its declared size; null when it keeps to it. */
function entryProblem(bytes: Uint8Array, view: DataView, e: ZipEntry, limits: ZipLimits): ZipProblem | null {
  const at = e.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_SIG) return CORRUPT;
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + e.compressedSize > bytes.length) return CORRUPT;
  if (e.method === 0) return e.compressedSize === e.uncompressedSize ? null : CORRUPT;
  if (e.method !== 8) return CORRUPT; // xlsx uses stored and deflate only
  try {
    // One byte of slack: an entry that fills it expanded past its declared size.
    const out = inflateRawSync(bytes.subarray(start, start + e.compressedSize), { maxOutputLength: Math.min(e.uncompressedSize, limits.maxTotalBytes) + 1 });
    return out.length > e.uncompressedSize ? tooBig(limits) : null;
  } catch (error) {
    return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? tooBig(limits) : CORRUPT;
  }
}
