/**
 * The kinds of account on the platform (PLATFORM.md, "Who uses it"; `kindergarten`: issue 18)
 * and what each may do: both from the server's policies (server/policies/actor.ts and the
 * action table in server/policies/actions.ts), never restated here. A page hides an action
 * the caller's role may not take with `roleMay(role, action)`; the server still decides.
 */
import { ROLES, type Role } from '../../../server/policies/actor';

export { ROLES, type Role };
export { roleMay, type Action } from '../../../server/policies/actions';
export { issueRoleScope } from '../../../server/policies/account.policy';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The path of a role's home page; every role has exactly one. */
export function homePathFor(role: Role): `/${Role}` {
  return `/${role}`;
}
