/**
 * Types of the demo city (演示数据) and the fixed facts they refer to.
 * Re-exported by ./generate.ts, which is the module to import.
 */
import type { RegionCode } from './catalogue';

export type { RegionCode } from './catalogue';

/** Password of every demo account (development only). */
export const DEMO_PASSWORD = 'Zhuzhou@2026';
export const DEMO_CITY_FORMAT = 'zz-admissions/demo-city@1';

export type { Evaluation, Gender, Ownership, Scope, Batch, Role, SubjectKey, Subject } from '../domain/subjects';
export { SUBJECTS } from '../domain/subjects';
import type { Evaluation, Gender, Ownership, Scope, Batch, Role, Subject, SubjectKey } from '../domain/subjects';

export interface Region {
  code: RegionCode;
  /** 行政区划代码 */
  adminCode: string;
  name: string;
  nameEn: string;
  /** County or rural district; HT, LS, SF and TY are the urban districts. */
  rural: boolean;
}

export interface JuniorSchool {
  /** `J` + region number (01..09) + school number, all of one width in a city. */
  id: string;
  name: string;
  regionCode: RegionCode;
  rural: boolean;
  /** Students graduating this year; the sum over schools is the number of students. */
  graduates: number;
  /** Quota weight (向农村初中倾斜): 120 for rural schools, else 100. */
  weightPercent: number;
}

export interface HighSchool {
  /** `H` + number, all of one width in a city. */
  id: string;
  name: string;
  regionCode: RegionCode;
  ownership: Ownership;
  /** 示范性高中: batch 1, gives quota seats. */
  quality: boolean;
  batch: Batch;
  scope: Scope;
  capacity: number;
  /** ceil(capacity / 50), so capacity <= 55 x classes (班额). */
  classes: number;
  /** Share of the plan given as quota seats (指标生), quality schools only. */
  quotaPercent?: number;
  minPerSchool?: number;
  minScore?: number;
  minEvaluation?: Evaluation;
  quotaMinScore?: number;
  quotaMinEvaluation?: Evaluation;
  /** Last year's published cutoff (录取最低分); absent for new schools. */
  lastYearCutoff?: number;
}

export type Scores = Record<SubjectKey, number>;

/** One period of a student's 学籍 at a junior school; `to` is null for the current one. */
export interface JuniorHistoryEntry {
  juniorSchoolId: string;
  from: string;
  to: string | null;
}

/**
 * Ranked choices (志愿) per batch; keys are batch numbers. The lists are frozen
 * and shared between students who made the same list (a million students make
 * far fewer distinct lists), so copy a list before changing it.
 */
export type StudentChoices = Record<'1' | '2' | '3', readonly string[]>;

export interface Student {
  /** 准考证号: year + 430201 + sequence, all of one width in a city. */
  examNo: string;
  name: string;
  /** Fake 18-character ID card number (身份证号) with a valid checksum; the UI masks it. */
  idCardNo: string;
  gender: Gender;
  birthDate: string;
  juniorSchoolId: string;
  /** The current junior school's region. */
  regionCode: RegionCode;
  scores: Scores;
  /** Exact sum of the scores. */
  total: number;
  evaluation: Evaluation;
  /** Start of the 学籍 at the current junior school (start of grade 7 unless transferred). */
  enrolledSince: string;
  /** Present only for transferred students: every 学籍 period, oldest first, the current last. */
  history?: JuniorHistoryEntry[];
  /** False when the 学籍 moved after the city's cut-off date (quotaEligibilityCutoff). */
  quotaEligible: boolean;
  choices: StudentChoices;
}

export interface Account {
  username: string;
  role: Role;
  displayName: string;
  highSchoolId?: string;
  juniorSchoolId?: string;
  /** The student's examNo. */
  studentId?: string;
  regionCode?: RegionCode;
}

export interface DemoCity {
  format: typeof DEMO_CITY_FORMAT;
  seed: string;
  year: number;
  city: { name: string; nameEn: string; adminCode: string };
  /** A 学籍 transfer after this date makes the student not quota-eligible. */
  quotaEligibilityCutoff: string;
  /** 最低控制线: `quality` is the minimum of quality schools, `ordinary` of some others. */
  controlLines: { quality: number; ordinary: number };
  subjects: readonly Subject[];
  regions: Region[];
  juniorSchools: JuniorSchool[];
  highSchools: HighSchool[];
  students: Student[];
  /** Bureaus, auditor, high schools, junior schools, then students (unless turned off); all with DEMO_PASSWORD. */
  accounts: Account[];
}

export interface GenerateCityOptions {
  seed: string;
  /** Number of students (default 45,000). */
  students?: number;
  /** Admissions year (default 2026). */
  year?: number;
  /**
   * Whether `accounts` has one account per student (default true). Benchmarks that
   * only need the allocation input can skip the million account records.
   */
  studentAccounts?: boolean;
  /**
   * A province instead of the city (./province.ts): Hunan's fourteen cities'
   * county-level regions, schools in proportion, the same rules (benchmarks at
   * province scale; default false, the demo city).
   */
  province?: boolean;
}
