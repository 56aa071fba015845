/**
 * Reads an uploaded .xlsx or .csv into a header and rows of text, the input
 * of validateSheet. The format is told by the bytes (an .xlsx is a zip), not
 * by the file name. Text files may be UTF-8 (with or without BOM), UTF-16 or
 * GB18030/GBK, comma or tab separated (decode.ts decides the encoding).
 * An .xlsx is checked for a zip bomb (zip-guard.ts) before exceljs reads it.
 *
 * This is CPU work of seconds for big files: the API and the import job call
 * it through a worker thread (server/infra/sheet-parse-pool.ts), never on
 * their own event loop.
 */
import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS, type ImportKind } from '../domain/imports/columns';
import { decodeText } from '../domain/imports/decode';
import { CsvSyntaxError, forEachCsvRecord } from './csv';
import { columnLetter, createRowValidator, dataRowCount, type ImportContext, type RawSheet, type RowProblem, type StudentRecord } from '../domain/imports/rows';
import { createStageWriter } from '../domain/imports/student-stage';
import { inflatedSizeProblem, zipBombProblem } from '../domain/imports/zip-guard';

export class UnreadableFileError extends Error {
  constructor(readonly reason: { zh: string; en: string }) {
    super(reason.en);
    this.name = 'UnreadableFileError';
  }
}

export function isXlsx(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A cell exceljs holds that has no text to import: a formula never calculated, or an error value (#N/A). */
export type CellFault = { fault: 'formula-without-result' } | { fault: 'error-value'; error: string };

/** The text of an exceljs cell value: dates as YYYY-MM-DD, formulas by their cached result; a CellFault when there is none. */
export function cellText(value: ExcelJS.CellValue): string | CellFault {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((t) => t.text).join('');
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: ExcelJS.CellValue }).result;
      // A file written by a program (not Excel) may carry formulas without the cached value Excel saves.
      if (result === undefined || result === null) return { fault: 'formula-without-result' };
      return cellText(result);
    }
    if ('error' in value) return { fault: 'error-value', error: String((value as { error: unknown }).error) };
    if ('text' in value && typeof value.text === 'string') return value.text;
  }
  return String(value);
}

function faultProblem(row: number, col: number, header: string | undefined, fault: CellFault): RowProblem {
  const letter = columnLetter(col);
  const label = header ? { zh: header, en: header } : { zh: `${letter} 列`, en: `column ${letter}` };
  if (fault.fault === 'formula-without-result')
    return {
      row,
      column: label,
      zh: `第 ${row} 行 ${letter} 列是公式但没有计算结果，请在 Excel 中打开并保存后再导入`,
      en: `row ${row}, column ${letter} is a formula without a calculated value: open the file in Excel, save it, then import it`,
    };
  return {
    row,
    column: label,
    zh: `第 ${row} 行 ${letter} 列是错误值 ${fault.error}，请修正公式或填写数值`,
    en: `row ${row}, column ${letter} holds the error value ${fault.error}: fix the formula or type the value`,
  };
}

async function readXlsx(bytes: Uint8Array): Promise<RawSheet> {
  const bomb = zipBombProblem(bytes) ?? inflatedSizeProblem(bytes);
  if (bomb) throw new UnreadableFileError(bomb);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
  } catch {
    throw new UnreadableFileError({ zh: '无法读取 Excel 文件，请使用模板另存为 .xlsx', en: 'The Excel file cannot be read; save it as .xlsx from the template' });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new UnreadableFileError({ zh: 'Excel 文件中没有工作表', en: 'The workbook has no sheet' });
  let header: string[] | null = null;
  const rows: RawSheet['rows'] = [];
  const problems: RowProblem[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[];
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) {
      const text = cellText(values[i]);
      if (typeof text === 'string') cells.push(text.trim());
      else {
        cells.push('');
        problems.push(faultProblem(rowNumber, i - 1, header?.[i - 1], text));
      }
    }
    if (header === null) header = cells;
    else rows.push({ rowNumber, cells });
  });
  if (header === null) throw new UnreadableFileError({ zh: '文件是空的', en: 'The file is empty' });
  return { header, rows, source: { format: 'xlsx' }, problems };
}

/**
 * Tab separated when the header line has tabs and no commas: what Excel saves
 * as "Unicode text" (文本文件(制表符分隔)).
 */
function separatorOf(text: string): ',' | '\t' {
  const end = text.search(/\r?\n/);
  const headerLine = end < 0 ? text : text.slice(0, end);
  return headerLine.includes('\t') && !headerLine.includes(',') ? '\t' : ',';
}

function malformedCsv(error: unknown): never {
  if (!(error instanceof CsvSyntaxError)) throw error;
  const line = error.line;
  throw new UnreadableFileError({
    zh: `CSV 格式错误${line ? `（第 ${line} 行附近）` : ''}，请检查引号和分隔符`,
    en: `Malformed CSV${line ? ` (near line ${line})` : ''}: check quotes and separators`,
  });
}

/** Decodes a text file and calls `onRecord` for each record (index 0 is the header), without building the file's rows. */
function eachCsvRecord(bytes: Uint8Array, onRecord: (cells: string[], index: number) => void): { records: number; source: RawSheet['source'] } {
  const { text, encoding } = decodeText(bytes);
  const separator = separatorOf(text);
  let records = 0;
  try {
    records = forEachCsvRecord(text, separator, onRecord);
  } catch (error) {
    malformedCsv(error);
  }
  if (records === 0) throw new UnreadableFileError({ zh: '文件是空的', en: 'The file is empty' });
  return { records, source: { format: 'csv', encoding, separator } };
}

function readCsv(bytes: Uint8Array): RawSheet {
  let header: string[] = [];
  const rows: RawSheet['rows'] = [];
  const { source } = eachCsvRecord(bytes, (cells, i) => {
    if (i === 0) header = cells;
    else rows.push({ rowNumber: i + 1, cells });
  });
  return { header, rows, source };
}

/** Rows with at least one non-blank cell, counted without keeping them (a text file is tokenized only). Throws UnreadableFileError. */
export async function countDataRows(bytes: Uint8Array): Promise<number> {
  if (isXlsx(bytes) || isCompoundFile(bytes) || bytes.length === 0) return dataRowCount(await readSheet(bytes));
  let count = 0;
  eachCsvRecord(bytes, (cells, i) => {
    if (i > 0 && cells.some((c) => c !== '' && c.trim() !== '')) count++;
  });
  return count;
}

/** A students file read, validated and written as staging lines in one pass (see stageStudentsFile). */
export interface StagedStudents {
  /** Rows with at least one non-blank cell. */
  dataRows: number;
  /** Every problem found (header, cells, duplicates within the file, unknown junior schools); empty when the file is good. */
  problems: RowProblem[];
  /** COPY text lines of the valid records (student-stage.ts), in UTF-8 chunks; empty when there are problems. */
  chunks: Uint8Array[];
  /** Valid records staged. */
  rows: number;
  /** Milliseconds spent decoding the bytes to text (0 for .xlsx, whose reading is all in parseMs) and tokenizing + validating. */
  timings: { decodeMs: number; parseMs: number };
}

/**
 * Reads a students file and validates it row by row as it is tokenized (a
 * text file is never turned into an array of rows; an .xlsx is read by
 * exceljs first), writing each good record straight into staging lines. The
 * same checks as validateSheet on readSheet's output. Throws UnreadableFileError.
 */
export async function stageStudentsFile(bytes: Uint8Array, ctx: ImportContext): Promise<StagedStudents> {
  const writer = createStageWriter();
  const onRecord = (record: StudentRecord) => writer.add(record);
  let dataRows = 0;
  let problems: RowProblem[] = [];
  const t0 = performance.now();
  if (isXlsx(bytes) || isCompoundFile(bytes) || bytes.length === 0) {
    const sheet = await readSheet(bytes);
    const validator = createRowValidator('students', sheet.header, ctx, { source: sheet.source, sheetProblems: sheet.problems, onRecord });
    for (const row of sheet.rows) {
      if (row.cells.some((c) => (c ?? '').trim() !== '')) dataRows++;
      validator.add(row);
    }
    problems = validator.problems;
    return finish(0, performance.now() - t0);
  }
  const { text, encoding } = decodeText(bytes);
  const t1 = performance.now();
  const separator = separatorOf(text);
  const source = { format: 'csv' as const, encoding, separator };
  let validator: ReturnType<typeof createRowValidator> | null = null;
  let records = 0;
  try {
    records = forEachCsvRecord(text, separator, (cells, i) => {
      if (i === 0) {
        validator = createRowValidator('students', cells, ctx, { source, onRecord });
        problems = validator.problems;
        return;
      }
      if (cells.some((c) => c !== '' && c.trim() !== '')) dataRows++;
      validator!.add({ rowNumber: i + 1, cells });
    });
  } catch (error) {
    malformedCsv(error);
  }
  if (records === 0) throw new UnreadableFileError({ zh: '文件是空的', en: 'The file is empty' });
  return finish(t1 - t0, performance.now() - t1);

  function finish(decodeMs: number, parseMs: number): StagedStudents {
    const staged = writer.finish();
    const ok = problems.length === 0;
    return { dataRows, problems, chunks: ok ? staged.chunks : [], rows: ok ? staged.rows : 0, timings: { decodeMs, parseMs } };
  }
}

/** An OLE2 compound file: Excel 97-2003 (.xls), or an .xlsx saved with a password. */
function isCompoundFile(bytes: Uint8Array): boolean {
  const magic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  return bytes.length >= 8 && magic.every((b, i) => bytes[i] === b);
}

/** Header and rows of the first sheet of an .xlsx, or of a text file. Throws UnreadableFileError. */
export async function readSheet(bytes: Uint8Array): Promise<RawSheet> {
  if (bytes.length === 0) throw new UnreadableFileError({ zh: '文件是空的', en: 'The file is empty' });
  if (isCompoundFile(bytes))
    throw new UnreadableFileError({
      zh: '这是旧版 Excel（.xls）文件或设置了打开密码的工作簿，请在 Excel 中取消密码并另存为 .xlsx 后再导入',
      en: 'This is an old Excel (.xls) file or a password-protected workbook: remove the password and save it as .xlsx in Excel, then import it',
    });
  return isXlsx(bytes) ? readXlsx(bytes) : readCsv(bytes);
}

/** The template of a kind: one sheet with the Chinese headers, one with what each column takes. */
export async function templateWorkbook(kind: ImportKind): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const columns = IMPORT_COLUMNS[kind];
  const data = workbook.addWorksheet('数据');
  data.addRow(columns.map((c) => c.zh));
  data.getRow(1).font = { bold: true };
  data.columns.forEach((column, i) => {
    column.width = Math.max(12, columns[i].zh.length * 2 + 4);
    if (columns[i].type === 'string') column.numFmt = '@';
  });
  data.views = [{ state: 'frozen', ySplit: 1 }];
  const help = workbook.addWorksheet('说明');
  help.addRow(['列名', 'English', '必填', '说明']);
  help.getRow(1).font = { bold: true };
  for (const c of columns) help.addRow([c.zh, c.en, c.required ? '是' : '否', columnHelp(c)]);
  help.columns.forEach((column) => (column.width = 28));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function columnHelp(c: (typeof IMPORT_COLUMNS)[ImportKind][number]): string {
  switch (c.type) {
    case 'bool':
      return '是 / 否';
    case 'date':
      return 'YYYY-MM-DD';
    case 'evaluation':
      return 'A / B / C / D';
    case 'ownership':
      return '公办 / 民办';
    case 'scope':
      return '全市 / 属地';
    case 'gender':
      return '男 / 女';
    case 'int':
    case 'number':
      return `${c.min ?? ''} ~ ${c.max ?? ''}`;
    default:
      if (c.key === 'history') return '初中学校代码:开始日期~结束日期，多段用分号分隔';
      return c.patternHint?.zh ?? '';
  }
}
