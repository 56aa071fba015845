/**
 * The admission list (录取名单) of a high school after a round is published:
 * pure filtering, the spreadsheet rows of its Excel export, and the guard that
 * keeps a cell from being read as a formula by Excel (CSV/formula injection).
 */

import { SUBJECT_NAMES } from '../applications/tie-break';

export type SeatKind = 'open' | 'quota' | 'reverted';
export type ConfirmationStatus = 'confirmed' | 'declined' | 'pending';
/** The round that gave the row: 第一轮 (main) or 补录 (supplementary). */
export type AdmissionRound = 'main' | 'supplementary';

export interface AdmissionRow {
  /** Unique in a list: a student declined in round 1 and placed again in 补录 has two rows. */
  key: string;
  round: AdmissionRound;
  /**
   * 校内位次: the row's place in the school's list by the round's priority
   * order (total, then the policy's tie-break keys, then exam number), 1 first.
   */
  rank: number;
  examNo: string;
  name: string;
  gender: 'male' | 'female';
  /** 身份证号, masked (first 6 and last 4 characters) — never the full number. */
  idCardMasked: string;
  juniorSchool: { id: string; name: string };
  region: { code: string; name: string };
  seat: SeatKind;
  batch: number | null;
  scores: Record<string, number | null>;
  total: number;
  evaluation: string;
  /** Round 1: the student's answer (pending while silent); 补录: null, a 补录 seat needs no confirmation. */
  confirmation: ConfirmationStatus | null;
  /** Counts in 录取人数: a round-1 seat not given up (declined, or silent where silence declines), or a 补录 seat. */
  holdsSeat: boolean;
  registered: boolean;
}

export interface AdmissionFilter {
  seat?: SeatKind;
  round?: AdmissionRound;
  juniorSchoolId?: string;
  regionCode?: string;
  confirmation?: ConfirmationStatus;
  /** The start of the exam number (准考证号), or part of the name. */
  q?: string;
}

/** Orders of the list: by round then rank (the default), rank alone, total, name (pinyin order) or junior school. */
export type AdmissionSort = 'round' | 'rank' | 'score' | 'name' | 'junior';
export type SortOrder = 'asc' | 'desc';

export interface AdmissionQuery extends AdmissionFilter {
  sort?: AdmissionSort;
  order?: SortOrder;
  offset?: number;
  limit?: number;
}

/** Rows a page holds unless asked otherwise, and at most. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Whether a row passes every given filter. */
export function matchesFilter(row: AdmissionRow, filter: AdmissionFilter): boolean {
  const q = filter.q?.trim().toLowerCase();
  return (
    (!filter.seat || row.seat === filter.seat) &&
    (!filter.round || row.round === filter.round) &&
    (!filter.juniorSchoolId || row.juniorSchool.id === filter.juniorSchoolId) &&
    (!filter.regionCode || row.region.code === filter.regionCode) &&
    (!filter.confirmation || row.confirmation === filter.confirmation) &&
    (!q || row.examNo.toLowerCase().startsWith(q) || row.name.toLowerCase().includes(q))
  );
}

const roundOrder = (round: AdmissionRound) => (round === 'main' ? 0 : 1);
const collator = new Intl.Collator('zh-CN');

/** The comparator of a sort, ascending; ties fall back to rank, then the row key, so every order is total. */
function comparator(sort: AdmissionSort): (a: AdmissionRow, b: AdmissionRow) => number {
  switch (sort) {
    case 'rank':
      return () => 0;
    case 'score':
      // Ascending means lowest total first; rank already orders equal totals.
      return (a, b) => a.total - b.total;
    case 'name':
      return (a, b) => collator.compare(a.name, b.name);
    case 'junior':
      return (a, b) => collator.compare(a.juniorSchool.name, b.juniorSchool.name) || (a.juniorSchool.id < b.juniorSchool.id ? -1 : a.juniorSchool.id > b.juniorSchool.id ? 1 : 0);
    default:
      return (a, b) => roundOrder(a.round) - roundOrder(b.round);
  }
}

/** Pure: the rows in a sort order. `desc` reverses the chosen key; rank breaks ties in its own order (best first). */
export function sortAdmissions(rows: readonly AdmissionRow[], sort: AdmissionSort = 'round', order: SortOrder = 'asc'): AdmissionRow[] {
  const primary = comparator(sort);
  const dir = order === 'desc' ? -1 : 1;
  // Rank itself is the key of `rank`: desc reverses it; for every other key rank stays best first.
  const rankDir = sort === 'rank' ? dir : 1;
  return [...rows].sort((a, b) => dir * primary(a, b) || rankDir * (a.rank - b.rank) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Rows matching every given filter, round 1 first then 补录, each in priority order. */
export function filterAdmissions(rows: readonly AdmissionRow[], filter: AdmissionFilter): AdmissionRow[] {
  return sortAdmissions(
    rows.filter((row) => matchesFilter(row, filter)),
    'round',
  );
}

/** One page of the list and how many rows match in all. */
export interface AdmissionPage {
  total: number;
  offset: number;
  limit: number;
  items: AdmissionRow[];
}

/** Pure: the filtered, sorted page a query asks for (limit clamped to 1..MAX_PAGE_SIZE). */
export function queryAdmissions(rows: readonly AdmissionRow[], query: AdmissionQuery): AdmissionPage {
  const matching = sortAdmissions(
    rows.filter((row) => matchesFilter(row, query)),
    query.sort,
    query.order,
  );
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
  return { total: matching.length, offset, limit, items: matching.slice(offset, offset + limit) };
}

/** Every row a query selects, in its order, without paging (the export). */
export function exportRows(rows: readonly AdmissionRow[], query: AdmissionQuery): AdmissionRow[] {
  return sortAdmissions(
    rows.filter((row) => matchesFilter(row, query)),
    query.sort,
    query.order,
  );
}

/**
 * Pure: 校内位次 for each row, by the priority order of ALLOCATION.md §2.1
 * as far as it can be told from the list (total, then each tie-break value,
 * then exam number for the lottery and the id). `tieBreakOf` gives a row's
 * values (higher is better, -Infinity when missing).
 */
export function rankRows<R extends Omit<AdmissionRow, 'rank'>>(rows: readonly R[], tieBreakOf: (row: R) => readonly number[]): (R & { rank: number })[] {
  const values = new Map(rows.map((r) => [r, tieBreakOf(r)]));
  const ordered = [...rows].sort((a, b) => {
    if (a.total !== b.total) return b.total - a.total;
    const va = values.get(a)!;
    const vb = values.get(b)!;
    for (let i = 0; i < Math.max(va.length, vb.length); i++) {
      const x = va[i] ?? -Infinity;
      const y = vb[i] ?? -Infinity;
      if (x !== y) return y - x;
    }
    return a.examNo < b.examNo ? -1 : a.examNo > b.examNo ? 1 : roundOrder(a.round) - roundOrder(b.round);
  });
  const rankOf = new Map(ordered.map((r, i) => [r, i + 1]));
  return rows.map((r) => ({ ...r, rank: rankOf.get(r)! }));
}

/**
 * Counts for the summary line, the year as it stands: `total`
 * (录取人数) and the seat types count the seats held (round-1 seats kept plus
 * 补录 placements); the answers count round-1 rows; `supplementary` the 补录 rows.
 */
export function summarizeAdmissions(rows: readonly Pick<AdmissionRow, 'round' | 'holdsSeat' | 'seat' | 'confirmation' | 'registered'>[]) {
  const summary = { total: 0, open: 0, quota: 0, reverted: 0, main: 0, supplementary: 0, confirmed: 0, declined: 0, pending: 0, registered: 0 };
  for (const row of rows) {
    summary[row.round] += 1;
    if (row.holdsSeat) {
      summary.total += 1;
      summary[row.seat] += 1;
    }
    if (row.confirmation) summary[row.confirmation] += 1;
    if (row.registered) summary.registered += 1;
  }
  return summary;
}

/** A cutoff by seat category: the lowest-priority holder's total and city rank (Round.result.schools[H].cutoffs). */
export interface CutoffView {
  total: number;
  rank: number;
}

/** Cutoffs per seat type of round 1, and the seats held as the year stands. */
export interface SchoolCutoffsView {
  capacity: number | null;
  admitted: number;
  lowestTotal: number | null;
  open: CutoffView | null;
  reverted: CutoffView | null;
  quota: { juniorSchoolId: string; juniorSchoolName: string; total: number; rank: number; used: number | null }[];
}

/** The part of a round's result for one school that the summary reads (Round.result.schools[H]). */
export interface SchoolResultPart {
  capacity?: number;
  quotaUsed?: Record<string, number>;
  cutoffs?: { open?: { total?: unknown; rank?: unknown }; reverted?: { total?: unknown; rank?: unknown }; quota?: Record<string, { total?: unknown; rank?: unknown }> };
}

function cutoffOf(view: { total?: unknown; rank?: unknown } | undefined): CutoffView | null {
  return view && typeof view.total === 'number' ? { total: view.total, rank: typeof view.rank === 'number' ? view.rank : 0 } : null;
}

export type AdmissionSummary = ReturnType<typeof summarizeAdmissions> & { cutoffs: SchoolCutoffsView | null };

/**
 * Pure, the one home of a school's summary: the counts of the year as it
 * stands and round 1's cutoffs per seat type (quota per junior school, named
 * by `juniorNames`). Everything it reads is fixed at publication but the
 * answers, so it can be stored then and refreshed on each answer.
 */
export function schoolAdmissionSummary(
  rows: readonly Pick<AdmissionRow, 'round' | 'holdsSeat' | 'seat' | 'confirmation' | 'registered' | 'total'>[],
  result: SchoolResultPart | null,
  juniorNames: ReadonlyMap<string, string>,
  published: boolean,
): AdmissionSummary {
  const counts = summarizeAdmissions(rows);
  if (!published) return { ...counts, cutoffs: null };
  const c = result?.cutoffs ?? {};
  let lowestTotal: number | null = null;
  for (const r of rows) if (r.holdsSeat && (lowestTotal === null || r.total < lowestTotal)) lowestTotal = r.total;
  const quota = Object.entries(c.quota ?? {})
    .map(([juniorSchoolId, view]) => ({ juniorSchoolId, view: cutoffOf(view) }))
    .filter((q): q is { juniorSchoolId: string; view: CutoffView } => q.view !== null)
    .map(({ juniorSchoolId, view }) => ({
      juniorSchoolId,
      juniorSchoolName: juniorNames.get(juniorSchoolId) ?? juniorSchoolId,
      total: view.total,
      rank: view.rank,
      used: result?.quotaUsed?.[juniorSchoolId] ?? null,
    }))
    .sort((a, b) => b.total - a.total || (a.juniorSchoolId < b.juniorSchoolId ? -1 : 1));
  return {
    ...counts,
    cutoffs: {
      capacity: typeof result?.capacity === 'number' ? result.capacity : null,
      // The year as it stands, not round 1's count: declines leave, 补录 placements join.
      admitted: counts.total,
      lowestTotal,
      open: cutoffOf(c.open),
      reverted: cutoffOf(c.reverted),
      quota,
    },
  };
}

/** Characters that make Excel, LibreOffice or WPS treat a cell as a formula or a command. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A value safe to put in a spreadsheet cell: a string starting with
 * = + - @ tab or CR gets a leading apostrophe, so it is shown as text and
 * never evaluated. Numbers stay numbers.
 */
export function neutralizeCell<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

export type ExportLang = 'zh-CN' | 'en';

const LABELS = {
  'zh-CN': {
    index: '序号',
    examNo: '准考证号',
    name: '姓名',
    gender: '性别',
    idCard: '身份证号（脱敏）',
    junior: '初中学校',
    seat: '录取类型',
    round: '录取轮次',
    main: '第一轮',
    supplementary: '补录',
    batch: '批次',
    total: '总分',
    evaluation: '综合素质评价',
    confirmation: '确认状态',
    registered: '报到注册',
    male: '男',
    female: '女',
    open: '统招',
    quota: '指标生',
    reverted: '指标回流',
    confirmed: '已确认',
    declined: '已放弃',
    pending: '未确认',
    none: '补录无需确认',
    yes: '已注册',
    no: '未注册',
  },
  en: {
    index: 'No.',
    examNo: 'Exam number',
    name: 'Name',
    gender: 'Gender',
    idCard: 'ID number (masked)',
    junior: 'Junior school',
    seat: 'Seat type',
    round: 'Round',
    main: 'Round 1',
    supplementary: 'Supplementary',
    batch: 'Batch',
    total: 'Total',
    evaluation: 'Evaluation',
    confirmation: 'Confirmation',
    registered: 'Registered',
    male: 'Male',
    female: 'Female',
    open: 'Open',
    quota: 'Quota',
    reverted: 'Reverted quota',
    confirmed: 'Confirmed',
    declined: 'Declined',
    pending: 'Pending',
    none: 'Not required (supplementary)',
    yes: 'Yes',
    no: 'No',
  },
} as const;

/** Subject names of the usual score keys, in the order they are shown; other keys follow alphabetically. */
const SUBJECTS = SUBJECT_NAMES;

/** The score keys present in any row: known subjects first in their usual order, then the rest. */
export function scoreKeys(rows: readonly AdmissionRow[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.scores)) keys.add(key);
  const known = Object.keys(SUBJECTS).filter((k) => keys.has(k));
  const other = [...keys].filter((k) => !(k in SUBJECTS)).sort();
  return [...known, ...other];
}

/**
 * The header and the rows of the exported sheet, every cell neutralized.
 * Pure, so the export's content is tested without a workbook.
 */
export function admissionSheet(rows: readonly AdmissionRow[], lang: ExportLang): { header: string[]; rows: (string | number | null)[][] } {
  const l = LABELS[lang];
  const subjects = scoreKeys(rows);
  const header = [
    l.index,
    l.examNo,
    l.name,
    l.gender,
    l.idCard,
    l.junior,
    l.seat,
    l.round,
    l.batch,
    ...subjects.map((key) => SUBJECTS[key]?.[lang] ?? key),
    l.total,
    l.evaluation,
    l.confirmation,
    l.registered,
  ].map((cell) => String(neutralizeCell(cell)));
  const body = rows.map((row, i) =>
    [
      i + 1,
      row.examNo,
      row.name,
      l[row.gender],
      row.idCardMasked,
      row.juniorSchool.name,
      l[row.seat],
      l[row.round],
      row.batch,
      ...subjects.map((key) => row.scores[key] ?? null),
      row.total,
      row.evaluation,
      l[row.confirmation ?? 'none'],
      row.registered ? l.yes : l.no,
    ].map((cell) => neutralizeCell(cell)),
  );
  return { header, rows: body };
}
