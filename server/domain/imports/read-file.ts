/**
 * Reads an uploaded .xlsx or .csv into a header and rows of text, the input
 * of validateSheet. The format is told by the bytes (an .xlsx is a zip), not
 * by the file name. CSV may be UTF-8 (with or without BOM) or GB18030/GBK, as
 * saved by Chinese Excel.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS, type ImportKind } from './columns';
import type { RawSheet } from './rows';

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

/** The text of an exceljs cell value: dates as YYYY-MM-DD, formulas by their result. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return '';
  }
  return String(value);
}

async function readXlsx(bytes: Uint8Array): Promise<RawSheet> {
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
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[];
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
    if (header === null) header = cells;
    else rows.push({ rowNumber, cells });
  });
  if (header === null) throw new UnreadableFileError({ zh: '文件是空的', en: 'The file is empty' });
  return { header, rows };
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function readCsv(bytes: Uint8Array): RawSheet {
  let records: string[][];
  try {
    records = parse(decodeText(bytes), { relax_column_count: true, skip_empty_lines: false, trim: true, bom: true }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new UnreadableFileError({
      zh: `CSV 格式错误${line ? `（第 ${line} 行附近）` : ''}，请检查引号和分隔符`,
      en: `Malformed CSV${line ? ` (near line ${line})` : ''}: check quotes and separators`,
    });
  }
  if (records.length === 0) throw new UnreadableFileError({ zh: '文件是空的', en: 'The file is empty' });
  return {
    header: records[0],
    rows: records.slice(1).map((cells, i) => ({ rowNumber: i + 2, cells })),
  };
}

/** Header and rows of the first sheet of an .xlsx, or of a .csv. Throws UnreadableFileError. */
export async function readSheet(bytes: Uint8Array): Promise<RawSheet> {
  if (bytes.length === 0) throw new UnreadableFileError({ zh: '文件是空的', en: 'The file is empty' });
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
