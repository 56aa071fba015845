import { AppError } from '../errors';
import type { Actor } from './actor';
import { verdict, type Action, type SubjectArgs } from './actions';

/**
 * The first line of a use case: refuses unless `actor` may take `action` on
 * `subject` (the rules in actions.ts). Throws AppError FORBIDDEN (403, the
 * catalog's zh-CN and English message), or NOT_FOUND for an action that
 * hides what the caller may not see. Immich's `requireAccess`, outline's
 * `authorize`.
 *
 *     authorize(actor, 'round.publish');
 *     authorize(actor, 'plan.change.decide', request.plan.highSchool);
 */
export function authorize<A extends Action>(actor: Actor, action: A, ...subject: SubjectArgs<A>): void {
  const outcome = verdict(actor, action, ...subject);
  if (outcome === 'forbidden') throw new AppError('FORBIDDEN');
  if (outcome === 'hidden') throw new AppError('NOT_FOUND');
}
