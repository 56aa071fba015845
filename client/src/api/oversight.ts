import { FLAG_RULES as ALL_FLAG_RULES, FLAG_SEVERITIES as ALL_FLAG_SEVERITIES, type FlagRule, type FlagSeverity } from '../../../server/domain/flags/types';
import type { ComplaintBody, ComplaintReceipt, ComplaintSchools } from '../../../server/routes/complaints/complaints.schema';
import type { AuditChainReport, AuditPage, Dashboard } from '../../../server/routes/dashboard/dashboard.schema';
import type { Flag, FlagDetail, FlagList, FlagStatus } from '../../../server/routes/flags/flags.schema';
import type { JobBody } from '../../../server/routes/jobs/jobs.schema';
import { apiRequest } from './client';

/**
 * Oversight: flags, the dashboard, the audit log and the public complaint
 * form. The types are the contract's (server/routes/flags, dashboard,
 * complaints, jobs schemas); the rule and severity lists are the domain's.
 */
export type { AuditChainReport, AuditEntry, Dashboard } from '../../../server/routes/dashboard/dashboard.schema';
export type { BilingualText, EvidenceFact, Flag, FlagDetail, FlagList, FlagListItem, FlagRule, FlagSeverity, FlagStatus } from '../../../server/routes/flags/flags.schema';
export type { JobBody as JobView } from '../../../server/routes/jobs/jobs.schema';

/** The admissions rules the flags page filters by (the kindergarten registry's flags have their own pages). */
export const FLAG_RULES: readonly FlagRule[] = ALL_FLAG_RULES.filter((rule) => !rule.startsWith('kindergarten_'));
/** Most severe first, as the page lists them. */
export const FLAG_SEVERITIES: readonly FlagSeverity[] = [...ALL_FLAG_SEVERITIES].reverse();

export interface FlagQuery {
  /** A past year (招生年度); the current cycle when absent. */
  cycleId?: string;
  rule?: FlagRule;
  severity?: FlagSeverity;
  status?: FlagStatus;
  region?: string;
  school?: string;
  /** 举报编号, e.g. TS-7K4Q-9X. */
  complaint?: string;
  offset?: number;
  limit?: number;
}

export const oversightApi = {
  flags: (query: FlagQuery) => apiRequest<FlagList>('/flags', { query: { ...query } }),
  flag: (id: string) => apiRequest<FlagDetail>(`/flags/${encodeURIComponent(id)}`),
  review: (id: string, body: { status: 'confirmed' | 'dismissed'; note: string }) =>
    apiRequest<Flag>(`/flags/${encodeURIComponent(id)}/review`, { method: 'POST', body }),
  detect: () => apiRequest<JobBody>('/flags/detect', { method: 'POST' }),
  job: (queue: string, id: string) => apiRequest<JobBody>(`/jobs/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`),
  dashboard: (cycleId?: string) => apiRequest<Dashboard>('/dashboard', { query: { cycleId } }),
  audit: (query: { action?: string; entity?: string; actor?: string; offset?: number; limit?: number }) =>
    apiRequest<AuditPage>('/audit', { query: { ...query } }),
  verifyAudit: () => apiRequest<AuditChainReport>('/audit/verify'),
  complaintSchools: () => apiRequest<ComplaintSchools>('/complaints/schools', { authenticated: false }),
  complain: (body: ComplaintBody) =>
    apiRequest<ComplaintReceipt>('/complaints', { method: 'POST', body, authenticated: false }),
};
