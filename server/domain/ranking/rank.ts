/**
 * 位次: a student's rank in the city or a region, by the published tie-break
 * order of the cycle's allocation policy (ALLOCATION.md §2.1, steps 1 and 2):
 * total, higher first, then each key of `policy.tieBreak` in turn, as the
 * engine compares them (the values come from the engine's own
 * `tieBreakValue`, so a missing score sorts below every present one there and
 * here alike).
 *
 * How ties are reported: a student's rank is 1 + the number of students who
 * come strictly before them ("1224" competition ranking). Students equal on
 * the total and on every tie-break key share a rank, and the next student's
 * rank counts all of them: two students tied for 3rd are both 3rd, the next
 * is 5th. The lottery and the id (steps 3 and 4) are left out on purpose:
 * they settle seats, not a family's standing, and the lottery's seed stays
 * secret until round 1 is published.
 *
 * Cost: the number of students strictly above on the total comes from the
 * score table (score-table.ts, one grouped count per cycle); only the
 * students tied on the total are compared key by key (`rankFromTable`), so a
 * rank never needs the whole cohort in memory.
 */
import { GRADE_LETTER } from '../allocation/compile';
import { tieBreakValue } from '../allocation/priority';
import type { Grade } from '../allocation/types';

/** What a rank is decided by: the total, the 综合素质评价 grade and the subject scores. */
export interface RankedStudent {
  total: number;
  evaluation: Grade | string;
  scores?: Record<string, number | null> | null;
}

/** [total, value of each tie-break key in order]; higher is better at every position. */
export type RankKey = readonly number[];

/** The engine's number of a grade (A = 4 … D = 1); 0 for anything else, below every grade. */
function gradeNumber(evaluation: string): number {
  const n = (GRADE_LETTER as readonly string[]).indexOf(evaluation);
  return n > 0 ? n : 0;
}

/** The key a student is ranked by under the tie-break keys `tieBreak` (the policy's order). */
export function rankKey(student: RankedStudent, tieBreak: readonly string[]): number[] {
  const evaluation = gradeNumber(student.evaluation);
  const scores = student.scores && typeof student.scores === 'object' ? student.scores : null;
  return [student.total, ...tieBreak.map((key) => tieBreakValue(key, evaluation, scores))];
}

/** Negative when `a` comes strictly before `b`, positive when after, 0 when tied on every key. */
export function compareRankKeys(a: RankKey, b: RankKey): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? -Infinity;
    const y = b[i] ?? -Infinity;
    if (x !== y) return x > y ? -1 : 1;
  }
  return 0;
}

/** How many of `others` come strictly before `key` (ties do not count). */
export function countBefore(key: RankKey, others: Iterable<RankKey>): number {
  let before = 0;
  for (const other of others) if (compareRankKeys(other, key) < 0) before++;
  return before;
}

/**
 * The rank of `key` given the number of students with a strictly higher
 * total (`aboveOnTotal`, from the score table) and the keys of the students
 * with the same total (they may include the student themself: a tie does not count).
 */
export function rankFromTable(key: RankKey, aboveOnTotal: number, tiedOnTotal: Iterable<RankKey>): number {
  return 1 + aboveOnTotal + countBefore(key, tiedOnTotal);
}

/** The rank of `key` among `cohort`: 1 + the number who come strictly before it. */
export function rankAmong(key: RankKey, cohort: Iterable<RankKey>): number {
  return 1 + countBefore(key, cohort);
}

/** The rank of every key of `keys` among all of them, in their order: one sort, ties sharing a rank. */
export function ranksWithTies(keys: readonly RankKey[]): number[] {
  const order = keys.map((_, i) => i).sort((i, j) => compareRankKeys(keys[i], keys[j]));
  const ranks = new Array<number>(keys.length);
  for (let p = 0; p < order.length; p++) {
    const tiedWithPrevious = p > 0 && compareRankKeys(keys[order[p - 1]], keys[order[p]]) === 0;
    ranks[order[p]] = tiedWithPrevious ? ranks[order[p - 1]] : p + 1;
  }
  return ranks;
}
