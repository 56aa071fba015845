import { apiRequest } from './client';
import type { PlanDecision, PlanRequestList } from '../../../server/routes/high/high.schema';
import type { AwaitingApproval } from '../../../server/routes/rounds/rounds.schema';

/** A plan change request as the bureau's queue shows it (GET /api/plan-requests): the contract's type. */
export type BureauPlanRequest = PlanRequestList['requests'][number];

export const planRequestsApi = {
  pending: () => apiRequest<PlanRequestList>('/plan-requests', { query: { status: 'pending' } }),
  /** Approves (and applies), or with four eyes records this account's approval (awaiting_approval). */
  approve: (id: string, note?: string) =>
    apiRequest<PlanDecision | AwaitingApproval>(`/plan-requests/${encodeURIComponent(id)}/approve`, { method: 'POST', body: note ? { note } : {} }),
  reject: (id: string, note?: string) =>
    apiRequest<PlanDecision>(`/plan-requests/${encodeURIComponent(id)}/reject`, { method: 'POST', body: note ? { note } : {} }),
};
