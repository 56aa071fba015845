import { describe, expect, it } from 'vitest';
import type { RawSheet } from '../imports/rows';
import { validateRegistrySheet } from './import';

const sheet = (header: string[], ...rows: string[][]): RawSheet => ({ header, rows: rows.map((cells, i) => ({ rowNumber: i + 2, cells })) });
const header = ['幼儿园代码', '幼儿园名称', '区县代码', '地址', '办园性质', '办学许可证号', '班级数', '在园幼儿数', '园长姓名', '专任教师', '收费标准'];

describe('the kindergarten import sheet', () => {
  it('reads lists of staff and fees', () => {
    const { records, problems } = validateRegistrySheet('kindergartens', sheet(header, ['k1', '甲园', 'HT', '路1号', '普惠性民办', 'L1', '1', '20', '王芳', '李甲:幼儿园教师资格证；李乙:无', '全日制:月:800;寄宿:学期:6000']), { regions: new Set(['HT']) });
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({ id: 'K1', nature: 'puhui_private', grade: 'ungraded', feeMonthlyMin: 800, staff: [{ role: 'teacher', name: '李甲' }, { role: 'teacher', name: '李乙', qualification: '无' }] });
  });

  it('names the row and the column of each problem', () => {
    const { problems } = validateRegistrySheet(
      'kindergartens',
      sheet(header, ['K1', '甲园', 'XX', '路', '公办', 'L', '1', '20', '王'], ['K2', '乙园', 'HT', '路', '教会', 'L', 'x', '20', '王', '', '全日制:周:8']),
      { regions: new Set(['HT']) },
    );
    expect(problems.map((p) => [p.row, p.column.zh])).toEqual([
      [2, '区县代码'],
      [3, '办园性质'],
      [3, '班级数'],
      [3, '收费标准'],
    ]);
  });

  it('refuses a missing column', () => {
    expect(validateRegistrySheet('preschool-population', sheet(['区县代码', '年份'], ['HT', '2026']), { regions: new Set(['HT']) }).problems[0]).toMatchObject({ row: 1, zh: '缺少“3-5周岁儿童数”列' });
  });
});
