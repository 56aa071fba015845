/**
 * Flag evidence in people's words: the JSON a rule stores (`admittedAt: H02`,
 * region codes, round and registration ids) becomes labelled facts with
 * names: schools, regions, students, junior schools, rounds. Rules that
 * write names themselves (the kindergarten_* rules) show them as written.
 *
 * Choice: the facts carry finished text in both languages (`{ zh, en }` for
 * the label and for the value), made here, on the server. The client shows
 * the language the user picked (switching needs no refetch), and a rule added
 * later (the kindergarten_* rules) is readable without a client release: its
 * keys get a label from KEY_LABELS or, failing that, a humanized key, and any
 * id found in the directory is shown by name. The raw evidence stays beside
 * the facts for the "technical details" view.
 *
 * Pure: the flag service collects the ids (`evidenceRefs`), resolves them with
 * one query per kind, and passes the names in.
 */
import { REFUSAL_MESSAGES, type RefusalReason } from '../registrations/registrations';

/** A text in both languages of the platform. */
export interface BilingualText {
  zh: string;
  en: string;
}

/** One labelled fact of a flag's evidence. */
export interface EvidenceFact {
  /** The evidence key it comes from (stable; for tests and styling). */
  key: string;
  label: BilingualText;
  /** Lists are one line per item (`\n`). */
  value: BilingualText;
}

/** Names of what evidence mentions, as they stood in the flag's year. */
export interface EvidenceNames {
  highSchools: ReadonlyMap<string, string>;
  juniorSchools: ReadonlyMap<string, string>;
  regions: ReadonlyMap<string, BilingualText>;
  /** By student id and by exam number. */
  students: ReadonlyMap<string, { name: string; examNo: string }>;
  rounds: ReadonlyMap<string, { kind: string; name: string | null; publishedAt: Date | null }>;
}

/** The ids a flag's evidence mentions, per kind: what to look up. */
export interface EvidenceRefs {
  highSchools: Set<string>;
  juniorSchools: Set<string>;
  regions: Set<string>;
  /** Student ids and exam numbers. */
  students: Set<string>;
  rounds: Set<string>;
}

export const emptyEvidenceNames = (): EvidenceNames => ({
  highSchools: new Map(),
  juniorSchools: new Map(),
  regions: new Map(),
  students: new Map(),
  rounds: new Map(),
});

type Kind = keyof EvidenceRefs;

/** Which directory a key's value points into, by the key's name (any rule, nested objects too). */
function kindOfKey(key: string): Kind | null {
  if (/^(registeredAt|admittedAt|publishedAt)$/.test(key) || /highSchool(Id)?s?$/i.test(key)) return 'highSchools';
  if (/juniorSchool(Id)?s?$/i.test(key)) return 'juniorSchools';
  if (/^region$|region(Code)?s?$/i.test(key)) return 'regions';
  if (/^(studentId|studentIds|examNo)$/.test(key)) return 'students';
  if (/roundId$/i.test(key)) return 'rounds';
  return null;
}

/** Pure: every id a flag's evidence (and its school and student lists) mentions, per kind. */
export function evidenceRefs(flags: readonly { evidence: unknown; highSchoolIds?: readonly string[]; studentIds?: readonly string[] }[]): EvidenceRefs {
  const refs: EvidenceRefs = { highSchools: new Set(), juniorSchools: new Set(), regions: new Set(), students: new Set(), rounds: new Set() };
  const visit = (value: unknown, kind: Kind | null) => {
    if (typeof value === 'string') {
      if (kind && value) refs[kind].add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, kind);
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, kindOfKey(key));
    }
  };
  for (const flag of flags) {
    visit(flag.evidence, null);
    for (const id of flag.highSchoolIds ?? []) refs.highSchools.add(id);
    for (const id of flag.studentIds ?? []) refs.students.add(id);
  }
  return refs;
}

const t = (zh: string, en: string): BilingualText => ({ zh, en });
const same = (text: string): BilingualText => ({ zh: text, en: text });
const DASH = same('—');

/** Labels of the keys the rules write (the six admission rules and common kindergarten ones). */
const KEY_LABELS: Record<string, BilingualText> = {
  student: t('学生', 'Student'),
  examNo: t('学生', 'Student'),
  unknownStudent: t('学生', 'Student'),
  registeredAt: t('注册学校', 'Registered at'),
  registeredSchoolRegion: t('注册学校所在区县', 'Region of that school'),
  studentRegion: t('学生所在区县', "Student's region"),
  admittedAt: t('录取学校', 'Admitted at'),
  admittedSchoolRegion: t('录取学校所在区县', 'Region of the admitting school'),
  admittedRoundId: t('录取轮次', 'Round'),
  accepted: t('注册结果', 'Registration'),
  registrations: t('注册记录', 'Registration records'),
  schoolScope: t('招生范围', 'Admission scope'),
  schoolRegion: t('学校所在区县', "School's region"),
  region: t('区县', 'Region'),
  topShare: t('尖子生范围', 'Top students'),
  topStudents: t('尖子生人数', 'Top students (count)'),
  thresholdScore: t('尖子生分数线', 'Top-student score line'),
  publishedOutflow: t('录取结果中的外流人数', 'Outflow in the published results'),
  registeredOutflow: t('实际注册的外流人数', 'Outflow in registrations'),
  excess: t('无法由录取结果解释的人数', 'Not explained by the results'),
  students: t('相关学生', 'Students'),
  cutoffDate: t('学籍截止日期', '学籍 cut-off date'),
  movedOn: t('学籍迁入日期', 'Moved on'),
  fromJuniorSchool: t('迁出初中', 'Moved from (junior school)'),
  fromQuotaSeats: t('迁出初中的指标生名额', 'Quota seats there'),
  toJuniorSchool: t('迁入初中', 'Moved to (junior school)'),
  toQuotaSeats: t('迁入初中的指标生名额', 'Quota seats there'),
  quotaEligible: t('指标生资格', 'Quota-eligible'),
  quotaSeatUsed: t('以指标生名额录取', 'Admitted on a quota seat'),
  school: t('被举报学校', 'School reported'),
  schoolName: t('举报中填写的校名', 'School as the family named it'),
  reports: t('举报次数', 'Reports'),
  complaints: t('群众举报', 'Reports from families'),
  confirmation: t('录取确认', 'Confirmation'),
  regionCodes: t('涉及区县', 'Regions involved'),
  // Common in other rules (kindergartens): labelled when present.
  kindergartenId: t('幼儿园', 'Kindergarten'),
  kindergarten: t('幼儿园', 'Kindergarten'),
  kindergartenName: t('幼儿园名称', 'Kindergarten'),
  name: t('名称', 'Name'),
  regionCode: t('区县', 'Region'),
  regionName: t('区县', 'Region'),
  highSchoolId: t('学校', 'School'),
  juniorSchoolId: t('初中', 'Junior school'),
  nature: t('办园性质', 'Nature'),
  words: t('涉及词语', 'Words found'),
  terms: t('涉及词语', 'Terms found'),
  matched: t('涉及词语', 'Found'),
  reason: t('原因', 'Reason'),
  reasons: t('原因', 'Reasons'),
  missing: t('缺少', 'Missing'),
  missingItems: t('缺少', 'Missing'),
  problems: t('问题', 'Problems'),
  items: t('事项', 'Items'),
  classes: t('班数', 'Classes'),
  children: t('幼儿人数', 'Children'),
  teachers: t('教师人数', 'Teachers'),
  carers: t('保育员人数', 'Carers'),
  deadline: t('整改期限', 'Deadline'),
  feeAccount: t('收费账户', 'Fee account'),
  headName: t('园长', 'Head'),
  note: t('说明', 'Note'),
};

/** Keys that only link records for machines: left to the technical details. */
const HIDDEN_KEYS = new Set(['registrationId', 'complaintId', 'studentId', 'studentIds', 'unknownStudent', 'dedupeKey']);

/** The facts of each known rule, in reading order; the other keys follow in their own order. */
const RULE_ORDER: Record<string, readonly string[]> = {
  enrolled_without_admission: ['student', 'registeredAt', 'registeredSchoolRegion', 'studentRegion', 'admittedAt', 'admittedSchoolRegion', 'admittedRoundId', 'accepted', 'registrations'],
  out_of_scope_enrollment: ['student', 'registeredAt', 'schoolScope', 'schoolRegion', 'studentRegion', 'accepted', 'registrations'],
  top_student_outflow: ['region', 'topShare', 'topStudents', 'thresholdScore', 'publishedOutflow', 'registeredOutflow', 'excess', 'students'],
  quota_eligibility_shopping: ['student', 'cutoffDate', 'movedOn', 'fromJuniorSchool', 'fromQuotaSeats', 'toJuniorSchool', 'toQuotaSeats', 'quotaEligible', 'quotaSeatUsed', 'admittedAt'],
  early_offer: ['school', 'schoolName', 'reports', 'complaints'],
  no_show_elsewhere: ['student', 'admittedAt', 'admittedRoundId', 'confirmation', 'registeredAt', 'accepted', 'registrations'],
};

/** `missingItems` -> `Missing items`: a label for a key nobody named. */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const labelOf = (key: string): BilingualText => KEY_LABELS[key] ?? same(humanizeKey(key));

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An ISO time as Beijing time (the platform's clock for people), to the minute. */
export function beijingTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
}

/** `name（id）`, or the id alone when the name is unknown. */
const named = (name: string | undefined, id: string): BilingualText => (name ? t(`${name}（${id}）`, `${name} (${id})`) : same(id));

function studentText(names: EvidenceNames, idOrExamNo: string, fallbackExamNo?: string): BilingualText {
  const s = names.students.get(idOrExamNo) ?? (fallbackExamNo ? names.students.get(fallbackExamNo) : undefined);
  if (s) return t(`${s.name}（准考证号 ${s.examNo}）`, `${s.name} (exam no. ${s.examNo})`);
  const examNo = fallbackExamNo ?? idOrExamNo;
  return t(`准考证号 ${examNo}`, `exam no. ${examNo}`);
}

function roundText(names: EvidenceNames, id: string): BilingualText {
  const round = names.rounds.get(id);
  if (!round) return same(id);
  const kind: Record<string, BilingualText> = { main: t('第一轮录取', 'Round 1'), supplementary: t('补录', 'Supplementary round (补录)'), simulation: t('模拟', 'Simulation') };
  const base = kind[round.kind] ?? same(round.kind);
  const when = round.publishedAt ? beijingTime(round.publishedAt.toISOString()).slice(0, 10) : null;
  return when ? t(`${base.zh}（${when} 公布）`, `${base.en} (published ${when})`) : base;
}

/** A value whose key says where it points, by name. */
function reference(kind: Kind, id: string, names: EvidenceNames): BilingualText {
  switch (kind) {
    case 'highSchools':
      return named(names.highSchools.get(id), id);
    case 'juniorSchools':
      return named(names.juniorSchools.get(id), id);
    case 'regions': {
      const region = names.regions.get(id);
      return region ? t(region.zh, region.en) : same(id);
    }
    case 'students':
      return studentText(names, id);
    case 'rounds':
      return roundText(names, id);
  }
}

const join = (texts: BilingualText[], zhSep: string, enSep: string): BilingualText =>
  texts.length === 0 ? DASH : t(texts.map((x) => x.zh).join(zhSep), texts.map((x) => x.en).join(enSep));

/** Any value, readable: ids by name where the key says what they are, yes/no, times, lists, objects as `label: value`. */
function generic(key: string, value: unknown, names: EvidenceNames): BilingualText {
  if (value === null || value === undefined || value === '') return DASH;
  if (typeof value === 'boolean') return value ? t('是', 'Yes') : t('否', 'No');
  if (typeof value === 'number') return same(Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100));
  if (typeof value === 'string') {
    if (ISO_TIME.test(value)) return same(beijingTime(value));
    const kind = kindOfKey(key);
    return kind ? reference(kind, value, names) : same(value);
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => generic(key, item, names));
    const nested = value.some((item) => item !== null && typeof item === 'object');
    return nested ? join(items, '\n', '\n') : join(items, '、', ', ');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => !HIDDEN_KEYS.has(k));
    // A name, when present, leads.
    entries.sort(([a], [b]) => Number(/name$/i.test(b)) - Number(/name$/i.test(a)));
    const parts = entries.map(([k, v]) => {
      const label = labelOf(k);
      const text = generic(k, v, names);
      return t(`${label.zh}：${text.zh}`, `${label.en}: ${text.en}`);
    });
    return join(parts, '，', '; ');
  }
  return same(String(value));
}

function registrationLines(value: unknown): BilingualText {
  if (!Array.isArray(value)) return DASH;
  const lines = value.map((r: { registeredAt?: string; accepted?: boolean; rejectionReason?: string | null }) => {
    const when = r.registeredAt ? beijingTime(r.registeredAt) : '';
    if (r.accepted) return t(`${when} 已注册`, `${when} registered`);
    const why = r.rejectionReason ? (REFUSAL_MESSAGES[r.rejectionReason as RefusalReason] ?? { 'zh-CN': r.rejectionReason, en: r.rejectionReason }) : null;
    return t(`${when} 注册被拒绝${why ? `（${why['zh-CN']}）` : ''}`, `${when} refused${why ? ` (${why.en})` : ''}`);
  });
  return join(lines, '\n', '\n');
}

/** The known keys whose text is not the generic one. */
function special(
  key: string,
  evidence: Record<string, unknown>,
  names: EvidenceNames,
  flag: { studentIds: readonly string[]; highSchoolIds: readonly string[] },
): BilingualText | undefined {
  const value = evidence[key];
  const { studentIds } = flag;
  switch (key) {
    case 'school':
      // The school the flag is about, when its evidence does not name it (early offers).
      return flag.highSchoolIds.length ? join(flag.highSchoolIds.map((id) => reference('highSchools', id, names)), '、', ', ') : undefined;
    case 'student': {
      const examNo = typeof evidence.examNo === 'string' ? evidence.examNo : undefined;
      if (evidence.unknownStudent) return t(`准考证号 ${examNo ?? '—'}（查无此考生）`, `exam no. ${examNo ?? '—'} (no such student)`);
      if (studentIds.length === 1) return studentText(names, studentIds[0], examNo);
      return examNo ? studentText(names, examNo) : undefined;
    }
    case 'accepted':
      return value ? t('学校已为其注册学籍', 'The school registered the student') : t('学校尝试注册，被平台拒绝', 'The school tried; the platform refused');
    case 'registrations':
      return registrationLines(value);
    case 'schoolScope':
      return value === 'region' ? t('限本区县（属地招生）', 'Own region only (local admission)') : value === 'city' ? t('全市', 'Whole city') : undefined;
    case 'topShare':
      return typeof value === 'number' ? t(`各区县总分前 ${Math.round(value * 1000) / 10}%`, `the best ${Math.round(value * 1000) / 10}% of each region`) : undefined;
    case 'thresholdScore':
      return typeof value === 'number' ? t(`总分 ${value} 分及以上`, `total ${value} or more`) : undefined;
    case 'confirmation':
      return value === 'declined' ? t('已放弃录取', 'Declined the seat') : value === 'none' ? t('未确认', 'Did not confirm') : undefined;
    case 'students':
      if (!Array.isArray(value)) return undefined;
      return join(
        value.map((s: { studentId?: string; examNo?: string; total?: number; registeredAt?: string; publishedAt?: string | null }) => {
          const who = studentText(names, s.studentId ?? s.examNo ?? '', s.examNo);
          const at = s.registeredAt ? reference('highSchools', s.registeredAt, names) : DASH;
          const placed = s.publishedAt ? reference('highSchools', s.publishedAt, names) : null;
          return t(
            `${who.zh}，总分 ${s.total ?? '—'}，注册于 ${at.zh}，${placed ? `录取于 ${placed.zh}` : '未被录取'}`,
            `${who.en}, total ${s.total ?? '—'}, registered at ${at.en}, ${placed ? `admitted at ${placed.en}` : 'not admitted'}`,
          );
        }),
        '\n',
        '\n',
      );
    case 'complaints':
      if (!Array.isArray(value)) return undefined;
      return join(
        value.map((c: { createdAt?: string; description?: string; studentName?: string | null }) => {
          const when = c.createdAt ? beijingTime(c.createdAt) : '';
          const who = c.studentName ? `${c.studentName}：` : '';
          return same(`${when} ${who}${c.description ?? ''}`.trim());
        }),
        '\n',
        '\n',
      );
    case 'admittedAt':
      return value === null ? t('未被录取', 'Not admitted') : undefined;
    default:
      return undefined;
  }
}

/**
 * Pure: a flag's evidence as labelled facts with names, known rules in their
 * reading order; any other rule's keys labelled (or humanized) with ids shown
 * by name. Keys that only link records (registration and complaint ids) are
 * left to the raw evidence.
 */
export function formatEvidence(
  flag: { rule: string; evidence: unknown; studentIds?: readonly string[]; highSchoolIds?: readonly string[] },
  names: EvidenceNames,
): EvidenceFact[] {
  const evidence = (flag.evidence && typeof flag.evidence === 'object' && !Array.isArray(flag.evidence) ? flag.evidence : {}) as Record<string, unknown>;
  const studentIds = flag.studentIds ?? [];
  const highSchoolIds = flag.highSchoolIds ?? [];
  const order = RULE_ORDER[flag.rule] ?? ('examNo' in evidence || studentIds.length > 0 ? ['student'] : []);
  const keys = [...order, ...Object.keys(evidence).filter((k) => !order.includes(k))];
  const facts: EvidenceFact[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (HIDDEN_KEYS.has(key) || seen.has(key)) continue;
    // `examNo` (and an unknown student) is told by the `student` fact.
    if (key === 'examNo' && order.includes('student')) continue;
    const derived = key === 'student' || key === 'school';
    if (!derived && !(key in evidence)) continue;
    seen.add(key);
    const value = special(key, evidence, names, { studentIds, highSchoolIds }) ?? (derived ? undefined : generic(key, evidence[key], names));
    if (value) facts.push({ key, label: labelOf(key), value });
  }
  return facts;
}
