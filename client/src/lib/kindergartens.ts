import type {
  Fee,
  FilingChanges,
  FilingField,
  KindergartenGrade,
  KindergartenNature,
  KindergartenOwnRecord,
  KindergartenQuery,
  PreschoolShares,
  StaffMember,
} from '../api/kindergartens';
import { PRESCHOOL_GOALS as GOALS } from '../../../server/domain/kindergartens/indicators';
import { KINDERGARTEN_GRADES, KINDERGARTEN_NATURES } from '../../../server/domain/kindergartens/types';

/** The natures, grades and preschool goals are the server domain's (server/domain/kindergartens): no copy here. */
export { KINDERGARTEN_GRADES, KINDERGARTEN_NATURES };
/** Qualification texts offered in the form (the server decides 'qualified' from the text). */
export const QUALIFICATION_EXAMPLES: Record<'head' | 'teacher' | 'carer', string[]> = {
  head: ['园长任职资格培训合格证'],
  teacher: ['幼儿园教师资格证', '小学教师资格证', '无'],
  carer: ['保育员证', '无'],
};
/** The fields a filing may change, in the form's order. */
export const FILING_FIELDS: FilingField[] = ['headName', 'headQualification', 'staff', 'fees', 'classes', 'children', 'address', 'feeAccount'];

/** Cards per page of the public list: a phone scrolls through them comfortably. */
export const PAGE_SIZE = 20;

/**
 * The goals of the city's preschool plan (株洲市学前教育发展提升行动计划 2023–2025):
 * 普惠性幼儿园覆盖率 ≥ 92%, 公办园在园幼儿占比 ≥ 58%, 毛入园率 ≥ 95%.
 */
export const PRESCHOOL_GOALS: Readonly<Record<keyof PreschoolShares, number>> = GOALS;
export const PRESCHOOL_INDICATORS = Object.keys(PRESCHOOL_GOALS) as (keyof PreschoolShares)[];

/** 'met' when a share reaches its goal, 'below' when not, 'none' without data. */
export function goalStatus(value: number | null | undefined, goal: number): 'met' | 'below' | 'none' {
  if (value === null || value === undefined || Number.isNaN(value)) return 'none';
  // Shares come as fractions; a hair under the goal from rounding is still below it.
  return value >= goal ? 'met' : 'below';
}

/** A share as a percentage with one decimal, '—' without data. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`;
}

/** Yuan as people write it: ¥1,200 (no decimals unless there are fen). */
export function yuan(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  const fen = Math.round(amount * 100) % 100 !== 0;
  return `¥${amount.toLocaleString('en-US', { minimumFractionDigits: fen ? 2 : 0, maximumFractionDigits: 2 })}`;
}

/** The date part of an ISO timestamp or date (YYYY-MM-DD), in the city's time zone. */
export function day(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

export interface ListFilters {
  q: string;
  region: string;
  nature: KindergartenNature | '';
  grade: KindergartenGrade | '';
  feeMax: number | null;
  page: number;
}

function text(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** The public list's filters from the address bar, so a search can be shared and survives a reload. */
export function filtersFromQuery(query: Record<string, unknown>): ListFilters {
  const nature = text(query.nature);
  const grade = text(query.grade);
  const feeMax = Number(text(query.feeMax));
  const page = Number(text(query.page));
  return {
    q: text(query.q).slice(0, 50),
    region: text(query.region),
    nature: (KINDERGARTEN_NATURES as readonly string[]).includes(nature) ? (nature as KindergartenNature) : '',
    grade: (KINDERGARTEN_GRADES as readonly string[]).includes(grade) ? (grade as KindergartenGrade) : '',
    feeMax: text(query.feeMax) && Number.isFinite(feeMax) && feeMax > 0 ? Math.floor(feeMax) : null,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The address-bar query of the filters (empty ones left out). */
export function queryFromFilters(filters: ListFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.region) query.region = filters.region;
  if (filters.nature) query.nature = filters.nature;
  if (filters.grade) query.grade = filters.grade;
  if (filters.feeMax !== null) query.feeMax = String(filters.feeMax);
  if (filters.page > 1) query.page = String(filters.page);
  return query;
}

/** The API query of the filters: one page of PAGE_SIZE. */
export function apiQueryFromFilters(filters: ListFilters): KindergartenQuery {
  const query: KindergartenQuery = { offset: (filters.page - 1) * PAGE_SIZE, limit: PAGE_SIZE };
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.region) query.region = filters.region;
  if (filters.nature) query.nature = filters.nature;
  if (filters.grade) query.grade = filters.grade;
  if (filters.feeMax !== null) query.feeMax = filters.feeMax;
  return query;
}

/** The editable copy of a record that the filing form works on. */
export interface FilingDraft {
  headName: string;
  headQualification: string;
  teachers: StaffMember[];
  carers: StaffMember[];
  fees: Fee[];
  classes: number | null;
  children: number | null;
  address: string;
  /** Blank means "unchanged": the record only shows the account masked. */
  feeAccount: string;
  note: string;
}

export function draftFrom(record: KindergartenOwnRecord): FilingDraft {
  const staff = record.staff ?? [];
  const head = staff.find((s) => s.role === 'head');
  return {
    headName: record.headName ?? head?.name ?? '',
    headQualification: record.headQualification ?? head?.qualification ?? '',
    teachers: staff.filter((s) => s.role === 'teacher').map((s) => ({ ...s })),
    carers: staff.filter((s) => s.role === 'carer').map((s) => ({ ...s })),
    fees: record.fees.map((f) => ({ ...f })),
    classes: record.classes,
    children: record.children,
    address: record.address,
    feeAccount: '',
    note: '',
  };
}

function sameStaff(a: StaffMember[], b: StaffMember[]): boolean {
  const key = (s: StaffMember) => `${s.role}\u0000${s.name.trim()}\u0000${s.qualification.trim()}`;
  return a.length === b.length && a.every((s, i) => key(s) === key(b[i]!));
}

function sameFees(a: Fee[], b: Fee[]): boolean {
  const key = (f: Fee) => `${f.classType.trim()}\u0000${f.period}\u0000${f.amountYuan}`;
  return a.length === b.length && a.every((f, i) => key(f) === key(b[i]!));
}

/**
 * What the filing changes: only the fields that differ from the record, so
 * the bureau reviews (and the public record takes) exactly what was changed.
 */
export function changesFrom(record: KindergartenOwnRecord, draft: FilingDraft): FilingChanges {
  const before = draftFrom(record);
  const changes: FilingChanges = {};
  if (draft.headName.trim() !== before.headName.trim()) changes.headName = draft.headName.trim();
  if (draft.headQualification.trim() !== before.headQualification.trim()) changes.headQualification = draft.headQualification.trim();
  // The server decides who is qualified from the qualification text: `qualified` is not sent.
  const staff = [...draft.teachers, ...draft.carers].map((s) => ({ role: s.role, name: s.name.trim(), qualification: s.qualification.trim() }));
  if (!sameStaff(staff, [...before.teachers, ...before.carers])) changes.staff = staff;
  const fees = draft.fees.map((f) => ({ ...f, classType: f.classType.trim() }));
  if (!sameFees(fees, before.fees)) changes.fees = fees;
  if (draft.classes !== null && draft.classes !== before.classes) changes.classes = draft.classes;
  if (draft.children !== null && draft.children !== before.children) changes.children = draft.children;
  if (draft.address.trim() !== before.address.trim()) changes.address = draft.address.trim();
  if (draft.feeAccount.trim()) changes.feeAccount = draft.feeAccount.replace(/\s+/g, '');
  return changes;
}

/** A problem with the draft: the field (and row) at fault and the message key under `filing.errors`. */
export interface DraftProblem {
  field: string;
  key: 'required' | 'amount' | 'count' | 'account' | 'nothing';
}

/**
 * Checks the draft before it is sent, naming the field (the server checks
 * again; this saves a round trip on a phone).
 */
export function draftProblems(record: KindergartenOwnRecord, draft: FilingDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (!draft.headName.trim()) problems.push({ field: 'headName', key: 'required' });
  draft.teachers.forEach((s, i) => s.name.trim() || problems.push({ field: `teachers.${i}.name`, key: 'required' }));
  draft.carers.forEach((s, i) => s.name.trim() || problems.push({ field: `carers.${i}.name`, key: 'required' }));
  draft.fees.forEach((f, i) => {
    if (!f.classType.trim()) problems.push({ field: `fees.${i}.classType`, key: 'required' });
    if (!Number.isInteger(f.amountYuan) || f.amountYuan < 0) problems.push({ field: `fees.${i}.amountYuan`, key: 'amount' });
  });
  for (const field of ['classes', 'children'] as const) {
    const value = draft[field];
    if (value === null || !Number.isInteger(value) || value < 0) problems.push({ field, key: 'count' });
  }
  if (!draft.address.trim()) problems.push({ field: 'address', key: 'required' });
  const account = draft.feeAccount.replace(/\s+/g, '');
  if (account && !/^\d{8,30}$/.test(account)) problems.push({ field: 'feeAccount', key: 'account' });
  if (problems.length === 0 && Object.keys(changesFrom(record, draft)).length === 0) problems.push({ field: 'form', key: 'nothing' });
  return problems;
}

/** One line of the review's comparison: a changed field, what is published, what is proposed. */
export interface DiffRow {
  field: FilingField;
  before: unknown;
  after: unknown;
}

/**
 * The changed fields of a filing beside their published values, in the
 * form's order. `current` is what the bureau sees as published now.
 */
export function filingDiff(changes: FilingChanges, current: FilingChanges | null | undefined): DiffRow[] {
  return FILING_FIELDS.filter((field) => changes[field] !== undefined).map((field) => ({
    field,
    before: current?.[field],
    after: changes[field],
  }));
}

/** The published values of a filing's fields, from the public record, when the server sends no `current`. */
export function currentFromPublic(record: {
  headName: string | null;
  fees: Fee[];
  classes: number;
  children: number;
  address: string;
}): FilingChanges {
  return {
    headName: record.headName ?? undefined,
    fees: record.fees,
    classes: record.classes,
    children: record.children,
    address: record.address,
  };
}

/** 两教一保: two teachers and one carer per class; what is missing, as counts (0 when met). */
export function staffingShortfall(classes: number, teachers: number, carers: number): { teachers: number; carers: number } {
  return { teachers: Math.max(0, 2 * classes - teachers), carers: Math.max(0, classes - carers) };
}

/** Something the kindergarten must fix, as the home page lists it (message key `own.fix.<key>`). */
export interface ToFix {
  key: 'dangerousBuilding' | 'civilDefence' | 'physicalDefence' | 'technicalDefence' | 'head' | 'teachers' | 'staffing' | 'feeAccount';
  values?: Record<string, string | number>;
}

/**
 * What the rules would flag on the kindergarten's own record (§7 两教一保, §11 fee
 * account, §14 safety and qualifications), so it sees it before the bureau does.
 */
export function thingsToFix(record: KindergartenOwnRecord): ToFix[] {
  const items: ToFix[] = [];
  const safety = record.safety;
  if (safety?.dangerousBuilding) items.push({ key: 'dangerousBuilding' });
  if (safety && !safety.civilDefence) items.push({ key: 'civilDefence' });
  if (safety && !safety.physicalDefence) items.push({ key: 'physicalDefence' });
  if (safety && !safety.technicalDefence) items.push({ key: 'technicalDefence' });
  if (record.headQualified === false) items.push({ key: 'head', values: { name: record.headName ?? '' } });
  const unqualified = (record.staff ?? []).filter((s) => s.role === 'teacher' && s.qualified === false).map((s) => s.name);
  if (unqualified.length) items.push({ key: 'teachers', values: { n: unqualified.length, names: unqualified.join('、') } });
  const short = staffingShortfall(record.classes, record.teacherCount, record.carerCount);
  if (short.teachers || short.carers) items.push({ key: 'staffing', values: short });
  if (record.nature !== 'public' && !record.feeAccount) items.push({ key: 'feeAccount' });
  return items;
}
