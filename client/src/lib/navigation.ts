import { homePathFor, type Role } from './roles';

export const LOGIN_PATH = '/login';
export const PASSWORD_PATH = '/password';
/** Where a bureau account turns two-factor sign-in on and off. */
export const SECURITY_PATH = '/bureau/security';

/** What the guard knows about the signed-in user (null when nobody is). */
export interface Visitor {
  role: Role;
  mustChangePassword: boolean;
  /** A bureau account that must turn on two-factor sign-in first (after any password change). */
  mustEnrollTotp?: boolean;
}

/** What the guard knows about the route asked for. */
export interface Target {
  path: string;
  fullPath: string;
  /** The role the route belongs to; none for shared pages such as /password. */
  role?: Role;
  /** Reachable without signing in (the login page). */
  public?: boolean;
  /** Open to everyone, signed in or not, who stays there (the public kindergarten register). */
  anyone?: boolean;
}

/**
 * The router guard's decision, as data: `true` to go on, or the path to go
 * to instead. Nobody signed in goes to login (remembering where they were
 * going); a password that must change comes first, then two-factor sign-in
 * where it is required; a user who asks for another role's page, or for `/`,
 * lands on their own home.
 */
export function decideNavigation(visitor: Visitor | null, target: Target): true | string {
  if (!visitor) {
    if (target.public || target.anyone) return true;
    if (target.path === '/') return LOGIN_PATH;
    return `${LOGIN_PATH}?redirect=${encodeURIComponent(target.fullPath)}`;
  }
  const home = homePathFor(visitor.role);
  if (visitor.mustChangePassword) return target.path === PASSWORD_PATH ? true : PASSWORD_PATH;
  if (visitor.mustEnrollTotp) return target.path === SECURITY_PATH || target.path === PASSWORD_PATH ? true : SECURITY_PATH;
  if (target.anyone) return true;
  if (target.public || target.path === '/') return home;
  if (target.role !== undefined && target.role !== visitor.role) return home;
  return true;
}

/**
 * Where to go right after logging in: the page the user was sent away from,
 * if it is theirs to see and is a path inside the app, else their home.
 */
export function afterLoginPath(visitor: Visitor, redirect: unknown, redirectRole: Role | undefined): string {
  if (visitor.mustChangePassword) return PASSWORD_PATH;
  if (visitor.mustEnrollTotp) return SECURITY_PATH;
  const home = homePathFor(visitor.role);
  if (typeof redirect !== 'string' || !redirect.startsWith('/') || redirect.startsWith('//')) return home;
  if (redirect.startsWith(LOGIN_PATH) || redirect === '/') return home;
  if (redirectRole !== undefined && redirectRole !== visitor.role) return home;
  return redirect;
}
