/**
 * What a student should do next: one pure function of the phase the server is
 * in, the student's application, the published main result, their answer to
 * it, the cycle's rules for silence and for decliners, and the 补录 round.
 * Every page (home, result, supplementary form) shows the step computed here;
 * the client only turns the code into a sentence.
 */
import { keepsSeat as keepsRoundOneSeat, mayApplySupplementary, type Decision } from '../rounds/confirmation';
import type { Phase } from '../schedule/schedule';

export type NextStep =
  | 'waitForApplications'
  | 'fillChoices'
  | 'reviewChoices'
  /** Applications closed without a saved application: nothing to wait for in round 1. */
  | 'missedApplications'
  | 'waitForResult'
  /** Round 1 is published with a seat; the confirmation window has not opened yet. */
  | 'waitForConfirmation'
  | 'confirm'
  | 'confirmed'
  /** Declined (or silent where silence declines), and decliners may not take part in 补录. */
  | 'declined'
  | 'waitForSupplementary'
  | 'supplementary'
  | 'waitForSupplementaryResult'
  /** Placed by the published 补录 round. */
  | 'supplementaryAdmitted'
  /** Took part in 补录 and was not placed. */
  | 'supplementaryUnplaced'
  | 'register'
  | 'done';

export interface StudentState {
  phase: Phase;
  hasApplication: boolean;
  /** The published main round: placed or not; undefined while none is published. */
  placed?: boolean;
  /** The student's answer to a main-round seat; null or undefined while silent. */
  decision?: Decision | null;
  /** The cycle's rule: silence after the confirmation window counts as declining. */
  silenceIsDecline?: boolean;
  /** The cycle's rule: a student who declined a round-1 seat may take part in 补录 (default false). */
  declinedMayJoinSupplementary?: boolean;
  hasSupplementaryApplication?: boolean;
  /** The published 补录 round: placed or not; undefined while none is published (or the student was not in it). */
  supplementaryPlaced?: boolean;
}

/** Whether the student may take part in 补录 under the cycle's rules (PLATFORM.md, "The year"). */
export function mayJoinSupplementary(s: Pick<StudentState, 'placed' | 'decision' | 'silenceIsDecline' | 'declinedMayJoinSupplementary'>): boolean {
  if (s.placed === undefined) return false;
  return mayApplySupplementary(s.placed ? 'seat' : undefined, s.decision ?? undefined, {
    silenceIsDecline: s.silenceIsDecline ?? false,
    declinedMayJoin: s.declinedMayJoinSupplementary ?? false,
  });
}

/** Whether the student still holds the round-1 seat. */
function keepsSeat(s: StudentState): boolean {
  return s.placed === true && keepsRoundOneSeat(s.decision ?? undefined, s.silenceIsDecline ?? false);
}

/** The next step of a student. */
export function nextStep(s: StudentState): NextStep {
  switch (s.phase) {
    case 'setup':
    case 'plans_published':
      return 'waitForApplications';
    case 'applications_open':
      return s.hasApplication ? 'reviewChoices' : 'fillChoices';
    case 'applications_closed':
      return s.hasApplication ? 'waitForResult' : 'missedApplications';
    case 'round1':
      if (s.placed === undefined) return s.hasApplication ? 'waitForResult' : 'missedApplications';
      return s.placed ? 'waitForConfirmation' : 'waitForSupplementary';
    case 'confirmation':
      if (s.placed === undefined) return s.hasApplication ? 'waitForResult' : 'missedApplications';
      if (!s.placed) return 'waitForSupplementary';
      if (s.decision === 'confirmed') return 'confirmed';
      if (s.decision === 'declined') return s.declinedMayJoinSupplementary ? 'waitForSupplementary' : 'declined';
      return 'confirm';
    case 'supplementary':
      if (s.supplementaryPlaced !== undefined) return s.supplementaryPlaced ? 'supplementaryAdmitted' : 'supplementaryUnplaced';
      if (keepsSeat(s)) return 'confirmed';
      if (!mayJoinSupplementary(s)) return s.placed ? 'declined' : 'done';
      return s.hasSupplementaryApplication ? 'waitForSupplementaryResult' : 'supplementary';
    case 'registration':
      return s.supplementaryPlaced || keepsSeat(s) ? 'register' : 'done';
    case 'closed':
      return 'done';
  }
}

/** Every step code, in order; the client's messages are tested against it (a missing code fails to compile). */
export const NEXT_STEPS = [
  'waitForApplications',
  'fillChoices',
  'reviewChoices',
  'missedApplications',
  'waitForResult',
  'waitForConfirmation',
  'confirm',
  'confirmed',
  'declined',
  'waitForSupplementary',
  'supplementary',
  'waitForSupplementaryResult',
  'supplementaryAdmitted',
  'supplementaryUnplaced',
  'register',
  'done',
] as const satisfies readonly NextStep[];
const everyStepListed: Exclude<NextStep, (typeof NEXT_STEPS)[number]> extends never ? true : false = true;
void everyStepListed;
