import { Router, type RequestHandler } from 'express';
import type { Authenticate } from '../../middleware/authenticate';
import { currentUser } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { AuthService, Session } from '../../services/auth.service';
import { changePasswordBodySchema, loginBodySchema, type SessionBody } from './auth.schema';

function sessionBody(session: Session): SessionBody {
  return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: session.user };
}

/** /api/auth: sign in, who am I, sign out, change password. */
export function createAuthRouter(deps: { auth: AuthService; authenticate: Authenticate; loginLimiter: RequestHandler }): Router {
  const { auth, authenticate, loginLimiter } = deps;
  const signedIn = authenticate({ allowPendingPasswordChange: true });
  const router = Router();

  router.post('/login', loginLimiter, validate({ body: loginBodySchema }), async (req, res) => {
    const session = await auth.login({ ...req.body, requestId: req.requestId });
    res.json(sessionBody(session));
  });

  router.get('/me', signedIn, async (req, res) => {
    res.json({ user: await auth.me(currentUser(req)) });
  });

  router.post('/logout', signedIn, async (req, res) => {
    await auth.logout(currentUser(req), { requestId: req.requestId });
    res.status(204).end();
  });

  router.post('/password', loginLimiter, signedIn, validate({ body: changePasswordBodySchema }), async (req, res) => {
    const session = await auth.changePassword(currentUser(req), { ...req.body, requestId: req.requestId });
    res.json(sessionBody(session));
  });

  return router;
}
