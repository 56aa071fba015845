/**
 * Types of the allocation contract (../shared/ALLOCATION.md §2), as they appear
 * in JSON, and the validated, index-based form the engine works on.
 */

export const ALLOCATION_INSTANCE_FORMAT = 'zz-admissions/allocation-instance@1';
export const ALLOCATION_RESULT_FORMAT = 'zz-admissions/allocation-result@1';

/** 综合素质评价 grade. */
export type Grade = 'A' | 'B' | 'C' | 'D';
export type Scope = 'city' | 'region';
export type SeatKind = 'open' | 'quota' | 'reverted';
export type QuotaPrecedence = 'openFirst' | 'quotaFirst';
export type UnusedQuota = 'revert' | 'keep';

export interface AllocationPolicy {
  quotaPrecedence?: QuotaPrecedence | null;
  unusedQuota?: UnusedQuota | null;
  tieBreak?: string[] | null;
}

export interface HighSchoolInput {
  id: string;
  region: string;
  ownership?: string | null;
  batch: number;
  scope: Scope;
  capacity: number;
  minScore?: number | null;
  minEvaluation?: Grade | null;
  /** 指标生名额 per junior school id. */
  quota?: Record<string, number> | null;
  quotaMinScore?: number | null;
  quotaMinEvaluation?: Grade | null;
}

export interface StudentInput {
  id: string;
  junior: string;
  region: string;
  total: number;
  scores?: Record<string, number | null> | null;
  evaluation: Grade;
  quotaEligible: boolean;
  /** batch number (as a plain decimal string) -> school ids in order of preference (志愿). */
  choices: Record<string, string[]>;
}

export interface AllocationInstance {
  format: typeof ALLOCATION_INSTANCE_FORMAT;
  seed: string;
  policy?: AllocationPolicy | null;
  highSchools: HighSchoolInput[];
  students: StudentInput[];
}

export interface Assignment {
  school: string;
  seat: SeatKind;
  batch: number;
}

/** The priority of one student as shown to people: what decided their place in the order. */
export interface PriorityView {
  student: string;
  total: number;
  /** Values of policy.tieBreak in order; null where missing. Grades as letters. */
  tieBreak: (number | string | null)[];
  /** 1-based position in the city-wide priority order. */
  rank: number;
}

/** Why a student did not get a school they listed above the one they got. */
export type RejectionReason =
  | 'outOfRegion' // region-scope school, student of another region (属地招生)
  | 'belowMinScore'
  | 'belowMinEvaluation'
  | 'notQuotaEligible' // student not quota-eligible (学籍 requirement)
  | 'noQuotaForJunior' // school has no quota seats for the student's junior school
  | 'belowQuotaMinScore'
  | 'belowQuotaMinEvaluation'
  | 'openFull' // every open seat held by a higher-priority student (see the school's cutoffs.open)
  | 'noOpenSeats' // the school has no open seats at all
  | 'quotaFull' // the junior school's quota seats held by higher-priority students of it
  | 'revertedFull'; // reverted seats (if any) held by higher-priority students

export interface StudentExplanation {
  school: string;
  batch: number;
  reasons: RejectionReason[];
}

export interface SchoolCutoffs {
  /** Lowest-priority holder of an open seat. */
  open?: PriorityView;
  /** Lowest-priority holder of each junior school's quota seats. */
  quota?: Record<string, PriorityView>;
  reverted?: PriorityView;
}

export interface SchoolResult {
  capacity: number;
  admitted: number;
  open: number;
  quota: number;
  reverted: number;
  /** Lowest-priority student assigned; absent when none (the cutoff, 录取最低分, is their total). */
  lastAdmitted?: string;
  /** Extra: quota seats used per junior school. */
  quotaUsed?: Record<string, number>;
  /** Extra: per-category cutoffs. */
  cutoffs?: SchoolCutoffs;
}

export interface AllocationResult {
  format: typeof ALLOCATION_RESULT_FORMAT;
  assignments: Record<string, Assignment>;
  unassigned: string[];
  schools: Record<string, SchoolResult>;
  /** Extra: per student, each school listed above the one they got, and why not. */
  explanations?: Record<string, StudentExplanation[]>;
  stats?: { proposals: number; batches: number[] };
}

/** Error in an instance: names the record and the rule it breaks. */
export class InstanceError extends Error {
  constructor(
    /** JSON path of the offending record, e.g. `students[12] (id "S1").choices["2"][0]`. */
    readonly path: string,
    readonly rule: string,
  ) {
    super(`${path}: ${rule}`);
    this.name = 'InstanceError';
  }
}
