import type { CycleList } from '../../../server/routes/cycles/cycles.schema';
import { apiRequest } from './client';

/** A cycle (招生年度) a signed-in user may open: GET /api/cycles (the contract's type). */
export type { CycleSummary } from '../../../server/routes/cycles/cycles.schema';

export const cyclesApi = {
  list: () => apiRequest<CycleList>('/cycles'),
};
