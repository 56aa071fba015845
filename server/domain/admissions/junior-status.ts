/**
 * A junior school's view of its students' applications (志愿): not started,
 * saved (a draft) or final (submitted, or frozen at the deadline). Those not
 * final still have to act.
 */

export type ApplicationState = 'not_started' | 'saved' | 'final';

/** Pure: the state of a student's main application from its stored status (none: not started). */
export function applicationState(status: 'draft' | 'submitted' | 'frozen' | null | undefined): ApplicationState {
  if (!status) return 'not_started';
  return status === 'draft' ? 'saved' : 'final';
}

/** Pure: counts per state. */
export function countStates(states: readonly ApplicationState[]): Record<ApplicationState, number> & { total: number } {
  const counts = { total: states.length, not_started: 0, saved: 0, final: 0 };
  for (const state of states) counts[state] += 1;
  return counts;
}
