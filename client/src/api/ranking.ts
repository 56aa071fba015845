import { apiRequest } from './client';

/** 位次, the public 一分一段表 and the 冲/稳/保 guidance (server/services/ranking.service.ts). */

export interface ScoreTableRow {
  score: number;
  count: number;
  /** Students with this total or more. */
  cumulative: number;
}

export interface ScoreTable {
  cycle: { id: string; year: number; name: string };
  region: { code: string; name: string; nameEn: string } | null;
  regions: { code: string; name: string; nameEn: string }[];
  total: number;
  rows: ScoreTableRow[];
}

/** A student's 位次 (ties share a rank). */
export interface StudentRank {
  city: number;
  region: number;
  total: number;
  regionTotal: number;
}

/** 冲 (reach) / 稳 (match) / 保 (safe) of one school, with the numbers behind it. */
export interface Guidance {
  band: 'reach' | 'match' | 'safe';
  rank: number;
  cutoffRank: number;
  cutoffScore: number | null;
  rankPercent: number;
  safeMaxPercent: number;
  matchMaxPercent: number;
}

/** GET /api/score-table (public): city-wide without `region`. */
export const fetchScoreTable = (props: { region?: string; cycleId?: string } = {}) =>
  apiRequest<ScoreTable>('/score-table', { query: { region: props.region || undefined, cycleId: props.cycleId }, authenticated: false });
