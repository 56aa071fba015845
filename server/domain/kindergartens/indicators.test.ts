import { describe, expect, it } from 'vitest';
import { preschoolIndicators } from './indicators';

describe('the preschool indicators', () => {
  it('count 普惠 coverage, the public share and the gross enrolment rate per region and city-wide', () => {
    const { city, regions } = preschoolIndicators({
      regions: [
        { code: 'A', name: '甲区' },
        { code: 'B', name: '乙区' },
        { code: 'C', name: '丙区' },
      ],
      kindergartens: [
        { regionCode: 'A', nature: 'public', children: 100 },
        { regionCode: 'A', nature: 'puhui_private', children: 60 },
        { regionCode: 'A', nature: 'private', children: 40 },
        { regionCode: 'B', nature: 'private', children: 100 },
      ],
      population: [{ regionCode: 'A', children: 250 }],
    });
    expect(regions).toEqual([
      { code: 'A', name: '甲区', puhuiShare: 0.8, publicShare: 0.5, grossEnrolmentRate: 0.8, children: 200, population: 250 },
      { code: 'B', name: '乙区', puhuiShare: 0, publicShare: 0, grossEnrolmentRate: null, children: 100, population: null },
      { code: 'C', name: '丙区', puhuiShare: null, publicShare: null, grossEnrolmentRate: null, children: 0, population: null },
    ]);
    // City: 160 of 300 in 普惠, 100 of 300 public; the rate only over regions with a count (200 of 250).
    expect(city).toEqual({ puhuiShare: 160 / 300, publicShare: 100 / 300, grossEnrolmentRate: 0.8, children: 300, population: 250 });
  });
});
