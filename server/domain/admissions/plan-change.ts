/**
 * A high school's plan (招生计划) change request: which fields may change and
 * whether the plan that results still keeps the rules (capacity <= 55 x
 * classes, 新入学年级班额不得超过55人; quota seats within the capacity).
 */

export const MAX_CLASS_SIZE = 55;

export interface PlanFields {
  capacity: number;
  classes: number;
  minScore: number | null;
  minEvaluation: 'A' | 'B' | 'C' | 'D' | null;
  quotaPercent: number | null;
  quotaSeats: number | null;
}

export type PlanChanges = Partial<PlanFields>;

export interface PlanProblem {
  field: keyof PlanFields;
  message: { 'zh-CN': string; en: string };
}

/** Pure: what is wrong with `plan` after `changes`; empty when the changed plan keeps the rules. */
export function planChangeProblems(plan: PlanFields, changes: PlanChanges): PlanProblem[] {
  const next = { ...plan, ...changes };
  const problems: PlanProblem[] = [];
  if (next.capacity > MAX_CLASS_SIZE * next.classes) {
    problems.push({
      field: 'capacity',
      message: {
        'zh-CN': `招生人数 ${next.capacity} 超过 ${next.classes} 个班 × ${MAX_CLASS_SIZE} 人（新入学年级班额不得超过55人）`,
        en: `capacity ${next.capacity} exceeds ${next.classes} classes x ${MAX_CLASS_SIZE} students`,
      },
    });
  }
  if (next.quotaSeats != null && next.quotaSeats > next.capacity) {
    problems.push({
      field: 'quotaSeats',
      message: { 'zh-CN': `指标生名额 ${next.quotaSeats} 超过招生人数 ${next.capacity}`, en: `quota seats ${next.quotaSeats} exceed the capacity ${next.capacity}` },
    });
  }
  return problems;
}

/** Pure: whether the request changes anything at all. */
export function changesSomething(plan: PlanFields, changes: PlanChanges): boolean {
  return (Object.keys(changes) as (keyof PlanFields)[]).some((key) => changes[key] !== undefined && changes[key] !== plan[key]);
}
