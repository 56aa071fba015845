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
 * priority sort O(N log N), proposals at most L, each O(log c): total
 * O(N log N + L log c) time and O(N + L + S) memory.
 *
 * Layout. Nothing in the hot path is an object: the students' fields and
 * their choices are laid out by priority rank (choices batch by batch), so
 * that the loop over a batch walks memory in order; every group of seats of
 * every school is a heap inside one Int32Array (HeapStore); the quota group of
 * (school, junior school) is found in an open-addressing table of typed arrays.
 * Only a rejected student's next proposal reads memory out of order.
 */
import { compileInstance, type CompiledInstance } from './compile';
import { HeapStore } from './heap';
import { NO_SCHOOL, SEAT_OPEN, SEAT_QUOTA, SEAT_REVERTED, type Matching } from './matching';
import { priorityOrder, type PriorityOrder } from './priority';
import { buildResult, serializeResult } from './result';
import type { AllocationResult } from './types';

/** Group g of school h: open seats at first[h], reverted seats at first[h] + 1, quota seats after. */
const OPEN_GROUP = 0;
const REVERTED_GROUP = 1;
const FIRST_QUOTA_GROUP = 2;

/**
 * (school, junior school) -> quota group, as an open-addressing hash table in
 * typed arrays (key h * juniors + j).
 */
class QuotaIndex {
  private readonly keys: Float64Array;
  private readonly groups: Int32Array;
  private readonly mask: number;

  constructor(
    entries: number,
    private readonly juniors: number,
  ) {
    let cap = 16;
    while (cap < entries * 2) cap *= 2;
    this.mask = cap - 1;
    this.keys = new Float64Array(cap).fill(-1);
    this.groups = new Int32Array(cap);
  }

  private slot(key: number): number {
    return Math.imul((key % 0x7fffffff) | 0, 0x9e3779b1) >>> 0;
  }

  set(h: number, j: number, group: number): void {
    const key = h * this.juniors + j;
    let i = this.slot(key) & this.mask;
    while (this.keys[i] !== -1) i = (i + 1) & this.mask;
    this.keys[i] = key;
    this.groups[i] = group;
  }

  /** The quota group of junior school j at school h, or -1 when h has no quota seats for j. */
  get(h: number, j: number): number {
    const key = h * this.juniors + j;
    const keys = this.keys;
    let i = this.slot(key) & this.mask;
    for (;;) {
      const k = keys[i];
      if (k === key) return this.groups[i];
      if (k === -1) return -1;
      i = (i + 1) & this.mask;
    }
  }
}

/** Runs deferred acceptance on a compiled instance; `prio` is its priority order. */
export function runDeferredAcceptance(inst: CompiledInstance, prio: PriorityOrder): Matching {
  const n = inst.studentIds.length;
  const { order } = prio;
  const schools = inst.schools;
  const S = schools.length;
  const B = inst.batches.length;

  // Schools' rules in flat arrays.
  const schoolBatch = new Int32Array(S);
  const cityScope = new Uint8Array(S);
  const schoolRegion = inst.schoolRegion;
  const minScore = new Float64Array(S);
  const minEvaluation = new Uint8Array(S);
  const quotaMinScore = new Float64Array(S);
  const quotaMinEvaluation = new Uint8Array(S);
  const quotaSeats = new Int32Array(S);
  const quotaFilled = new Int32Array(S);
  const firstGroup = new Int32Array(S + 1);
  let quotaEntries = 0;
  for (let h = 0; h < S; h++) {
    const x = schools[h];
    schoolBatch[h] = x.batchIndex;
    cityScope[h] = x.cityScope ? 1 : 0;
    minScore[h] = x.minScore ?? -Infinity;
    minEvaluation[h] = x.minEvaluation;
    quotaMinScore[h] = x.quotaMinScore ?? -Infinity;
    quotaMinEvaluation[h] = x.quotaMinEvaluation;
    quotaSeats[h] = x.quotaSeats;
    quotaEntries += x.quota.size;
    firstGroup[h + 1] = firstGroup[h] + FIRST_QUOTA_GROUP + x.quota.size;
  }
  const revert = inst.revert;
  const openFirst = inst.quotaPrecedence === 'openFirst';

  // Every group of seats, and the quota groups by (school, junior school).
  const room = new Int32Array(firstGroup[S]);
  const quotaIndex = new QuotaIndex(quotaEntries, inst.juniorIds.length);
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

  // Students' fields by rank, and their choices by batch then rank: choices of
  // rank r in batch b are choice[off[b * (n + 1) + r] .. off[b * (n + 1) + r + 1]).
  const junior = new Int32Array(n);
  const region = new Int32Array(n);
  const total = new Float64Array(n);
  const evaluation = new Uint8Array(n);
  const quotaEligible = new Uint8Array(n);
  const choiceOffset = inst.choiceOffset;
  const choiceSchool = inst.choiceSchool;
  const perBatch = new Int32Array(B + 1);
  for (let k = 0; k < choiceSchool.length; k++) perBatch[schoolBatch[choiceSchool[k]] + 1]++;
  for (let b = 0; b < B; b++) perBatch[b + 1] += perBatch[b];
  const fill = perBatch.slice(0, B);
  const choice = new Int32Array(choiceSchool.length);
  const stride = n + 1;
  const off = new Int32Array(B * stride);
  for (let b = 0; b < B; b++) off[b * stride] = perBatch[b];
  for (let r = 0; r < n; r++) {
    const s = order[r];
    junior[r] = inst.studentJunior[s];
    region[r] = inst.studentRegion[s];
    total[r] = inst.total[s];
    evaluation[r] = inst.evaluation[s];
    quotaEligible[r] = inst.quotaEligible[s];
    const stop = choiceOffset[s + 1];
    for (let k = choiceOffset[s]; k < stop; k++) {
      const h = choiceSchool[k];
      choice[fill[schoolBatch[h]]++] = h;
    }
    for (let b = 0, o = r + 1; b < B; b++, o += stride) off[o] = fill[b];
  }

  /** §2.2 open-eligible, for the student of rank r at school h. */
  const openEligible = (h: number, r: number): boolean =>
    (cityScope[h] === 1 || schoolRegion[h] === region[r]) && total[r] >= minScore[h] && evaluation[r] >= minEvaluation[h];

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
    if (quotaEligible[c] !== 1) return c;
    const g = quotaIndex.get(h, junior[c]);
    if (
      g < 0 ||
      !(cityScope[h] === 1 || schoolRegion[h] === region[c]) ||
      !(total[c] >= quotaMinScore[h]) ||
      !(evaluation[c] >= quotaMinEvaluation[h])
    )
      return c;
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

  // Indexed by rank: the school holding or assigned, and the next choice to propose to.
  const held = new Int32Array(n).fill(NO_SCHOOL);
  const next = new Int32Array(n);
  let proposals = 0;
  const schoolOf = new Int32Array(n).fill(NO_SCHOOL);
  const seatOf = new Uint8Array(n);
  const batchOf = new Int32Array(n).fill(-1);
  const data = heaps.data;
  const hstart = heaps.start;

  for (let b = 0; b < B; b++) {
    const base = b * stride;
    for (let r = 0; r < n; r++) {
      if (held[r] !== NO_SCHOOL) continue;
      // r's first proposal in this batch (nobody behind r in the order has proposed yet).
      let cur = r;
      let k = off[base + r];
      let stop = off[base + r + 1];
      for (;;) {
        if (k === stop) {
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
        stop = off[base + cur + 1];
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
  const inst = compileInstance(instance);
  const prio = priorityOrder(inst);
  const matching = runDeferredAcceptance(inst, prio);
  return buildResult(inst, prio, matching, { explain: options.explain ?? true });
}

/**
 * Like `allocate`, but hands the result to `write` as JSON text in chunks
 * (see serializeResult): for results too large to build as objects first.
 */
export function allocateToJson(instance: unknown, write: (chunk: string) => void, options: AllocateOptions = {}): void {
  const inst = compileInstance(instance);
  const prio = priorityOrder(inst);
  const matching = runDeferredAcceptance(inst, prio);
  serializeResult(inst, prio, matching, { explain: options.explain ?? true, chunkSize: options.chunkSize }, write);
}
