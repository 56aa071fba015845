/**
 * How a round-1 answer (报到确认) reads on every school page, the high
 * school's admission list and the junior school's results alike: one rule, so
 * the two never tell a different story about the same student.
 *
 * `silence` is what the server says an unanswered seat counts as now: still
 * `pending` while the confirmation window is open, then `confirmed` or
 * `declined` by the cycle's policy (silence counts as confirmed unless the
 * policy says otherwise).
 */
export type ConfirmationAnswer = 'confirmed' | 'declined' | 'pending';
export type Silence = ConfirmationAnswer;

/** The i18n key (of client/src/i18n/school.ts) for an answer; null for a 补录 seat, which needs none. */
export function confirmationLabelKey(answer: ConfirmationAnswer | null, silence: Silence | null | undefined): string | null {
  if (answer === null) return null;
  if (answer === 'pending' && silence && silence !== 'pending') return `silence.${silence}`;
  return `confirmation.${answer}`;
}

/** The colour of the answer: a seat given up (by declining, or by silence where that counts as declining) in red. */
export function confirmationTone(answer: ConfirmationAnswer | null, silence: Silence | null | undefined): 'success' | 'danger' | 'info' {
  if (answer === null || answer === 'confirmed') return 'success';
  if (answer === 'declined') return 'danger';
  if (silence === 'declined') return 'danger';
  return silence === 'confirmed' ? 'success' : 'info';
}
