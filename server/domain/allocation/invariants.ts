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

/** Ranks students by §2.1 with a plain comparator: total, tie-breaks, lottery, id. */
function independentRanks(inst: CompiledInstance): Int32Array {
  const n = inst.studentIds.length;
  const keys = inst.tieBreak.map((key) =>
    Float64Array.from({ length: n }, (_, s) => tieBreakValue(key, inst.evaluation[s], inst.scores[s])),
  );
  const lottery = inst.studentIds.map((id) => lotteryNumber(inst.seed, id));
  const students = Array.from({ length: n }, (_, s) => s);
  students.sort((a, b) => {
    if (inst.total[a] !== inst.total[b]) return inst.total[a] > inst.total[b] ? -1 : 1;
    for (const col of keys) if (col[a] !== col[b]) return col[a] > col[b] ? -1 : 1;
    return compareStrings(lottery[a], lottery[b]) || compareStrings(inst.studentIds[a], inst.studentIds[b]);
  });
  const rank = new Int32Array(n);
  students.forEach((s, i) => (rank[s] = i));
  return rank;
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
  const rank = independentRanks(inst);
  const studentIndex = new Map(inst.studentIds.map((id, s) => [id, s]));
  const schoolIndex = new Map(inst.schools.map((sc, h) => [sc.id, h]));

  // Every student exactly once; assignments valid.
  const got = new Int32Array(n).fill(-1);
  const seatOf: (SeatKind | undefined)[] = new Array(n);
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
    if (a.seat !== 'open' && a.seat !== 'quota' && a.seat !== 'reverted') fail(`student ${id}: unknown seat ${a.seat}`);
    let listed = false;
    for (let k = inst.choiceOffset[s]; k < inst.choiceOffset[s + 1]; k++) if (inst.choiceSchool[k] === h) listed = true;
    if (!listed) fail(`student ${id} assigned to ${a.school}, which they did not list`);
    got[s] = h;
    seatOf[s] = a.seat;
  }
  const unassigned = result.unassigned ?? [];
  let previous = -1;
  for (const id of unassigned) {
    const s = studentIndex.get(id);
    if (s === undefined) fail(`unassigned lists unknown student ${id}`);
    else if (got[s] !== -1) fail(`student ${id} is both assigned and unassigned`);
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
      const seat = seatOf[s] as SeatKind;
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
      if (labels.get(s) !== seatOf[s]) {
        fail(`${school.id}'s choice among its holders gives ${inst.studentIds[s]} ${labels.get(s) ?? 'no seat'}, result says ${seatOf[s]}`);
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
