import { describe, expect, it } from 'vitest';
import { guidanceBand, MATCH_MAX_RANK_PERCENT, SAFE_MAX_RANK_PERCENT } from './guidance';

const band = (rank: number | null, cutoffRank: number | null) => guidanceBand({ rank, cutoffRank, cutoffScore: 600 })?.band ?? null;

describe('冲 / 稳 / 保 guidance bands', () => {
  it('uses the named thresholds: 保 up to 85% of last year\'s cutoff rank, 稳 up to 105%, 冲 beyond', () => {
    expect(SAFE_MAX_RANK_PERCENT).toBe(85);
    expect(MATCH_MAX_RANK_PERCENT).toBe(105);
  });

  it('is 保 (safe) well ahead of last year\'s cutoff rank, boundary included', () => {
    expect(band(1, 1000)).toBe('safe');
    expect(band(850, 1000)).toBe('safe'); // exactly 85%
    expect(band(851, 1000)).toBe('match');
  });

  it('is 稳 (match) around last year\'s cutoff rank, boundary included', () => {
    expect(band(1000, 1000)).toBe('match');
    expect(band(1050, 1000)).toBe('match'); // exactly 105%
    expect(band(1051, 1000)).toBe('reach');
  });

  it('is 冲 (reach) behind it', () => {
    expect(band(1200, 1000)).toBe('reach');
    expect(band(45000, 10)).toBe('reach');
  });

  it('decides boundaries exactly where the percent is not a whole number of places', () => {
    // 85% of 7 is 5.95: rank 5 is safe, rank 6 is not; 105% of 7 is 7.35: rank 7 matches, 8 does not.
    expect([5, 6, 7, 8].map((r) => band(r, 7))).toEqual(['safe', 'match', 'match', 'reach']);
  });

  it('returns the numbers behind the band', () => {
    expect(guidanceBand({ rank: 1234, cutoffRank: 1000, cutoffScore: 612.5 })).toEqual({
      band: 'reach',
      rank: 1234,
      cutoffRank: 1000,
      cutoffScore: 612.5,
      rankPercent: 123,
      safeMaxPercent: 85,
      matchMaxPercent: 105,
    });
  });

  it('gives no band without a previous year (no cutoff rank) or without a rank this year', () => {
    expect(guidanceBand({ rank: 100, cutoffRank: null })).toBeNull();
    expect(guidanceBand({ rank: null, cutoffRank: 100 })).toBeNull();
    expect(guidanceBand({ rank: 100, cutoffRank: 0 })).toBeNull();
  });
});
