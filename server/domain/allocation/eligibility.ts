/**
 * Eligibility of a student for a school's open and quota seats (ALLOCATION.md §2.2),
 * and the reasons when not eligible, on the compiled instance.
 */
import type { CompiledInstance, CompiledSchool } from './compile';
import type { RejectionReason } from './types';

function inScope(inst: CompiledInstance, h: number, s: number): boolean {
  return inst.schools[h].cityScope || inst.schoolRegion[h] === inst.studentRegion[s];
}

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

/** The rules that make a student ineligible for the school's open seats (empty when eligible). */
export function openIneligibility(inst: CompiledInstance, h: number, s: number): RejectionReason[] {
  const school = inst.schools[h];
  const reasons: RejectionReason[] = [];
  if (!inScope(inst, h, s)) reasons.push('outOfRegion');
  if (school.minScore !== null && inst.total[s] < school.minScore) reasons.push('belowMinScore');
  if (inst.evaluation[s] < school.minEvaluation) reasons.push('belowMinEvaluation');
  return reasons;
}

/** The rules that make a student ineligible for the school's quota seats (empty when eligible). */
export function quotaIneligibility(inst: CompiledInstance, h: number, s: number): RejectionReason[] {
  const school: CompiledSchool = inst.schools[h];
  const reasons: RejectionReason[] = [];
  if (inst.quotaEligible[s] !== 1) reasons.push('notQuotaEligible');
  if (!school.quota.has(inst.studentJunior[s])) reasons.push('noQuotaForJunior');
  if (!inScope(inst, h, s)) reasons.push('outOfRegion');
  if (school.quotaMinScore !== null && inst.total[s] < school.quotaMinScore) reasons.push('belowQuotaMinScore');
  if (inst.evaluation[s] < school.quotaMinEvaluation) reasons.push('belowQuotaMinEvaluation');
  return reasons;
}
