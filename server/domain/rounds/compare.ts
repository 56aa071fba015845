/**
 * Pure: the side-by-side comparison of two rounds (simulations of two
 * policies, or a simulation and the real round): who changes school, quota
 * seats used per junior school, and each school's cutoff (the total of its
 * lowest-priority admitted student, ALLOCATION.md §2.5).
 */
import type { AllocationResult, Assignment, StudentInput } from '../allocation/types';

/** What a comparison reads of a round: its students (as its input holds them) and who holds which seat. */
export interface RoundData {
  input: { students: readonly Pick<StudentInput, 'id' | 'junior' | 'region' | 'total'>[] };
  result: { assignments: Record<string, Pick<Assignment, 'school' | 'seat'>>; schools: AllocationResult['schools'] };
}

export interface StudentMove {
  student: string;
  junior: string;
  region: string;
  total: number;
  /** School in round a; null when unplaced there. */
  from: string | null;
  to: string | null;
}

export interface RoundComparison {
  moved: StudentMove[];
  /** Junior school id -> quota seats its students hold in a and in b. */
  quotaUsed: Record<string, { a: number; b: number }>;
  /** High school id -> cutoff (total of lastAdmitted) in a and b; null when nobody was admitted. */
  cutoffs: Record<string, { a: number | null; b: number | null }>;
  /** Students placed in each round. */
  assigned: { a: number; b: number };
  studentsOnlyInOne: number;
}

function quotaByJunior(data: RoundData, juniorOf: Map<string, string>): Map<string, number> {
  const used = new Map<string, number>();
  for (const [student, assignment] of Object.entries(data.result.assignments)) {
    if (assignment.seat !== 'quota') continue;
    const junior = juniorOf.get(student);
    if (junior !== undefined) used.set(junior, (used.get(junior) ?? 0) + 1);
  }
  return used;
}

function cutoffsOf(data: RoundData, totalOf: Map<string, number>): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const [school, summary] of Object.entries(data.result.schools)) {
    out.set(school, summary.lastAdmitted === undefined ? null : (totalOf.get(summary.lastAdmitted) ?? null));
  }
  return out;
}

export function compareRounds(a: RoundData, b: RoundData): RoundComparison {
  const students = new Map<string, { junior: string; region: string; total: number }>();
  for (const s of [...a.input.students, ...b.input.students]) students.set(s.id, { junior: s.junior, region: s.region, total: s.total });
  const juniorOf = new Map([...students].map(([id, s]) => [id, s.junior]));
  const totalOf = new Map([...students].map(([id, s]) => [id, s.total]));

  const inA = new Set(a.input.students.map((s) => s.id));
  const inB = new Set(b.input.students.map((s) => s.id));
  let studentsOnlyInOne = 0;
  const moved: StudentMove[] = [];
  for (const [id, s] of students) {
    if (!inA.has(id) || !inB.has(id)) {
      studentsOnlyInOne++;
      continue;
    }
    const from = a.result.assignments[id]?.school ?? null;
    const to = b.result.assignments[id]?.school ?? null;
    if (from !== to) moved.push({ student: id, junior: s.junior, region: s.region, total: s.total, from, to });
  }
  moved.sort((x, y) => y.total - x.total || (x.student < y.student ? -1 : x.student > y.student ? 1 : 0));

  const usedA = quotaByJunior(a, juniorOf);
  const usedB = quotaByJunior(b, juniorOf);
  const quotaUsed: RoundComparison['quotaUsed'] = {};
  for (const junior of [...new Set([...usedA.keys(), ...usedB.keys()])].sort()) {
    quotaUsed[junior] = { a: usedA.get(junior) ?? 0, b: usedB.get(junior) ?? 0 };
  }

  const cutA = cutoffsOf(a, totalOf);
  const cutB = cutoffsOf(b, totalOf);
  const cutoffs: RoundComparison['cutoffs'] = {};
  for (const school of [...new Set([...cutA.keys(), ...cutB.keys()])].sort()) {
    cutoffs[school] = { a: cutA.get(school) ?? null, b: cutB.get(school) ?? null };
  }

  return {
    moved,
    quotaUsed,
    cutoffs,
    assigned: { a: Object.keys(a.result.assignments).length, b: Object.keys(b.result.assignments).length },
    studentsOnlyInOne,
  };
}
