/**
 * Guidance bands (冲 / 稳 / 保) for a school a family lists: this year's city
 * rank (位次) against the rank of the last student the school admitted last
 * year (its cutoff rank). Guidance only, never a promise: cohorts, plans and
 * choices change from year to year, so the numbers behind the band go out
 * with it and the pages say so.
 *
 * The comparison is of ranks, not scores: a paper's difficulty moves scores
 * from year to year, far less the order of students.
 */

/** 冲 (reach) | 稳 (match) | 保 (safe). */
export type GuidanceBand = 'reach' | 'match' | 'safe';

/**
 * 保 (safe): this year's rank is at most this share (percent) of last year's
 * cutoff rank, i.e. at least 15% ahead of last year's last admitted student.
 */
export const SAFE_MAX_RANK_PERCENT = 85;

/**
 * 稳 (match): up to this share (percent) of last year's cutoff rank, around
 * last year's cutoff (at most 5% behind it). Beyond it the school is 冲 (reach).
 */
export const MATCH_MAX_RANK_PERCENT = 105;

export interface Guidance {
  band: GuidanceBand;
  /** This year's city rank. */
  rank: number;
  /** Last year's cutoff as a rank: the city rank of the school's last admitted student. */
  cutoffRank: number;
  /** Last year's cutoff score, when known. */
  cutoffScore: number | null;
  /** rank / cutoffRank in percent, rounded: under 100 ahead of last year's cutoff, over 100 behind it. */
  rankPercent: number;
  /** The thresholds the band was read against (percent of the cutoff rank). */
  safeMaxPercent: number;
  matchMaxPercent: number;
}

/**
 * The band of a school for a student ranked `rank` this year, against the
 * school's cutoff rank last year. Null (no band) when there is no previous
 * year's cutoff rank or no rank this year. Compared in whole numbers
 * (rank·100 against cutoffRank·percent), so a boundary is exact.
 */
export function guidanceBand(props: { rank: number | null; cutoffRank: number | null; cutoffScore?: number | null }): Guidance | null {
  const { rank, cutoffRank } = props;
  if (rank === null || cutoffRank === null || !(rank >= 1) || !(cutoffRank >= 1)) return null;
  const scaled = rank * 100;
  const band: GuidanceBand =
    scaled <= cutoffRank * SAFE_MAX_RANK_PERCENT ? 'safe' : scaled <= cutoffRank * MATCH_MAX_RANK_PERCENT ? 'match' : 'reach';
  return {
    band,
    rank,
    cutoffRank,
    cutoffScore: props.cutoffScore ?? null,
    rankPercent: Math.round((rank * 100) / cutoffRank),
    safeMaxPercent: SAFE_MAX_RANK_PERCENT,
    matchMaxPercent: MATCH_MAX_RANK_PERCENT,
  };
}
