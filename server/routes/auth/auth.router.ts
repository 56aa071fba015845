import { Router, type Request, type RequestHandler } from 'express';
import type { Authenticate } from '../../middleware/authenticate';
import { currentUser, permit } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { AuthService, Session } from '../../services/auth.service';
import type { TwoFactorService } from '../../services/two-factor.service';
import {
  changePasswordBodySchema,
  loginBodySchema,
  refreshBodySchema,
  totpDisableBodySchema,
  totpEnableBodySchema,
  totpVerifyBodySchema,
  type MfaChallengeBody,
  type SessionBody,
} from './auth.schema';

export function sessionBody(session: Session): SessionBody {
  return {
    token: session.token,
    expiresAt: session.expiresAt.toISOString(),
    refreshToken: session.refreshToken,
    refreshExpiresAt: session.refreshExpiresAt.toISOString(),
    user: session.user,
  };
}

/**
 * The address failed sign-ins are counted under: `req.ip` as Express sees it
 * (the socket's address, or X-Forwarded-For only behind TRUST_PROXY trusted
 * proxies, so it cannot be spoofed), the same key as the sign-in rate limit.
 */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * /api/auth: sign in (password, then a TOTP code where two-factor sign-in is
 * on), renew a session, who am I, sign out, change password, and turn
 * two-factor sign-in on and off (bureau).
 */
export function createAuthRouter(deps: {
  auth: AuthService;
  twoFactor: TwoFactorService;
  authenticate: Authenticate;
  loginLimiter: RequestHandler;
}): Router {
  const { auth, twoFactor, authenticate, loginLimiter } = deps;
  const signedIn = authenticate({ allowPendingPasswordChange: true, allowPendingTotpEnrollment: true });
  const enrolling = [authenticate({ allowPendingTotpEnrollment: true }), permit('auth.totp.manage')];
  const router = Router();

  router.post('/login', loginLimiter, validate({ body: loginBodySchema }), async (req, res) => {
    const result = await auth.login({ ...req.body, clientAddress: clientAddress(req), requestId: req.requestId });
    if (!result.mfaRequired) {
      res.json(sessionBody(result.session));
      return;
    }
    const challenge: MfaChallengeBody = { mfaRequired: true, mfaToken: result.mfaToken, expiresAt: result.expiresAt.toISOString() };
    res.json(challenge);
  });

  router.post('/totp/verify', loginLimiter, validate({ body: totpVerifyBodySchema }), async (req, res) => {
    res.json(sessionBody(await auth.verifyTotp({ ...req.body, clientAddress: clientAddress(req), requestId: req.requestId })));
  });

  // Not behind the sign-in rate limit: a school's computer room shares one address, and 256-bit tokens cannot be guessed.
  router.post('/refresh', validate({ body: refreshBodySchema }), async (req, res) => {
    res.json(sessionBody(await auth.refresh({ refreshToken: req.body.refreshToken, requestId: req.requestId })));
  });

  router.get('/me', signedIn, async (req, res) => {
    res.json({ user: await auth.me(currentUser(req)) });
  });

  router.post('/logout', signedIn, async (req, res) => {
    await auth.logout(currentUser(req), { requestId: req.requestId });
    res.status(204).end();
  });

  router.post('/password', loginLimiter, signedIn, validate({ body: changePasswordBodySchema }), async (req, res) => {
    const session = await auth.changePassword(currentUser(req), { ...req.body, clientAddress: clientAddress(req), requestId: req.requestId });
    res.json(sessionBody(session));
  });

  router.post('/totp/setup', ...enrolling, async (req, res) => {
    res.json(await twoFactor.setup(currentUser(req)));
  });

  router.post('/totp/enable', ...enrolling, validate({ body: totpEnableBodySchema }), async (req, res) => {
    res.json({ user: await twoFactor.enable(currentUser(req), { code: req.body.code, requestId: req.requestId }) });
  });

  router.post('/totp/disable', loginLimiter, ...enrolling, validate({ body: totpDisableBodySchema }), async (req, res) => {
    res.json({ user: await twoFactor.disable(currentUser(req), { ...req.body, requestId: req.requestId }) });
  });

  return router;
}
