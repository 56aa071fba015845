import type { AwaitingApproval, Round, RoundBundle, RoundComparison, StartRoundBody } from '../../../server/routes/rounds/rounds.schema';
import { apiRequest } from './client';

/** The rounds area's types come from its contract (server/routes/rounds/rounds.schema.ts): no copy here. */
export type {
  Approvals,
  AwaitingApproval,
  Round,
  RoundBundle,
  RoundComparison,
  RoundKind,
  RoundPolicy,
  RoundStatus,
  SupplementarySeats,
} from '../../../server/routes/rounds/rounds.schema';

export const roundsApi = {
  list: () => apiRequest<{ rounds: Round[] }>('/rounds'),
  get: (id: string) => apiRequest<Round>(`/rounds/${encodeURIComponent(id)}`),
  start: (body: StartRoundBody) => apiRequest<Round>('/rounds', { method: 'POST', body }),
  /** Publishes, or (four eyes) records this account's approval and answers awaiting_approval. */
  publish: (id: string) => apiRequest<Round | AwaitingApproval>(`/rounds/${encodeURIComponent(id)}/publish`, { method: 'POST' }),
  compare: (a: string, b: string) => apiRequest<RoundComparison>('/rounds/compare', { query: { a, b } }),
  /** The bundle (ALLOCATION.md instance and result, seed, hashes), for a download. */
  bundle: (id: string) => apiRequest<RoundBundle>(`/rounds/${encodeURIComponent(id)}/bundle`),
};
