import { describe, expect, it } from 'vitest';
import { cyclePolicyInputSchema, DEFAULT_MAX_CHOICES_PER_BATCH, isTieBreakKey, maxChoicesFor, parseCyclePolicy } from './cycle-policy';

describe('parseCyclePolicy', () => {
  it('fills every default, the 学籍 cut-off from the year (start of the first year of junior high)', () => {
    expect(parseCyclePolicy(null, 2026)).toEqual({
      quotaPercent: 50,
      quotaEligibilityCutoff: '2023-09-01',
      silenceCountsAsDecline: false,
      declinedMayJoinSupplementary: false,
      maxChoicesPerBatch: DEFAULT_MAX_CHOICES_PER_BATCH,
      topStudentShare: 0.05,
      allocation: {},
    });
  });

  it('keeps valid stored values, replaces malformed ones by their default, reads the old silence key', () => {
    const p = parseCyclePolicy(
      { quotaPercent: 60, quotaEligibilityCutoff: '2025-13-40', silenceMeansDecline: true, maxChoicesPerBatch: { '1': 3 }, topStudentShare: 7, allocation: { tieBreak: ['math'] } },
      2026,
    );
    expect(p.quotaPercent).toBe(60);
    expect(p.quotaEligibilityCutoff).toBe('2023-09-01');
    expect(p.silenceCountsAsDecline).toBe(true);
    expect(p.maxChoicesPerBatch).toEqual({ '1': 3, '2': 4, '3': 2 });
    expect(maxChoicesFor(p.maxChoicesPerBatch, 1)).toBe(3);
    expect(maxChoicesFor(p.maxChoicesPerBatch, 7)).toBe(2);
    expect(p.topStudentShare).toBe(0.05);
    expect(p.allocation).toEqual({ tieBreak: ['math'] });
  });
});

describe('cyclePolicyInputSchema', () => {
  it('accepts any subset of the keys and refuses unknown keys and bad values with their path', () => {
    expect(cyclePolicyInputSchema.safeParse({ declinedMayJoinSupplementary: true }).success).toBe(true);
    const unknown = cyclePolicyInputSchema.safeParse({ quotaShare: 0.5 });
    expect(unknown.success).toBe(false);
    const bad = cyclePolicyInputSchema.safeParse({ allocation: { tieBreak: ['foo+bar'] } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(['allocation', 'tieBreak', 0]);
    expect(cyclePolicyInputSchema.safeParse({ quotaEligibilityCutoff: '10000-01-01' }).success).toBe(false);
  });
});

describe('isTieBreakKey', () => {
  it('takes evaluation, a subject, or distinct subjects joined by +', () => {
    expect(['evaluation', 'math', 'chinese+math+english'].every(isTieBreakKey)).toBe(true);
    expect(['foo', 'math+math', 'evaluation+math', ''].some(isTieBreakKey)).toBe(false);
  });
});
