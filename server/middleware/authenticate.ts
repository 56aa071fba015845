import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors';
import { ACTIONS, roleMay, type Action, type Role } from '../policies';
import type { AuthService, PublicUser } from '../services/auth.service';

export interface AuthenticateOptions {
  /**
   * Let a user who still has to change the password through. Only the auth
   * routes (me, logout, password) set it: everything else answers 403
   * PASSWORD_CHANGE_REQUIRED until the password is changed.
   */
  allowPendingPasswordChange?: boolean;
  /**
   * Let a bureau user who still has to turn on two-factor sign-in through
   * (BUREAU_TOTP_REQUIRED). The auth routes and the TOTP enrollment set it:
   * everything else answers 403 TOTP_ENROLLMENT_REQUIRED until it is on.
   */
  allowPendingTotpEnrollment?: boolean;
}

/**
 * `authenticate(options?)`: requires `Authorization: Bearer <token>`, checks
 * the token and the user's token version (so logout revokes it) and sets
 * `req.user`. 401 UNAUTHENTICATED without a valid token, SESSION_EXPIRED when
 * it expired or was revoked. Only access tokens pass: a two-factor challenge
 * (the mfaToken of a sign-in) is refused as UNAUTHENTICATED.
 */
export function createAuthenticate(auth: Pick<AuthService, 'authenticate'>) {
  return function authenticate(options: AuthenticateOptions = {}): RequestHandler {
    return async (req, _res, next) => {
      const header = req.get('authorization') ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new AppError('UNAUTHENTICATED');
      const user = await auth.authenticate(match[1]);
      if (user.mustChangePassword && !options.allowPendingPasswordChange) throw new AppError('PASSWORD_CHANGE_REQUIRED');
      if (user.mustEnrollTotp && !options.allowPendingTotpEnrollment) throw new AppError('TOTP_ENROLLMENT_REQUIRED');
      req.user = user;
      next();
    };
  };
}

export type Authenticate = ReturnType<typeof createAuthenticate>;

/**
 * `permit(action)`: the route's guard, the role part of the action's rule
 * (server/policies/actions.ts); other roles get 403 FORBIDDEN before the
 * request is read. The finer rule (the city bureau, the subject's region)
 * is the use case's first line, `authorize(actor, action, subject)`.
 * Put it right after `authenticate()`. The guard carries its action and
 * roles, so the authorization matrix test reads them off the router.
 */
export function permit(action: Action): RequestHandler & { action: Action; roles: Role[] } {
  const roles = [...ACTIONS[action].roles];
  const guard: RequestHandler = (req, _res, next) => {
    if (!req.user) throw new AppError('UNAUTHENTICATED');
    if (!roleMay(req.user.role, action)) throw new AppError('FORBIDDEN');
    next();
  };
  return Object.assign(guard, { action, roles });
}

/** The signed-in caller, in a handler behind `authenticate()`. */
export function currentUser(req: Request): PublicUser {
  if (!req.user) throw new AppError('UNAUTHENTICATED');
  return req.user;
}
