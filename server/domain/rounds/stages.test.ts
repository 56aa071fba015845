import { describe, expect, it } from 'vitest';
import { ROUND_STAGES, roundStageOf } from './stages';

describe('roundStageOf', () => {
  it('names the stage whose range holds the progress of a running round', () => {
    expect(roundStageOf('running', 0)).toBe('load');
    for (const [stage, [first, last]] of Object.entries(ROUND_STAGES)) {
      expect(roundStageOf('running', first)).toBe(stage);
      expect(roundStageOf('running', last)).toBe(stage);
    }
    expect(roundStageOf('running', 100)).toBe('store');
  });

  it('is queued before a worker takes the round and done once it has finished', () => {
    expect(roundStageOf('queued', 0)).toBe('queued');
    for (const status of ['succeeded', 'failed', 'published']) expect(roundStageOf(status, 100)).toBe('done');
  });
});
