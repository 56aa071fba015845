import { describe, expect, it } from 'vitest';
import { decideRegistration, latestPlacement, parseExamNumberRows } from './registrations';

describe('decideRegistration', () => {
  const student = { id: 's1' };
  it('accepts a student placed at this school who did not decline', () => {
    expect(decideRegistration('H1', student, { highSchoolId: 'H1', roundId: 'r', decision: null })).toEqual({ accepted: true, studentId: 's1' });
    expect(decideRegistration('H1', student, { highSchoolId: 'H1', roundId: 'r', decision: 'confirmed' }).accepted).toBe(true);
  });
  it('refuses with the reason otherwise', () => {
    expect(decideRegistration('H1', null, null)).toEqual({ accepted: false, studentId: null, reason: 'unknown_student' });
    expect(decideRegistration('H1', student, null)).toEqual({ accepted: false, studentId: 's1', reason: 'not_admitted' });
    expect(decideRegistration('H1', student, { highSchoolId: 'H2', roundId: 'r', decision: 'confirmed' })).toEqual({
      accepted: false,
      studentId: 's1',
      reason: 'admitted_elsewhere',
    });
    expect(decideRegistration('H1', student, { highSchoolId: 'H1', roundId: 'r', decision: 'declined' })).toMatchObject({ reason: 'declined' });
  });
});

describe('latestPlacement', () => {
  it('takes the latest published one', () => {
    const a = { id: 'a', publishedAt: new Date('2026-07-01') };
    const b = { id: 'b', publishedAt: new Date('2026-07-20') };
    expect(latestPlacement([a, b])?.id).toBe('b');
    expect(latestPlacement([b, a])?.id).toBe('b');
    expect(latestPlacement([])).toBeNull();
  });
});

describe('parseExamNumberRows', () => {
  it('finds the 准考证号 column by its header', () => {
    const parsed = parseExamNumberRows([
      ['姓名', '准考证号'],
      ['张三', ' 2025001 '],
      ['', ''],
      ['李四', '2025002'],
    ]);
    expect(parsed.entries).toEqual([
      { row: 2, examNo: '2025001' },
      { row: 4, examNo: '2025002' },
    ]);
    expect(parsed.problems).toEqual([]);
  });
  it('takes the first column of a list without header', () => {
    expect(parseExamNumberRows([['2025001'], ['2025002']]).entries.map((e) => e.examNo)).toEqual(['2025001', '2025002']);
  });
  it('reports duplicates and malformed numbers with their row', () => {
    const parsed = parseExamNumberRows([['exam no'], ['2025001'], ['2025001'], ['=cmd|x']]);
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.problems.map((p) => p.row)).toEqual([3, 4]);
    expect(parsed.problems[0].message['zh-CN']).toContain('第 2 行');
  });
  it('masks an ID number pasted into the column when it echoes the value', () => {
    const id = '43020220090101123X';
    const parsed = parseExamNumberRows([['准考证号'], [`身份证 ${id}`], [id], [id]]);
    const messages = parsed.problems.map((p) => `${p.message['zh-CN']} ${p.message.en}`).join('\n');
    expect(parsed.problems.map((p) => p.row)).toEqual([2, 4]);
    expect(messages).not.toContain(id);
    expect(messages).toContain('430202********123X');
  });
  it('refuses a file without an exam number column or without data', () => {
    expect(parseExamNumberRows([['姓名', '学校'], ['张三', 'x']]).problems[0].message.en).toContain('column');
    expect(parseExamNumberRows([]).problems).toHaveLength(1);
    expect(parseExamNumberRows([['准考证号']]).problems[0].message.en).toContain('no exam numbers');
  });
});
