import { apiRequest, ApiError, API_BASE } from '@/api/client';
import { apiErrorFrom } from '@/lib/api-error';

export type Phase = 'setup' | 'plans_published' | 'applications_open' | 'applications_closed' | 'round1' | 'confirmation' | 'supplementary' | 'registration' | 'closed';
export type ImportKind = 'regions' | 'junior-schools' | 'high-schools' | 'students';
export const IMPORT_KINDS: ImportKind[] = ['regions', 'junior-schools', 'high-schools', 'students'];

export interface CurrentCycle {
  cycle: { id: string; year: number; name: string };
  phases: { phase: Phase; opensAt: string; closesAt: string }[];
  phase: Phase;
  /** The actions the phase open now allows (server/domain/schedule/actions.ts). */
  actions: string[];
  serverTime: string;
}

export interface RowProblem {
  row: number;
  column: string;
  message: string;
}

export interface JobView {
  id: string;
  queue: string;
  state: string;
  progress: number | unknown;
  result: { ok: boolean; imported: number; count: number; problems: RowProblem[] } | null;
  failedReason: string | null;
}

export type UploadOutcome = { status: 'done'; imported: number } | { status: 'queued'; rows: number; job: JobView };

export interface PlanView {
  highSchool: { id: string; name: string; regionCode: string; ownership: 'public' | 'private'; scope: 'city' | 'region'; quality: boolean };
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
  effectiveQuotaSeats: number;
  warnings: { code: string; message: string }[];
}

export interface QuotaTable {
  total: number;
  byHighSchool: { id: string; name: string; total: number; juniorSchools: { id: string; name: string; seats: number }[] }[];
  byJuniorSchool: { id: string; name: string; graduates: number; total: number; highSchools: { id: string; name: string; seats: number }[] }[];
}

export const getCurrentCycle = () => apiRequest<CurrentCycle>('/cycles/current', { authenticated: false });
export const saveSchedule = (id: string, windows: CurrentCycle['phases']) => apiRequest<CurrentCycle>(`/cycles/${id}/schedule`, { method: 'PUT', body: { windows } });
/** Ends the window open now by the server's clock and opens the next one (city bureau). */
export const endCurrentWindow = (id: string) => apiRequest<CurrentCycle>(`/cycles/${id}/schedule/end-current`, { method: 'POST' });
export const getJob = (queue: string, id: string) => apiRequest<JobView>(`/jobs/${queue}/${id}`);
export const getPlans = () => apiRequest<{ plans: PlanView[] }>('/plans');
export const savePlan = (id: string, body: Record<string, unknown>) => apiRequest<PlanView>(`/plans/${id}`, { method: 'PUT', body });
export const computeQuotas = () => apiRequest<{ highSchools: number; juniorSchools: number; seats: number }>('/quotas/compute', { method: 'POST' });
export const getQuotas = () => apiRequest<QuotaTable>('/quotas');

/** Sends raw bytes or downloads a file with the session token; errors as ApiError with the server's message. */
async function fetchWithToken(path: string, token: string | null, locale: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Accept-Language': locale, ...(init.headers as Record<string, string>) };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${API_BASE}${path}`, { ...init, headers });
  if (!response.ok) {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    throw apiErrorFrom(response.status, body, `HTTP ${response.status}`);
  }
  return response;
}

export async function uploadImport(kind: ImportKind, file: File, token: string | null, locale: string): Promise<UploadOutcome> {
  const response = await fetchWithToken(`/imports/${kind}`, token, locale, { method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' } });
  return (await response.json()) as UploadOutcome;
}

export async function downloadFile(path: string, fileName: string, token: string | null, locale: string): Promise<void> {
  const response = await fetchWithToken(path, token, locale);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export { ApiError };
