import type { ScoreTable } from '../../../server/routes/score-table/score-table.schema';
import { apiRequest } from './client';

/** 位次, the public 一分一段表 and the 冲/稳/保 guidance (server/services/ranking.service.ts). */

export type { ScoreTable, ScoreTableRow } from '../../../server/routes/score-table/score-table.schema';
export type { Guidance, StudentRank } from '../../../server/routes/student/student.schema';

/** GET /api/score-table (public): city-wide without `region`. */
export const fetchScoreTable = (props: { region?: string; cycleId?: string } = {}) =>
  apiRequest<ScoreTable>('/score-table', { query: { region: props.region || undefined, cycleId: props.cycleId }, authenticated: false });
