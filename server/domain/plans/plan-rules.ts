/**
 * Rules of a high school's plan (招生计划), PLATFORM.md "Rules the platform
 * enforces". Pure: the service, the import and the client-side form share them.
 */

/** 新入学年级班额不得超过55人: the largest class of the new intake. */
export const MAX_CLASS_SIZE = 55;
/** A school whose total enrollment would pass this is flagged for the bureau. */
export const ENROLLMENT_FLAG_LIMIT = 3000;
/** Minimum 指标生 share (percent) of a quality (示范性) school's plan when the policy names none (PLATFORM.md); the cycle policy's default. */
export const DEFAULT_QUOTA_PERCENT = 50;
/** Senior high school has three grades: the intake is about a third of the school. */
export const GRADES_IN_SCHOOL = 3;

export type Grade = 'A' | 'B' | 'C' | 'D';

export interface PlanFields {
  capacity: number;
  classes: number;
  batch: number;
  minScore?: number | null;
  minEvaluation?: Grade | null;
  quotaPercent?: number | null;
  quotaSeats?: number | null;
  quotaMinScore?: number | null;
  quotaMinEvaluation?: Grade | null;
  minPerSchool?: number | null;
}

export interface PlanContext {
  /** 示范性高中: at least `minQuotaPercent` of its plan goes to quota seats. */
  quality: boolean;
  minQuotaPercent?: number;
}

export interface PlanProblem {
  field: keyof PlanFields;
  code: 'CLASS_SIZE' | 'QUOTA_OVER_CAPACITY' | 'QUOTA_BELOW_POLICY';
  zh: string;
  en: string;
}

export interface PlanWarning {
  code: 'ENROLLMENT_OVER_3000';
  zh: string;
  en: string;
}

/** 指标生名额 of a plan by ALLOCATION.md §1: `quotaSeats` wins, else the percent rounded half up; null when neither is set. */
export function planQuotaSeats(plan: Pick<PlanFields, 'capacity' | 'quotaPercent' | 'quotaSeats'>): number | null {
  if (plan.quotaSeats != null) return plan.quotaSeats;
  if (plan.quotaPercent != null) return Math.floor((plan.capacity * plan.quotaPercent + 50) / 100);
  return null;
}

/** The quota seats the distribution uses: a quality school without its own figure takes the policy share. */
export function effectiveQuotaPercent(plan: PlanFields, ctx: PlanContext): { quotaSeats?: number; quotaPercent?: number } | null {
  if (plan.quotaSeats != null) return { quotaSeats: plan.quotaSeats };
  if (plan.quotaPercent != null) return { quotaPercent: plan.quotaPercent };
  if (ctx.quality) return { quotaPercent: ctx.minQuotaPercent ?? DEFAULT_QUOTA_PERCENT };
  return null;
}

/** What is wrong with a plan; empty when it can be saved. Messages name the numbers involved. */
export function planProblems(plan: PlanFields, ctx: PlanContext): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const maxCapacity = MAX_CLASS_SIZE * plan.classes;
  if (plan.capacity > maxCapacity) {
    problems.push({
      field: 'capacity',
      code: 'CLASS_SIZE',
      zh: `计划人数 ${plan.capacity} 超过 ${plan.classes} 个班 × ${MAX_CLASS_SIZE} 人 = ${maxCapacity} 人（新入学年级班额不得超过 ${MAX_CLASS_SIZE} 人）`,
      en: `Capacity ${plan.capacity} exceeds ${plan.classes} classes x ${MAX_CLASS_SIZE} = ${maxCapacity} (no new class may have more than ${MAX_CLASS_SIZE} students)`,
    });
  }
  if (plan.quotaSeats != null && plan.quotaSeats > plan.capacity) {
    problems.push({
      field: 'quotaSeats',
      code: 'QUOTA_OVER_CAPACITY',
      zh: `指标生名额 ${plan.quotaSeats} 不能超过计划人数 ${plan.capacity}`,
      en: `Quota seats ${plan.quotaSeats} cannot exceed the capacity ${plan.capacity}`,
    });
  }
  const seats = planQuotaSeats(plan);
  if (ctx.quality) {
    const percent = ctx.minQuotaPercent ?? DEFAULT_QUOTA_PERCENT;
    const required = Math.floor((plan.capacity * percent + 50) / 100);
    if (seats != null && seats < required) {
      problems.push({
        field: plan.quotaSeats != null ? 'quotaSeats' : 'quotaPercent',
        code: 'QUOTA_BELOW_POLICY',
        zh: `示范性高中的指标生名额不得少于计划的 ${percent}%（至少 ${required} 人），现为 ${seats} 人`,
        en: `A quality school must give at least ${percent}% of its plan (${required} seats) to quota seats; it gives ${seats}`,
      });
    }
  }
  return problems;
}

/** Total enrollment a plan leads to: three grades of this intake. */
export function plannedEnrollment(plan: Pick<PlanFields, 'capacity'>): number {
  return plan.capacity * GRADES_IN_SCHOOL;
}

/** Warnings that do not block saving: the bureau sees them beside the plan. */
export function planWarnings(plan: Pick<PlanFields, 'capacity'>): PlanWarning[] {
  const total = plannedEnrollment(plan);
  if (total <= ENROLLMENT_FLAG_LIMIT) return [];
  return [
    {
      code: 'ENROLLMENT_OVER_3000',
      zh: `按三个年级计，在校生约 ${total} 人，超过 ${ENROLLMENT_FLAG_LIMIT} 人`,
      en: `With three grades the school would have about ${total} students, over ${ENROLLMENT_FLAG_LIMIT}`,
    },
  ];
}

/** The fields of a plan a high school may ask to change after publication. */
export type PlanChangeFields = Pick<PlanFields, 'capacity' | 'classes' | 'minScore' | 'minEvaluation' | 'quotaPercent' | 'quotaSeats'>;
export type PlanChanges = Partial<PlanChangeFields>;

/** Whether a change request changes anything at all. */
export function changesSomething(plan: PlanChangeFields, changes: PlanChanges): boolean {
  return (Object.keys(changes) as (keyof PlanChangeFields)[]).some((key) => changes[key] !== undefined && changes[key] !== plan[key]);
}

/**
 * What is wrong with a plan after a change request: exactly the plan rules
 * (`planProblems`), quota share of a quality school included, so the bureau's
 * approval can never apply a plan its own plan form refuses.
 */
export function planChangeProblems(plan: PlanChangeFields & Pick<PlanFields, 'batch'>, changes: PlanChanges, ctx: PlanContext): PlanProblem[] {
  return planProblems({ ...plan, ...changes }, ctx);
}
