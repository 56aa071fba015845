import { canIssueActivationCodes } from './account.policy';
import { isCityBureau, ROLES, type Actor, type Role } from './actor';
import { canReadJob, type JobRef } from './job.policy';
import { canDecidePlanChange, type SchoolRef } from './school.policy';

/**
 * Every action of the platform and who may take it: the one home of the
 * access rules (in the manner of outline's `authorize(user, action, subject)`).
 *
 * Each action has two parts:
 * - `roles`: the roles that may call it at all. The router's guard
 *   (`permit(action)`, server/middleware/authenticate.ts) checks this part
 *   before the request is read, and the client hides what a role may not do
 *   from it (client/src/lib/roles.ts). Pure data: this file imports no
 *   Prisma, Express or server-only code, so the client can import it.
 * - `allows` (optional): the finer rule on the caller and the subject it
 *   touches (the city bureau and not a county bureau; a school in the
 *   caller's region; the caller's own job), built from the predicates of
 *   this folder. `authorize` checks both, first thing in the use case.
 *
 * `hides`: a refusal of the finer rule is answered 404 NOT_FOUND, as for a
 * record that does not exist (the platform never confirms that someone
 * else's record exists); otherwise 403 FORBIDDEN.
 *
 * Which rows a caller sees (a county bureau its region, a school its own
 * students) is not an action: repositories filter by the scopes of
 * scope.ts.
 */
export interface ActionRule<Subject = undefined> {
  /** Roles that may call it at all. */
  readonly roles: readonly Role[];
  /** The finer rule on the caller and the subject; absent: the role is enough. */
  readonly allows?: (actor: Actor, subject: Subject) => boolean;
  /** Refuse the finer rule with 404 NOT_FOUND instead of 403 FORBIDDEN. */
  readonly hides?: boolean;
}

function rule<Subject = undefined>(r: ActionRule<Subject>): ActionRule<Subject> {
  return r;
}

const EVERYONE = ROLES;
const OVERSIGHT: readonly Role[] = ['bureau', 'auditor'];
/** Anyone but a student: schools, the bureau, inspectors (and kindergartens) read past years. */
const NOT_STUDENT: readonly Role[] = ROLES.filter((r) => r !== 'student');
const cityBureau = (actor: Actor) => isCityBureau(actor);
/** A student account linked to its student record. */
const ownStudent = (actor: Actor) => actor.studentId != null;

export const ACTIONS = {
  // the year's cycle and schedule (市教育局)
  /** List the cycles (years) to pick one. */
  'cycles.list': rule({ roles: EVERYONE }),
  'cycle.create': rule({ roles: ['bureau'], allows: cityBureau }),
  /** Edit the part of the schedule still ahead, or end the current window now. */
  'cycle.schedule.edit': rule({ roles: ['bureau'], allows: cityBureau }),
  /** Set the lottery seed before applications open. */
  'cycle.seed.set': rule({ roles: ['bureau'], allows: cityBureau }),
  /** Read a past year's plans and quota seats: never a student. */
  'pastYear.read': rule({ roles: NOT_STUDENT }),
  /** See plans, quota seats and rounds before they are published: the phase holds only the others back. */
  'unpublished.read': rule({ roles: OVERSIGHT }),

  // imports
  'imports.template.read': rule({ roles: ['bureau'] }),
  /** Import regions, schools, students and scores into the cycle. */
  'imports.run': rule({ roles: ['bureau'], allows: cityBureau }),
  /** Import the kindergarten registry (a county bureau: its region's rows only). */
  'kindergarten.imports.run': rule({ roles: ['bureau'] }),

  // plans and quota seats
  'plans.read': rule({ roles: EVERYONE }),
  'plan.set': rule({ roles: ['bureau'], allows: cityBureau }),
  /** A junior school's weight in the quota split (向农村初中倾斜). */
  'junior.weight.set': rule({ roles: ['bureau'], allows: cityBureau }),
  'quotas.read': rule({ roles: EVERYONE }),
  'quotas.compute': rule({ roles: ['bureau'], allows: cityBureau }),

  // the high school's portal
  /** A high school's internal data: plan, admission list, registrations (rows held to the caller's scope). */
  'highSchool.read': rule({ roles: ['high', 'bureau', 'auditor'] }),
  'plan.change.request': rule({ roles: ['high'] }),
  /** 报到/学籍注册: register who enrolled, by list or by file. */
  'registration.submit': rule({ roles: ['high'] }),
  'plan.change.list': rule({ roles: ['bureau'] }),
  /** Approve or reject a plan change: the city bureau; a county bureau only for its region's region-scope schools. */
  'plan.change.decide': rule<SchoolRef & { scope: 'city' | 'region' }>({ roles: ['bureau'], allows: canDecidePlanChange }),
  /** One of the approvals a change of seat counts needs under four eyes: city-bureau accounts only. */
  'plan.change.cosign': rule({ roles: ['bureau'], allows: cityBureau }),

  // the junior school's portal
  /** A junior school's students' status, quota seats and results (rows held to the caller's scope). */
  'juniorSchool.read': rule({ roles: ['junior', 'bureau', 'auditor'] }),

  // the student's portal
  'student.overview.read': rule({ roles: ['student'] }),
  'student.application.read': rule({ roles: ['student'] }),
  'student.application.save': rule({ roles: ['student'] }),
  'student.result.read': rule({ roles: ['student'] }),
  /** 报到确认: confirm or decline the seat of the published main round. */
  'round.confirm': rule({ roles: ['student'], allows: ownStudent }),

  // rounds
  'round.start': rule({ roles: ['bureau'], allows: cityBureau }),
  'round.read': rule({ roles: OVERSIGHT }),
  'round.publish': rule({ roles: ['bureau'], allows: cityBureau }),
  /** The round's input, result and seed as one file (anyone can re-run it). */
  'round.bundle.read': rule({ roles: OVERSIGHT, allows: (actor) => isCityBureau(actor) || actor.role === 'auditor' }),
  'round.cutoffs.read': rule({ roles: EVERYONE }),
  'supplementary.seats.read': rule({ roles: EVERYONE }),

  // oversight
  'dashboard.read': rule({ roles: OVERSIGHT }),
  'audit.read': rule({ roles: ['auditor'] }),
  'flags.read': rule({ roles: OVERSIGHT }),
  'flags.review': rule({ roles: ['bureau'] }),
  'flags.detect': rule({ roles: ['bureau'] }),

  // homes: one role each
  'home.student': rule({ roles: ['student'] }),
  'home.junior': rule({ roles: ['junior'] }),
  'home.high': rule({ roles: ['high'] }),
  'home.bureau': rule({ roles: ['bureau'] }),
  'home.auditor': rule({ roles: ['auditor'] }),

  // accounts, jobs, the system
  /** Issue activation codes (账号条); for whom is decided per account by account.policy.ts. */
  'account.activation.issue': rule({ roles: ['bureau', 'junior'], allows: canIssueActivationCodes }),
  /** Turn two-factor sign-in (TOTP) on and off for one's own account. */
  'auth.totp.manage': rule({ roles: ['bureau'] }),
  /** A queued job's progress and result: the city bureau and inspectors every job, anyone else their own. */
  'job.read': rule<JobRef>({ roles: EVERYONE, allows: canReadJob, hides: true }),
  'system.healthcheck': rule({ roles: ['bureau'] }),

  // the kindergarten registry (issue 18)
  /** A kindergarten's own record, home page and filings. */
  'kindergarten.own.read': rule({ roles: ['kindergarten'] }),
  /** 备案: file a change of the kindergarten's record. */
  'kindergarten.filing.submit': rule({ roles: ['kindergarten'] }),
  'kindergarten.filing.list': rule({ roles: OVERSIGHT }),
  /** Approve or return a filing (a county bureau: its region's, by the scope of the query). */
  'kindergarten.filing.review': rule({ roles: ['bureau'] }),
} satisfies Record<string, ActionRule<never>>;

/** Every action of the platform. */
export type Action = keyof typeof ACTIONS;

/** What an action is about, as its rule needs it (undefined: nothing beyond the caller). */
export type SubjectOf<A extends Action> = (typeof ACTIONS)[A] extends ActionRule<infer S> ? S : never;

/** The subject argument of `can` and `authorize`: none for actions about the caller alone. */
export type SubjectArgs<A extends Action> = [SubjectOf<A>] extends [undefined] ? [] : [subject: SubjectOf<A>];

/** The action names, for tests and the client. */
export const ACTION_NAMES = Object.keys(ACTIONS) as Action[];

/** Whether `role` may take `action` at all (the router's guard and the client's menus). */
export function roleMay(role: Role, action: Action): boolean {
  return ACTIONS[action].roles.includes(role);
}

/** The outcome of checking an action: allowed, refused, or refused as if the subject did not exist. */
export type Verdict = 'allowed' | 'forbidden' | 'hidden';

/** The verdict on `actor` taking `action` on `subject`: role first, then the finer rule. */
export function verdict<A extends Action>(actor: Actor, action: A, ...subject: SubjectArgs<A>): Verdict {
  const r = ACTIONS[action] as ActionRule<unknown>;
  if (!r.roles.includes(actor.role)) return 'forbidden';
  if (r.allows && !r.allows(actor, subject[0])) return r.hides ? 'hidden' : 'forbidden';
  return 'allowed';
}

/** Whether `actor` may take `action` on `subject` (the boolean form of `authorize`). */
export function can<A extends Action>(actor: Actor, action: A, ...subject: SubjectArgs<A>): boolean {
  return verdict(actor, action, ...subject) === 'allowed';
}
