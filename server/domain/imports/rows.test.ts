import { describe, expect, it } from 'vitest';
import { SUBJECTS } from '../demo/types';
import { IMPORT_COLUMNS } from './columns';
import { isValidIdCardNo, localizeProblems, matchHeader, parseDate, parseHistory, validateSheet, type RawSheet } from './rows';

/** A valid ID number: 17 digits and the GB 11643 check character. */
function idCard(body17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body17 + '10X98765432'[sum % 11];
}

const studentHeader = IMPORT_COLUMNS.students.map((c) => c.zh);

function studentRow(rowNumber: number, overrides: Record<string, string> = {}) {
  const values: Record<string, string> = {
    examNo: `2025${String(rowNumber).padStart(6, '0')}`,
    name: '张三',
    idCardNo: idCard(`43020220090101${String(rowNumber).padStart(3, '0')}`),
    gender: '男',
    birthDate: '2009-01-01',
    juniorSchoolId: 'J0101',
    enrolledSince: '2022-09-01',
    history: '',
    total: '',
    evaluation: 'A',
    quotaEligible: '',
    ...Object.fromEntries(SUBJECTS.map((s) => [`score.${s.key}`, '50'])),
    ...overrides,
  };
  return { rowNumber, cells: IMPORT_COLUMNS.students.map((c) => values[c.key] ?? '') };
}

const ctx = {
  juniorSchools: new Map([
    ['J0101', { regionCode: 'HT' }],
    ['J0102', { regionCode: 'LS' }],
  ]),
  regions: new Set(['HT', 'LS']),
  quotaEligibilityCutoff: '2024-09-01',
};

describe('validateSheet: students', () => {
  it('turns good rows into records with the region of the junior school and the sum as total', () => {
    const sheet: RawSheet = { header: studentHeader, rows: [studentRow(2), studentRow(3, { juniorSchoolId: 'J0102', 'score.chinese': '100.5' })] };
    const { records, problems } = validateSheet('students', sheet, ctx);
    expect(problems).toEqual([]);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ row: 2, regionCode: 'HT', gender: 'male', total: 400, quotaEligible: true, evaluation: 'A' });
    expect(records[1]).toMatchObject({ regionCode: 'LS', total: 450.5 });
  });

  it('names the row and the column of each bad cell, in Chinese and English', () => {
    const sheet: RawSheet = {
      header: studentHeader,
      rows: [
        studentRow(2),
        studentRow(3, { 'score.math': '130' }),
        studentRow(4, { idCardNo: '430202200901010000' }),
        studentRow(5, { juniorSchoolId: 'J9999', evaluation: 'E' }),
        studentRow(6, { examNo: '2025000002' }),
      ],
    };
    const { problems } = validateSheet('students', sheet, ctx);
    const zh = localizeProblems(problems, 'zh-CN');
    expect(zh).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 3, column: '数学', message: expect.stringContaining('超出范围') }),
        expect.objectContaining({ row: 4, column: '身份证号' }),
        expect.objectContaining({ row: 5, column: '综合素质评价' }),
        expect.objectContaining({ row: 6, column: '准考证号', message: expect.stringContaining('第 2 行') }),
      ]),
    );
    const en = localizeProblems(problems, 'en');
    expect(en.find((p) => p.row === 3)).toMatchObject({ column: 'Mathematics', message: expect.stringContaining('out of range') });
    // The ID number never appears in a message.
    expect(JSON.stringify(problems)).not.toContain('430202200901010000');
  });

  it('refuses a junior school that does not exist and a total that is not the sum', () => {
    const { problems } = validateSheet('students', { header: studentHeader, rows: [studentRow(2, { juniorSchoolId: 'J9', total: '401' })] }, ctx);
    expect(localizeProblems(problems, 'zh-CN').map((p) => p.column).sort()).toEqual(['初中学校代码', '总分'].sort());
  });

  it('makes a late 学籍 move quota-ineligible whatever the file says', () => {
    const { records } = validateSheet(
      'students',
      { header: studentHeader, rows: [studentRow(2, { enrolledSince: '2024-10-01', quotaEligible: '是', history: 'J0102:2022-09-01~2024-10-01' })] },
      ctx,
    );
    expect(records[0]).toMatchObject({ quotaEligible: false, history: [{ juniorSchoolId: 'J0102', from: '2022-09-01', to: '2024-10-01' }] });
  });

  it('reports a missing required column on row 1', () => {
    const { problems, records } = validateSheet('students', { header: studentHeader.filter((h) => h !== '身份证号'), rows: [studentRow(2)] }, ctx);
    expect(records).toEqual([]);
    expect(localizeProblems(problems, 'zh-CN')).toEqual([{ row: 1, column: '身份证号', message: '缺少“身份证号”列' }]);
  });
});

describe('validateSheet: text PostgreSQL cannot store', () => {
  it('refuses a cell holding a NUL character, naming its row and column', () => {
    const sheet: RawSheet = { header: studentHeader, rows: [studentRow(2, { name: '张\u0000三' })] };
    const { records, problems } = validateSheet('students', sheet, ctx);
    expect(records).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ row: 2, column: { zh: '姓名', en: 'Name' }, en: 'must not contain a NUL character (\\u0000)' })]);
  });
});

describe('validateSheet: high schools and plans', () => {
  const header = IMPORT_COLUMNS['high-schools'].map((c) => c.zh);
  const row = (rowNumber: number, v: Partial<Record<string, string>>) => ({
    rowNumber,
    cells: IMPORT_COLUMNS['high-schools'].map((c) => ({ id: 'H01', name: '一中', regionCode: 'HT', ownership: '公办', scope: '全市', quality: '是', capacity: '550', classes: '10', batch: '1', quotaPercent: '50', ...v })[c.key] ?? ''),
  });

  it('applies the plan rules to each row', () => {
    const { problems, records } = validateSheet('high-schools', { header, rows: [row(2, {}), row(3, { id: 'H02', capacity: '600' }), row(4, { id: 'H03', ownership: '国有' })] }, ctx);
    expect(records.map((r) => r.id)).toEqual(['H01']);
    const zh = localizeProblems(problems, 'zh-CN');
    expect(zh).toEqual([
      { row: 3, column: '计划人数', message: expect.stringContaining('不得超过 55 人') },
      { row: 4, column: '办学性质', message: '“国有”应为“公办”或“民办”' },
    ]);
  });
});

describe('helpers', () => {
  it('parses dates strictly', () => {
    expect(parseDate('2022/9/1')).toBe('2022-09-01');
    expect(parseDate('2022-02-30')).toBeNull();
    expect(parseDate('yesterday')).toBeNull();
  });
  it('checks ID numbers with the check character', () => {
    const good = idCard('43020220090101123');
    expect(isValidIdCardNo(good)).toBe(true);
    expect(isValidIdCardNo(good.slice(0, 17) + (good[17] === '0' ? '1' : '0'))).toBe(false);
  });
  it('reads a 学籍 history or returns the unreadable part', () => {
    expect(parseHistory('J1:2022-09-01~2023-01-01；J2:2023-01-01~')).toEqual([
      { juniorSchoolId: 'J1', from: '2022-09-01', to: '2023-01-01' },
      { juniorSchoolId: 'J2', from: '2023-01-01', to: null },
    ]);
    expect(parseHistory('J1 from 2022')).toBe('J1 from 2022');
  });
  it('matches English headers and field keys too', () => {
    const { index, problems } = matchHeader('regions', ['Region code', 'name', ' 英文名称 ']);
    expect(problems).toEqual([]);
    expect([...index.keys()]).toEqual(['code', 'name', 'nameEn']);
  });
});
