import { describe, expect, it } from 'vitest';
import { asOfYear, regionOfYear, type YearDirectory } from './year-directory';

describe('a row as it stood in a year', () => {
  const global = { id: 'H01', name: '新一中', regionCode: 'R2', scope: 'city' as const, region: { name: '新区' } };

  it('takes the year row for the keys both have, and keeps ids and nested relations', () => {
    const year = { cycleId: 'c1', id: 'H01', name: '旧一中', regionCode: 'R1', scope: 'region' as const, ownership: 'public', quality: true };
    expect(asOfYear(global, year)).toEqual({ id: 'H01', name: '旧一中', regionCode: 'R1', scope: 'region', region: { name: '新区' } });
  });

  it('keeps the global row when the year has none', () => {
    expect(asOfYear(global, undefined)).toBe(global);
    expect(asOfYear(global, null)).toBe(global);
  });

  it("names a region by the year's row, else by the fallback", () => {
    const directory: YearDirectory = {
      regions: new Map([['R1', { code: 'R1', name: '旧区', nameEn: 'Old', adminCode: null, rural: false }]]),
      juniorSchools: new Map(),
      highSchools: new Map(),
    };
    expect(regionOfYear(directory, 'R1', { code: 'R1', name: '新区', nameEn: 'New' })).toEqual({ code: 'R1', name: '旧区', nameEn: 'Old' });
    expect(regionOfYear(directory, 'R9', { code: 'R9', name: '九区', nameEn: 'Nine' })).toEqual({ code: 'R9', name: '九区', nameEn: 'Nine' });
  });
});
