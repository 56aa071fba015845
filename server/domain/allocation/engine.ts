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
 */
import { compileInstance, type CompiledInstance } from './compile';
import { WorstFirstHeap } from './heap';
import { priorityOrder, type PriorityOrder } from './priority';
import { buildResult, serializeResult } from './result';
import type { AllocationResult } from './types';
import { NO_SCHOOL, SEAT_OPEN, SEAT_QUOTA, SEAT_REVERTED, type Matching } from './matching';

/**
 * The students' fields laid out by priority rank, so that the main loop walks
 * memory in order, with each school's rules in flat arrays: the hot path of a
 * million proposals touches no object but the heaps.
 */
class RankedInstance {
  readonly junior: Int32Array;
  readonly region: Int32Array;
  readonly total: Float64Array;
  readonly evaluation: Uint8Array;
  readonly quotaEligible: Uint8Array;
  /** Batch index of each entry of inst.choiceSchool. */
  readonly choiceBatch: Int32Array;
  readonly cityScope: Uint8Array;
  readonly schoolRegion: Int32Array;
  readonly minScore: Float64Array;
  readonly minEvaluation: Uint8Array;
  readonly quotaMinScore: Float64Array;
  readonly quotaMinEvaluation: Uint8Array;

  constructor(inst: CompiledInstance, order: Int32Array) {
    const n = order.length;
    this.junior = new Int32Array(n);
    this.region = new Int32Array(n);
    this.total = new Float64Array(n);
    this.evaluation = new Uint8Array(n);
    this.quotaEligible = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      const s = order[r];
      this.junior[r] = inst.studentJunior[s];
      this.region[r] = inst.studentRegion[s];
      this.total[r] = inst.total[s];
      this.evaluation[r] = inst.evaluation[s];
      this.quotaEligible[r] = inst.quotaEligible[s];
    }
    // Choices stay in student order (permuting ten million entries costs more than it saves).
    const schoolBatch = Int32Array.from(inst.schools, (x) => x.batchIndex);
    this.choiceBatch = new Int32Array(inst.choiceSchool.length);
    for (let k = 0; k < inst.choiceSchool.length; k++) this.choiceBatch[k] = schoolBatch[inst.choiceSchool[k]];
    const schools = inst.schools;
    this.cityScope = Uint8Array.from(schools, (x) => (x.cityScope ? 1 : 0));
    this.schoolRegion = inst.schoolRegion;
    this.minScore = Float64Array.from(schools, (x) => x.minScore ?? -Infinity);
    this.minEvaluation = Uint8Array.from(schools, (x) => x.minEvaluation);
    this.quotaMinScore = Float64Array.from(schools, (x) => x.quotaMinScore ?? -Infinity);
    this.quotaMinEvaluation = Uint8Array.from(schools, (x) => x.quotaMinEvaluation);
  }

  /** §2.2 open-eligible, for the student of rank r at school h. */
  openEligible(h: number, r: number): boolean {
    return (
      (this.cityScope[h] === 1 || this.schoolRegion[h] === this.region[r]) &&
      this.total[r] >= this.minScore[h] &&
      this.evaluation[r] >= this.minEvaluation[h]
    );
  }

  /** §2.2 quota-eligible, apart from the school having quota seats for the junior school. */
  quotaRulesMet(h: number, r: number): boolean {
    return (
      this.quotaEligible[r] === 1 &&
      (this.cityScope[h] === 1 || this.schoolRegion[h] === this.region[r]) &&
      this.total[r] >= this.quotaMinScore[h] &&
      this.evaluation[r] >= this.quotaMinEvaluation[h]
    );
  }
}

/**
 * The seats of one school while deferred acceptance runs, as heaps of ranks.
 * Each `into*` step offers a candidate to one group of seats (§2.3) and returns
 * the candidate that falls through to the next step: the offered one, a holder
 * it pushed out, or -1 when nobody falls through.
 */
class SchoolSeats {
  readonly open = new WorstFirstHeap();
  readonly quota = new Map<number, WorstFirstHeap>();
  readonly reverted = new WorstFirstHeap();
  quotaFilled = 0;
  /** A reverted holder rejected because a quota seat filled (at most one per application). */
  evicted = -1;
  private readonly openSeats: number;
  private readonly quotaSeats: number;
  private readonly quotaCap: Map<number, number>;
  private readonly openFirst: boolean;
  private readonly revert: boolean;

  constructor(
    inst: CompiledInstance,
    private readonly ranked: RankedInstance,
    private readonly h: number,
  ) {
    const school = inst.schools[h];
    this.openSeats = school.openSeats;
    this.quotaSeats = school.quotaSeats;
    this.quotaCap = school.quota;
    this.openFirst = inst.quotaPrecedence === 'openFirst';
    this.revert = inst.revert;
  }

  intoOpen(cand: number): number {
    if (!this.ranked.openEligible(this.h, cand)) return cand;
    if (this.open.size < this.openSeats) {
      this.open.push(cand);
      return -1;
    }
    return this.openSeats > 0 && cand < this.open.worst() ? this.open.replaceWorst(cand) : cand;
  }

  intoQuota(cand: number): number {
    const junior = this.ranked.junior[cand];
    const cap = this.quotaCap.get(junior);
    if (cap === undefined || !this.ranked.quotaRulesMet(this.h, cand)) return cand;
    let g = this.quota.get(junior);
    if (!g) {
      g = new WorstFirstHeap();
      this.quota.set(junior, g);
    }
    if (g.size < cap) {
      g.push(cand);
      this.quotaFilled++;
      // One quota seat fewer left empty: one reverted seat fewer.
      if (this.revert && this.reverted.size > this.quotaSeats - this.quotaFilled) this.evicted = this.reverted.pop();
      return -1;
    }
    return cand < g.worst() ? g.replaceWorst(cand) : cand;
  }

  intoReverted(cand: number): number {
    if (!this.revert || !this.ranked.openEligible(this.h, cand)) return cand;
    const unused = this.quotaSeats - this.quotaFilled;
    if (this.reverted.size < unused) {
      this.reverted.push(cand);
      return -1;
    }
    return unused > 0 && cand < this.reverted.worst() ? this.reverted.replaceWorst(cand) : cand;
  }

  /** Adds the student of rank r to the applicants; returns the rank the school now rejects, or -1. */
  apply(r: number): number {
    this.evicted = -1;
    let c = r;
    if (this.openFirst) {
      c = this.intoOpen(c);
      if (c >= 0) c = this.intoQuota(c);
    } else {
      c = this.intoQuota(c);
      if (c >= 0) c = this.intoOpen(c);
    }
    if (c >= 0) c = this.intoReverted(c);
    return c >= 0 ? c : this.evicted;
  }
}

/** Runs deferred acceptance on a compiled instance; `prio` is its priority order. */
export function runDeferredAcceptance(inst: CompiledInstance, prio: PriorityOrder): Matching {
  const n = inst.studentIds.length;
  const { order } = prio;
  const ranked = new RankedInstance(inst, order);
  const seats = inst.schools.map((_, h) => new SchoolSeats(inst, ranked, h));
  // Indexed by rank while running.
  const held = new Int32Array(n).fill(NO_SCHOOL);
  // Per student (not per rank): the next entry of their choices to propose to.
  const next = inst.choiceOffset.slice(0, n);
  const end = inst.choiceOffset;
  const choiceSchool = inst.choiceSchool;
  const choiceBatch = ranked.choiceBatch;
  let proposals = 0;
  const schoolOf = new Int32Array(n).fill(NO_SCHOOL);
  const seatOf = new Uint8Array(n);
  const batchOf = new Int32Array(n).fill(-1);

  for (let b = 0; b < inst.batches.length; b++) {
    for (let r = 0; r < n; r++) {
      if (held[r] !== NO_SCHOOL) continue;
      let cur = r;
      while (cur >= 0) {
        // The next school of this batch on cur's list (earlier batches are done).
        const s = order[cur];
        let k = next[s];
        const stop = end[s + 1];
        while (k < stop && choiceBatch[k] < b) k++;
        if (k === stop || choiceBatch[k] > b) {
          next[s] = k;
          break;
        }
        const h = choiceSchool[k];
        next[s] = k + 1;
        proposals++;
        held[cur] = h;
        const rejected = seats[h].apply(cur);
        if (rejected >= 0) held[rejected] = NO_SCHOOL;
        cur = rejected;
      }
    }
    // Everyone held by a school of this batch is now assigned there.
    inst.schools.forEach((school, h) => {
      if (school.batchIndex !== b) return;
      const st = seats[h];
      const label = (heap: WorstFirstHeap, seat: number) => {
        for (const r of heap.items) {
          const s = order[r];
          schoolOf[s] = h;
          seatOf[s] = seat;
          batchOf[s] = b;
        }
      };
      label(st.open, SEAT_OPEN);
      for (const g of st.quota.values()) label(g, SEAT_QUOTA);
      label(st.reverted, SEAT_REVERTED);
    });
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
