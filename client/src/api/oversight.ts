import { apiRequest } from './client';

export type FlagRule =
  | 'enrolled_without_admission'
  | 'out_of_scope_enrollment'
  | 'top_student_outflow'
  | 'quota_eligibility_shopping'
  | 'early_offer'
  | 'no_show_elsewhere';
export const FLAG_RULES: FlagRule[] = [
  'enrolled_without_admission',
  'out_of_scope_enrollment',
  'top_student_outflow',
  'quota_eligibility_shopping',
  'early_offer',
  'no_show_elsewhere',
];
export type FlagSeverity = 'low' | 'medium' | 'high' | 'critical';
export const FLAG_SEVERITIES: FlagSeverity[] = ['critical', 'high', 'medium', 'low'];
export type FlagStatus = 'open' | 'confirmed' | 'dismissed';

export interface Flag {
  id: string;
  cycleId: string;
  rule: FlagRule;
  severity: FlagSeverity;
  status: FlagStatus;
  highSchoolIds: string[];
  studentIds: string[];
  evidence: Record<string, unknown>;
  note: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  createdAt: string;
}

/** A text in both languages; the page shows the user's. */
export interface BilingualText {
  zh: string;
  en: string;
}

/** One fact of a flag's evidence in people's words (names, not codes); lists are one line per item. */
export interface EvidenceFact {
  key: string;
  label: BilingualText;
  value: BilingualText;
}

export interface FlagListItem extends Flag {
  /** The schools it names, by name. */
  schools: { id: string; name: string }[];
  facts: EvidenceFact[];
}

export interface FlagList {
  total: number;
  offset: number;
  limit: number;
  counts: Record<FlagStatus, number>;
  items: FlagListItem[];
}

export interface FlagDetail extends Flag {
  facts: EvidenceFact[];
  schools: { id: string; name: string; regionCode: string; ownership: string; scope: string }[];
  students: { id: string; examNo: string; name: string; regionCode: string; total: number; juniorSchoolId: string }[];
  complaints: { id: string; number: string | null; schoolName: string; studentName: string | null; contact: string; description: string; createdAt: string }[];
}

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

export interface JobView {
  id: string;
  queue: string;
  state: string;
  progress: number | string | boolean | object;
  result: unknown;
  failedReason: string | null;
}

export interface Dashboard {
  cycle: { id: string; year: number; name: string };
  roundId: string | null;
  regionCode: string | null;
  regions: { code: string; name: string; nameEn: string }[];
  scoreDistribution: { bands: string[]; series: { regionCode: string; regionName: string; counts: number[] }[] };
  /** Lowest total held per school: overall (`cutoff`) and per seat type (quota: lowest over its junior schools). */
  cutoffs: { highSchoolId: string; name: string; regionCode: string; admitted: number; cutoff: number | null; open?: number | null; quota?: number | null; reverted?: number | null }[];
  quotaUse: { juniorSchoolId: string; name: string; regionCode: string; seats: number; used: number }[];
  flows: { from: string; to: string; students: number }[];
  indicators: {
    classesOver55: { count: number; schools: { highSchoolId: string; name: string; classSize: number }[] };
    schoolsOver3000: { count: number; schools: { highSchoolId: string; name: string; estimatedEnrollment: number }[] };
    qualityQuotaShare: { required: number; share: number | null; below: { highSchoolId: string; name: string; share: number }[] };
    publicPrivate: { public: number; private: number };
    localCompliance: { regionScopeAdmissions: number; local: number; share: number | null };
  };
  /** 学前教育 indicators (issue 18); absent from servers without the kindergarten registry. */
  preschool?: import('./kindergartens').PreschoolIndicators;
}

export interface AuditEntry {
  id: string;
  /** Position in the audit hash chain. */
  seq: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  /** Who, by name (null: the system). */
  actor: { name: string; role: string; username: string; organization: string | null } | null;
  /** What the entry is about, by name (a student, a school, a cycle...), when known. */
  subject: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  hash: string;
}

/** GET /api/audit/verify: the whole hash chain checked, as `npm run audit:verify` does. */
export interface AuditChainReport {
  ok: boolean;
  count: number;
  head: { seq: string; hash: string } | null;
  broken: { seq: string; reason: 'gap' | 'prevHash' | 'hash'; expected: string; found: string } | null;
}

export const oversightApi = {
  flags: (query: FlagQuery) => apiRequest<FlagList>('/flags', { query: { ...query } }),
  flag: (id: string) => apiRequest<FlagDetail>(`/flags/${encodeURIComponent(id)}`),
  review: (id: string, body: { status: 'confirmed' | 'dismissed'; note: string }) =>
    apiRequest<Flag>(`/flags/${encodeURIComponent(id)}/review`, { method: 'POST', body }),
  detect: () => apiRequest<JobView>('/flags/detect', { method: 'POST' }),
  job: (queue: string, id: string) => apiRequest<JobView>(`/jobs/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`),
  dashboard: (cycleId?: string) => apiRequest<Dashboard>('/dashboard', { query: { cycleId } }),
  audit: (query: { action?: string; entity?: string; actor?: string; offset?: number; limit?: number }) =>
    apiRequest<{ total: number; items: AuditEntry[] }>('/audit', { query: { ...query } }),
  verifyAudit: () => apiRequest<AuditChainReport>('/audit/verify'),
  complaintSchools: () => apiRequest<{ id: string; name: string; regionCode: string }[]>('/complaints/schools', { authenticated: false }),
  complain: (body: { highSchoolId?: string | null; schoolName: string; studentName?: string; contact: string; description: string }) =>
    apiRequest<{ id: string; number: string; flagId: string | null; createdAt: string }>('/complaints', { method: 'POST', body, authenticated: false }),
};
