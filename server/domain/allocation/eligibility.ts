/**
 * Eligibility of a student for a school's open and quota seats (ALLOCATION.md §2.2),
 * on the compiled instance.
 */
import type { CompiledInstance } from './compile';

/** Open-eligible: in scope, at or above the minimum score and grade. */
export function isOpenEligible(inst: CompiledInstance, h: number, s: number): boolean {
  const school = inst.schools[h];
  return (
    (school.cityScope || inst.schoolRegion[h] === inst.studentRegion[s]) &&
    (school.minScore === null || inst.total[s] >= school.minScore) &&
    inst.evaluation[s] >= school.minEvaluation
  );
}

/** Quota-eligible (指标生资格): eligible student, quota seats for their junior school, in scope, quota minimums met. */
export function isQuotaEligible(inst: CompiledInstance, h: number, s: number): boolean {
  const school = inst.schools[h];
  return (
    inst.quotaEligible[s] === 1 &&
    school.quota.has(inst.studentJunior[s]) &&
    (school.cityScope || inst.schoolRegion[h] === inst.studentRegion[s]) &&
    (school.quotaMinScore === null || inst.total[s] >= school.quotaMinScore) &&
    inst.evaluation[s] >= school.quotaMinEvaluation
  );
}
