import { describe, expect, it } from 'vitest';
import { computeDashboard, scoreBand, type DashboardInputs } from './indicators';

function inputs(overrides: Partial<DashboardInputs> = {}): DashboardInputs {
  return {
    regions: [
      { code: 'C', name: '城区', nameEn: 'City' },
      { code: 'K', name: '县', nameEn: 'County' },
    ],
    students: [
      { id: 's1', regionCode: 'C', juniorSchoolId: 'JC', total: 655 },
      { id: 's2', regionCode: 'C', juniorSchoolId: 'JC', total: 560 },
      { id: 's3', regionCode: 'K', juniorSchoolId: 'JK', total: 610 },
      { id: 's4', regionCode: 'K', juniorSchoolId: 'JK', total: 520 },
    ],
    highSchools: [
      { id: 'HC', name: '一中', regionCode: 'C', ownership: 'public', scope: 'city', quality: true },
      { id: 'PK', name: '民办', regionCode: 'K', ownership: 'private', scope: 'region', quality: false },
    ],
    juniorSchools: [
      { id: 'JC', name: '城区初中', regionCode: 'C' },
      { id: 'JK', name: '县初中', regionCode: 'K' },
    ],
    plans: [
      { highSchoolId: 'HC', capacity: 1100, classes: 20 },
      { highSchoolId: 'PK', capacity: 560, classes: 10 },
    ],
    quotas: [
      { highSchoolId: 'HC', juniorSchoolId: 'JC', seats: 300 },
      { highSchoolId: 'HC', juniorSchoolId: 'JK', seats: 200 },
    ],
    placements: [
      { studentId: 's1', highSchoolId: 'HC', seat: 'open' },
      { studentId: 's3', highSchoolId: 'HC', seat: 'quota' },
      { studentId: 's4', highSchoolId: 'PK', seat: 'open' },
      { studentId: 's2', highSchoolId: 'PK', seat: 'open' },
    ],
    quotaShare: 0.5,
    ...overrides,
  };
}

describe('computeDashboard', () => {
  it('bands scores by 50 points per region', () => {
    expect(scoreBand(649.5)).toBe(600);
    const d = computeDashboard(inputs());
    expect(d.scoreDistribution.bands).toEqual(['500-549', '550-599', '600-649', '650-699']);
    expect(d.scoreDistribution.series).toEqual([
      { regionCode: 'C', regionName: '城区', counts: [0, 1, 0, 1] },
      { regionCode: 'K', regionName: '县', counts: [1, 0, 1, 0] },
    ]);
  });

  it('gives each school its lowest admitted total and per seat type (quota apart from open), quota use per junior school and flows', () => {
    const d = computeDashboard(inputs());
    expect(d.cutoffs).toEqual([
      { highSchoolId: 'HC', name: '一中', regionCode: 'C', admitted: 2, cutoff: 610, open: 655, quota: 610, reverted: null },
      { highSchoolId: 'PK', name: '民办', regionCode: 'K', admitted: 2, cutoff: 520, open: 520, quota: null, reverted: null },
    ]);
    expect(d.quotaUse).toEqual([
      { juniorSchoolId: 'JC', name: '城区初中', regionCode: 'C', seats: 300, used: 0 },
      { juniorSchoolId: 'JK', name: '县初中', regionCode: 'K', seats: 200, used: 1 },
    ]);
    expect(d.flows).toEqual([
      { from: 'C', to: 'C', students: 1 },
      { from: 'C', to: 'K', students: 1 },
      { from: 'K', to: 'C', students: 1 },
      { from: 'K', to: 'K', students: 1 },
    ]);
  });

  it('computes the policy indicators', () => {
    const d = computeDashboard(inputs());
    expect(d.indicators.classesOver55).toEqual({ count: 1, schools: [{ highSchoolId: 'PK', name: '民办', classSize: 56 }] });
    expect(d.indicators.schoolsOver3000).toEqual({ count: 1, schools: [{ highSchoolId: 'HC', name: '一中', estimatedEnrollment: 3300 }] });
    expect(d.indicators.qualityQuotaShare).toEqual({ required: 0.5, share: 0.4545, below: [{ highSchoolId: 'HC', name: '一中', share: 0.4545 }] });
    expect(d.indicators.publicPrivate).toEqual({ public: 2, private: 2 });
    expect(d.indicators.localCompliance).toEqual({ regionScopeAdmissions: 2, local: 1, share: 0.5 });
  });

  it('shows zero where the policy is kept, and empty charts without data', () => {
    const d = computeDashboard(
      inputs({ plans: [{ highSchoolId: 'HC', capacity: 1000, classes: 20 }], quotas: [{ highSchoolId: 'HC', juniorSchoolId: 'JC', seats: 500 }] }),
    );
    expect(d.indicators.classesOver55.count).toBe(0);
    expect(d.indicators.schoolsOver3000.count).toBe(0);
    expect(d.indicators.qualityQuotaShare).toMatchObject({ share: 0.5, below: [] });
    const empty = computeDashboard(inputs({ students: [], placements: [], plans: [], quotas: [] }));
    expect(empty.scoreDistribution).toEqual({ bands: [], series: [] });
    expect(empty.flows).toEqual([]);
    expect(empty.indicators.localCompliance.share).toBeNull();
  });
});
