import type { ImportKind } from '../../../server/domain/imports/columns';
import type { CurrentCycle } from '../../../server/routes/cycles/cycles.schema';
import type { ImportOutcome } from '../../../server/routes/imports/imports.schema';
import type { ImportJobResult, JobBody } from '../../../server/routes/jobs/jobs.schema';
import type { Plan, PlanList, PlanUpdate } from '../../../server/routes/plans/plans.schema';
import type { QuotaComputed, QuotaTable } from '../../../server/routes/quotas/quotas.schema';
import { apiRequest, ApiError, API_BASE } from '@/api/client';
import { apiErrorFrom } from '@/lib/api-error';

/** The phases, import kinds and every response type are the contract's (server/domain, server/routes/*.schema.ts): no copy here. */
export { IMPORT_KINDS, type ImportKind } from '../../../server/domain/imports/columns';
export type { Phase } from '../../../server/domain/schedule/schedule';
export type { CurrentCycle } from '../../../server/routes/cycles/cycles.schema';
export type { ImportOutcome as UploadOutcome } from '../../../server/routes/imports/imports.schema';
export type { JobBody as JobView, ImportJobResult } from '../../../server/routes/jobs/jobs.schema';
export type { Plan as PlanView } from '../../../server/routes/plans/plans.schema';
export type { QuotaTable } from '../../../server/routes/quotas/quotas.schema';
/** One refused row of an import: row number, column and why. */
export type RowProblem = ImportJobResult['problems'][number];
/** An import job (queue `imports`): its result is the import.run handler's. */
export type ImportJobView = Omit<JobBody, 'result'> & { result: ImportJobResult | null };

export const getCurrentCycle = () => apiRequest<CurrentCycle>('/cycles/current', { authenticated: false });
export const saveSchedule = (id: string, windows: CurrentCycle['phases']) => apiRequest<CurrentCycle>(`/cycles/${id}/schedule`, { method: 'PUT', body: { windows } });
/** Ends the window open now by the server's clock and opens the next one (city bureau). */
export const endCurrentWindow = (id: string) => apiRequest<CurrentCycle>(`/cycles/${id}/schedule/end-current`, { method: 'POST' });
/** An import's job (GET /api/jobs/imports/:id). */
export const getJob = (queue: string, id: string) => apiRequest<ImportJobView>(`/jobs/${queue}/${id}`);
export const getPlans = () => apiRequest<PlanList>('/plans');
export const savePlan = (id: string, body: Partial<Record<keyof PlanUpdate, unknown>>) => apiRequest<Plan>(`/plans/${id}`, { method: 'PUT', body });
export const computeQuotas = () => apiRequest<QuotaComputed>('/quotas/compute', { method: 'POST' });
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

export async function uploadImport(kind: ImportKind, file: File, token: string | null, locale: string): Promise<ImportOutcome> {
  const response = await fetchWithToken(`/imports/${kind}`, token, locale, { method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' } });
  return (await response.json()) as ImportOutcome;
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
