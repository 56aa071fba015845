import { apiRequest } from './client';

/** A cycle (招生年度) a signed-in user may open: GET /api/cycles. */
export interface CycleSummary {
  id: string;
  year: number;
  name: string;
  status: 'draft' | 'active' | 'archived';
  /** The cycle read pages show without ?cycleId=. */
  current: boolean;
}

export const cyclesApi = {
  list: () => apiRequest<{ cycles: CycleSummary[] }>('/cycles'),
};
