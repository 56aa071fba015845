/**
 * The one strict priority order over all students (ALLOCATION.md §2.1):
 * total, then each tie-break key, then the seeded lottery, then the id.
 */
import { createHash } from 'node:crypto';
import type { CompiledInstance } from './compile';

/** sha256_hex(seed + ":" + id), the lottery number: smaller comes first. */
export function lotteryNumber(seed: string, studentId: string): string {
  return createHash('sha256').update(`${seed}:${studentId}`, 'utf8').digest('hex');
}

/**
 * The value of one tie-break key for a student, higher is better; -Infinity
 * stands for a missing score (lower than every present one).
 */
export function tieBreakValue(
  key: string,
  evaluation: number,
  scores: Record<string, number | null> | null | undefined,
): number {
  if (key === 'evaluation') return evaluation;
  if (!scores) return -Infinity;
  if (!key.includes('+')) {
    const v = scores[key];
    return typeof v === 'number' ? v : -Infinity;
  }
  let sum = 0;
  for (const part of key.split('+')) {
    const v = scores[part];
    if (typeof v !== 'number') return -Infinity;
    sum += v;
  }
  return sum;
}

/** Tie-break values per key, one Float64Array per key of policy.tieBreak. */
export function tieBreakColumns(inst: CompiledInstance): Float64Array[] {
  const n = inst.studentIds.length;
  return inst.tieBreak.map((key) => {
    const col = new Float64Array(n);
    for (let s = 0; s < n; s++) col[s] = tieBreakValue(key, inst.evaluation[s], inst.scores[s]);
    return col;
  });
}

export interface PriorityOrder {
  /** Students in priority order (order[0] is the first). */
  order: Int32Array;
  /** rank[s] = position of student s in `order`; smaller is better. */
  rank: Int32Array;
  /** Tie-break values, per key, per student. */
  columns: Float64Array[];
}

/**
 * Sorts the students by total and tie-break keys, then settles each group of
 * exact ties by lottery and id. Hashing only the tied students keeps a
 * million-student sort fast when most totals are distinct.
 */
export function priorityOrder(inst: CompiledInstance): PriorityOrder {
  const n = inst.studentIds.length;
  const total = inst.total;
  const columns = tieBreakColumns(inst);
  const keys = columns.length;
  const sameScores = (a: number, b: number): boolean => {
    if (total[a] !== total[b]) return false;
    for (let k = 0; k < keys; k++) if (columns[k][a] !== columns[k][b]) return false;
    return true;
  };

  const indices = new Array<number>(n);
  for (let s = 0; s < n; s++) indices[s] = s;
  indices.sort((a, b) => {
    if (total[a] !== total[b]) return total[b] - total[a];
    for (let k = 0; k < keys; k++) {
      const col = columns[k];
      if (col[a] !== col[b]) return col[b] > col[a] ? 1 : -1;
    }
    return 0;
  });

  const order = Int32Array.from(indices);
  const ids = inst.studentIds;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && sameScores(order[start], order[end])) end++;
    if (end - start > 1) {
      const group = Array.from(order.subarray(start, end), (s) => ({ s, lottery: lotteryNumber(inst.seed, ids[s]) }));
      group.sort((x, y) => compareStrings(x.lottery, y.lottery) || compareStrings(ids[x.s], ids[y.s]));
      for (let i = 0; i < group.length; i++) order[start + i] = group[i].s;
    }
    start = end;
  }

  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[order[i]] = i;
  return { order, rank, columns };
}

/** Compares strings by UTF-16 code units, as JavaScript `<` does. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
