/**
 * Reference deferred acceptance, transcribed from ALLOCATION.md §2.4 with the
 * plain choice function: round by round (`rounds`), or one proposal at a time
 * in an order given by the caller (`oneAtATime`). Quadratic, for tests: the
 * engine must agree with both on every instance.
 */
import { compileInstance, type CompiledInstance } from './compile';
import { schoolChoice } from './choice';
import { NO_SCHOOL, SEAT_OPEN, SEAT_QUOTA, SEAT_REVERTED, type Matching } from './matching';
import { priorityOrder, type PriorityOrder } from './priority';
import { buildResult } from './result';
import type { AllocationResult, SeatKind } from './types';

const SEAT_CODE: Record<SeatKind, number> = { open: SEAT_OPEN, quota: SEAT_QUOTA, reverted: SEAT_REVERTED };

interface BatchState {
  inst: CompiledInstance;
  rank: Int32Array;
  batch: number;
  next: Int32Array;
  held: Map<number, number[]>;
  labels: Map<number, Map<number, SeatKind>>;
}

/** The student's next school in this batch, advancing their pointer; -1 when the list is done. */
function nextSchool(st: BatchState, s: number): number {
  const { inst } = st;
  while (st.next[s] < inst.choiceOffset[s + 1]) {
    const h = inst.choiceSchool[st.next[s]];
    const bi = inst.schools[h].batchIndex;
    if (bi > st.batch) return -1;
    st.next[s]++;
    if (bi === st.batch) return h;
  }
  return -1;
}

/** Applies h's choice to what it holds plus `newcomers`; returns the rejected. */
function reconsider(st: BatchState, h: number, newcomers: number[]): number[] {
  const applicants = [...(st.held.get(h) ?? []), ...newcomers].sort((a, b) => st.rank[a] - st.rank[b]);
  const chosen = schoolChoice(st.inst, h, applicants);
  st.held.set(h, applicants.filter((s) => chosen.has(s)));
  st.labels.set(h, chosen);
  return applicants.filter((s) => !chosen.has(s));
}

type BatchRunner = (st: BatchState, free: number[]) => number;

/** Every free student applies; schools choose; the rejected apply on; until nobody applies. */
const rounds: BatchRunner = (st, free) => {
  let proposals = 0;
  let proposing = free;
  while (proposing.length > 0) {
    const bySchool = new Map<number, number[]>();
    for (const s of proposing) {
      const h = nextSchool(st, s);
      if (h < 0) continue;
      proposals++;
      const list = bySchool.get(h);
      if (list) list.push(s);
      else bySchool.set(h, [s]);
    }
    proposing = [];
    for (const [h, newcomers] of bySchool) proposing.push(...reconsider(st, h, newcomers));
  }
  return proposals;
};

/** One proposal at a time, the next proposer picked by `pick` among the free students. */
function oneAtATimeRunner(pick: (count: number) => number): BatchRunner {
  return (st, free) => {
    let proposals = 0;
    const pool = [...free];
    while (pool.length > 0) {
      const i = pick(pool.length);
      const s = pool[i];
      const h = nextSchool(st, s);
      if (h < 0) {
        pool.splice(i, 1);
        continue;
      }
      proposals++;
      const rejected = reconsider(st, h, [s]);
      pool.splice(i, 1, ...rejected);
    }
    return proposals;
  };
}

function runBatches(inst: CompiledInstance, prio: PriorityOrder, runner: BatchRunner): Matching {
  const n = inst.studentIds.length;
  const schoolOf = new Int32Array(n).fill(NO_SCHOOL);
  const seatOf = new Uint8Array(n);
  const batchOf = new Int32Array(n).fill(-1);
  const next = inst.choiceOffset.slice(0, n);
  let proposals = 0;
  for (let b = 0; b < inst.batches.length; b++) {
    const st: BatchState = { inst, rank: prio.rank, batch: b, next, held: new Map(), labels: new Map() };
    const free: number[] = [];
    for (let s = 0; s < n; s++) if (schoolOf[s] === NO_SCHOOL) free.push(s);
    proposals += runner(st, free);
    for (const [h, students] of st.held) {
      const labels = st.labels.get(h) as Map<number, SeatKind>;
      for (const s of students) {
        schoolOf[s] = h;
        seatOf[s] = SEAT_CODE[labels.get(s) as SeatKind];
        batchOf[s] = b;
      }
    }
  }
  return { schoolOf, seatOf, batchOf, proposals };
}

/** Round-by-round deferred acceptance exactly as §2.4 words it. */
export function allocateByRounds(instance: unknown): AllocationResult {
  const inst = compileInstance(instance);
  const prio = priorityOrder(inst);
  return buildResult(inst, prio, runBatches(inst, prio, rounds), { explain: false });
}

/** Deferred acceptance one proposal at a time, the proposer chosen by `pick(count)` in [0, count). */
export function allocateOneAtATime(instance: unknown, pick: (count: number) => number): AllocationResult {
  const inst = compileInstance(instance);
  const prio = priorityOrder(inst);
  return buildResult(inst, prio, runBatches(inst, prio, oneAtATimeRunner(pick)), { explain: false });
}
