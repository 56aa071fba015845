import type {
  AdmissionList,
  AdmissionSort,
  ConfirmationStatus,
  PlanChangeBody,
  PlanChangeRequest,
  RegistrationList,
  RegistrationReport,
  SchoolPlan,
  SeatKind,
} from '../../../server/routes/high/high.schema';
import type { JuniorQuotas, JuniorResults, JuniorStatus } from '../../../server/routes/junior/junior.schema';
import { ApiError, apiRequest } from './client';
import { apiErrorFrom } from '@/lib/api-error';

/** The high-school and junior-school portals (server/routes/high, server/routes/junior). */

export type {
  AdmissionList,
  AdmissionRow,
  AdmissionSort,
  ConfirmationStatus,
  PlanChangeRequest,
  PlanChanges,
  RefusalReason,
  RegistrationList,
  RegistrationOutcome,
  RegistrationReport,
  SchoolPlan,
  SeatKind,
} from '../../../server/routes/high/high.schema';
export type { JuniorQuotas, JuniorResults, JuniorStatus } from '../../../server/routes/junior/junior.schema';

export interface AdmissionFilter {
  seat?: SeatKind | '';
  round?: 'main' | 'supplementary' | '';
  juniorSchoolId?: string;
  regionCode?: string;
  confirmation?: ConfirmationStatus | '';
  /** The start of the exam number, or part of the name. */
  q?: string;
}

/** Filters plus order and page (offset/limit: default 50, at most 200). */
export interface AdmissionQuery extends AdmissionFilter {
  sort?: AdmissionSort | '';
  order?: 'asc' | 'desc' | '';
  offset?: number;
  limit?: number;
}

function clean(filter: AdmissionQuery): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, v || v === 0 ? String(v) : undefined]));
}

/** The list as a page first asks for it: no filter, in round order, 50 rows. */
export const FIRST_ADMISSION_QUERY: AdmissionQuery = { offset: 0, limit: 50 };

/** The key of an admissions request (lib/prefetch.ts): equal for the same school, filter and year. */
export function admissionsKey(schoolId: string, filter: AdmissionQuery, cycleId?: string): string {
  return `admissions:${JSON.stringify([schoolId, clean(filter), cycleId ?? null])}`;
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

export const highPlanApi = {
  plan: (schoolId: string, cycleId?: string) => apiRequest<SchoolPlan>(`/high-schools/${encodeURIComponent(schoolId)}/plan`, { query: { cycleId } }),
  requestChange: (schoolId: string, body: PlanChangeBody) =>
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
