import { ApiError, apiRequest } from './client';
import { apiErrorFrom } from '@/lib/api-error';

/** The high-school and junior-school portals (server/routes/high, server/routes/junior). */

export type SeatKind = 'open' | 'quota' | 'reverted';
export type ConfirmationStatus = 'confirmed' | 'declined' | 'pending';

export interface AdmissionFilter {
  seat?: SeatKind | '';
  round?: 'main' | 'supplementary' | '';
  juniorSchoolId?: string;
  regionCode?: string;
  confirmation?: ConfirmationStatus | '';
  /** The start of the exam number, or part of the name. */
  q?: string;
}

export type AdmissionSort = 'round' | 'rank' | 'score' | 'name' | 'junior';

/** Filters plus order and page (offset/limit: default 50, at most 200). */
export interface AdmissionQuery extends AdmissionFilter {
  sort?: AdmissionSort | '';
  order?: 'asc' | 'desc' | '';
  offset?: number;
  limit?: number;
}

export interface AdmissionRow {
  /** Unique in the list: `main:<examNo>` or `supplementary:<examNo>`. */
  key: string;
  /** 第一轮 or 补录. */
  round: 'main' | 'supplementary';
  /** 校内位次: place in the school's list by priority (total, tie-break keys, exam number). */
  rank: number;
  examNo: string;
  name: string;
  gender: 'male' | 'female';
  idCardMasked: string;
  juniorSchool: { id: string; name: string };
  region: { code: string; name: string };
  seat: SeatKind;
  batch: number | null;
  scores: Record<string, number | null>;
  total: number;
  evaluation: string;
  /** Round 1: the answer (pending while silent); 补录: null (no confirmation step). */
  confirmation: ConfirmationStatus | null;
  /** Counts in 录取人数: a round-1 seat not given up, or a 补录 seat. */
  holdsSeat: boolean;
  registered: boolean;
}

export interface Cutoff {
  total: number;
  rank: number;
}

export interface AdmissionList {
  school: { id: string; name: string };
  /** The year shown (?cycleId=, else the current cycle). */
  cycle?: { id: string; year: number; name: string };
  round: { id: string; kind: string; publishedAt: string | null } | null;
  /** The published rounds the list shows: round 1, then 补录 once published. */
  rounds?: { id: string; kind: string; publishedAt: string | null }[];
  /** What an unanswered round-1 seat counts as now: pending while the window is open, then per the policy. */
  silence?: ConfirmationStatus;
  /** The whole list (not the page): counts and round 1's cutoffs per seat type. */
  summary: Record<'total' | 'open' | 'quota' | 'reverted' | 'main' | 'supplementary' | 'confirmed' | 'declined' | 'pending' | 'registered', number> & {
    cutoffs: {
      capacity: number | null;
      admitted: number;
      lowestTotal: number | null;
      open: Cutoff | null;
      reverted: Cutoff | null;
      quota: { juniorSchoolId: string; juniorSchoolName: string; total: number; rank: number; used: number | null }[];
    } | null;
  };
  juniorSchools: { id: string; name: string }[];
  regions: { code: string; name: string }[];
  /** Rows the filters select in all pages. */
  total: number;
  offset: number;
  limit: number;
  /** This page. */
  items: AdmissionRow[];
}

export type RefusalReason = 'unknown_student' | 'not_admitted' | 'admitted_elsewhere' | 'declined';

export interface RegistrationOutcome {
  examNo: string;
  row?: number;
  status: 'registered' | 'already' | 'refused';
  name?: string;
  reason?: RefusalReason;
  message?: string;
}

export interface RegistrationReport {
  registered: number;
  already: number;
  refused: number;
  results: RegistrationOutcome[];
}

export interface RegistrationList {
  phase: string;
  open: boolean;
  registrations: {
    id: string;
    examNo: string;
    name: string | null;
    accepted: boolean;
    reason: string | null;
    message: string | null;
    source: 'manual' | 'import';
    registeredAt: string;
  }[];
}

export interface JuniorStatus {
  school: { id: string; name: string };
  cycle: { id?: string; year: number; name?: string; phase: string; applicationDeadline: string | null };
  counts: { total: number; not_started: number; saved: number; final: number };
  students: {
    examNo: string;
    name: string;
    /** The account has a password (activated); absent from older servers. */
    activated?: boolean;
    state: 'not_started' | 'saved' | 'final';
    version: number;
    updatedAt: string | null;
  }[];
}

export interface JuniorQuotas {
  school: { id: string; name: string };
  published: boolean;
  totalSeats: number;
  totalUsed: number | null;
  quotas: { highSchool: { id: string; name: string }; seats: number; used: number | null }[];
}

export interface JuniorResults {
  round: { id: string; kind: string; publishedAt: string | null } | null;
  counts: { placed: number; unplaced: number; quota: number; supplementary?: number; declined?: number } | null;
  /** Each student as the year stands: `highSchool` is the seat held now (round 1 kept, or 补录), `round` the round that gave it. */
  results: {
    examNo: string;
    name: string;
    total: number;
    highSchool: { id: string; name: string } | null;
    seat: SeatKind | null;
    batch: number | null;
    round?: 'main' | 'supplementary' | null;
    participated: boolean;
    main?: { highSchool: { id: string; name: string } | null; seat: SeatKind | null; confirmation: ConfirmationStatus | null; keeps: boolean } | null;
    supplementary?: { highSchool: { id: string; name: string } | null; seat: SeatKind | null } | null;
    confirmation: ConfirmationStatus | null;
  }[];
}

function clean(filter: AdmissionQuery): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, v || v === 0 ? String(v) : undefined]));
}

/** `cycleId` on every read: a past year (招生年度), or undefined for the current cycle. */
export const highApi = {
  admissions: (schoolId: string, filter: AdmissionQuery, signal?: AbortSignal, cycleId?: string) =>
    apiRequest<AdmissionList>(`/high-schools/${encodeURIComponent(schoolId)}/admissions`, { query: { ...clean(filter), cycleId }, signal }),
  registrations: (schoolId: string, cycleId?: string) =>
    apiRequest<RegistrationList>(`/high-schools/${encodeURIComponent(schoolId)}/registrations`, { query: { cycleId } }),
  markEnrolled: (schoolId: string, examNos: string[]) =>
    apiRequest<RegistrationReport>(`/high-schools/${encodeURIComponent(schoolId)}/registrations`, { method: 'POST', body: { examNos } }),
};

/** The fields a high school may ask to change in its plan (POST /api/high-schools/:id/plan-requests). */
export interface PlanChanges {
  capacity?: number;
  classes?: number;
  minScore?: number | null;
  minEvaluation?: 'A' | 'B' | 'C' | 'D' | null;
  quotaPercent?: number | null;
  quotaSeats?: number | null;
}

export interface PlanChangeRequest {
  id: string;
  changes: PlanChanges;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedAt: string;
  reviewedAt: string | null;
  note: string | null;
}

/** GET /api/high-schools/:id/plan: the school's plan for the year and its change requests. */
export interface SchoolPlan {
  school: { id: string; name: string };
  cycle: { id: string; year: number; phase: string };
  canRequestChange: boolean;
  plan: {
    capacity: number;
    classes: number;
    batch: number;
    minScore: number | null;
    minEvaluation: string | null;
    quotaPercent: number | null;
    quotaSeats: number | null;
    quotaMinScore: number | null;
    quotaMinEvaluation: string | null;
    minPerSchool: number;
    status: string;
    previousCutoff: number | null;
    updatedAt: string;
  } | null;
  requests: PlanChangeRequest[];
}

export const highPlanApi = {
  plan: (schoolId: string, cycleId?: string) => apiRequest<SchoolPlan>(`/high-schools/${encodeURIComponent(schoolId)}/plan`, { query: { cycleId } }),
  requestChange: (schoolId: string, body: { changes: PlanChanges; reason: string }) =>
    apiRequest<PlanChangeRequest>(`/high-schools/${encodeURIComponent(schoolId)}/plan-requests`, { method: 'POST', body }),
};

export const juniorApi = {
  status: (schoolId: string, cycleId?: string) => apiRequest<JuniorStatus>(`/junior-schools/${encodeURIComponent(schoolId)}/status`, { query: { cycleId } }),
  quotas: (schoolId: string, cycleId?: string) => apiRequest<JuniorQuotas>(`/junior-schools/${encodeURIComponent(schoolId)}/quotas`, { query: { cycleId } }),
  results: (schoolId: string, cycleId?: string) => apiRequest<JuniorResults>(`/junior-schools/${encodeURIComponent(schoolId)}/results`, { query: { cycleId } }),
};

/** Raw (non-JSON) calls: the Excel download and the file upload, with the same token and language as apiRequest. */
export interface RawContext {
  token: string | null;
  locale: string;
  fallbackMessage: string;
}

function headers(ctx: RawContext): Record<string, string> {
  const h: Record<string, string> = { 'Accept-Language': ctx.locale };
  if (ctx.token) h.Authorization = `Bearer ${ctx.token}`;
  return h;
}

async function failure(response: Response, ctx: RawContext): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: the fallback message
  }
  return apiErrorFrom(response.status, body, ctx.fallbackMessage);
}

/** Downloads the admission list (every row the filters select, no paging) as .xlsx or .csv and hands it to the browser as a file. */
export async function downloadAdmissions(schoolId: string, filter: AdmissionQuery, ctx: RawContext, cycleId?: string, format: 'xlsx' | 'csv' = 'xlsx'): Promise<string> {
  const { offset: _offset, limit: _limit, ...rest } = filter;
  const query = { ...clean(rest), cycleId, format: format === 'csv' ? 'csv' : undefined };
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
  const search = params.toString();
  const response = await fetch(`/api/high-schools/${encodeURIComponent(schoolId)}/admissions/export${search ? `?${search}` : ''}`, {
    headers: headers(ctx),
  });
  if (!response.ok) throw await failure(response, ctx);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const filename = encoded ? decodeURIComponent(encoded) : `admissions.${format}`;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}

/** Uploads an .xlsx or .csv list of exam numbers for registration. */
export async function importRegistrations(schoolId: string, file: File, ctx: RawContext): Promise<RegistrationReport> {
  const response = await fetch(`/api/high-schools/${encodeURIComponent(schoolId)}/registrations/import`, {
    method: 'POST',
    headers: { ...headers(ctx), 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
    body: file,
  });
  if (!response.ok) throw await failure(response, ctx);
  return (await response.json()) as RegistrationReport;
}
