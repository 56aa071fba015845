import { apiRequest } from './client';
import type { Approvals, AwaitingApproval } from './rounds';
import type { PlanChanges } from './school-portals';

/** A plan change request as the bureau's queue shows it (GET /api/plan-requests). */
export interface BureauPlanRequest {
  id: string;
  changes: PlanChanges;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedAt: string;
  highSchool: { id: string; name: string };
  plan: { capacity: number; classes: number; quotaPercent: number | null; quotaSeats: number | null };
  /** Four eyes: a change of seat counts takes `required` different city-bureau accounts. */
  approvals?: Approvals;
}

export const planRequestsApi = {
  pending: () => apiRequest<{ requests: BureauPlanRequest[] }>('/plan-requests', { query: { status: 'pending' } }),
  /** Approves (and applies), or with four eyes records this account's approval (awaiting_approval). */
  approve: (id: string, note?: string) =>
    apiRequest<{ id: string; status: 'approved' } | AwaitingApproval>(`/plan-requests/${encodeURIComponent(id)}/approve`, { method: 'POST', body: note ? { note } : {} }),
  reject: (id: string, note?: string) =>
    apiRequest<{ id: string; status: 'rejected' }>(`/plan-requests/${encodeURIComponent(id)}/reject`, { method: 'POST', body: note ? { note } : {} }),
};
