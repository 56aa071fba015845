/**
 * The phase → allowed-actions table, imported from the server's domain (no
 * copy here): a page offers an action only when `actionOffered` says so and
 * otherwise says in words when it opens. The server refuses by the same
 * table (`cycles.requireAction`), so a button the page shows does not fail
 * for its phase.
 */
import {
  ACTIONS,
  actionOpensText,
  isActionAllowed,
  isPhaseAction,
  type PhaseAction,
} from '../../../server/domain/schedule/actions';
import { PHASE_NAMES, PHASES, type Phase } from '../../../server/domain/schedule/schedule';
import type { AppLocale } from './locale';

export { ACTIONS, PHASES, isPhaseAction, type Phase, type PhaseAction };

/** Whether a page offers `action` while `phase` is open (unknown phase: no). */
export function actionOffered(action: PhaseAction, phase: string | null | undefined): boolean {
  return isPhase(phase) && isActionAllowed(action, phase);
}

/** A phase's name for people, from the server's PHASE_NAMES; never the raw key (an unknown one: empty). */
export function phaseName(phase: string | null | undefined, locale: AppLocale): string {
  return isPhase(phase) ? PHASE_NAMES[phase][locale] : '';
}

/** "导入数据只能在「准备阶段」进行" in the UI language: what a page says instead of a button that would fail. */
export function actionOpensIn(action: PhaseAction, locale: AppLocale): string {
  return actionOpensText(action, locale);
}

function isPhase(value: string | null | undefined): value is Phase {
  return (PHASES as readonly string[]).includes(value ?? '');
}
