import { describe, expect, it } from 'vitest';
import {
  admissionSheet,
  exportRows,
  filterAdmissions,
  neutralizeCell,
  queryAdmissions,
  rankRows,
  schoolAdmissionSummary,
  sortAdmissions,
  summarizeAdmissions,
  type AdmissionRow,
} from './admission-list';

function row(overrides: Partial<AdmissionRow>): AdmissionRow {
  return {
    key: `main:${overrides.examNo ?? 'E1'}`,
    round: 'main',
    rank: 0,
    examNo: 'E1',
    name: '张三',
    gender: 'male',
    idCardMasked: '430202********1234',
    juniorSchool: { id: 'J1', name: '一中' },
    region: { code: 'HT', name: '荷塘区' },
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

/** Ranks as the service gives them: total, then the tie-break values (here one: math), then exam number. */
const ranked = (list: AdmissionRow[]) => rankRows(list, (r) => [r.scores.math ?? -Infinity]);
const rows = ranked([
  row({ examNo: 'E1', total: 590 }),
  row({ examNo: 'E2', name: '李四', seat: 'quota', juniorSchool: { id: 'J2', name: '二中' }, region: { code: 'LL', name: '芦淞区' }, confirmation: 'confirmed', total: 610 }),
  row({ examNo: 'E3', name: '王五', seat: 'reverted', confirmation: 'declined', total: 590, registered: true }),
]);
/** E3 declined round 1 here, then won a 补录 seat here; E4 came by 补录 only. */
const year = ranked([
  ...rows,
  row({ key: 'supplementary:E3', round: 'supplementary', examNo: 'E3', name: '王五', seat: 'open', confirmation: null, holdsSeat: true, total: 590 }),
  row({ key: 'supplementary:E4', round: 'supplementary', examNo: 'E4', seat: 'open', confirmation: null, holdsSeat: true, total: 620 }),
]);

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
  it('filters by round and region; searches the start of the exam number, not its middle', () => {
    expect(filterAdmissions(year, { round: 'supplementary' }).map((r) => r.key)).toEqual(['supplementary:E4', 'supplementary:E3']);
    expect(filterAdmissions(year, { regionCode: 'LL' }).map((r) => r.key)).toEqual(['main:E2']);
    expect(filterAdmissions(year, { q: '3' })).toEqual([]);
  });
  it('counts the seats held: a declined round-1 seat does not count, a 补录 seat does', () => {
    expect(summarizeAdmissions(rows)).toEqual({ total: 2, open: 1, quota: 1, reverted: 0, main: 3, supplementary: 0, confirmed: 1, declined: 1, pending: 1, registered: 1 });
    expect(summarizeAdmissions(year)).toMatchObject({ total: 4, open: 3, quota: 1, reverted: 0, main: 3, supplementary: 2, declined: 1 });
  });
});

describe('ranks, sorts and pages', () => {
  it('ranks by total, then the tie-break values, then exam number', () => {
    const tied = rankRows(
      [row({ examNo: 'A', total: 600, scores: { math: 100 } }), row({ examNo: 'B', total: 600, scores: { math: 120 } }), row({ examNo: 'C', total: 700 }), row({ examNo: 'D', total: 600, scores: { math: 120 } })],
      (r) => [r.scores.math ?? -Infinity],
    );
    expect(Object.fromEntries(tied.map((r) => [r.examNo, r.rank]))).toEqual({ C: 1, B: 2, D: 3, A: 4 });
  });
  it('sorts by each key both ways, rank breaking ties', () => {
    const keys = (list: AdmissionRow[]) => list.map((r) => r.key);
    expect(keys(sortAdmissions(year, 'rank'))).toEqual(['supplementary:E4', 'main:E2', 'main:E1', 'main:E3', 'supplementary:E3']);
    expect(keys(sortAdmissions(year, 'rank', 'desc'))).toEqual(['supplementary:E3', 'main:E3', 'main:E1', 'main:E2', 'supplementary:E4']);
    expect(keys(sortAdmissions(year, 'score', 'desc'))).toEqual(['supplementary:E4', 'main:E2', 'main:E1', 'main:E3', 'supplementary:E3']);
    expect(keys(sortAdmissions(year, 'score', 'asc')).slice(0, 3)).toEqual(['main:E1', 'main:E3', 'supplementary:E3']);
    // Pinyin order: 李 (li) before 王 (wang) before 张 (zhang).
    expect(sortAdmissions(year, 'name').map((r) => r.name)).toEqual(['李四', '王五', '王五', '张三', '张三']);
    expect(sortAdmissions(year, 'name', 'desc').map((r) => r.name)).toEqual(['张三', '张三', '王五', '王五', '李四']);
    expect(sortAdmissions(year, 'junior').map((r) => r.juniorSchool.name)).toEqual(['二中', '一中', '一中', '一中', '一中']);
  });
  it('pages: total counts every matching row; limit is clamped to 1..200; an offset past the end is an empty page', () => {
    expect(queryAdmissions(year, { limit: 2 })).toMatchObject({ total: 5, offset: 0, limit: 2 });
    expect(queryAdmissions(year, { limit: 2, offset: 2 }).items.map((r) => r.key)).toEqual(['main:E3', 'supplementary:E4']);
    expect(queryAdmissions(year, { offset: 99 }).items).toEqual([]);
    expect(queryAdmissions(year, {}).limit).toBe(50);
    expect(queryAdmissions(year, { limit: 5000 }).limit).toBe(200);
    expect(queryAdmissions(year, { seat: 'open', limit: 1 })).toMatchObject({ total: 3 });
    expect(exportRows(year, { seat: 'open', sort: 'score', order: 'desc', limit: 1 }).map((r) => r.key)).toEqual(['supplementary:E4', 'main:E1', 'supplementary:E3']);
  });
  it('summarizes the whole list with round 1 cutoffs per seat type, quota named per junior school', () => {
    const result = {
      capacity: 10,
      quotaUsed: { J2: 1 },
      cutoffs: { open: { total: 590, rank: 30 }, quota: { J2: { total: 610, rank: 12 }, J9: { total: 'x' } } },
    };
    const summary = schoolAdmissionSummary(year, result, new Map([['J2', '二中']]), true);
    expect(summary).toMatchObject({ total: 4, main: 3, supplementary: 2 });
    expect(summary.cutoffs).toEqual({
      capacity: 10,
      admitted: 4,
      lowestTotal: 590,
      open: { total: 590, rank: 30 },
      reverted: null,
      quota: [{ juniorSchoolId: 'J2', juniorSchoolName: '二中', total: 610, rank: 12, used: 1 }],
    });
    expect(schoolAdmissionSummary([], null, new Map(), false).cutoffs).toBeNull();
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
