import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readSheet, stageStudentsFile, UnreadableFileError } from './read-file';
import { validateSheet } from '../domain/imports/rows';
import { inflatedSizeProblem, readCentralDirectory, zipBombProblem } from '../domain/imports/zip-guard';

/** The committed corpus of real-world files (test/fixtures/imports/make-corpus.ts). */
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../test/fixtures/imports/${name}`, import.meta.url)));
const names = async (name: string) => (await readSheet(fixture(name))).rows.map((r) => r.cells[1]);

describe('readSheet on the corpus', () => {
  it('reads GBK files with English or field-key headers although every byte of them is valid UTF-8', async () => {
    for (const [file, expected] of [
      ['students-gbk-english.csv', ['郑然', '郑伟', '谢平', '叶远']],
      ['students-gbk-keys.csv', ['魏然', '姚远', '陆平', '石伟']],
    ] as const) {
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(fixture(file))).not.toThrow();
      const sheet = await readSheet(fixture(file));
      expect(sheet.source).toEqual({ format: 'csv', encoding: 'gb18030', separator: ',' });
      expect(sheet.rows.map((r) => r.cells[1])).toEqual(expected);
      expect(validateSheet('students', sheet).problems).toEqual([]);
    }
  });

  it("reads Excel's CSV UTF-8 (BOM, CRLF) and Unicode text (UTF-16 LE, tab separated)", async () => {
    expect(await names('students-utf8-excel.csv')).toEqual(['欧阳娜娜', '阿卜杜·买买提', '王喆']);
    const utf16 = await readSheet(fixture('students-utf16le-tab.txt'));
    expect(utf16.source).toEqual({ format: 'csv', encoding: 'utf-16le', separator: '\t' });
    expect(utf16.header[0]).toBe('准考证号');
    expect(utf16.rows.map((r) => r.cells[1])).toEqual(['李堃', '陈玥', '赵一']);
  });

  it('refuses the row of a stray byte in UTF-8, naming the encoding', async () => {
    const { problems } = validateSheet('students', await readSheet(fixture('students-utf8-stray-byte.csv')));
    expect(problems).toEqual([expect.objectContaining({ row: 4, cause: 'encoding', zh: expect.stringContaining('第 4 行的姓名含有无法识别的字符') })]);
  });

  it('names an .xlsx formula without a cached result by row and column', async () => {
    const sheet = await readSheet(fixture('students-formula-no-result.xlsx'));
    expect(sheet.problems).toEqual([
      { row: 3, column: { zh: '姓名', en: '姓名' }, zh: '第 3 行 B 列是公式但没有计算结果，请在 Excel 中打开并保存后再导入', en: expect.stringContaining('row 3, column B is a formula') },
    ]);
  });

  it('refuses zip bombs before exceljs reads them: declared sizes, and an entry that lies about its size', async () => {
    for (const file of ['zip-bomb-declared.xlsx', 'zip-bomb-lying.xlsx']) {
      const error = await readSheet(fixture(file)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreadableFileError);
      expect((error as UnreadableFileError).reason.zh).toContain('解压后超过 300 MB');
    }
    expect(zipBombProblem(fixture('zip-bomb-declared.xlsx'))).not.toBeNull();
    expect(zipBombProblem(fixture('zip-bomb-lying.xlsx'))).toBeNull(); // its directory looks harmless...
    expect(inflatedSizeProblem(fixture('zip-bomb-lying.xlsx'))).not.toBeNull(); // ...its data does not
  });

  it('names an old .xls (or password-protected) workbook instead of reading its bytes as text', async () => {
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]);
    const error = await readSheet(xls).catch((e: unknown) => e);
    expect((error as UnreadableFileError).reason.zh).toContain('另存为 .xlsx');
  });

  it('lets a real workbook through the zip checks and refuses a truncated one as damaged', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('数据').addRow(['区县代码', '区县名称']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const entries = readCentralDirectory(bytes);
    expect(Array.isArray(entries) && entries.map((e) => e.name)).toContain('xl/worksheets/sheet1.xml');
    expect(zipBombProblem(bytes)).toBeNull();
    expect(inflatedSizeProblem(bytes)).toBeNull();
    expect(zipBombProblem(bytes.subarray(0, bytes.length - 30))).toMatchObject({ zh: expect.stringContaining('已损坏') });
  });
});

describe('stageStudentsFile: one pass of reading, validating and staging', () => {
  it('finds what readSheet and validateSheet find, and stages one line per good record', async () => {
    const files = ['students-utf8-excel.csv', 'students-gbk-english.csv', 'students-gbk-keys.csv', 'students-utf16le-tab.txt', 'students-utf8-stray-byte.csv', 'students-formula-no-result.xlsx', 'students-header-only.csv'];
    for (const file of files) {
      const bytes = fixture(file);
      const expected = validateSheet('students', await readSheet(bytes));
      const staged = await stageStudentsFile(bytes, {});
      expect(staged.problems, file).toEqual(expected.problems);
      expect(staged.rows, file).toBe(expected.problems.length === 0 ? expected.records.length : 0);
      const lines = new TextDecoder().decode(Buffer.concat(staged.chunks)).split('\n').filter(Boolean);
      expect(lines.length, file).toBe(staged.rows);
      if (staged.rows > 0) expect(lines[0].split('\t')[1], file).toBe(expected.records[0].examNo);
    }
  });
});
