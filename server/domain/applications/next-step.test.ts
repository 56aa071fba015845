import { describe, expect, it } from 'vitest';
import { PHASES } from '../schedule/schedule';
import { mayJoinSupplementary, nextStep, type NextStep, type StudentState } from './next-step';

/** One case per state a student can be in, with the step they must see. */
const CASES: [string, StudentState, NextStep][] = [
  ['before applications open', { phase: 'plans_published', hasApplication: false }, 'waitForApplications'],
  ['applications open, nothing saved', { phase: 'applications_open', hasApplication: false }, 'fillChoices'],
  ['applications open, saved', { phase: 'applications_open', hasApplication: true }, 'reviewChoices'],
  ['applications closed, saved', { phase: 'applications_closed', hasApplication: true }, 'waitForResult'],
  ['applications closed, never saved', { phase: 'applications_closed', hasApplication: false }, 'missedApplications'],
  ['round 1, not yet published', { phase: 'round1', hasApplication: true }, 'waitForResult'],
  ['round 1 published with a seat (not the old "wait for results")', { phase: 'round1', hasApplication: true, placed: true }, 'waitForConfirmation'],
  ['round 1 published, unplaced', { phase: 'round1', hasApplication: true, placed: false }, 'waitForSupplementary'],
  ['confirmation, seat, no answer yet', { phase: 'confirmation', hasApplication: true, placed: true, decision: null }, 'confirm'],
  ['confirmation, confirmed', { phase: 'confirmation', hasApplication: true, placed: true, decision: 'confirmed' }, 'confirmed'],
  ['confirmation, declined, decliners kept out of 补录', { phase: 'confirmation', hasApplication: true, placed: true, decision: 'declined' }, 'declined'],
  [
    'confirmation, declined, decliners may join 补录',
    { phase: 'confirmation', hasApplication: true, placed: true, decision: 'declined', declinedMayJoinSupplementary: true },
    'waitForSupplementary',
  ],
  ['confirmation, unplaced', { phase: 'confirmation', hasApplication: true, placed: false }, 'waitForSupplementary'],
  ['补录, kept the seat by confirming', { phase: 'supplementary', hasApplication: true, placed: true, decision: 'confirmed' }, 'confirmed'],
  ['补录, silent where silence keeps the seat', { phase: 'supplementary', hasApplication: true, placed: true, decision: null }, 'confirmed'],
  ['补录, silent where silence declines, decliners kept out', { phase: 'supplementary', hasApplication: true, placed: true, silenceIsDecline: true }, 'declined'],
  ['补录, declined, decliners kept out', { phase: 'supplementary', hasApplication: true, placed: true, decision: 'declined' }, 'declined'],
  [
    '补录, declined, decliners may join, nothing saved',
    { phase: 'supplementary', hasApplication: true, placed: true, decision: 'declined', declinedMayJoinSupplementary: true },
    'supplementary',
  ],
  ['补录, unplaced, nothing saved', { phase: 'supplementary', hasApplication: true, placed: false }, 'supplementary'],
  ['补录, unplaced, saved', { phase: 'supplementary', hasApplication: true, placed: false, hasSupplementaryApplication: true }, 'waitForSupplementaryResult'],
  ['补录 published with a seat', { phase: 'supplementary', hasApplication: true, placed: false, hasSupplementaryApplication: true, supplementaryPlaced: true }, 'supplementaryAdmitted'],
  ['补录 published, unplaced', { phase: 'supplementary', hasApplication: true, placed: false, hasSupplementaryApplication: true, supplementaryPlaced: false }, 'supplementaryUnplaced'],
  [
    '补录 published to a decliner allowed in (not "you confirmed")',
    { phase: 'supplementary', hasApplication: true, placed: true, decision: 'declined', declinedMayJoinSupplementary: true, supplementaryPlaced: true },
    'supplementaryAdmitted',
  ],
  ['补录 with no round 1 published at all', { phase: 'supplementary', hasApplication: false }, 'done'],
  ['registration, kept the round-1 seat', { phase: 'registration', hasApplication: true, placed: true, decision: 'confirmed' }, 'register'],
  ['registration, placed by 补录', { phase: 'registration', hasApplication: true, placed: false, supplementaryPlaced: true }, 'register'],
  ['registration, declined', { phase: 'registration', hasApplication: true, placed: true, decision: 'declined' }, 'done'],
  ['registration, never placed', { phase: 'registration', hasApplication: true, placed: false }, 'done'],
  ['closed', { phase: 'closed', hasApplication: true, placed: true, decision: 'confirmed' }, 'done'],
];

describe('nextStep', () => {
  it.each(CASES)('%s', (_name, state, step) => {
    expect(nextStep(state)).toBe(step);
  });

  it('has a case for every phase', () => {
    const covered = new Set(CASES.map(([, s]) => s.phase));
    expect(PHASES.filter((p) => !covered.has(p) && p !== 'setup')).toEqual([]);
  });
});

describe('mayJoinSupplementary', () => {
  it('lets in the unplaced; decliners and the silent (where silence declines) only when the policy says so', () => {
    expect(mayJoinSupplementary({ placed: false })).toBe(true);
    expect(mayJoinSupplementary({ placed: undefined })).toBe(false);
    expect(mayJoinSupplementary({ placed: true, decision: 'confirmed', declinedMayJoinSupplementary: true })).toBe(false);
    expect(mayJoinSupplementary({ placed: true, decision: 'declined' })).toBe(false);
    expect(mayJoinSupplementary({ placed: true, decision: 'declined', declinedMayJoinSupplementary: true })).toBe(true);
    expect(mayJoinSupplementary({ placed: true, decision: null, silenceIsDecline: true, declinedMayJoinSupplementary: true })).toBe(true);
    expect(mayJoinSupplementary({ placed: true, decision: null, silenceIsDecline: false, declinedMayJoinSupplementary: true })).toBe(false);
  });
});
