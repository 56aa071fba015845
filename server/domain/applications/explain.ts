/**
 * A round's explanation for one student, made readable: for each school the
 * student listed above the one obtained, the engine's reasons with the numbers
 * behind them (the school's cutoff per seat category from the round result,
 * the minimums from the plan, the student's own total).
 */
import type { Grade } from '../allocation/types';
import type { Reason } from './eligibility';
import { isReasonCode, type ReasonParams } from './reasons';
import { decidingKey, type TieValue } from './tie-break';

export interface ExplainedSchool {
  school: string;
  batch: number;
  reasons: Reason[];
}

export interface ExplainInput {
  /** RoundAssignment.explanation as stored: [{ school, batch, reasons: [...] }]. */
  explanation: unknown;
  /** Round.result.schools, for the cutoffs (may be missing). */
  schools: unknown;
  student: { total: number; evaluation: Grade; junior: string; /** The student's values of `tieBreakKeys` (tie-break.ts tieBreakValues). */ tieBreak?: readonly TieValue[] };
  /** The round's `policy.tieBreak`: with it, a cutoff equal to the student's total names the key that decided. */
  tieBreakKeys?: readonly string[];
  plans: ReadonlyMap<string, { minScore: number | null; minEvaluation: Grade | null; quotaMinScore: number | null; quotaMinEvaluation: Grade | null; region: string }>;
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function totalOf(view: unknown): number | undefined {
  const t = obj(view)?.total;
  return typeof t === 'number' ? t : undefined;
}

/**
 * The cutoff a full-seat reason cites and, when it equals the student's total,
 * the tie-break key that put the last admitted student ahead (their values
 * are in the round's PriorityView).
 */
function cutoffParams(view: unknown, input: ExplainInput): ReasonParams {
  const cutoff = totalOf(view);
  if (cutoff === undefined || cutoff !== input.student.total || !input.tieBreakKeys || !input.student.tieBreak) return { cutoff };
  const theirs = obj(view)?.tieBreak;
  if (!Array.isArray(theirs)) return { cutoff };
  const decision = decidingKey(input.tieBreakKeys, input.student.tieBreak, theirs as TieValue[]);
  return { cutoff, tieKey: decision.key, ...(decision.student !== undefined ? { tieStudent: decision.student, tieCutoff: decision.cutoff } : {}) };
}

/** The schools above the one obtained, each with its reasons and numbers; malformed entries are skipped. */
export function explainAssignment(input: ExplainInput): ExplainedSchool[] {
  if (!Array.isArray(input.explanation)) return [];
  const out: ExplainedSchool[] = [];
  for (const entry of input.explanation) {
    const e = obj(entry);
    if (!e || typeof e.school !== 'string' || !Array.isArray(e.reasons)) continue;
    const school = e.school;
    const cutoffs = obj(obj(obj(input.schools)?.[school])?.cutoffs);
    const plan = input.plans.get(school);
    const base: ReasonParams = { total: input.student.total, evaluation: input.student.evaluation };
    const reasons: Reason[] = e.reasons.filter(isReasonCode).map((code) => {
      switch (code) {
        case 'openFull':
          return { code, params: { ...base, ...cutoffParams(cutoffs?.open, input) } };
        case 'quotaFull':
          return { code, params: { ...base, ...cutoffParams(obj(cutoffs?.quota)?.[input.student.junior], input) } };
        case 'revertedFull':
          return { code, params: { ...base, ...cutoffParams(cutoffs?.reverted, input) } };
        case 'belowMinScore':
          return { code, params: { ...base, minScore: plan?.minScore ?? undefined } };
        case 'belowMinEvaluation':
          return { code, params: { ...base, minEvaluation: plan?.minEvaluation ?? undefined } };
        case 'belowQuotaMinScore':
          return { code, params: { ...base, minScore: plan?.quotaMinScore ?? plan?.minScore ?? undefined } };
        case 'belowQuotaMinEvaluation':
          return { code, params: { ...base, minEvaluation: plan?.quotaMinEvaluation ?? plan?.minEvaluation ?? undefined } };
        case 'outOfRegion':
          return { code, params: { region: plan?.region } };
        default:
          return { code, params: base };
      }
    });
    out.push({ school, batch: typeof e.batch === 'number' ? e.batch : 0, reasons });
  }
  return out;
}
