import { describe, expect, it } from 'vitest';
import { changesSomething, effectiveQuotaPercent, planChangeProblems, planProblems, planQuotaSeats, planWarnings } from './plan-rules';

const base = { capacity: 550, classes: 10, batch: 1 };

describe('planProblems', () => {
  it('accepts 55 per class exactly and refuses one more student', () => {
    expect(planProblems(base, { quality: false })).toEqual([]);
    const problems = planProblems({ ...base, capacity: 551 }, { quality: false });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'capacity', code: 'CLASS_SIZE' });
    expect(problems[0].zh).toContain('551');
    expect(problems[0].zh).toContain('550');
    expect(problems[0].en).toContain('55');
  });

  it('refuses quota seats above the capacity', () => {
    expect(planProblems({ ...base, quotaSeats: 551 }, { quality: false }).map((p) => p.code)).toContain('QUOTA_OVER_CAPACITY');
  });

  it('requires the policy share of a quality school, rounding half up', () => {
    // 50% of 550 is 275: 274 seats are too few, 49% (270) too.
    expect(planProblems({ ...base, quotaSeats: 274 }, { quality: true })[0]).toMatchObject({ field: 'quotaSeats', code: 'QUOTA_BELOW_POLICY' });
    expect(planProblems({ ...base, quotaPercent: 49 }, { quality: true })[0]).toMatchObject({ field: 'quotaPercent' });
    expect(planProblems({ ...base, quotaSeats: 275 }, { quality: true })).toEqual([]);
    expect(planProblems({ ...base, quotaPercent: 40 }, { quality: true, minQuotaPercent: 40 })).toEqual([]);
    // A non-quality school may give any share.
    expect(planProblems({ ...base, quotaPercent: 10 }, { quality: false })).toEqual([]);
  });
});

describe('quota seats of a plan', () => {
  it('takes quotaSeats over quotaPercent and rounds the percent half up', () => {
    expect(planQuotaSeats({ capacity: 555, quotaPercent: 50, quotaSeats: 100 })).toBe(100);
    expect(planQuotaSeats({ capacity: 555, quotaPercent: 50 })).toBe(278);
    expect(planQuotaSeats({ capacity: 555 })).toBeNull();
  });

  it('gives a quality school without a figure the policy share, others nothing', () => {
    expect(effectiveQuotaPercent(base, { quality: true, minQuotaPercent: 60 })).toEqual({ quotaPercent: 60 });
    expect(effectiveQuotaPercent(base, { quality: false })).toBeNull();
    expect(effectiveQuotaPercent({ ...base, quotaSeats: 3, quotaPercent: 50 }, { quality: false })).toEqual({ quotaSeats: 3 });
  });
});

describe('planWarnings', () => {
  it('flags a school whose three grades would pass 3,000 students', () => {
    expect(planWarnings({ capacity: 1000 })).toEqual([]);
    const [warning] = planWarnings({ capacity: 1001 });
    expect(warning.code).toBe('ENROLLMENT_OVER_3000');
    expect(warning.zh).toContain('3003');
  });
});

describe('planChangeProblems', () => {
  const plan = { capacity: 550, classes: 10, batch: 1, minScore: null, minEvaluation: null, quotaPercent: 50, quotaSeats: null };
  const ordinary = { quality: false };
  it('keeps capacity within 55 per class and quota seats within capacity', () => {
    expect(planChangeProblems(plan, { capacity: 550 }, ordinary)).toEqual([]);
    expect(planChangeProblems(plan, { capacity: 551 }, ordinary).map((p) => p.field)).toEqual(['capacity']);
    expect(planChangeProblems(plan, { classes: 9 }, ordinary).map((p) => p.field)).toEqual(['capacity']);
    expect(planChangeProblems(plan, { quotaSeats: 600 }, ordinary).map((p) => p.field)).toEqual(['quotaSeats']);
  });
  it('applies the quota-share rule of a quality school, as the plan form does (a request for quotaPercent 10 is refused)', () => {
    const quality = { quality: true, minQuotaPercent: 50 };
    expect(planChangeProblems(plan, { quotaPercent: 10 }, quality).map((p) => p.code)).toEqual(['QUOTA_BELOW_POLICY']);
    expect(planChangeProblems(plan, { quotaPercent: 10 }, quality)).toEqual(planProblems({ ...plan, quotaPercent: 10 }, quality));
    expect(planChangeProblems(plan, { quotaPercent: 60 }, quality)).toEqual([]);
  });
  it('knows an empty change', () => {
    expect(changesSomething(plan, { capacity: 550 })).toBe(false);
    expect(changesSomething(plan, { capacity: 500 })).toBe(true);
  });
});
