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
  seed: string;
  status: RoundStatus;
  progress: number;
  invariantsOk: boolean | null;
  error: string | null;
  sha256: { input: string | null; result: string | null };
  createdAt: string;
  finishedAt: string | null;
  publishedAt: string | null;
  counts?: { students: number; assigned: number; unassigned: number };
}

export interface RoundComparison {
  moved: { student: string; junior: string; region: string; total: number; from: string | null; to: string | null }[];
  quotaUsed: Record<string, { a: number; b: number }>;
  cutoffs: Record<string, { a: number | null; b: number | null }>;
  assigned: { a: number; b: number };
  a: Round;
  b: Round;
}

export const roundsApi = {
  list: () => apiRequest<{ rounds: Round[] }>('/rounds'),
  get: (id: string) => apiRequest<Round>(`/rounds/${encodeURIComponent(id)}`),
  start: (body: { kind: RoundKind; name?: string; policy?: RoundPolicy }) => apiRequest<Round>('/rounds', { method: 'POST', body }),
  publish: (id: string) => apiRequest<Round>(`/rounds/${encodeURIComponent(id)}/publish`, { method: 'POST' }),
  compare: (a: string, b: string) => apiRequest<RoundComparison>('/rounds/compare', { query: { a, b } }),
  /** The bundle as text (canonical JSON), for a download. */
  bundle: (id: string) => apiRequest<unknown>(`/rounds/${encodeURIComponent(id)}/bundle`),
};
