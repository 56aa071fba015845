import { apiRequest } from './client';

export type RoundKind = 'main' | 'supplementary' | 'simulation';
export type RoundStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'published';

export interface RoundPolicy {
  quotaPrecedence?: 'openFirst' | 'quotaFirst';
  unusedQuota?: 'revert' | 'keep';
  tieBreak?: string[];
}

export interface Round {
  id: string;
  kind: RoundKind;
  name: string | null;
  policy: RoundPolicy;
  /** The lottery seed: only once round 1 is published (before, the cycle publishes its SHA-256 only). */
  seed?: string;
  status: RoundStatus;
  progress: number;
  /** The part of the work the progress is in (the server derives it from the progress). */
  stage: 'queued' | 'load' | 'allocate' | 'check' | 'store' | 'done';
  invariantsOk: boolean | null;
  error: string | null;
  sha256: { input: string | null; result: string | null };
  createdAt: string;
  finishedAt: string | null;
  publishedAt: string | null;
  counts?: { students: number; assigned: number; unassigned: number };
  /** Four eyes (PUBLISH_APPROVALS): approvals of its publication so far. */
  approvals?: Approvals;
}

/** Who has approved a four-eyes action, of how many needed. */
export interface Approvals {
  required: number;
  count: number;
  approvedBy: { username: string; displayName: string; at: string }[];
}

/** The 202 answer of a first approval: another city-bureau account must approve. */
export interface AwaitingApproval {
  status: 'awaiting_approval';
  approvals: number;
  required: number;
  approvedBy: Approvals['approvedBy'];
}

export interface RoundComparison {
  moved: { student: string; junior: string; region: string; total: number; from: string | null; to: string | null }[];
  quotaUsed: Record<string, { a: number; b: number }>;
  cutoffs: Record<string, { a: number | null; b: number | null }>;
  assigned: { a: number; b: number };
  /** Names as they stood in the cycle: high and junior schools by id, moved students by exam number. */
  names?: { highSchools: Record<string, string>; juniorSchools: Record<string, string>; students: Record<string, string> };
  a: Round;
  b: Round;
}

export const roundsApi = {
  list: () => apiRequest<{ rounds: Round[] }>('/rounds'),
  get: (id: string) => apiRequest<Round>(`/rounds/${encodeURIComponent(id)}`),
  start: (body: { kind: RoundKind; name?: string; policy?: RoundPolicy }) => apiRequest<Round>('/rounds', { method: 'POST', body }),
  /** Publishes, or (four eyes) records this account's approval and answers awaiting_approval. */
  publish: (id: string) => apiRequest<Round | AwaitingApproval>(`/rounds/${encodeURIComponent(id)}/publish`, { method: 'POST' }),
  compare: (a: string, b: string) => apiRequest<RoundComparison>('/rounds/compare', { query: { a, b } }),
  /** The bundle as text (canonical JSON), for a download. */
  bundle: (id: string) => apiRequest<unknown>(`/rounds/${encodeURIComponent(id)}/bundle`),
};
