/**
 * An invariant checker for allocation results (ALLOCATION.md §2.6), kept apart
 * from the engine: it recomputes the priority order on its own (hashing every
 * student's lottery number) and judges a result only by the rules, so a round
 * is published only when a second reading of the rules agrees with it.
 */
import { compileInstance, type CompiledInstance } from './compile';
import { schoolChoice } from './choice';
import { isOpenEligible, isQuotaEligible } from './eligibility';
import { compareStrings, lotteryNumber, tieBreakValue } from './priority';
import type { AllocationResult, SeatKind } from './types';

export interface InvariantReport {
  ok: boolean;
  /** Human-readable violations, at most `limit` of them. */
  violations: string[];
  checked: { students: number; schools: number; envyChecks: number };
}

/**
 * Ranks students by §2.1 with a plain comparator: total, tie-breaks, lottery, id. A `candidate` order
 * (the engine's) is taken when every student appears once and each comes before the next by the
 * comparator: the order of a strict total order is unique, so that is the order a sort would give, at
 * n - 1 comparisons instead of a sort's n log n. Otherwise, the students are sorted here.
 */
function independentRanks(inst: CompiledInstance, candidate?: ArrayLike<number>): Int32Array {
  const n = inst.studentIds.length;
  const keys = inst.tieBreak.map((key) => tieBreakColumn(inst, key));
  // Lottery numbers are hashed when two students tie on everything before them.
  const lottery: (string | undefined)[] = new Array(n);
  const lotteryOf = (s: number) => (lottery[s] ??= lotteryNumber(inst.seed, inst.studentIds[s]));
  const compare = (a: number, b: number) => {
    if (inst.total[a] !== inst.total[b]) return inst.total[a] > inst.total[b] ? -1 : 1;
    for (const col of keys) if (col[a] !== col[b]) return col[a] > col[b] ? -1 : 1;
    return compareStrings(lotteryOf(a), lotteryOf(b)) || compareStrings(inst.studentIds[a], inst.studentIds[b]);
  };
  const rank = new Int32Array(n).fill(-1);
  if (candidate && candidate.length === n) {
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      const s = candidate[i];
      if (!(s >= 0 && s < n && rank[s] === -1) || (i > 0 && compare(candidate[i - 1], s) >= 0)) ok = false;
      else rank[s] = i;
    }
    if (ok) return rank;
  }
  const students = Array.from({ length: n }, (_, s) => s);
  students.sort(compare);
  students.forEach((s, i) => (rank[s] = i));
  return rank;
}

/** tieBreakValue of a key for every student, from the instance's subject columns where it has them. */
function tieBreakColumn(inst: CompiledInstance, key: string): Float64Array {
  const n = inst.studentIds.length;
  const parts = key.split('+');
  const columns = key === 'evaluation' ? undefined : parts.map((part) => inst.subjectScores?.get(part));
  if (!columns || columns.some((c) => c === undefined)) {
    return Float64Array.from({ length: n }, (_, s) => tieBreakValue(key, inst.evaluation[s], inst.scores[s]));
  }
  const col = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let sum = 0;
    for (const c of columns as Float64Array[]) sum += c[s]; // -Infinity (missing) stays -Infinity: scores are finite
    col[s] = sum;
  }
  return col;
}

/** Number of entries of a sorted array smaller than x. */
function countBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether school h, holding `holders`, would reject one more applicant s:
 * the §2.3 steps on holders ∪ {s}, counted rather than replayed. `labels` is
 * the choice on the holders alone; s changes nothing before the step that
 * would take it, so each step compares s with the holders still untaken there.
 */
function makeRejectTest(inst: CompiledInstance, h: number, holders: number[], labels: Map<number, SeatKind>, rank: Int32Array) {
  const school = inst.schools[h];
  const byRank = (a: number, b: number) => a - b;
  const openFirst = inst.quotaPrecedence === 'openFirst';
  const quotaFilled = holders.filter((s) => labels.get(s) === 'quota').length;
  const unused = inst.revert ? school.quotaSeats - quotaFilled : 0;
  // Holders still untaken when the open step runs / the quota step runs / the reverted step runs.
  const openPool = holders.filter((s) => openFirst || labels.get(s) !== 'quota');
  const quotaPool = holders.filter((s) => !openFirst || labels.get(s) !== 'open');
  const revertedPool = holders.filter((s) => labels.get(s) === 'reverted');
  const openRanks = openPool.filter((s) => isOpenEligible(inst, h, s)).map((s) => rank[s]).sort(byRank);
  const revertedRanks = revertedPool.map((s) => rank[s]).sort(byRank);
  const quotaRanks = new Map<number, number[]>();
  for (const s of quotaPool) {
    if (!isQuotaEligible(inst, h, s)) continue;
    const j = inst.studentJunior[s];
    const list = quotaRanks.get(j) ?? [];
    list.push(rank[s]);
    quotaRanks.set(j, list);
  }
  for (const list of quotaRanks.values()) list.sort(byRank);

  return (s: number): boolean => {
    const r = rank[s];
    const open = isOpenEligible(inst, h, s);
    if (open && countBelow(openRanks, r) < school.openSeats) return false;
    if (isQuotaEligible(inst, h, s)) {
      const j = inst.studentJunior[s];
      if (countBelow(quotaRanks.get(j) ?? [], r) < (school.quota.get(j) as number)) return false;
    }
    // Reverted seats go to the first `unused` open-eligible students left; the
    // holders left there are exactly the reverted ones.
    if (open && countBelow(revertedRanks, r) < unused) return false;
    return true;
  };
}

/**
 * A result as the checker reads it, by student index: the school index each student holds (-1 when the
 * result does not assign them) and the seat (SEAT_OPEN, SEAT_QUOTA, SEAT_REVERTED; SEAT_UNKNOWN for a
 * name that is none of them), the unassigned list in the result's order, and the schools' summaries.
 */
export interface ResultArrays {
  schoolOf: Int32Array;
  seatOf: Uint8Array;
  unassigned: ArrayLike<number>;
  schools: AllocationResult['schools'];
}

const SEAT_NAMES: readonly SeatKind[] = ['open', 'quota', 'reverted'];
const SEAT_UNKNOWN = 255;

/**
 * Checks a result against every invariant of §2.6 and the §2.5 summary fields. `compiled` is the
 * instance as compileInstance reads it (validation and layout, shared with the engine, a pure
 * function): a caller that has it already (a round's thread) saves compiling a province twice.
 */
export function checkAllocation(instance: unknown, result: AllocationResult, limit = 50, compiled?: CompiledInstance): InvariantReport {
  const inst = compiled ?? compileInstance(instance);
  const violations: string[] = [];
  const fail = (msg: string) => {
    if (violations.length < limit) violations.push(msg);
  };
  const n = inst.studentIds.length;
  const studentIndex = new Map(inst.studentIds.map((id, s) => [id, s]));
  const schoolIndex = new Map(inst.schools.map((sc, h) => [sc.id, h]));

  // The result's ids as indices; what names nothing known is reported here.
  const schoolOf = new Int32Array(n).fill(-1);
  const seatOf = new Uint8Array(n).fill(SEAT_UNKNOWN);
  const assignments = result.assignments ?? {};
  for (const id in assignments) {
    if (!Object.hasOwn(assignments, id)) continue;
    const a = assignments[id];
    const s = studentIndex.get(id);
    const h = schoolIndex.get(a?.school);
    if (s === undefined) {
      fail(`assignment of unknown student ${id}`);
      continue;
    }
    if (h === undefined) {
      fail(`student ${id} assigned to unknown school ${a?.school}`);
      continue;
    }
    if (a.batch !== inst.schools[h].batch) fail(`student ${id}: batch ${a.batch} but ${a.school} is in batch ${inst.schools[h].batch}`);
    const seat = SEAT_NAMES.indexOf(a.seat);
    if (seat < 0) fail(`student ${id}: unknown seat ${a.seat}`);
    schoolOf[s] = h;
    seatOf[s] = seat < 0 ? SEAT_UNKNOWN : seat;
  }
  const unassigned: number[] = [];
  for (const id of result.unassigned ?? []) {
    const s = studentIndex.get(id);
    if (s === undefined) fail(`unassigned lists unknown student ${id}`);
    else unassigned.push(s);
  }
  return checkResultArrays(inst, { schoolOf, seatOf, unassigned, schools: result.schools }, { limit, violations });
}

/**
 * checkAllocation on a result given by student and school index (a round's thread checks the
 * engine's matching so, without building a million-entry result object). `order`, the engine's
 * priority order, is used only once the checker has verified it (independentRanks).
 */
export function checkResultArrays(
  inst: CompiledInstance,
  result: ResultArrays,
  options: { limit?: number; order?: ArrayLike<number>; violations?: string[] } = {},
): InvariantReport {
  const limit = options.limit ?? 50;
  const violations = options.violations ?? [];
  const fail = (msg: string) => {
    if (violations.length < limit) violations.push(msg);
  };
  const n = inst.studentIds.length;
  const rank = independentRanks(inst, options.order);

  // Every student exactly once; each assigned to a school they listed.
  const got = Int32Array.from(result.schoolOf);
  const seatOf = result.seatOf;
  for (let s = 0; s < n; s++) {
    const h = got[s];
    if (h < 0) continue;
    let listed = false;
    for (let k = inst.choiceOffset[s]; k < inst.choiceOffset[s + 1]; k++) if (inst.choiceSchool[k] === h) listed = true;
    if (!listed) fail(`student ${inst.studentIds[s]} assigned to ${inst.schools[h].id}, which they did not list`);
  }
  let previous = -1;
  for (let i = 0; i < result.unassigned.length; i++) {
    const s = result.unassigned[i];
    const id = inst.studentIds[s];
    if (got[s] !== -1) fail(`student ${id} is both assigned and unassigned`);
    else {
      if (rank[s] < previous) fail(`unassigned is not in priority order at ${id}`);
      previous = rank[s];
      got[s] = -2;
    }
  }
  for (let s = 0; s < n; s++) if (got[s] === -1) fail(`student ${inst.studentIds[s]} is neither assigned nor unassigned`);

  // Per school: capacity, quota per junior, eligibility for the seat held, summary fields, labels.
  const holders: number[][] = inst.schools.map(() => []);
  for (let s = 0; s < n; s++) if (got[s] >= 0) holders[got[s]].push(s);
  const rejects: ((s: number) => boolean)[] = [];
  inst.schools.forEach((school, h) => {
    const list = holders[h].sort((a, b) => rank[a] - rank[b]);
    const counts = { open: 0, quota: 0, reverted: 0 };
    const quotaByJunior = new Map<number, number>();
    for (const s of list) {
      const seat = SEAT_NAMES[seatOf[s]] as SeatKind | undefined;
      if (seat === undefined) continue; // reported with the assignment
      counts[seat]++;
      const id = inst.studentIds[s];
      if (seat === 'quota') {
        const j = inst.studentJunior[s];
        quotaByJunior.set(j, (quotaByJunior.get(j) ?? 0) + 1);
        if (!isQuotaEligible(inst, h, s)) fail(`${id} holds a quota seat of ${school.id} without being quota-eligible`);
      } else if (!isOpenEligible(inst, h, s)) fail(`${id} holds a ${seat} seat of ${school.id} without being open-eligible`);
    }
    if (list.length > school.capacity) fail(`${school.id} holds ${list.length} students, capacity ${school.capacity}`);
    for (const [j, c] of quotaByJunior) {
      if (c > (school.quota.get(j) ?? 0)) fail(`${school.id} holds ${c} quota seats of ${inst.juniorIds[j]}, quota ${school.quota.get(j) ?? 0}`);
    }
    if (counts.open > school.openSeats) fail(`${school.id} holds ${counts.open} open seats of ${school.openSeats}`);
    const unusedQuota = inst.revert ? school.quotaSeats - counts.quota : 0;
    if (counts.reverted > unusedQuota) fail(`${school.id} holds ${counts.reverted} reverted seats, only ${unusedQuota} quota seats unused`);

    const summary = result.schools?.[school.id];
    if (!summary) fail(`schools lacks ${school.id}`);
    else {
      const expected = {
        capacity: school.capacity,
        admitted: list.length,
        open: counts.open,
        quota: counts.quota,
        reverted: counts.reverted,
        lastAdmitted: list.length > 0 ? inst.studentIds[list[list.length - 1]] : undefined,
      };
      for (const [field, value] of Object.entries(expected)) {
        const actual = (summary as unknown as Record<string, unknown>)[field];
        if (actual !== value) fail(`schools.${school.id}.${field} is ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`);
      }
    }

    const labels = schoolChoice(inst, h, list);
    for (const s of list) {
      const seat = SEAT_NAMES[seatOf[s]];
      if (labels.get(s) !== seat) {
        fail(`${school.id}'s choice among its holders gives ${inst.studentIds[s]} ${labels.get(s) ?? 'no seat'}, result says ${seat ?? 'an unknown seat'}`);
      }
    }
    rejects[h] = makeRejectTest(inst, h, list, labels, rank);
  });

  // No justified envy, no waste: every school listed above the one got, in every batch taken part in.
  let envyChecks = 0;
  for (let s = 0; s < n; s++) {
    const assignedBatch = got[s] >= 0 ? inst.schools[got[s]].batchIndex : Infinity;
    for (let k = inst.choiceOffset[s]; k < inst.choiceOffset[s + 1]; k++) {
      const h = inst.choiceSchool[k];
      if (h === got[s] || inst.schools[h].batchIndex > assignedBatch) break;
      envyChecks++;
      if (!rejects[h](s)) {
        fail(`${inst.studentIds[s]} listed ${inst.schools[h].id} above their result and ${inst.schools[h].id} would take them (justified envy or waste)`);
      }
    }
  }

  return { ok: violations.length === 0, violations, checked: { students: n, schools: inst.schools.length, envyChecks } };
}
