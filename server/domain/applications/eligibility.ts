/**
 * Whether a student can hold an open seat (统招) and/or a quota seat (指标生)
 * at a high school, with every reason why not. Mirrors ALLOCATION.md §2.2
 * exactly (the engine's server/domain/allocation/eligibility.ts works on the
 * compiled instance; this one on plain records, for the portal).
 */
import type { Grade, Scope } from '../allocation/types';
import type { ReasonCode, ReasonParams } from './reasons';

const GRADE_RANK: Record<Grade, number> = { A: 4, B: 3, C: 2, D: 1 };

/** Grade `a` is at least grade `b` (A > B > C > D). */
export function gradeAtLeast(a: Grade, b: Grade): boolean {
  return GRADE_RANK[a] >= GRADE_RANK[b];
}

export interface EligibilityStudent {
  region: string;
  junior: string;
  total: number;
  evaluation: Grade;
  /** 学籍 requirement met (指标生资格). */
  quotaEligible: boolean;
}

export interface EligibilitySchool {
  region: string;
  /** The region's name, for the reason text (the code otherwise). */
  regionName?: string;
  scope: Scope;
  minScore?: number | null;
  minEvaluation?: Grade | null;
  /** Quota seats of this school at the student's junior school (H.quota[s.junior]). */
  quotaSeatsForJunior: number;
  quotaMinScore?: number | null;
  quotaMinEvaluation?: Grade | null;
}

export interface Reason {
  code: ReasonCode;
  params: ReasonParams;
}

export interface SeatEligibility {
  eligible: boolean;
  /** Empty when eligible. */
  reasons: Reason[];
}

export interface SchoolEligibility {
  open: SeatEligibility;
  quota: SeatEligibility;
  /** Eligible for at least one kind of seat: the school may be listed. */
  any: boolean;
}

const seat = (reasons: Reason[]): SeatEligibility => ({ eligible: reasons.length === 0, reasons });

/** Open and quota eligibility of a student at a school, each with all its reasons (§2.2). */
export function schoolEligibility(student: EligibilityStudent, school: EligibilitySchool): SchoolEligibility {
  const inScope = school.scope === 'city' || student.region === school.region;
  const base = { total: student.total, evaluation: student.evaluation };
  const region = school.regionName ?? school.region;

  const open: Reason[] = [];
  if (!inScope) open.push({ code: 'outOfRegion', params: { region } });
  if (school.minScore != null && !(student.total >= school.minScore))
    open.push({ code: 'belowMinScore', params: { ...base, minScore: school.minScore } });
  if (school.minEvaluation != null && !gradeAtLeast(student.evaluation, school.minEvaluation))
    open.push({ code: 'belowMinEvaluation', params: { ...base, minEvaluation: school.minEvaluation } });

  const quota: Reason[] = [];
  if (!student.quotaEligible) quota.push({ code: 'notQuotaEligible', params: {} });
  if (!(school.quotaSeatsForJunior > 0)) quota.push({ code: 'noQuotaForJunior', params: {} });
  if (!inScope) quota.push({ code: 'outOfRegion', params: { region } });
  const quotaMinScore = school.quotaMinScore ?? school.minScore;
  if (quotaMinScore != null && !(student.total >= quotaMinScore))
    quota.push({ code: 'belowQuotaMinScore', params: { ...base, minScore: quotaMinScore } });
  const quotaMinEvaluation = school.quotaMinEvaluation ?? school.minEvaluation;
  if (quotaMinEvaluation != null && !gradeAtLeast(student.evaluation, quotaMinEvaluation))
    quota.push({ code: 'belowQuotaMinEvaluation', params: { ...base, minEvaluation: quotaMinEvaluation } });

  return { open: seat(open), quota: seat(quota), any: open.length === 0 || quota.length === 0 };
}

/**
 * The reasons to show when a school cannot be listed at all: the open-seat
 * reasons, then the quota-seat reasons not already said (only where the
 * school has quota seats for the student's junior school).
 */
export function refusalReasons(e: SchoolEligibility): Reason[] {
  if (e.any) return [];
  // Without quota seats for the student's junior school, the quota rules say nothing useful.
  if (e.quota.reasons.some((r) => r.code === 'noQuotaForJunior')) return e.open.reasons;
  const seen = new Set(e.open.reasons.map((r) => r.code));
  return [...e.open.reasons, ...e.quota.reasons.filter((r) => !seen.has(r.code))];
}
