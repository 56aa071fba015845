import { describe, expect, it } from 'vitest';
import { checkChoices, listingRefusal, normalizeChoices, type ChoiceSchool } from './choices';
import { refusalReasons, schoolEligibility, type EligibilitySchool, type EligibilityStudent } from './eligibility';
import { explainAssignment } from './explain';
import { DEFAULT_MAX_CHOICES_PER_BATCH, maxChoicesFor, maxChoicesPerBatch } from '../cycle-policy';
import { reasonText } from './reasons';

const student: EligibilityStudent = { region: 'HT', junior: 'J1', total: 580, evaluation: 'B', quotaEligible: true };
const school = (over: Partial<EligibilitySchool> = {}): EligibilitySchool => ({ region: 'HT', scope: 'city', quotaSeatsForJunior: 0, ...over });
const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

describe('schoolEligibility (ALLOCATION.md §2.2)', () => {
  it('is open-eligible with no minimums in scope', () => {
    const e = schoolEligibility(student, school());
    expect(e.open.eligible).toBe(true);
    expect(codes(e.quota)).toEqual(['noQuotaForJunior']);
    expect(e.any).toBe(true);
  });

  it('refuses a region-scope school of another region for both seats', () => {
    const e = schoolEligibility(student, school({ scope: 'region', region: 'LL', quotaSeatsForJunior: 3 }));
    expect(codes(e.open)).toEqual(['outOfRegion']);
    expect(codes(e.quota)).toEqual(['outOfRegion']);
    expect(e.any).toBe(false);
  });

  it('admits a region-scope school of the own region and a city-scope school of another', () => {
    expect(schoolEligibility(student, school({ scope: 'region' })).open.eligible).toBe(true);
    expect(schoolEligibility(student, school({ region: 'LL' })).open.eligible).toBe(true);
  });

  it('compares the total and grade with the minimums, equal counts as met', () => {
    expect(schoolEligibility(student, school({ minScore: 580 })).open.eligible).toBe(true);
    const e = schoolEligibility(student, school({ minScore: 580.5, minEvaluation: 'A' }));
    expect(codes(e.open)).toEqual(['belowMinScore', 'belowMinEvaluation']);
    expect(e.open.reasons[0].params).toMatchObject({ total: 580, minScore: 580.5 });
    expect(schoolEligibility(student, school({ minEvaluation: 'B' })).open.eligible).toBe(true);
  });

  it('uses the quota minimums, falling back to the open ones', () => {
    const withQuota = school({ quotaSeatsForJunior: 2, minScore: 590 });
    expect(codes(schoolEligibility(student, withQuota).quota)).toEqual(['belowQuotaMinScore']);
    const lowered = school({ quotaSeatsForJunior: 2, minScore: 590, quotaMinScore: 560 });
    const e = schoolEligibility(student, lowered);
    expect(e.quota.eligible).toBe(true);
    expect(e.open.eligible).toBe(false);
    expect(e.any).toBe(true);
    expect(codes(schoolEligibility(student, school({ quotaSeatsForJunior: 2, minEvaluation: 'A' })).quota)).toEqual(['belowQuotaMinEvaluation']);
  });

  it('needs the 学籍 requirement for quota seats', () => {
    const e = schoolEligibility({ ...student, quotaEligible: false }, school({ quotaSeatsForJunior: 5 }));
    expect(codes(e.quota)).toEqual(['notQuotaEligible']);
  });

  it('explains a refused school without repeating a reason', () => {
    const e = schoolEligibility(student, school({ scope: 'region', region: 'LL', quotaSeatsForJunior: 1 }));
    expect(refusalReasons(e).map((r) => r.code)).toEqual(['outOfRegion']);
    expect(refusalReasons(schoolEligibility(student, school()))).toEqual([]);
    expect(refusalReasons(schoolEligibility(student, school({ minScore: 700 }))).map((r) => r.code)).toEqual(['belowMinScore']);
    const withQuota = schoolEligibility({ ...student, quotaEligible: false }, school({ minScore: 700, quotaSeatsForJunior: 2 }));
    expect(refusalReasons(withQuota).map((r) => r.code)).toEqual(['belowMinScore', 'notQuotaEligible', 'belowQuotaMinScore']);
  });
});

describe('reasonText', () => {
  it('gives the numbers in Chinese and English', () => {
    expect(reasonText('belowMinScore', 'zh-CN', { total: 580, minScore: 600 })).toBe('总分 580 低于该校最低分数线 600');
    expect(reasonText('belowMinScore', 'en', { total: 580, minScore: 600 })).toBe("Total 580 is below the school's minimum score 600");
    expect(reasonText('openFull', 'zh-CN', { total: 580, cutoff: 598.5 })).toBe('统招名额已录满：录取最低分 598.5，你的总分 580');
    expect(reasonText('tooMany', 'en', { batch: 3, max: 2 })).toBe('Batch 3 allows at most 2 schools');
  });
});

describe('maxChoicesPerBatch', () => {
  it('defaults to 4/4/2 and takes the cycle policy where valid', () => {
    expect(maxChoicesPerBatch({})).toEqual(DEFAULT_MAX_CHOICES_PER_BATCH);
    expect(maxChoicesPerBatch({ maxChoicesPerBatch: { '1': 6, '02': 9, '3': -1, '4': 1 } })).toEqual({ '1': 6, '2': 4, '3': 2, '4': 1 });
    expect(maxChoicesFor({ '1': 4 }, 7)).toBe(2);
  });
});

describe('checkChoices', () => {
  const s = (id: string, batch: number, over: Partial<ChoiceSchool> = {}): [string, ChoiceSchool] => [id, { id, batch, region: 'HT', scope: 'city', quotaSeatsForJunior: 0, ...over }];
  const schools = new Map([s('H1', 1), s('H2', 1), s('H3', 1), s('H4', 1), s('H5', 1), s('P1', 2, { scope: 'region', region: 'LL' }), s('M1', 2, { minScore: 600 }), s('V1', 3)]);
  const limits = { '1': 4, '2': 4, '3': 2 };
  const check = (choices: Record<string, string[]>) => checkChoices({ choices, student, schools, limits });

  it('accepts a valid list', () => {
    expect(check({ '1': ['H1', 'H2'], '3': ['V1'] })).toEqual([]);
  });

  it('refuses more than the batch maximum', () => {
    const problems = check({ '1': ['H1', 'H2', 'H3', 'H4', 'H5'] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'choices.1', reasons: [{ code: 'tooMany', params: { batch: 1, max: 4 } }] });
  });

  it('names unknown schools, duplicates, wrong batches and ineligible schools by position', () => {
    const problems = check({ '1': ['H1', 'NOPE', 'H1', 'V1'], '2': ['P1', 'M1'] });
    expect(problems.map((p) => [p.field, p.reasons[0].code])).toEqual([
      ['choices.1.1', 'unknownSchool'],
      ['choices.1.2', 'duplicate'],
      ['choices.1.3', 'wrongBatch'],
      ['choices.2.0', 'outOfRegion'],
      ['choices.2.1', 'belowMinScore'],
    ]);
  });

  it('refuses a school with no seats left (supplementary round)', () => {
    const full = new Map([s('H1', 1, { seatsLeft: 0 })]);
    expect(checkChoices({ choices: { '1': ['H1'] }, student, schools: full, limits })[0].reasons[0].code).toBe('noSeatsLeft');
  });

  it('lets a school be listed for a quota seat alone, and says why not otherwise (listingRefusal)', () => {
    const quality = { id: 'Q1', batch: 1, region: 'HT', scope: 'city' as const, minScore: 590, quotaMinScore: 570, quotaSeatsForJunior: 2 };
    expect(listingRefusal(student, quality)).toEqual([]);
    expect(listingRefusal(student, { ...quality, quotaSeatsForJunior: 0 }).map((r) => r.code)).toEqual(['belowMinScore']);
    expect(listingRefusal({ ...student, quotaEligible: false }, quality).map((r) => r.code)).toEqual(['belowMinScore', 'notQuotaEligible']);
    expect(listingRefusal(student, { ...quality, seatsLeft: 0 }).map((r) => r.code)).toEqual(['noSeatsLeft']);
  });

  it('normalizes batch keys and drops empty batches', () => {
    expect(normalizeChoices({ '2': ['A'], '1': [], '3': ['B', 'C'] })).toEqual({ '2': ['A'], '3': ['B', 'C'] });
  });
});

describe('explainAssignment', () => {
  it('adds the cutoffs and minimums to the engine reasons', () => {
    const lines = explainAssignment({
      explanation: [
        { school: 'H1', batch: 1, reasons: ['openFull', 'quotaFull'] },
        { school: 'H2', batch: 1, reasons: ['belowMinScore', 'bogus'] },
        { nonsense: true },
      ],
      schools: { H1: { cutoffs: { open: { total: 612, rank: 10 }, quota: { J1: { total: 590 } } } } },
      student: { total: 585, evaluation: 'B', junior: 'J1' },
      plans: new Map([['H2', { minScore: 600, minEvaluation: null, quotaMinScore: null, quotaMinEvaluation: null, region: '荷塘区' }]]),
    });
    expect(lines).toEqual([
      { school: 'H1', batch: 1, reasons: [{ code: 'openFull', params: { total: 585, evaluation: 'B', cutoff: 612 } }, { code: 'quotaFull', params: { total: 585, evaluation: 'B', cutoff: 590 } }] },
      { school: 'H2', batch: 1, reasons: [{ code: 'belowMinScore', params: { total: 585, evaluation: 'B', minScore: 600 } }] },
    ]);
    expect(explainAssignment({ explanation: null, schools: undefined, student: { total: 1, evaluation: 'A', junior: 'J' }, plans: new Map() })).toEqual([]);
  });
});
