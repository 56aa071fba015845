import { describe, expect, it } from 'vitest';
import { approvalStep, changesSeatCount } from './approvals';

describe('approvalStep', () => {
  it('completes at once when one approval is required', () => {
    expect(approvalStep([], 'u1', 1)).toEqual({ kind: 'complete', approvals: 1, required: 1 });
  });

  it('waits for a second, different account when two are required', () => {
    expect(approvalStep([], 'u1', 2)).toEqual({ kind: 'awaiting', approvals: 1, required: 2 });
    expect(approvalStep(['u1'], 'u1', 2)).toEqual({ kind: 'duplicate' });
    expect(approvalStep(['u1'], 'u2', 2)).toEqual({ kind: 'complete', approvals: 2, required: 2 });
  });

  it('counts distinct accounts only', () => {
    expect(approvalStep(['u1', 'u1'], 'u2', 3)).toEqual({ kind: 'awaiting', approvals: 2, required: 3 });
    expect(approvalStep(['u1', 'u2'], 'u3', 3)).toEqual({ kind: 'complete', approvals: 3, required: 3 });
  });
});

describe('changesSeatCount', () => {
  const plan = { capacity: 600, quotaPercent: 50, quotaSeats: null };
  it('is true for a change of capacity or quota seats, false otherwise', () => {
    expect(changesSeatCount(plan, { capacity: 650 })).toBe(true);
    expect(changesSeatCount(plan, { quotaPercent: 60 })).toBe(true);
    expect(changesSeatCount(plan, { quotaSeats: 300 })).toBe(true);
    expect(changesSeatCount(plan, { capacity: 600 })).toBe(false);
    expect(changesSeatCount(plan, { minScore: 500, classes: 12 })).toBe(false);
  });
});
