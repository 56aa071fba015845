import { describe, expect, it } from 'vitest';
import { cycleIdFromQuery, withCycleId } from './year-query';

describe('the year in the URL', () => {
  it('reads ?cycleId=, ignoring an empty one and taking the first of several', () => {
    expect(cycleIdFromQuery({ cycleId: 'c1' })).toBe('c1');
    expect(cycleIdFromQuery({ cycleId: '' })).toBeUndefined();
    expect(cycleIdFromQuery({})).toBeUndefined();
    expect(cycleIdFromQuery({ cycleId: ['c2', 'c3'] })).toBe('c2');
  });

  it('sets the year and drops it for the current cycle, keeping the other parameters', () => {
    expect(withCycleId({ seat: 'quota' }, 'c1')).toEqual({ seat: 'quota', cycleId: 'c1' });
    expect(withCycleId({ seat: 'quota', cycleId: 'c1' }, undefined)).toEqual({ seat: 'quota' });
  });
});
