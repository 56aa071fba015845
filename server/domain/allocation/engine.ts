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
import { isOpenEligible, isQuotaEligible } from './eligibility';
import { WorstFirstHeap } from './heap';
import { priorityOrder, type PriorityOrder } from './priority';
import { buildResult } from './result';
import type { AllocationResult } from './types';

export const SEAT_OPEN = 0;
export const SEAT_QUOTA = 1;
export const SEAT_REVERTED = 2;
export const NO_SCHOOL = -1;

/** Who holds which seat once every batch has run; the input of result building. */
export interface Matching {
  /** School index per student, or NO_SCHOOL. */
  schoolOf: Int32Array;
  /** SEAT_OPEN, SEAT_QUOTA or SEAT_REVERTED per assigned student. */
  seatOf: Uint8Array;
  /** Batch index per assigned student. */
  batchOf: Int32Array;
  proposals: number;
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

  constructor(
    private readonly inst: CompiledInstance,
    private readonly order: Int32Array,
    private readonly h: number,
  ) {}

  intoOpen(cand: number): number {
    const school = this.inst.schools[this.h];
    if (!isOpenEligible(this.inst, this.h, this.order[cand])) return cand;
    if (this.open.size < school.openSeats) {
      this.open.push(cand);
      return -1;
    }
    return school.openSeats > 0 && cand < this.open.worst() ? this.open.replaceWorst(cand) : cand;
  }

  intoQuota(cand: number): number {
    const s = this.order[cand];
    if (!isQuotaEligible(this.inst, this.h, s)) return cand;
    const school = this.inst.schools[this.h];
    const junior = this.inst.studentJunior[s];
    let g = this.quota.get(junior);
    if (!g) {
      g = new WorstFirstHeap();
      this.quota.set(junior, g);
    }
    if (g.size < (school.quota.get(junior) as number)) {
      g.push(cand);
      this.quotaFilled++;
      // One quota seat fewer left empty: one reverted seat fewer.
      if (this.inst.revert && this.reverted.size > school.quotaSeats - this.quotaFilled) {
        this.evicted = this.reverted.pop();
      }
      return -1;
    }
    return cand < g.worst() ? g.replaceWorst(cand) : cand;
  }

  intoReverted(cand: number): number {
    if (!this.inst.revert || !isOpenEligible(this.inst, this.h, this.order[cand])) return cand;
    const unused = this.inst.schools[this.h].quotaSeats - this.quotaFilled;
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
    if (this.inst.quotaPrecedence === 'openFirst') {
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
  const schools = inst.schools;
  const seats = schools.map((_, h) => new SchoolSeats(inst, order, h));
  const schoolOf = new Int32Array(n).fill(NO_SCHOOL);
  const seatOf = new Uint8Array(n);
  const batchOf = new Int32Array(n).fill(-1);
  const next = inst.choiceOffset.slice(0, n);
  const end = inst.choiceOffset;
  const choiceSchool = inst.choiceSchool;
  let proposals = 0;

  for (let b = 0; b < inst.batches.length; b++) {
    for (let r = 0; r < n; r++) {
      if (schoolOf[order[r]] !== NO_SCHOOL) continue;
      let cur = r;
      while (cur >= 0) {
        const s = order[cur];
        let h = -1;
        while (next[s] < end[s + 1]) {
          const cand = choiceSchool[next[s]];
          const bi = schools[cand].batchIndex;
          if (bi > b) break;
          next[s]++;
          if (bi === b) {
            h = cand;
            break;
          }
        }
        if (h < 0) break;
        proposals++;
        schoolOf[s] = h;
        const rejected = seats[h].apply(cur);
        if (rejected >= 0) schoolOf[order[rejected]] = NO_SCHOOL;
        cur = rejected;
      }
    }
    // Everyone held by a school of this batch is now assigned there.
    schools.forEach((school, h) => {
      if (school.batchIndex !== b) return;
      const st = seats[h];
      const label = (heap: WorstFirstHeap, seat: number) => {
        for (const r of heap.items) {
          seatOf[order[r]] = seat;
          batchOf[order[r]] = b;
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
}

/** Validates and allocates an instance (ALLOCATION.md §2); throws InstanceError on bad input. */
export function allocate(instance: unknown, options: AllocateOptions = {}): AllocationResult {
  const inst = compileInstance(instance);
  const prio = priorityOrder(inst);
  const matching = runDeferredAcceptance(inst, prio);
  return buildResult(inst, prio, matching, { explain: options.explain ?? true });
}
