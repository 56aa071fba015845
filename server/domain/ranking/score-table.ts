/**
 * 一分一段表: for each distinct total score, highest first, how many students
 * have it and how many have it or more (the cumulative count a family reads
 * its rank on the total from).
 */

export interface ScoreTableRow {
  score: number;
  /** Students with exactly this total. */
  count: number;
  /** Students with this total or more. */
  cumulative: number;
}

/** One group of a grouped count: `count` students with total `score` (several groups may share a score). */
export interface ScoreCount {
  score: number;
  count: number;
}

/** The table from grouped counts (e.g. one per total and region); groups with the same score are added up. */
export function scoreTableFromCounts(counts: Iterable<ScoreCount>): ScoreTableRow[] {
  const byScore = new Map<number, number>();
  for (const { score, count } of counts) {
    if (count > 0) byScore.set(score, (byScore.get(score) ?? 0) + count);
  }
  const scores = [...byScore.keys()].sort((a, b) => b - a);
  let cumulative = 0;
  return scores.map((score) => {
    const count = byScore.get(score)!;
    cumulative += count;
    return { score, count, cumulative };
  });
}

/** The table of a list of totals. */
export function scoreTable(totals: Iterable<number>): ScoreTableRow[] {
  const counts: ScoreCount[] = [];
  for (const score of totals) counts.push({ score, count: 1 });
  return scoreTableFromCounts(counts);
}

/** Students with a total strictly above `score`, read off the table (binary search; rows are highest first). */
export function countAbove(table: readonly ScoreTableRow[], score: number): number {
  let lo = 0;
  let hi = table.length;
  // The first row whose score is <= `score`: everyone in the rows before it is above.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (table[mid].score > score) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : table[lo - 1].cumulative;
}

/** Every student the table counts. */
export function tableTotal(table: readonly ScoreTableRow[]): number {
  return table.length === 0 ? 0 : table[table.length - 1].cumulative;
}
