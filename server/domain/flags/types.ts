/**
 * Inputs and outputs of the irregularity rules (PLATFORM.md, "Poaching and
 * irregularities"). Plain data: the flags service loads it through the
 * repositories; the rules never touch the database or the clock.
 */

export type FlagRule =
  | 'enrolled_without_admission'
  | 'out_of_scope_enrollment'
  | 'top_student_outflow'
  | 'quota_eligibility_shopping'
  | 'early_offer'
  | 'no_show_elsewhere'
  // The kindergarten registry's rules (issue 18, server/domain/kindergartens/rules.ts).
  | 'kindergarten_name'
  | 'kindergarten_staffing'
  | 'kindergarten_safety'
  | 'kindergarten_fee_account';

export const FLAG_RULES: readonly FlagRule[] = [
  'enrolled_without_admission',
  'out_of_scope_enrollment',
  'top_student_outflow',
  'quota_eligibility_shopping',
  'early_offer',
  'no_show_elsewhere',
  'kindergarten_name',
  'kindergarten_staffing',
  'kindergarten_safety',
  'kindergarten_fee_account',
];

export type FlagSeverity = 'low' | 'medium' | 'high' | 'critical';
export const FLAG_SEVERITIES: readonly FlagSeverity[] = ['low', 'medium', 'high', 'critical'];

export interface FlagStudent {
  id: string;
  examNo: string;
  regionCode: string;
  juniorSchoolId: string;
  total: number;
  /** 指标生资格 as recorded. */
  quotaEligible: boolean;
}

export interface FlagHighSchool {
  id: string;
  regionCode: string;
  /** Region-scope schools admit only their own region (属地招生). */
  scope: 'city' | 'region';
}

/** A placement in a published main or supplementary round. */
export interface PublishedPlacement {
  roundId: string;
  studentId: string;
  highSchoolId: string;
  seat: 'open' | 'quota' | 'reverted' | null;
  /** Publication time: the latest placement is the one that stands. */
  publishedAt: Date;
}

/** 报到确认 of a placement; absent means silence. */
export interface ConfirmationFact {
  roundId: string;
  studentId: string;
  decision: 'confirmed' | 'declined';
}

/** 报到/学籍注册: accepted registrations and refused attempts alike. */
export interface RegistrationFact {
  id: string;
  highSchoolId: string;
  examNo: string;
  /** Null when the exam number matches no student. */
  studentId: string | null;
  registeredAt: Date;
  accepted: boolean;
  rejectionReason: string | null;
}

/** One stay at a junior school (学籍 history); `to` null for the current one. */
export interface JuniorStay {
  studentId: string;
  juniorSchoolId: string;
  from: Date;
  to: Date | null;
}

/** A family's report from the public form. */
export interface ComplaintFact {
  id: string;
  highSchoolId: string | null;
  schoolName: string;
  studentName: string | null;
  description: string;
  createdAt: Date;
}

export interface FlagPolicy {
  /** 学籍 must have started at the junior school on or before this date to be quota-eligible. */
  quotaEligibilityCutoff: Date;
  /** Share of a region's students counted as its top students (跨区域掐尖), e.g. 0.05. */
  topStudentShare: number;
}

export interface FlagInputs {
  cycleId: string;
  policy: FlagPolicy;
  students: readonly FlagStudent[];
  highSchools: readonly FlagHighSchool[];
  /** 指标生名额 per junior school: the sum over high schools. */
  quotaSeatsByJuniorSchool: Readonly<Record<string, number>>;
  placements: readonly PublishedPlacement[];
  confirmations: readonly ConfirmationFact[];
  registrations: readonly RegistrationFact[];
  history: readonly JuniorStay[];
  complaints: readonly ComplaintFact[];
}

/** A suspected irregularity, ready to upsert by `dedupeKey`. */
export interface DetectedFlag {
  rule: FlagRule;
  severity: FlagSeverity;
  highSchoolIds: string[];
  studentIds: string[];
  /** Every region involved (schools' and students'): county bureaus see the flags of their region. */
  regionCodes: string[];
  /** What made it fire, as JSON; never an ID number. */
  evidence: Record<string, unknown>;
  /** Same cycle, rule, schools and students: same key, so re-running adds no duplicate. */
  dedupeKey: string;
  /** Complaints the flag is about (early offers). */
  complaintIds?: string[];
}
