/**
 * The one strict priority order over all students (ALLOCATION.md §2.1):
 * total, then each tie-break key, then the seeded lottery, then the id.
 */
import { createHash, hash } from 'node:crypto';
import type { CompiledInstance } from './compile';
import { scratchFloat64, scratchInt32 } from './scratch';

/** crypto.hash (Node >= 20.12) is the one-shot form, several times faster than createHash. */
const sha256 = (text: string): string =>
  typeof hash === 'function' ? hash('sha256', text, 'hex') : createHash('sha256').update(text, 'utf8').digest('hex');

/** sha256_hex(seed + ":" + id), the lottery number: smaller comes first. */
export function lotteryNumber(seed: string, studentId: string): string {
  return sha256(`${seed}:${studentId}`);
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
  return key === 'evaluation' ? evaluation : sumOfParts(key.split('+'), scores);
}

/** The sum of the named scores, in the order named; -Infinity when any is missing. */
function sumOfParts(parts: readonly string[], scores: Record<string, number | null> | null | undefined): number {
  if (!scores) return -Infinity;
  let sum = 0;
  for (let i = 0; i < parts.length; i++) {
    const v = scores[parts[i]];
    if (typeof v !== 'number') return -Infinity;
    sum += v;
  }
  return sum;
}

/**
 * Tie-break values per key, one Float64Array per key of policy.tieBreak.
 * Each subject is read once into a column (one property name per pass, so
 * the loads stay monomorphic over a million score objects), then the columns
 * of a key are added in the order named, as sumOfParts does.
 */
export function tieBreakColumns(inst: CompiledInstance): Float64Array[] {
  const n = inst.studentIds.length;
  const subjects = new Map<string, Float64Array>();
  const subject = (name: string): Float64Array => {
    let col = subjects.get(name) ?? inst.subjectScores?.get(name);
    if (!col) {
      col = new Float64Array(n);
      const all = inst.scores;
      for (let s = 0; s < n; s++) {
        const sc = all[s];
        const v = sc ? sc[name] : undefined;
        col[s] = typeof v === 'number' ? v : -Infinity;
      }
      subjects.set(name, col);
    }
    return col;
  };
  return inst.tieBreak.map((key) => {
    const col = new Float64Array(n);
    if (key === 'evaluation') {
      for (let s = 0; s < n; s++) col[s] = inst.evaluation[s];
      return col;
    }
    // 0 + a + b + …, missing as soon as one part is (-Infinity stays -Infinity: scores are finite).
    for (const part of key.split('+')) {
      const src = subject(part);
      for (let s = 0; s < n; s++) col[s] += src[s];
    }
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

/** One pass over a column: its smallest and largest present value, whether all are whole or half points, whether any is missing (-Infinity). */
function scanRange(values: Float64Array | Uint8Array): { min: number; max: number; halves: boolean; missing: boolean } {
  let min = Infinity;
  let max = -Infinity;
  let halves = true;
  let missing = false;
  for (let s = 0; s < values.length; s++) {
    const v = values[s];
    if (v === -Infinity) {
      missing = true;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    if (halves && !Number.isInteger(v * 2)) halves = false;
  }
  return { min, max, halves, missing };
}

/**
 * Replaces each value by its dense rank, 0 for the highest (higher is better).
 * Scores are whole or half points in practice: then a table over the range
 * gives the ranks in linear time. Otherwise a native numeric sort and a binary
 * search per value. Both give the same ranks; the table is only faster.
 */
function denseDescendingRanks(values: Float64Array): { ranks: Int32Array; distinct: number } {
  const n = values.length;
  const { min, max, halves, missing } = scanRange(values);
  const span = (max - min) * 2;
  if (halves && max >= min && span <= 4_000_000) {
    const present = new Uint8Array(span + 1);
    for (let s = 0; s < n; s++) if (values[s] !== -Infinity) present[(values[s] - min) * 2] = 1;
    const rankOf = new Int32Array(span + 1);
    let m = 0;
    for (let slot = span; slot >= 0; slot--) if (present[slot]) rankOf[slot] = m++;
    const ranks = new Int32Array(n);
    for (let s = 0; s < n; s++) ranks[s] = values[s] === -Infinity ? m : rankOf[(values[s] - min) * 2];
    return { ranks, distinct: m + (missing ? 1 : 0) };
  }
  const sorted = Float64Array.from(values).sort();
  let m = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i];
  const ranks = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const v = values[s];
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    ranks[s] = m - 1 - lo;
  }
  return { ranks, distinct: m };
}

/** Radix digits of at most this many bits: the count table (2,048 entries) stays in L1. */
const RADIX_BITS = 11;

/** The values of one tie-break key per student (higher is better, -Infinity missing), in `into` when computed. */
function keyValues(inst: CompiledInstance, key: string, into: Float64Array): Float64Array | Uint8Array {
  if (key === 'evaluation') return inst.evaluation;
  const n = into.length;
  into.fill(0);
  // 0 + a + b + …, as tieBreakColumns and sumOfParts add them.
  for (const part of key.split('+')) {
    const src = inst.subjectScores?.get(part) ?? subjectColumn(inst, part);
    for (let s = 0; s < n; s++) into[s] += src[s];
  }
  return into;
}

/** scores[name] per student, -Infinity where missing (when compile did not collect the subject). */
function subjectColumn(inst: CompiledInstance, name: string): Float64Array {
  const n = inst.studentIds.length;
  const col = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const sc = inst.scores[s];
    const v = sc ? sc[name] : undefined;
    col[s] = typeof v === 'number' ? v : -Infinity;
  }
  return col;
}

/**
 * Writes into `comp` one sort-key component per student for `values` (higher
 * is better, -Infinity missing): a non-negative integer, smaller for a better
 * value, equal exactly when the values are. Whole and half points within a
 * span of 2,000,000 points map to (max - v) * 2 (exact: both are multiples of
 * 1/2 and close together), missing to one past the largest; other values to
 * their dense rank. Returns the largest component written.
 */
function keyComponent(values: Float64Array | Uint8Array, comp: Int32Array): number {
  const n = comp.length;
  const { min, max, halves, missing } = scanRange(values);
  if (max < min) {
    // No present value (or no student): every component is the same.
    comp.fill(0);
    return 0;
  }
  const span = (max - min) * 2;
  if (halves && span <= 4_000_000) {
    const end = span + 1;
    for (let s = 0; s < n; s++) {
      const v = values[s];
      comp[s] = v === -Infinity ? end : (max - v) * 2;
    }
    return missing ? end : span;
  }
  const { ranks, distinct } = denseDescendingRanks(values instanceof Float64Array ? values : Float64Array.from(values));
  comp.set(ranks);
  return distinct - 1;
}

/** ORs `comp << shift` into the 64-bit keys hi:lo (comp has at most `width` bits). */
function packComponent(comp: Int32Array, hi: Int32Array, lo: Int32Array, shift: number, width: number): void {
  const n = comp.length;
  if (shift >= 32) {
    const sh = shift - 32;
    for (let s = 0; s < n; s++) hi[s] |= comp[s] << sh;
  } else if (shift + width <= 32) {
    for (let s = 0; s < n; s++) lo[s] |= comp[s] << shift;
  } else {
    // Straddles the two words (0 < shift < 32).
    const back = 32 - shift;
    for (let s = 0; s < n; s++) {
      const v = comp[s];
      lo[s] |= v << shift;
      hi[s] |= v >>> back;
    }
  }
}

/** The priority order of §2.1, with the tie-break columns computed when first read (the engine does not need them). */
class ComputedPriority implements PriorityOrder {
  private cachedColumns: Float64Array[] | undefined;

  constructor(
    readonly order: Int32Array,
    readonly rank: Int32Array,
    private readonly inst: CompiledInstance,
  ) {}

  get columns(): Float64Array[] {
    this.cachedColumns ??= tieBreakColumns(this.inst);
    return this.cachedColumns;
  }
}

/**
 * The one strict priority order (§2.1). Each key (total, then each tie-break
 * key) becomes an integer component, smaller for better (keyComponent); the
 * components are packed, most significant first, into one 64-bit key per
 * student (two Int32Arrays), and the students sorted by an LSD radix sort on
 * it, 11 bits a pass: for a million students about 40 bits in 4 passes, each
 * reading memory in order. Groups of exact ties — equal keys, now adjacent —
 * are settled by lottery and id; only tied students are hashed. When the keys
 * need more than 64 bits, priorityOrderByColumns does the same with dense
 * ranks and composite keys.
 */
export function priorityOrder(inst: CompiledInstance): PriorityOrder {
  const n = inst.studentIds.length;
  const hi = scratchInt32('priority.hi', n).fill(0);
  const lo = scratchInt32('priority.lo', n).fill(0);
  const comp = scratchInt32('priority.comp', n);
  const valuesScratch = scratchFloat64('priority.values', n);
  // Least significant key first: the last tie-break key at bit 0, the total on top.
  let bits = 0;
  for (let k = inst.tieBreak.length; k >= 0; k--) {
    const values = k === 0 ? inst.total : keyValues(inst, inst.tieBreak[k - 1], valuesScratch);
    const largest = keyComponent(values, comp);
    const width = largest === 0 ? 0 : 32 - Math.clz32(largest);
    if (bits + width > 64) return priorityOrderByColumns(inst);
    if (width > 0) packComponent(comp, hi, lo, bits, width);
    bits += width;
  }

  // LSD radix sort of (hi:lo, student) by hi:lo.
  const order = new Int32Array(n);
  const passes = bits === 0 ? 0 : Math.ceil(bits / RADIX_BITS);
  const digitBits = passes === 0 ? 0 : Math.ceil(bits / passes);
  const count = new Int32Array(1 << digitBits);
  const moveHi = bits > 32;
  let srcHi: Int32Array = hi;
  let srcLo: Int32Array = lo;
  let srcIdx: Int32Array | null = null; // null: the identity (before the first pass)
  let dstHi = scratchInt32('priority.hi2', n);
  let dstLo = scratchInt32('priority.lo2', n);
  let dstIdx: Int32Array = order;
  let spareIdx: Int32Array = scratchInt32('priority.idx', n);
  for (let p = 0; p < passes; p++) {
    const sh = p * digitBits;
    const mask = (1 << Math.min(digitBits, bits - sh)) - 1;
    // Which word(s) the digit is in: 0 low, 1 high, 2 both.
    const where = sh >= 32 ? 1 : sh + digitBits <= 32 ? 0 : 2;
    const hsh = sh - 32;
    const back = 32 - sh;
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const d = where === 0 ? (srcLo[i] >>> sh) & mask : where === 1 ? (srcHi[i] >>> hsh) & mask : ((srcLo[i] >>> sh) | (srcHi[i] << back)) & mask;
      count[d]++;
    }
    const first = n > 0 ? (where === 0 ? (srcLo[0] >>> sh) & mask : where === 1 ? (srcHi[0] >>> hsh) & mask : ((srcLo[0] >>> sh) | (srcHi[0] << back)) & mask) : 0;
    if (count[first] === n) continue; // one digit for all: this pass would not move anyone
    for (let d = 0, sum = 0; d <= mask; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const h = srcHi[i];
      const l = srcLo[i];
      const d = where === 0 ? (l >>> sh) & mask : where === 1 ? (h >>> hsh) & mask : ((l >>> sh) | (h << back)) & mask;
      const pos = count[d]++;
      if (moveHi) dstHi[pos] = h;
      dstLo[pos] = l;
      dstIdx[pos] = srcIdx === null ? i : srcIdx[i];
    }
    if (moveHi) [srcHi, dstHi] = [dstHi, srcHi];
    [srcLo, dstLo] = [dstLo, srcLo];
    const written = dstIdx;
    dstIdx = srcIdx === null ? spareIdx : srcIdx;
    srcIdx = written;
    spareIdx = dstIdx;
  }
  if (srcIdx === null) for (let i = 0; i < n; i++) order[i] = i;
  else if (srcIdx !== order) order.set(srcIdx);

  // Exact ties (equal keys, adjacent now): lottery, then id.
  const ids = inst.studentIds;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && srcLo[end] === srcLo[start] && srcHi[end] === srcHi[start]) end++;
    if (end - start > 1) {
      const group = Array.from(order.subarray(start, end), (s) => ({ s, lottery: sha256(`${inst.seed}:${ids[s]}`) }));
      group.sort((x, y) => compareStrings(x.lottery, y.lottery) || compareStrings(ids[x.s], ids[y.s]));
      for (let i = 0; i < group.length; i++) order[start + i] = group[i].s;
    }
    start = end;
  }

  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[order[i]] = i;
  return new ComputedPriority(order, rank, inst);
}

/** Composite keys are kept to at most this many buckets (a counting sort's table). */
const MAX_BUCKETS = 1 << 22;

/**
 * Sorts the students by total and tie-break keys, then settles each group of
 * exact ties by lottery and id. The dense ranks of adjacent keys are combined
 * into composite keys (lexicographic order kept) of at most MAX_BUCKETS values,
 * usually two, and the students sorted by a stable LSD counting sort over them;
 * each pass carries the keys along with the students, so that every pass reads
 * memory in order. Only tied students are hashed, so a million-student order
 * takes a fraction of a second. priorityOrder uses it when the keys need
 * more than 64 bits.
 */
export function priorityOrderByColumns(inst: CompiledInstance): PriorityOrder {
  const n = inst.studentIds.length;
  const columns = tieBreakColumns(inst);
  const keyColumns = [inst.total, ...columns].map(denseDescendingRanks);

  // Most significant first.
  const merged: { ranks: Int32Array; distinct: number }[] = [];
  for (const c of keyColumns) {
    const last = merged[merged.length - 1];
    if (last && last.distinct * c.distinct <= MAX_BUCKETS) {
      const ranks = new Int32Array(n);
      const a = last.ranks;
      const b = c.ranks;
      const d = c.distinct;
      for (let s = 0; s < n; s++) ranks[s] = a[s] * d + b[s];
      merged[merged.length - 1] = { ranks, distinct: last.distinct * d };
    } else merged.push(c);
  }

  // keys[c][i]: composite key c of the i-th student of `order`.
  let order: Int32Array = new Int32Array(n);
  for (let s = 0; s < n; s++) order[s] = s;
  let keys = merged.map((m) => m.ranks);
  for (let j = merged.length - 1; j >= 0; j--) {
    const key = keys[j];
    const count = new Int32Array(merged[j].distinct + 1);
    for (let i = 0; i < n; i++) count[key[i] + 1]++;
    for (let b = 0; b < merged[j].distinct; b++) count[b + 1] += count[b];
    const out = new Int32Array(n);
    const outKeys = keys.map(() => new Int32Array(n));
    for (let i = 0; i < n; i++) {
      const pos = count[key[i]]++;
      out[pos] = order[i];
      for (let c = 0; c < keys.length; c++) outKeys[c][pos] = keys[c][i];
    }
    order = out;
    keys = outKeys;
  }

  const ids = inst.studentIds;
  const sameScores = (i: number, j: number): boolean => {
    for (let c = 0; c < keys.length; c++) if (keys[c][i] !== keys[c][j]) return false;
    return true;
  };
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && sameScores(start, end)) end++;
    if (end - start > 1) {
      const group = Array.from(order.subarray(start, end), (s) => ({ s, lottery: sha256(`${inst.seed}:${ids[s]}`) }));
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
