/**
 * What a student should do next, from the phase the server is in and the
 * student's own state. The client turns the code into a sentence.
 */
import type { Phase } from '../schedule/schedule';

export type NextStep =
  | 'waitForApplications'
  | 'fillChoices'
  | 'reviewChoices'
  | 'waitForResult'
  | 'confirm'
  | 'confirmed'
  | 'declined'
  | 'waitForSupplementary'
  | 'supplementary'
  | 'register'
  | 'done';

export interface StudentState {
  phase: Phase;
  hasApplication: boolean;
  /** A published result exists: placed true/false; undefined when none is published yet. */
  placed?: boolean;
  decision?: 'confirmed' | 'declined' | null;
  hasSupplementaryApplication?: boolean;
}

/** The next step of a student (see PLATFORM.md, "The year"). */
export function nextStep(s: StudentState): NextStep {
  switch (s.phase) {
    case 'setup':
    case 'plans_published':
      return 'waitForApplications';
    case 'applications_open':
      return s.hasApplication ? 'reviewChoices' : 'fillChoices';
    case 'applications_closed':
    case 'round1':
      return 'waitForResult';
    case 'confirmation':
      if (s.placed === undefined) return 'waitForResult';
      if (!s.placed) return 'waitForSupplementary';
      return s.decision === 'confirmed' ? 'confirmed' : s.decision === 'declined' ? 'waitForSupplementary' : 'confirm';
    case 'supplementary':
      if (s.placed && s.decision !== 'declined') return 'confirmed';
      return s.hasSupplementaryApplication ? 'waitForResult' : 'supplementary';
    case 'registration':
      return s.placed && s.decision !== 'declined' ? 'register' : 'done';
    case 'closed':
      return 'done';
  }
}
