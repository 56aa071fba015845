import { describe, expect, it } from 'vitest';
import { admissionSheet, filterAdmissions, neutralizeCell, summarizeAdmissions, type AdmissionRow } from './admission-list';

function row(overrides: Partial<AdmissionRow>): AdmissionRow {
  return {
    key: `main:${overrides.examNo ?? 'E1'}`,
    round: 'main',
    examNo: 'E1',
    name: '张三',
    gender: 'male',
    idCardMasked: '430202********1234',
    juniorSchool: { id: 'J1', name: '一中' },
    seat: 'open',
    batch: 1,
    scores: { chinese: 100, math: 110 },
    total: 600,
    evaluation: 'A',
    confirmation: 'pending',
    holdsSeat: overrides.confirmation !== 'declined',
    registered: false,
    ...overrides,
  };
}

const rows = [
  row({ examNo: 'E1', total: 590 }),
  row({ examNo: 'E2', name: '李四', seat: 'quota', juniorSchool: { id: 'J2', name: '二中' }, confirmation: 'confirmed', total: 610 }),
  row({ examNo: 'E3', name: '王五', seat: 'reverted', confirmation: 'declined', total: 590, registered: true }),
];
/** E3 declined round 1 here, then won a 补录 seat here; E4 came by 补录 only. */
const year = [
  ...rows,
  row({ key: 'supplementary:E3', round: 'supplementary', examNo: 'E3', name: '王五', seat: 'open', confirmation: null, holdsSeat: true, total: 590 }),
  row({ key: 'supplementary:E4', round: 'supplementary', examNo: 'E4', seat: 'open', confirmation: null, holdsSeat: true, total: 620 }),
];

describe('filterAdmissions', () => {
  it('filters by seat, junior school, confirmation and search, sorted by total then exam number', () => {
    expect(filterAdmissions(rows, {}).map((r) => r.examNo)).toEqual(['E2', 'E1', 'E3']);
    expect(filterAdmissions(rows, { seat: 'quota' }).map((r) => r.examNo)).toEqual(['E2']);
    expect(filterAdmissions(rows, { juniorSchoolId: 'J1' }).map((r) => r.examNo)).toEqual(['E1', 'E3']);
    expect(filterAdmissions(rows, { confirmation: 'declined' }).map((r) => r.examNo)).toEqual(['E3']);
    expect(filterAdmissions(rows, { q: '李' }).map((r) => r.examNo)).toEqual(['E2']);
    expect(filterAdmissions(rows, { q: 'e3' }).map((r) => r.examNo)).toEqual(['E3']);
    expect(filterAdmissions(rows, { seat: 'open', confirmation: 'confirmed' })).toEqual([]);
  });
  it('lists round 1 before 补录, and a 补录 row matches no confirmation filter', () => {
    expect(filterAdmissions(year, {}).map((r) => r.key)).toEqual(['main:E2', 'main:E1', 'main:E3', 'supplementary:E4', 'supplementary:E3']);
    expect(filterAdmissions(year, { confirmation: 'declined' }).map((r) => r.key)).toEqual(['main:E3']);
  });
  it('counts the seats held: a declined round-1 seat does not count, a 补录 seat does', () => {
    expect(summarizeAdmissions(rows)).toEqual({ total: 2, open: 1, quota: 1, reverted: 0, main: 3, supplementary: 0, confirmed: 1, declined: 1, pending: 1, registered: 1 });
    expect(summarizeAdmissions(year)).toMatchObject({ total: 4, open: 3, quota: 1, reverted: 0, main: 3, supplementary: 2, declined: 1 });
  });
});

describe('neutralizeCell', () => {
  it('prefixes formula-looking strings with an apostrophe and leaves the rest', () => {
    for (const bad of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) expect(neutralizeCell(bad)).toBe(`'${bad}`);
    expect(neutralizeCell('张三')).toBe('张三');
    expect(neutralizeCell(-5)).toBe(-5);
    expect(neutralizeCell(null)).toBeNull();
  });
});

describe('admissionSheet', () => {
  it('has one row per student with neutralized text and labels in the language', () => {
    const sheet = admissionSheet([row({ name: '=HYPERLINK("http://x")' })], 'zh-CN');
    expect(sheet.header).toEqual(['序号', '准考证号', '姓名', '性别', '身份证号（脱敏）', '初中学校', '录取类型', '录取轮次', '批次', '语文', '数学', '总分', '综合素质评价', '确认状态', '报到注册']);
    expect(sheet.rows[0]).toEqual([1, 'E1', '\'=HYPERLINK("http://x")', '男', '430202********1234', '一中', '统招', '第一轮', 1, 100, 110, 600, 'A', '未确认', '未注册']);
    expect(admissionSheet(year, 'zh-CN').rows[4].slice(6, 8)).toEqual(['统招', '补录']);
    expect(admissionSheet(year, 'zh-CN').rows[4][13]).toBe('补录无需确认');
    expect(admissionSheet(rows, 'en').rows.map((r) => r[6])).toEqual(['Open', 'Quota', 'Reverted quota']);
  });
});

import { applicationState, countStates } from './junior-status';

describe('applicationState', () => {
  it('maps stored statuses to what a junior school follows', () => {
    expect(applicationState(null)).toBe('not_started');
    expect(applicationState('draft')).toBe('saved');
    expect(applicationState('submitted')).toBe('final');
    expect(applicationState('frozen')).toBe('final');
    expect(countStates(['final', 'saved', 'not_started', 'final'])).toEqual({ total: 4, not_started: 1, saved: 1, final: 2 });
  });
});
