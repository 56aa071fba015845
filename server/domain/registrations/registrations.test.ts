import { describe, expect, it } from 'vitest';
import { yearOfStudents } from '../admissions/year-placements';
import { decideRegistration, parseExamNumberRows, placementOf } from './registrations';

describe('decideRegistration', () => {
  const student = { id: 's1' };
  it('accepts a student holding a seat at this school: round 1 kept, or placed by 补录', () => {
    expect(decideRegistration('H1', student, { holds: 'H1', gaveUp: null })).toEqual({ accepted: true, studentId: 's1' });
    // Declined H1 in round 1, then placed at H1 again by 补录: the 补录 seat counts.
    expect(decideRegistration('H1', student, { holds: 'H1', gaveUp: 'H1' }).accepted).toBe(true);
    expect(decideRegistration('H2', student, { holds: 'H2', gaveUp: 'H1' }).accepted).toBe(true);
  });
  it('refuses with the reason otherwise', () => {
    expect(decideRegistration('H1', null, null)).toEqual({ accepted: false, studentId: null, reason: 'unknown_student' });
    expect(decideRegistration('H1', student, null)).toEqual({ accepted: false, studentId: 's1', reason: 'not_admitted' });
    expect(decideRegistration('H1', student, { holds: null, gaveUp: null })).toMatchObject({ reason: 'not_admitted' });
    expect(decideRegistration('H1', student, { holds: 'H2', gaveUp: null })).toEqual({ accepted: false, studentId: 's1', reason: 'admitted_elsewhere' });
    expect(decideRegistration('H1', student, { holds: null, gaveUp: 'H1' })).toMatchObject({ reason: 'declined' });
    expect(decideRegistration('H1', student, { holds: 'H2', gaveUp: 'H1' })).toMatchObject({ reason: 'declined' });
  });
});

describe('placementOf', () => {
  it('reads the seat held and the round-1 seat given up from the year', () => {
    const years = yearOfStudents(
      [
        { round: 'main', studentId: 'a', highSchoolId: 'H1', seat: 'open', batch: 1, decision: 'declined' },
        { round: 'supplementary', studentId: 'a', highSchoolId: 'H2', seat: 'open', batch: 1, decision: null },
        { round: 'main', studentId: 'b', highSchoolId: 'H1', seat: 'open', batch: 1, decision: null },
      ],
      { silenceIsDecline: true, confirmationOver: true },
    );
    expect(placementOf(years.get('a'))).toEqual({ holds: 'H2', gaveUp: 'H1' });
    expect(placementOf(years.get('b'))).toEqual({ holds: null, gaveUp: 'H1' });
    expect(placementOf(undefined)).toBeNull();
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
