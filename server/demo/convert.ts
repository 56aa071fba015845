/**
 * From a demo city to the engine's JSON inputs (../shared/ALLOCATION.md §1 and
 * §2). The types mirror the contract; the engine validates what it receives.
 */
import type { DemoCity, Evaluation, Ownership, Scope, Scores, StudentChoices } from './types';

export const QUOTA_INSTANCE_FORMAT = 'zz-admissions/quota-instance@1';
export const ALLOCATION_INSTANCE_FORMAT = 'zz-admissions/allocation-instance@1';

export interface QuotaInstanceJson {
  format: typeof QUOTA_INSTANCE_FORMAT;
  juniorSchools: { id: string; region: string; graduates: number; weightPercent: number }[];
  highSchools: { id: string; region: string; scope: Scope; capacity: number; quotaPercent: number; minPerSchool?: number }[];
}

export interface AllocationPolicyJson {
  quotaPrecedence?: 'openFirst' | 'quotaFirst';
  unusedQuota?: 'revert' | 'keep';
  tieBreak?: string[];
}

export interface AllocationHighSchoolJson {
  id: string;
  region: string;
  ownership: Ownership;
  batch: number;
  scope: Scope;
  capacity: number;
  minScore?: number;
  minEvaluation?: Evaluation;
  /** 指标生名额 per junior school id. */
  quota?: Record<string, number>;
  quotaMinScore?: number;
  quotaMinEvaluation?: Evaluation;
}

export interface AllocationStudentJson {
  id: string;
  junior: string;
  region: string;
  total: number;
  scores: Scores;
  evaluation: Evaluation;
  quotaEligible: boolean;
  choices: StudentChoices;
}

export interface AllocationInstanceJson {
  format: typeof ALLOCATION_INSTANCE_FORMAT;
  seed: string;
  policy: AllocationPolicyJson;
  highSchools: AllocationHighSchoolJson[];
  students: AllocationStudentJson[];
}

export interface ToAllocationOptions {
  /** The round's seed (lottery numbers). */
  seed: string;
  /** Quota seats, `quota[highSchoolId][juniorSchoolId]`, e.g. a quota result's `quota`. */
  quota: Record<string, Record<string, number>>;
  /** Default: DEFAULT_DEMO_POLICY. */
  policy?: AllocationPolicyJson;
}

/** The policy used when none is given: the example of ALLOCATION.md §2. */
export const DEFAULT_DEMO_POLICY: Readonly<Required<AllocationPolicyJson>> = Object.freeze({
  quotaPrecedence: 'openFirst',
  unusedQuota: 'revert',
  tieBreak: ['chinese+math+english', 'math', 'chinese', 'evaluation'],
});

/** The quota-distribution input (§1): every junior school, and the quality schools with their quotaPercent. */
export function toQuotaInstance(city: Pick<DemoCity, 'juniorSchools' | 'highSchools'>): QuotaInstanceJson {
  return {
    format: QUOTA_INSTANCE_FORMAT,
    juniorSchools: city.juniorSchools.map((j) => ({
      id: j.id,
      region: j.regionCode,
      graduates: j.graduates,
      weightPercent: j.weightPercent,
    })),
    highSchools: city.highSchools.flatMap((h) =>
      h.quotaPercent === undefined
        ? []
        : [{
            id: h.id,
            region: h.regionCode,
            scope: h.scope,
            capacity: h.capacity,
            quotaPercent: h.quotaPercent,
            ...(h.minPerSchool !== undefined ? { minPerSchool: h.minPerSchool } : {}),
          }],
    ),
  };
}

/**
 * The allocation input (§2) of a city with the given quota seats. Students'
 * scores and choices are shared with the city, not copied (a million students).
 */
export function toAllocationInstance(city: DemoCity, opts: ToAllocationOptions): AllocationInstanceJson {
  const policy = opts.policy ?? DEFAULT_DEMO_POLICY;
  return {
    format: ALLOCATION_INSTANCE_FORMAT,
    seed: opts.seed,
    policy: { ...policy, ...(policy.tieBreak ? { tieBreak: [...policy.tieBreak] } : {}) },
    highSchools: city.highSchools.map((h) => {
      const school: AllocationHighSchoolJson = {
        id: h.id,
        region: h.regionCode,
        ownership: h.ownership,
        batch: h.batch,
        scope: h.scope,
        capacity: h.capacity,
      };
      if (h.minScore !== undefined) school.minScore = h.minScore;
      if (h.minEvaluation !== undefined) school.minEvaluation = h.minEvaluation;
      const quota = opts.quota[h.id];
      if (quota && Object.keys(quota).length > 0) school.quota = { ...quota };
      if (h.quotaMinScore !== undefined) school.quotaMinScore = h.quotaMinScore;
      if (h.quotaMinEvaluation !== undefined) school.quotaMinEvaluation = h.quotaMinEvaluation;
      return school;
    }),
    students: city.students.map((s) => ({
      id: s.examNo,
      junior: s.juniorSchoolId,
      region: s.regionCode,
      total: s.total,
      scores: s.scores,
      evaluation: s.evaluation,
      quotaEligible: s.quotaEligible,
      choices: s.choices,
    })),
  };
}
