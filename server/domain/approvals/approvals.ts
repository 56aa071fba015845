import type { PlanChanges } from '../plans/plan-rules';

/**
 * Four eyes (四眼原则): publishing a round and approving a change of a plan's
 * seat counts take `required` approvals by different city-bureau accounts
 * (PUBLISH_APPROVALS). One person's slip (Parcoursup 2019: wrong capacities
 * entered by one account) then needs a second person to go through.
 */

/** What an approval is for. */
export type ApprovalSubject = 'round.publish' | 'plan.change';

/** The plan fields that change how many seats a school offers: approving a change of any of them takes four eyes. */
export const SEAT_COUNT_FIELDS = ['capacity', 'quotaPercent', 'quotaSeats'] as const;

/** Whether a plan change request changes a seat count (capacity or quota seats) of the plan. */
export function changesSeatCount(plan: Partial<Record<(typeof SEAT_COUNT_FIELDS)[number], number | null>>, changes: PlanChanges): boolean {
  return SEAT_COUNT_FIELDS.some((field) => changes[field] !== undefined && changes[field] !== plan[field]);
}

export type ApprovalStep =
  /** This account has approved already: a second approval must come from someone else. */
  | { kind: 'duplicate' }
  /** Recorded; more approvals are needed. */
  | { kind: 'awaiting'; approvals: number; required: number }
  /** This approval is the last one needed: carry out the action. */
  | { kind: 'complete'; approvals: number; required: number };

/**
 * The step an approval by `approverId` takes, given who approved before
 * (`earlier`, distinct account ids) and how many approvals are `required`.
 */
export function approvalStep(earlier: readonly string[], approverId: string, required: number): ApprovalStep {
  if (earlier.includes(approverId)) return { kind: 'duplicate' };
  const approvals = new Set(earlier).size + 1;
  return approvals >= required ? { kind: 'complete', approvals, required } : { kind: 'awaiting', approvals, required };
}
