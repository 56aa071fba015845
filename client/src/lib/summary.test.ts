import { describe, expect, it } from 'vitest';
import { buildSummary, formatScalar, humanizeKey, type SummaryOptions } from './summary';

const zh: SummaryOptions = { locale: 'zh-CN', yes: '是', no: '否', empty: '—' };
const en: SummaryOptions = { locale: 'en', yes: 'Yes', no: 'No', empty: '—' };

describe('formatScalar', () => {
  it('formats booleans, numbers and missing values in the user language', () => {
    expect(formatScalar('open', true, zh)).toBe('是');
    expect(formatScalar('open', false, en)).toBe('No');
    expect(formatScalar('students', 45210, en)).toBe('45,210');
    expect(formatScalar('total', 612.5, zh)).toBe('612.5');
    expect(formatScalar('x', null, zh)).toBe('—');
    expect(formatScalar('x', '', zh)).toBe('—');
  });
  it('masks ID numbers by field name and by their look', () => {
    expect(formatScalar('idCard', '430202200901011234', zh)).toBe('430202********1234');
    expect(formatScalar('note', '430202200901011234', zh)).toBe('430202********1234');
  });
  it('shows timestamps on Beijing time', () => {
    expect(formatScalar('deadline', '2025-06-30T09:00:00Z', en)).toContain('5:00');
    expect(formatScalar('deadline', '2025-06-30T09:00:00Z', zh)).toContain('17:00');
  });
  it('leaves other strings alone', () => {
    expect(formatScalar('examNumber', '2025430201001', zh)).toBe('2025430201001');
    expect(formatScalar('phase', 'applications_open', zh)).toBe('applications_open');
  });
});

describe('buildSummary', () => {
  it('puts plain values first and turns arrays of objects into tables', () => {
    const tree = buildSummary(
      {
        quotaSeats: [
          { highSchool: '株洲市一中', seats: 12 },
          { highSchool: '株洲市二中', seats: 8, note: null },
        ],
        student: { name: '张三', idCard: '430202200901011234' },
        totalScore: 612,
      },
      zh,
    );
    expect(tree[0]).toEqual({ kind: 'text', key: 'totalScore', text: '612' });
    expect(tree[1]).toEqual({
      kind: 'table',
      key: 'quotaSeats',
      columns: ['highSchool', 'seats', 'note'],
      rows: [
        ['株洲市一中', '12', '—'],
        ['株洲市二中', '8', '—'],
      ],
    });
    expect(tree[2]).toEqual({
      kind: 'group',
      key: 'student',
      children: [
        { kind: 'text', key: 'name', text: '张三' },
        { kind: 'text', key: 'idCard', text: '430202********1234' },
      ],
    });
  });
  it('drops secrets wherever they are', () => {
    const tree = buildSummary({ passwordHash: 'x', user: { token: 'y', name: 'a' }, rows: [{ secret: 1, a: 2 }] }, en);
    expect(JSON.stringify(tree)).not.toMatch(/passwordHash|token|secret/);
  });
  it('marks deadlines so the UI can count down to them', () => {
    const [deadline] = buildSummary({ applicationDeadline: '2025-06-30T09:00:00Z' }, en);
    expect(deadline).toMatchObject({ kind: 'text', deadline: Date.parse('2025-06-30T09:00:00Z') });
  });
  it('lists arrays of plain values', () => {
    expect(buildSummary({ grades: ['A', 'B'] }, en)).toEqual([{ kind: 'list', key: 'grades', items: ['A', 'B'] }]);
  });
  it('stops nesting at a readable depth', () => {
    const tree = buildSummary({ a: { b: { c: { d: 1 } } } }, en);
    expect(tree).toEqual([
      { kind: 'group', key: 'a', children: [{ kind: 'group', key: 'b', children: [{ kind: 'text', key: 'c', text: 'd: 1' }] }] },
    ]);
  });
  it('wraps a non-object response', () => {
    expect(buildSummary('ok', en)).toEqual([{ kind: 'text', key: 'value', text: 'ok' }]);
  });
});

describe('buildSummary with records from the API', () => {
  const studentHome = {
    student: {
      id: 'cm3k2j9x00001abcdefghijkl',
      examNo: '2025430201001',
      name: '学生甲',
      juniorSchool: { id: 'J001', name: '株洲市第二中学初中部' },
      region: { code: '430202', name: '荷塘区', nameEn: 'Hetang District' },
      cycle: { year: 2025, name: '2025年株洲市高中阶段学校招生' },
    },
  };

  it('hides database ids but keeps codes people use', () => {
    const text = JSON.stringify(buildSummary(studentHome, zh));
    expect(text).not.toContain('cm3k2j9x00001abcdefghijkl');
    expect(buildSummary({ highSchool: { id: 'H01', name: '株洲市一中', ownership: 'public' } }, zh)).toEqual([
      {
        kind: 'group',
        key: 'highSchool',
        children: [
          { kind: 'text', key: 'id', text: 'H01' },
          { kind: 'text', key: 'name', text: '株洲市一中' },
          { kind: 'text', key: 'ownership', text: 'public' },
        ],
      },
    ]);
  });
  it('shows a reference to another record as its name, in the UI language', () => {
    const [student] = buildSummary(studentHome, en);
    expect(student).toEqual({
      kind: 'group',
      key: 'student',
      children: [
        { kind: 'text', key: 'examNo', text: '2025430201001' },
        { kind: 'text', key: 'name', text: '学生甲' },
        { kind: 'text', key: 'juniorSchool', text: '株洲市第二中学初中部' },
        { kind: 'text', key: 'region', text: 'Hetang District' },
        { kind: 'text', key: 'cycle', text: '2025年株洲市高中阶段学校招生' },
      ],
    });
    const [inChinese] = buildSummary(studentHome, zh);
    expect(inChinese).toMatchObject({ children: expect.arrayContaining([{ kind: 'text', key: 'region', text: '荷塘区' }]) });
  });
  it('picks name or nameEn at every level and in tables', () => {
    expect(buildSummary({ name: '荷塘区', nameEn: 'Hetang' }, en)).toEqual([{ kind: 'text', key: 'name', text: 'Hetang' }]);
    expect(buildSummary({ rows: [{ name: '荷塘区', nameEn: 'Hetang', seats: 3 }] }, zh)).toEqual([
      { kind: 'table', key: 'rows', columns: ['name', 'seats'], rows: [['荷塘区', '3']] },
    ]);
  });
  it('translates coded values', () => {
    const words: Record<string, string> = { 'ownership.private': '民办', 'scope.region': '属地招生' };
    const options = { ...zh, translateValue: (key: string, value: string) => words[`${key}.${value}`] };
    expect(buildSummary({ ownership: 'private', scope: 'region', name: 'private' }, options)).toEqual([
      { kind: 'text', key: 'ownership', text: '民办' },
      { kind: 'text', key: 'scope', text: '属地招生' },
      { kind: 'text', key: 'name', text: 'private' },
    ]);
  });
});

describe('humanizeKey', () => {
  it('splits camelCase and snake_case into words', () => {
    expect(humanizeKey('quotaSeats')).toBe('Quota seats');
    expect(humanizeKey('high_school_id')).toBe('High school id');
    expect(humanizeKey('totalAHSchools')).toBe('Total ah schools');
  });
});
