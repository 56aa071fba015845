/**
 * The allocation engine (录取): student-proposing deferred acceptance with
 * slot-specific priorities, batch by batch (ALLOCATION.md §2.3–2.4).
 *
 * Algorithm. Every school ranks students by the one city-wide priority order
 * (§2.1), so each group of seats a school fills — its open seats, each junior
 * school's quota seats, its reverted seats — is "the best k eligible students"
 * and is kept as a heap whose top is its worst holder. The school's choice
 * function (§2.3) is substitutable and ignores rejected students, so deferred
 * acceptance may process one proposal at a time in any order and still reach
 * the round-by-round result; a rejected student never needs to be looked at
 * again by the same school. Adding one applicant to a school changes its
 * choice along at most one chain — the newcomer enters a group and pushes out
 * that group's worst holder, who falls to the next group — and rejects at most
 * one student, so a proposal costs O(log c) for a school of capacity c.
 *
 * Students propose in priority order within each batch; a student pushed out
 * proposes on at once. With N students, L listed choices in all and S schools:
 * priority sort O(N) (a radix sort, see priority.ts), proposals at most L,
 * each O(log c): total O(N + L log c) time and O(N + L + S) memory.
 *
 * Layout. Nothing in the hot path is an object: the students' fields (junior
 * school, and region, grade and quota eligibility packed in one word) and
 * their choices are laid out by priority rank, so that the loop over a batch
 * walks memory in order; a minimum score is a rank cut-off (the total is the
 * first key of the order); every group of seats of every school is a heap
 * inside one Int32Array (HeapStore); the quota group of (school, junior
 * school) is found through a bit table and an open-addressing table in typed
 * arrays. Only a rejected student's next proposal reads memory out of order.
 * Working arrays are reused between runs (scratch.ts): allocating ~100 MB per
 * run would start a full garbage collection of the caller's heap.
 */
import { compileInstance, type CompiledInstance } from './compile';
import { HeapStore } from './heap';
import { NO_SCHOOL, SEAT_OPEN, SEAT_QUOTA, SEAT_REVERTED, type Matching } from './matching';
import { priorityOrder, type PriorityOrder } from './priority';
import { buildResult, serializeResult } from './result';
import { scratchInt32 } from './scratch';
import type { AllocationResult } from './types';

/** Group g of school h: open seats at first[h], reverted seats at first[h] + 1, quota seats after. */
const OPEN_GROUP = 0;
const REVERTED_GROUP = 1;
const FIRST_QUOTA_GROUP = 2;

/**
 * (school, junior school) -> quota group. Most lookups find nothing (a school
 * gives quota seats to a few of the city's junior schools), so a bit per
 * (school, junior school) answers those from a small table; the others go to
 * an open-addressing hash table of [key, group] pairs in one Int32Array, keyed
 * h * juniors + j. Beyond 2^31 keys (never seen), a Map does the same.
 */
class QuotaIndex {
  private readonly table: Int32Array;
  private readonly shift: number;
  private readonly words: number;
  private readonly bits: Int32Array | null;
  private readonly big: Map<number, number> | null;

  constructor(
    entries: number,
    schools: number,
    private readonly juniors: number,
  ) {
    let log = 4;
    while (1 << log < entries * 2) log++;
    this.shift = 32 - log;
    this.table = new Int32Array(2 << log).fill(-1);
    this.words = (juniors + 31) >>> 5;
    // 2^24 words (64 MB) at most: 3,000 schools x 170,000 junior schools.
    this.bits = schools * this.words <= 1 << 24 ? new Int32Array(schools * this.words) : null;
    this.big = schools * juniors > 0x7fffffff ? new Map() : null;
  }

  private slot(key: number): number {
    return (Math.imul(key, 0x9e3779b1) >>> this.shift) << 1;
  }

  set(h: number, j: number, group: number): void {
    if (this.bits) this.bits[h * this.words + (j >>> 5)] |= 1 << (j & 31);
    const key = h * this.juniors + j;
    if (this.big) {
      this.big.set(key, group);
      return;
    }
    const t = this.table;
    const mask = t.length - 1;
    let i = this.slot(key);
    while (t[i] !== -1) i = (i + 2) & mask;
    t[i] = key;
    t[i + 1] = group;
  }

  /** The quota group of junior school j at school h, or -1 when h has no quota seats for j. */
  get(h: number, j: number): number {
    const bits = this.bits;
    if (bits !== null && (bits[h * this.words + (j >>> 5)] & (1 << (j & 31))) === 0) return -1;
    const key = h * this.juniors + j;
    if (this.big !== null) return this.big.get(key) ?? -1;
    const t = this.table;
    const mask = t.length - 1;
    let i = this.slot(key);
    for (;;) {
      const k = t[i];
      if (k === key) return t[i + 1];
      if (k === -1) return -1;
      i = (i + 2) & mask;
    }
  }
}

/** Runs deferred acceptance on a compiled instance; `prio` is its priority order (from priorityOrder). */
export function runDeferredAcceptance(inst: CompiledInstance, prio: PriorityOrder): Matching {
  const n = inst.studentIds.length;
  const { order } = prio;
  const schools = inst.schools;
  const S = schools.length;
  const B = inst.batches.length;
  if (inst.regionIds.length >= 1 << 27) throw new RangeError('the engine packs region indices in 27 bits');

  // The total is the first key of the priority order, so the students with
  // total >= m are a prefix of it: a minimum score is a rank cut-off.
  const totals = inst.total;
  const cutOff = (min: number | null): number => {
    if (min === null) return n;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (totals[order[mid]] >= min) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // Schools' rules in flat arrays.
  const schoolBatch = new Int32Array(S);
  const cityScope = new Uint8Array(S);
  const schoolRegion = inst.schoolRegion;
  const openCut = new Int32Array(S);
  const minEvaluation = new Uint8Array(S);
  const quotaCut = new Int32Array(S);
  const quotaMinEvaluation = new Uint8Array(S);
  const quotaSeats = new Int32Array(S);
  const quotaFilled = new Int32Array(S);
  const firstGroup = new Int32Array(S + 1);
  let quotaEntries = 0;
  for (let h = 0; h < S; h++) {
    const x = schools[h];
    schoolBatch[h] = x.batchIndex;
    cityScope[h] = x.cityScope ? 1 : 0;
    openCut[h] = cutOff(x.minScore);
    minEvaluation[h] = x.minEvaluation;
    quotaCut[h] = cutOff(x.quotaMinScore);
    quotaMinEvaluation[h] = x.quotaMinEvaluation;
    quotaSeats[h] = x.quotaSeats;
    quotaEntries += x.quota.size;
    firstGroup[h + 1] = firstGroup[h] + FIRST_QUOTA_GROUP + x.quota.size;
  }
  const revert = inst.revert;
  const openFirst = inst.quotaPrecedence === 'openFirst';

  // Every group of seats, and the quota groups by (school, junior school).
  const room = new Int32Array(firstGroup[S]);
  const quotaIndex = new QuotaIndex(quotaEntries, S, inst.juniorIds.length);
  for (let h = 0; h < S; h++) {
    const x = schools[h];
    const g0 = firstGroup[h];
    room[g0 + OPEN_GROUP] = x.openSeats;
    room[g0 + REVERTED_GROUP] = revert ? x.quotaSeats : 0;
    let g = g0 + FIRST_QUOTA_GROUP;
    for (const [j, seats] of x.quota) {
      room[g] = seats;
      quotaIndex.set(h, j, g);
      g++;
    }
  }
  const heaps = new HeapStore(room);
  const hsize = heaps.size;
  const hroom = heaps.room;

  // What the engine reads of a student, laid out by rank: junior school and
  // attributes (region << 4 | evaluation << 1 | quotaEligible), and the
  // choices of rank r at choice[start[r] .. start[r + 1]) (batch by batch, as
  // listed). Built by passes that read the input in order and write by rank
  // (random writes, which do not stall as random reads do); everything after
  // reads by rank.
  const rankOf = prio.rank;
  const juniorOf = inst.studentJunior;
  const regionOf = inst.studentRegion;
  const evaluationOf = inst.evaluation;
  const quotaEligibleOf = inst.quotaEligible;
  const choiceOffset = inst.choiceOffset;
  const choiceSchool = inst.choiceSchool;
  const junior = scratchInt32('engine.junior', n);
  const attr = scratchInt32('engine.attr', n);
  const start = scratchInt32('engine.start', n + 1);
  const choice = scratchInt32('engine.choice', choiceSchool.length);
  // next[r]: r's next choice to propose to.
  const next = scratchInt32('engine.next', n);
  start[0] = 0;
  for (let s = 0; s < n; s++) {
    const r = rankOf[s];
    junior[r] = juniorOf[s];
    attr[r] = (regionOf[s] << 4) | (evaluationOf[s] << 1) | quotaEligibleOf[s];
    start[r + 1] = choiceOffset[s + 1] - choiceOffset[s];
  }
  for (let r = 0; r < n; r++) {
    next[r] = start[r];
    start[r + 1] += start[r];
  }
  for (let s = 0, k = 0; s < n; s++) {
    const e = choiceOffset[s + 1];
    for (let w = start[rankOf[s]]; k < e; k++, w++) choice[w] = choiceSchool[k];
  }

  /** §2.2 open-eligible, for the student of rank r at school h. */
  const openEligible = (h: number, r: number): boolean => {
    const a = attr[r];
    return r < openCut[h] && ((a >> 1) & 7) >= minEvaluation[h] && (cityScope[h] === 1 || schoolRegion[h] === a >> 4);
  };

  // A reverted holder rejected because a quota seat filled (at most one per application).
  let evicted = -1;

  const intoOpen = (h: number, c: number): number => {
    if (!openEligible(h, c)) return c;
    const g = firstGroup[h] + OPEN_GROUP;
    const seats = hroom[g];
    if (hsize[g] < seats) {
      heaps.push(g, c);
      return -1;
    }
    return seats > 0 && c < heaps.worst(g) ? heaps.replaceWorst(g, c) : c;
  };

  const intoQuota = (h: number, c: number): number => {
    const a = attr[c];
    if ((a & 1) === 0 || c >= quotaCut[h] || ((a >> 1) & 7) < quotaMinEvaluation[h] || !(cityScope[h] === 1 || schoolRegion[h] === a >> 4)) return c;
    const g = quotaIndex.get(h, junior[c]);
    if (g < 0) return c;
    if (hsize[g] < hroom[g]) {
      heaps.push(g, c);
      quotaFilled[h]++;
      // One quota seat fewer left empty: one reverted seat fewer.
      const rg = firstGroup[h] + REVERTED_GROUP;
      if (revert && hsize[rg] > quotaSeats[h] - quotaFilled[h]) evicted = heaps.pop(rg);
      return -1;
    }
    return c < heaps.worst(g) ? heaps.replaceWorst(g, c) : c;
  };

  const intoReverted = (h: number, c: number): number => {
    if (!revert || !openEligible(h, c)) return c;
    const g = firstGroup[h] + REVERTED_GROUP;
    const unused = quotaSeats[h] - quotaFilled[h];
    if (hsize[g] < unused) {
      heaps.push(g, c);
      return -1;
    }
    return unused > 0 && c < heaps.worst(g) ? heaps.replaceWorst(g, c) : c;
  };

  /** Adds the student of rank r to school h's applicants; returns the rank h now rejects, or -1. */
  const apply = (h: number, r: number): number => {
    evicted = -1;
    let c: number;
    if (openFirst) {
      c = intoOpen(h, r);
      if (c >= 0) c = intoQuota(h, c);
    } else {
      c = intoQuota(h, r);
      if (c >= 0) c = intoOpen(h, c);
    }
    if (c >= 0) c = intoReverted(h, c);
    return c >= 0 ? c : evicted;
  };

  // By rank: the school holding or assigned.
  const held = scratchInt32('engine.held', n).fill(NO_SCHOOL);
  let proposals = 0;
  const schoolOf = new Int32Array(n).fill(NO_SCHOOL);
  const seatOf = new Uint8Array(n);
  const batchOf = new Int32Array(n).fill(-1);
  const data = heaps.data;
  const hstart = heaps.start;

  for (let b = 0; b < B; b++) {
    for (let r = 0; r < n; r++) {
      if (held[r] !== NO_SCHOOL) continue;
      // r's first proposal in this batch (nobody behind r in the order has proposed yet).
      // A student's choices of earlier batches are behind next[]: everyone
      // unassigned after a batch was rejected by all its schools.
      let cur = r;
      let k = next[r];
      for (;;) {
        if (k === start[cur + 1] || schoolBatch[choice[k]] !== b) {
          next[cur] = k;
          break;
        }
        const h = choice[k];
        next[cur] = k + 1;
        proposals++;
        held[cur] = h;
        const rejected = apply(h, cur);
        if (rejected < 0) break;
        held[rejected] = NO_SCHOOL;
        cur = rejected;
        k = next[cur];
      }
    }
    // Everyone held by a school of this batch is now assigned there.
    for (let h = 0; h < S; h++) {
      if (schoolBatch[h] !== b) continue;
      for (let g = firstGroup[h]; g < firstGroup[h + 1]; g++) {
        const seat = g === firstGroup[h] + OPEN_GROUP ? SEAT_OPEN : g === firstGroup[h] + REVERTED_GROUP ? SEAT_REVERTED : SEAT_QUOTA;
        for (let i = hstart[g], e = hstart[g] + hsize[g]; i < e; i++) {
          const s = order[data[i]];
          schoolOf[s] = h;
          seatOf[s] = seat;
          batchOf[s] = b;
        }
      }
    }
  }
  return { schoolOf, seatOf, batchOf, proposals };
}

export interface AllocateOptions {
  /** Add per-student explanations and per-school cutoffs (default true). */
  explain?: boolean;
  /** allocateToJson: entries per written chunk (default 20,000). */
  chunkSize?: number;
}

/** Validates and allocates an instance (ALLOCATION.md §2); throws InstanceError on bad input. */
export function allocate(instance: unknown, options: AllocateOptions = {}): AllocationResult {
  const { inst, prio, matching } = match(instance);
  return buildResult(inst, prio, matching, { explain: options.explain ?? true });
}

/**
 * Validates and allocates an instance, stopping at the matching (the compiled
 * instance, the priority order and who holds which seat), for callers that
 * write the result themselves (server/domain/allocation/result.ts); throws
 * InstanceError on bad input.
 */
export function match(instance: unknown): { inst: CompiledInstance; prio: PriorityOrder; matching: Matching } {
  return matchCompiled(compileInstance(instance));
}

/** `match` on an instance compiled already (a round's thread builds the compiled form from its rows). */
export function matchCompiled(inst: CompiledInstance): { inst: CompiledInstance; prio: PriorityOrder; matching: Matching } {
  const prio = priorityOrder(inst);
  return { inst, prio, matching: runDeferredAcceptance(inst, prio) };
}

/**
 * Like `allocate`, but hands the result to `write` as JSON text in chunks
 * (see serializeResult): for results too large to build as objects first.
 */
export function allocateToJson(instance: unknown, write: (chunk: string) => void, options: AllocateOptions = {}): void {
  const { inst, prio, matching } = match(instance);
  serializeResult(inst, prio, matching, { explain: options.explain ?? true, chunkSize: options.chunkSize }, write);
}
