/**
 * The admission list (录取名单) of a high school after a round is published:
 * pure filtering, the spreadsheet rows of its Excel export, and the guard that
 * keeps a cell from being read as a formula by Excel (CSV/formula injection).
 */

export type SeatKind = 'open' | 'quota' | 'reverted';
export type ConfirmationStatus = 'confirmed' | 'declined' | 'pending';
/** The round that gave the row: 第一轮 (main) or 补录 (supplementary). */
export type AdmissionRound = 'main' | 'supplementary';

export interface AdmissionRow {
  /** Unique in a list: a student declined in round 1 and placed again in 补录 has two rows. */
  key: string;
  round: AdmissionRound;
  examNo: string;
  name: string;
  gender: 'male' | 'female';
  /** 身份证号, masked (first 6 and last 4 characters) — never the full number. */
  idCardMasked: string;
  juniorSchool: { id: string; name: string };
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
  juniorSchoolId?: string;
  confirmation?: ConfirmationStatus;
  /** Part of the name or of the exam number (准考证号). */
  q?: string;
}

/** Rows matching every given filter: round 1 first, then 补录, each in priority order (total high first, then exam number). */
export function filterAdmissions(rows: readonly AdmissionRow[], filter: AdmissionFilter): AdmissionRow[] {
  const q = filter.q?.trim().toLowerCase();
  return rows
    .filter(
      (row) =>
        (!filter.seat || row.seat === filter.seat) &&
        (!filter.juniorSchoolId || row.juniorSchool.id === filter.juniorSchoolId) &&
        (!filter.confirmation || row.confirmation === filter.confirmation) &&
        (!q || row.name.toLowerCase().includes(q) || row.examNo.toLowerCase().includes(q)),
    )
    .sort((a, b) => roundOrder(a.round) - roundOrder(b.round) || b.total - a.total || (a.examNo < b.examNo ? -1 : a.examNo > b.examNo ? 1 : 0));
}

const roundOrder = (round: AdmissionRound) => (round === 'main' ? 0 : 1);

/**
 * Counts for the cards above the list, the year as it stands: `total`
 * (录取人数) and the seat types count the seats held (round-1 seats kept plus
 * 补录 placements); the answers count round-1 rows; `supplementary` the 补录 rows.
 */
export function summarizeAdmissions(rows: readonly AdmissionRow[]) {
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
const SUBJECTS: Record<string, { 'zh-CN': string; en: string }> = {
  chinese: { 'zh-CN': '语文', en: 'Chinese' },
  math: { 'zh-CN': '数学', en: 'Math' },
  english: { 'zh-CN': '英语', en: 'English' },
  physics: { 'zh-CN': '物理', en: 'Physics' },
  chemistry: { 'zh-CN': '化学', en: 'Chemistry' },
  politics: { 'zh-CN': '道德与法治', en: 'Politics' },
  history: { 'zh-CN': '历史', en: 'History' },
  geography: { 'zh-CN': '地理', en: 'Geography' },
  biology: { 'zh-CN': '生物', en: 'Biology' },
  pe: { 'zh-CN': '体育', en: 'PE' },
};

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
