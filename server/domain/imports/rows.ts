/**
 * Pure validation of an import sheet: header row matched against the kind's
 * columns (resolveHeader: field key, Chinese or English name, one column per
 * header), each cell parsed by its column's type, text that cannot be real
 * text refused (a wrongly decoded file, naming the encoding), identifiers
 * normalised (准考证号 upper case, 身份证号 with an upper-case X), cross-field
 * rules (plan rules, score total, ID number checksum, 学籍 history),
 * duplicates within the file (one exam number and one 身份证号 per person),
 * references to records the caller already holds, and (identityProblems)
 * conflicts with students already stored. Every problem names the row (as
 * numbered in the spreadsheet, header = row 1) and the column; a 身份证号 only
 * ever appears masked.
 */
import { planProblems, type Grade } from '../plans/plan-rules';
import { SUBJECTS } from '../subjects';
import { IMPORT_COLUMNS, resolveHeader, type ColumnSpec, type ImportKind } from './columns';
import { ENCODING_NAMES, implausibleChar, type TextEncoding } from './decode';
import { maskIdNumber } from '../id-numbers';

export interface RawRow {
  /** Row number in the file (the header is row 1). */
  rowNumber: number;
  cells: string[];
}

export interface RawSheet {
  header: string[];
  rows: RawRow[];
  /** Where the text came from: an .xlsx, or a text file in the encoding decided by decodeText. */
  source?: { format: 'xlsx' } | { format: 'csv'; encoding: TextEncoding; separator: ',' | '\t' };
  /** Cells the reader could not turn into text (an .xlsx formula without a cached result, an error value); their rows are not validated further. */
  problems?: RowProblem[];
}

export interface RowProblem {
  row: number;
  /** The column's label in Chinese and English; empty for a problem of the whole row. */
  column: { zh: string; en: string };
  zh: string;
  en: string;
  /** 'encoding': the text is not readable, most likely a file in an encoding other than the one it was read in. */
  cause?: 'encoding';
}

/** A problem in one language, as the API returns it. */
export interface LocalizedRowProblem {
  row: number;
  column: string;
  message: string;
}

export function localizeProblems(problems: readonly RowProblem[], lang: 'zh-CN' | 'en'): LocalizedRowProblem[] {
  return problems.map((p) => ({ row: p.row, column: lang === 'en' ? p.column.en : p.column.zh, message: lang === 'en' ? p.en : p.zh }));
}

export interface RegionRecord {
  row: number;
  code: string;
  name: string;
  nameEn: string;
  adminCode: string | null;
  rural: boolean;
}

export interface JuniorSchoolRecord {
  row: number;
  id: string;
  name: string;
  regionCode: string;
  graduates: number;
  rural: boolean;
  weightPercent: number;
}

export interface HighSchoolRecord {
  row: number;
  id: string;
  name: string;
  regionCode: string;
  ownership: 'public' | 'private';
  scope: 'city' | 'region';
  quality: boolean;
  plan: {
    capacity: number;
    classes: number;
    batch: number;
    minScore: number | null;
    minEvaluation: Grade | null;
    quotaPercent: number | null;
    quotaSeats: number | null;
    quotaMinScore: number | null;
    quotaMinEvaluation: Grade | null;
    minPerSchool: number;
    previousCutoff: number | null;
  };
}

export interface HistoryStay {
  juniorSchoolId: string;
  from: string;
  to: string | null;
}

export interface StudentRecord {
  row: number;
  examNo: string;
  name: string;
  idCardNo: string;
  gender: 'male' | 'female';
  birthDate: string | null;
  juniorSchoolId: string;
  regionCode: string;
  enrolledSince: string;
  /** Earlier stays (学籍变动), oldest first; the current stay is added by the writer. */
  history: HistoryStay[];
  scores: Record<string, number>;
  total: number;
  evaluation: Grade;
  quotaEligible: boolean;
}

export interface ImportContext {
  /** Region codes that exist (in the database). */
  regions?: ReadonlySet<string>;
  /** Junior schools that exist, with their region. */
  juniorSchools?: ReadonlyMap<string, { regionCode: string }>;
  /** 示范性高中 minimum quota share (policy). */
  minQuotaPercent?: number;
  /** 学籍 must start on or before this date (YYYY-MM-DD) for 指标生资格. */
  quotaEligibilityCutoff?: string;
}

export type ImportRecords = {
  regions: RegionRecord;
  'junior-schools': JuniorSchoolRecord;
  'high-schools': HighSchoolRecord;
  students: StudentRecord;
};

export interface ValidationOutcome<K extends ImportKind> {
  records: ImportRecords[K][];
  problems: RowProblem[];
}

type Value = string | number | boolean | null;

const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '√', '农村']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '0', '', '城区']);
const OWNERSHIP: Record<string, 'public' | 'private'> = { 公办: 'public', public: 'public', 民办: 'private', private: 'private' };
const SCOPE: Record<string, 'city' | 'region'> = { 全市: 'city', city: 'city', 属地: 'region', 本区县: 'region', region: 'region' };
const GENDER: Record<string, 'male' | 'female'> = { 男: 'male', male: 'male', m: 'male', 女: 'female', female: 'female', f: 'female' };

/** Excel's letter of a 0-based column index: 0 -> A, 26 -> AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** An identifier as compared and stored: full-width folded, spaces trimmed, letters upper-cased (准考证号, 身份证号 with X). */
export function normalizeIdentifier(text: string): string {
  return text.normalize('NFKC').trim().toUpperCase();
}

/** A 身份证号 as a message may show it (never the full number in a message or a log). */
export const maskedId = maskIdNumber;

/** The sheet's data rows: rows with at least one non-blank cell. */
export function dataRowCount(sheet: RawSheet): number {
  return sheet.rows.reduce((n, row) => (isBlank(row) ? n : n + 1), 0);
}

/** The message for a text cell that cannot be real text: the likely cause is the file's encoding. */
function unreadableText(row: number, col: ColumnSpec, char: string, source: RawSheet['source']): { zh: string; en: string; cause?: 'encoding' } {
  const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (source?.format === 'csv') {
    const read = ENCODING_NAMES[source.encoding];
    return {
      zh: `第 ${row} 行的${col.zh}含有无法识别的字符（${code}，按 ${read} 读取），文件编码可能不是 UTF-8 或 GBK，请在 Excel 中另存为“CSV UTF-8”或 .xlsx`,
      en: `row ${row}: ${col.en} contains an unreadable character (${code}, read as ${read}); the file's encoding may be neither UTF-8 nor GBK: in Excel, save it as "CSV UTF-8" or .xlsx`,
      cause: 'encoding',
    };
  }
  return {
    zh: `第 ${row} 行的${col.zh}含有无法识别的字符（${code}），请删除或重新输入`,
    en: `row ${row}: ${col.en} contains an unreadable character (${code}); delete or retype it`,
  };
}

/** Valid calendar date YYYY-MM-DD (also accepts YYYY/M/D and YYYY.M.D), normalised. */
export function parseDate(text: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** 居民身份证号 (18 characters) with a correct check character (GB 11643). */
export function isValidIdCardNo(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === value[17];
}

/** Parses `J0101:2022-09-01~2023-10-01; J0102:2023-10-01~` (学籍变动记录). */
export function parseHistory(text: string): HistoryStay[] | string {
  const stays: HistoryStay[] = [];
  for (const part of text.split(/[;；\n]/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]{1,32})\s*[:：]\s*([^~～]+?)\s*[~～]\s*(.*)$/.exec(part);
    if (!m) return part;
    const from = parseDate(m[2]);
    const to = m[3].trim() === '' ? null : parseDate(m[3]);
    if (!from || (m[3].trim() !== '' && !to)) return part;
    stays.push({ juniorSchoolId: m[1], from, to });
  }
  return stays;
}

function cellProblem(row: number, col: ColumnSpec, zh: string, en: string): RowProblem {
  return { row, column: { zh: col.zh, en: col.en }, zh, en };
}

function parseCell(text: string, col: ColumnSpec, row: number, source: RawSheet['source']): { value: Value } | { error: { zh: string; en: string; cause?: 'encoding' } } {
  const t = col.identifier ? normalizeIdentifier(text) : text.trim();
  if (t === '') {
    if (col.required) return { error: { zh: '不能为空', en: 'is required' } };
    return { value: col.type === 'bool' ? null : null };
  }
  // PostgreSQL text cannot hold U+0000: refuse the cell rather than fail the whole import in the database.
  if (t.includes('\u0000')) return { error: { zh: '不能包含空字符（\\u0000）', en: 'must not contain a NUL character (\\u0000)' } };
  switch (col.type) {
    case 'string': {
      // Garbled text (a wrongly decoded file, a stray byte) is refused, never stored.
      const bad = implausibleChar(t);
      if (bad !== null) return { error: unreadableText(row, col, bad, source) };
      if (col.max !== undefined && t.length > col.max) return { error: { zh: `不能超过 ${col.max} 个字符`, en: `must be at most ${col.max} characters` } };
      if (col.pattern && !col.pattern.test(t)) return { error: col.patternHint ?? { zh: '格式不正确', en: 'has the wrong format' } };
      return { value: t };
    }
    case 'int':
    case 'number': {
      const n = Number(t);
      const range = { zh: `应为 ${col.min ?? '-∞'} 到 ${col.max ?? '∞'} 之间的${col.type === 'int' ? '整数' : '数'}`, en: `must be a${col.type === 'int' ? 'n integer' : ' number'} from ${col.min ?? '-inf'} to ${col.max ?? 'inf'}` };
      if (!/^-?\d+(\.\d+)?$/.test(t) || !Number.isFinite(n)) return { error: { zh: `“${t}”不是数字，${range.zh}`, en: `"${t}" is not a number; it ${range.en}` } };
      if (col.type === 'int' && !Number.isInteger(n)) return { error: range };
      if ((col.min !== undefined && n < col.min) || (col.max !== undefined && n > col.max)) return { error: { zh: `${t} 超出范围，${range.zh}`, en: `${t} is out of range; it ${range.en}` } };
      if (col.type === 'number' && col.halfSteps !== undefined) {
        const ok = col.halfSteps ? Number.isInteger(n * 2) : Number.isInteger(n);
        if (!ok) return { error: col.halfSteps ? { zh: '分数只能是整数或 0.5 分', en: 'must be a whole or half point' } : { zh: '分数应为整数', en: 'must be a whole number' } };
      }
      return { value: n };
    }
    case 'bool': {
      const lower = t.toLowerCase();
      if (TRUE_WORDS.has(lower)) return { value: true };
      if (FALSE_WORDS.has(lower)) return { value: false };
      return { error: { zh: `“${t}”应填“是”或“否”`, en: `"${t}" must be yes or no` } };
    }
    case 'date': {
      const d = parseDate(t);
      return d ? { value: d } : { error: { zh: `“${t}”不是有效日期，应为 YYYY-MM-DD`, en: `"${t}" is not a valid date (YYYY-MM-DD)` } };
    }
    case 'evaluation': {
      const g = t.toUpperCase();
      return ['A', 'B', 'C', 'D'].includes(g) ? { value: g } : { error: { zh: `“${t}”应为 A、B、C 或 D`, en: `"${t}" must be A, B, C or D` } };
    }
    case 'ownership': {
      const v = OWNERSHIP[t.toLowerCase()];
      return v ? { value: v } : { error: { zh: `“${t}”应为“公办”或“民办”`, en: `"${t}" must be public or private` } };
    }
    case 'scope': {
      const v = SCOPE[t.toLowerCase()];
      return v ? { value: v } : { error: { zh: `“${t}”应为“全市”或“属地”`, en: `"${t}" must be city or region` } };
    }
    case 'gender': {
      const v = GENDER[t.toLowerCase()];
      return v ? { value: v } : { error: { zh: `“${t}”应为“男”或“女”`, en: `"${t}" must be male or female` } };
    }
  }
}

/**
 * Matches the header row to the kind's columns (resolveHeader: one column per
 * header string). Problems (row 1) for a missing required column, two headers
 * naming one column, and a header that is not readable text (a wrongly decoded
 * file: one problem naming the encoding instead of a missing-column list).
 * Unknown columns are ignored.
 */
export function matchHeader(kind: ImportKind, header: readonly string[], source?: RawSheet['source']): { index: Map<string, number>; problems: RowProblem[] } {
  const specs = IMPORT_COLUMNS[kind];
  const index = new Map<string, number>();
  const problems: RowProblem[] = [];
  const garbled = header.findIndex((text) => implausibleChar(text ?? '') !== null);
  if (garbled >= 0) {
    const cell = { zh: `${columnLetter(garbled)} 列`, en: `column ${columnLetter(garbled)}` };
    const read = source?.format === 'csv' ? ENCODING_NAMES[source.encoding] : null;
    problems.push({
      row: 1,
      column: cell,
      zh: `表头含有无法识别的字符${read ? `（按 ${read} 读取）` : ''}，文件编码可能不是 UTF-8 或 GBK，请在 Excel 中另存为“CSV UTF-8”或 .xlsx`,
      en: `the header row contains unreadable characters${read ? ` (read as ${read})` : ''}; the file's encoding may be neither UTF-8 nor GBK: in Excel, save it as "CSV UTF-8" or .xlsx`,
      cause: 'encoding',
    });
    return { index, problems };
  }
  header.forEach((text, i) => {
    const spec = resolveHeader(kind, text ?? '');
    if (!spec) return;
    const first = index.get(spec.key);
    if (first === undefined) {
      index.set(spec.key, i);
      return;
    }
    const a = `“${header[first].trim()}”（${columnLetter(first)} 列）`;
    const b = `“${text.trim()}”（${columnLetter(i)} 列）`;
    problems.push(
      cellProblem(
        1,
        spec,
        `${a}和${b}都对应“${spec.zh}”列，请只保留一列`,
        `"${header[first].trim()}" (column ${columnLetter(first)}) and "${text.trim()}" (column ${columnLetter(i)}) both name the column "${spec.en}"; keep one`,
      ),
    );
  });
  for (const spec of specs) {
    if (spec.required && !index.has(spec.key)) problems.push(cellProblem(1, spec, `缺少“${spec.zh}”列`, `the column "${spec.en}" is missing`));
  }
  return { index, problems };
}

type Parsed = Record<string, Value>;

/** Cells of a row parsed by column type; null when any cell is bad (its problems are added). */
function parseRow(kind: ImportKind, row: RawRow, index: Map<string, number>, problems: RowProblem[], source: RawSheet['source']): Parsed | null {
  const out: Parsed = {};
  let ok = true;
  for (const spec of IMPORT_COLUMNS[kind]) {
    const i = index.get(spec.key);
    const text = i === undefined ? '' : (row.cells[i] ?? '');
    const result = parseCell(text, spec, row.rowNumber, source);
    if ('error' in result) {
      problems.push({ ...cellProblem(row.rowNumber, spec, result.error.zh, result.error.en), ...(result.error.cause ? { cause: result.error.cause } : {}) });
      ok = false;
    } else out[spec.key] = result.value;
  }
  return ok ? out : null;
}

function col(kind: ImportKind, key: string): ColumnSpec {
  return IMPORT_COLUMNS[kind].find((c) => c.key === key)!;
}

function isBlank(row: RawRow): boolean {
  return row.cells.every((c) => (c ?? '').trim() === '');
}

const str = (v: Value) => v as string;
const num = (v: Value) => v as number;
const opt = <T>(v: Value) => (v === null ? null : (v as T));

/**
 * Validates every row of a sheet for an import kind. All-or-nothing is the
 * caller's rule: any problem means nothing is written.
 */
export function validateSheet<K extends ImportKind>(kind: K, sheet: RawSheet, ctx: ImportContext = {}): ValidationOutcome<K> {
  const records: ImportRecords[K][] = [];
  const validator = createRowValidator(kind, sheet.header, ctx, { source: sheet.source, sheetProblems: sheet.problems, onRecord: (record) => records.push(record) });
  if (!validator.headerOk) return { records: [], problems: validator.problems };
  for (const row of sheet.rows) validator.add(row);
  return { records, problems: validator.problems };
}

/** Validates rows one at a time (createRowValidator): the problems so far, and whether the header matched. */
export interface RowValidator {
  /** False when the header row has problems: then no row is validated. */
  headerOk: boolean;
  problems: RowProblem[];
  /** Validates one row; a good one goes to onRecord. Blank rows are skipped. */
  add(row: RawRow): void;
}

/**
 * The row-by-row form of validateSheet, for files read as a stream: the same
 * checks in the same order, each good record handed to `onRecord` instead of
 * kept, so a caller that writes records as they come never holds them all.
 * Duplicates within the file are still found (the keys seen are kept).
 */
export function createRowValidator<K extends ImportKind>(
  kind: K,
  header: readonly string[],
  ctx: ImportContext,
  options: { source?: RawSheet['source']; sheetProblems?: readonly RowProblem[]; onRecord: (record: ImportRecords[K]) => void },
): RowValidator {
  const { index, problems } = matchHeader(kind, header, options.source);
  if (problems.length > 0) return { headerOk: false, problems, add: () => {} };
  const source = options.source;
  // Cells the reader could not read: reported as they are, and their rows not validated further.
  const unreadRows = new Set((options.sheetProblems ?? []).map((p) => p.row));
  problems.push(...(options.sheetProblems ?? []));
  const records = { push: (record: ImportRecords[ImportKind]) => options.onRecord(record as ImportRecords[K]) };
  const seen = new Map<string, number>();
  /** 身份证号 -> the first row holding it and its exam number. */
  const seenIdCards = new Map<string, { row: number; examNo: string }>();
  const duplicate = (map: Map<string, number>, key: string, row: number, spec: ColumnSpec): boolean => {
    const first = map.get(key);
    if (first !== undefined) {
      problems.push(cellProblem(row, spec, `与第 ${first} 行重复：${key}`, `duplicates row ${first}: ${key}`));
      return true;
    }
    map.set(key, row);
    return false;
  };

  function add(row: RawRow): void {
    if (isBlank(row) || unreadRows.has(row.rowNumber)) return;
    const p = parseRow(kind, row, index, problems, source);
    if (!p) return;
    const r = row.rowNumber;
    switch (kind) {
      case 'regions': {
        if (duplicate(seen, str(p.code), r, col(kind, 'code'))) break;
        records.push({ row: r, code: str(p.code), name: str(p.name), nameEn: opt<string>(p.nameEn) ?? str(p.name), adminCode: opt<string>(p.adminCode), rural: p.rural === true });
        break;
      }
      case 'junior-schools': {
        if (duplicate(seen, str(p.id), r, col(kind, 'id'))) break;
        if (ctx.regions && !ctx.regions.has(str(p.regionCode))) {
          problems.push(cellProblem(r, col(kind, 'regionCode'), `区县代码“${str(p.regionCode)}”不存在，请先导入区县`, `region "${str(p.regionCode)}" does not exist; import regions first`));
          break;
        }
        records.push({ row: r, id: str(p.id), name: str(p.name), regionCode: str(p.regionCode), graduates: num(p.graduates), rural: p.rural === true, weightPercent: opt<number>(p.weightPercent) ?? 100 });
        break;
      }
      case 'high-schools': {
        if (duplicate(seen, str(p.id), r, col(kind, 'id'))) break;
        if (ctx.regions && !ctx.regions.has(str(p.regionCode))) {
          problems.push(cellProblem(r, col(kind, 'regionCode'), `区县代码“${str(p.regionCode)}”不存在，请先导入区县`, `region "${str(p.regionCode)}" does not exist; import regions first`));
          break;
        }
        const plan = {
          capacity: num(p.capacity),
          classes: num(p.classes),
          batch: num(p.batch),
          minScore: opt<number>(p.minScore),
          minEvaluation: opt<Grade>(p.minEvaluation),
          quotaPercent: opt<number>(p.quotaPercent),
          quotaSeats: opt<number>(p.quotaSeats),
          quotaMinScore: opt<number>(p.quotaMinScore),
          quotaMinEvaluation: opt<Grade>(p.quotaMinEvaluation),
          minPerSchool: opt<number>(p.minPerSchool) ?? 0,
          previousCutoff: opt<number>(p.previousCutoff),
        };
        const quality = p.quality === true;
        const planIssues = planProblems(plan, { quality, minQuotaPercent: ctx.minQuotaPercent });
        for (const issue of planIssues) problems.push(cellProblem(r, col(kind, issue.field), issue.zh, issue.en));
        if (planIssues.length > 0) break;
        records.push({ row: r, id: str(p.id), name: str(p.name), regionCode: str(p.regionCode), ownership: p.ownership as 'public' | 'private', scope: p.scope as 'city' | 'region', quality, plan });
        break;
      }
      case 'students': {
        const before = problems.length;
        const examNo = str(p.examNo);
        const idCardNo = str(p.idCardNo);
        if (!isValidIdCardNo(idCardNo)) problems.push(cellProblem(r, col(kind, 'idCardNo'), '身份证号格式或校验位不正确（应为 18 位）', 'is not a valid 18-character ID number (format or check digit)'));
        duplicate(seen, examNo, r, col(kind, 'examNo'));
        const sameId = isValidIdCardNo(idCardNo) ? seenIdCards.get(idCardNo) : undefined;
        if (sameId) {
          // One person is one candidate per cycle (Student @@unique([cycleId, idCardNo])).
          problems.push(
            cellProblem(
              r,
              col(kind, 'idCardNo'),
              `身份证号 ${maskedId(idCardNo)} 与第 ${sameId.row} 行（准考证号 ${sameId.examNo}）重复：同一考生只能有一个准考证号`,
              `ID number ${maskedId(idCardNo)} duplicates row ${sameId.row} (exam number ${sameId.examNo}): one person has one exam number`,
            ),
          );
        } else if (isValidIdCardNo(idCardNo)) seenIdCards.set(idCardNo, { row: r, examNo });
        const junior = ctx.juniorSchools?.get(str(p.juniorSchoolId));
        if (ctx.juniorSchools && !junior) {
          problems.push(cellProblem(r, col(kind, 'juniorSchoolId'), `初中学校代码“${str(p.juniorSchoolId)}”不存在，请先导入初中学校`, `junior school "${str(p.juniorSchoolId)}" does not exist; import junior schools first`));
        }
        const scores: Record<string, number> = {};
        let sumHalves = 0;
        for (const s of SUBJECTS) {
          scores[s.key] = num(p[`score.${s.key}`]);
          sumHalves += Math.round(scores[s.key] * 2);
        }
        const sum = sumHalves / 2;
        const total = opt<number>(p.total);
        if (total !== null && total !== sum) {
          problems.push(cellProblem(r, col(kind, 'total'), `总分 ${total} 与各科之和 ${sum} 不一致`, `total ${total} differs from the sum of subjects ${sum}`));
        }
        let history: HistoryStay[] = [];
        const historyText = opt<string>(p.history);
        if (historyText) {
          const parsed = parseHistory(historyText);
          if (typeof parsed === 'string') {
            problems.push(cellProblem(r, col(kind, 'history'), `无法识别“${parsed}”，格式应为“学校代码:开始日期~结束日期”，多段用分号分隔`, `cannot read "${parsed}"; use "school:from~to", separated by semicolons`));
          } else {
            history = parsed;
            const unknown = ctx.juniorSchools ? parsed.find((s) => !ctx.juniorSchools!.has(s.juniorSchoolId)) : undefined;
            if (unknown) problems.push(cellProblem(r, col(kind, 'history'), `学籍变动记录中的学校代码“${unknown.juniorSchoolId}”不存在`, `school "${unknown.juniorSchoolId}" in the history does not exist`));
            const late = parsed.find((s) => s.from > str(p.enrolledSince) || (s.to !== null && s.to > str(p.enrolledSince)));
            if (late) problems.push(cellProblem(r, col(kind, 'history'), '学籍变动记录应早于当前学籍起始日期', 'earlier stays must end by the current enrollment date'));
          }
        }
        if (problems.length > before) break;
        const enrolledSince = str(p.enrolledSince);
        const eligibleByDate = ctx.quotaEligibilityCutoff === undefined || enrolledSince <= ctx.quotaEligibilityCutoff;
        const given = p.quotaEligible as boolean | null;
        records.push({
          row: r,
          examNo,
          name: str(p.name),
          idCardNo,
          gender: p.gender as 'male' | 'female',
          birthDate: opt<string>(p.birthDate),
          juniorSchoolId: str(p.juniorSchoolId),
          regionCode: junior?.regionCode ?? '',
          enrolledSince,
          history,
          scores,
          total: sum,
          evaluation: p.evaluation as Grade,
          // A file may withhold eligibility, never grant it against the 学籍 date (quota eligibility shopping).
          quotaEligible: eligibleByDate && given !== false,
        });
        break;
      }
    }
  }
  return { headerOk: true, problems, add };
}

/** A student already stored, as identityProblems compares it. */
export interface StoredIdentity {
  examNo: string;
  idCardNo: string;
  cycleId: string;
}

/**
 * Problems of a student file against the students already stored: an exam
 * number that belongs to another cycle (exam numbers are unique city-wide,
 * across years), and a 身份证号 that another student of this cycle already
 * holds under a different exam number (from another file), unless that
 * student is replaced by this file. `stored` are the students holding any of
 * the file's exam numbers or (in this cycle) any of its ID numbers; their exam
 * numbers compare normalised, so rows stored before normalisation match too.
 */
export function identityProblems(records: readonly StudentRecord[], stored: readonly StoredIdentity[], cycleId: string): RowProblem[] {
  const problems: RowProblem[] = [];
  const fileExamNos = new Set(records.map((r) => r.examNo));
  const byExamNo = new Map(stored.map((s) => [normalizeIdentifier(s.examNo), s]));
  // Students of this cycle that stay after the import (not replaced by a row of the file), by ID number.
  const staying = new Map<string, StoredIdentity>();
  for (const s of stored) if (s.cycleId === cycleId && !fileExamNos.has(normalizeIdentifier(s.examNo))) staying.set(normalizeIdentifier(s.idCardNo), s);
  for (const r of records) {
    const same = byExamNo.get(r.examNo);
    if (same && same.cycleId !== cycleId) {
      problems.push(examNoOfOtherCycle(r.row, r.examNo));
      continue;
    }
    const other = staying.get(r.idCardNo);
    if (other) problems.push(idCardHeldInCycle(r.row, r.idCardNo, normalizeIdentifier(other.examNo)));
  }
  return problems;
}

const EXAM_COLUMN = { zh: '准考证号', en: 'Exam number' };
const ID_COLUMN = { zh: '身份证号', en: 'ID number' };

function examNoOfOtherCycle(row: number, examNo: string): RowProblem {
  return { row, column: EXAM_COLUMN, zh: `准考证号 ${examNo} 已用于其他招生年度`, en: `exam number ${examNo} belongs to another cycle` };
}

function idCardHeldInCycle(row: number, idCardNo: string, otherExamNo: string): RowProblem {
  return {
    row,
    column: ID_COLUMN,
    zh: `身份证号 ${maskedId(idCardNo)} 已属于本年度准考证号 ${otherExamNo} 的考生：同一考生只能有一个准考证号`,
    en: `ID number ${maskedId(idCardNo)} already belongs to the student with exam number ${otherExamNo} in this cycle: one person has one exam number`,
  };
}

/**
 * Conflicts of a file with stored students, as the database finds them set-based (the student
 * import's staging table joined with Student): the rules of identityProblems, already matched.
 */
export interface IdentityConflicts {
  /** Rows whose exam number belongs to a student of another cycle. */
  otherCycle: { row: number; examNo: string }[];
  /** Rows whose 身份证号 a student of this cycle holds who stays (is not replaced by the file), with that student's exam number. */
  heldIdCards: { row: number; idCardNo: string; otherExamNo: string }[];
}

/** The problems of identityProblems from conflicts found in the database: a row of another cycle's exam number is not checked further. */
export function identityConflictProblems(conflicts: IdentityConflicts): RowProblem[] {
  const problems: RowProblem[] = [];
  const otherCycleRows = new Set<number>();
  for (const c of conflicts.otherCycle) {
    if (otherCycleRows.has(c.row)) continue;
    otherCycleRows.add(c.row);
    problems.push(examNoOfOtherCycle(c.row, c.examNo));
  }
  const held = new Set<number>();
  for (const c of conflicts.heldIdCards) {
    if (otherCycleRows.has(c.row) || held.has(c.row)) continue;
    held.add(c.row);
    problems.push(idCardHeldInCycle(c.row, c.idCardNo, normalizeIdentifier(c.otherExamNo)));
  }
  return problems.sort((a, b) => a.row - b.row);
}
