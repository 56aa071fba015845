import { Router, type Request, type RequestHandler } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { AccountService } from '../../services/account.service';
import { activationSlipsWorkbook } from '../../services/account-slips';
import type { MfaChallengeBody } from '../auth/auth.schema';
import { clientAddress, sessionBody } from '../auth/auth.router';
import { attachment } from '../imports/imports.router';
import { activateBodySchema, issueCodesBodySchema, issueCodesQuerySchema, type IssuedCodesBody } from './accounts.schema';

/** Where people activate (the client's /activate page), as printed on the slips: under PUBLIC_URL when configured, else the request's origin. */
function activationUrl(req: Request, publicUrl: string | undefined): string {
  return `${(publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '')}/activate`;
}

/**
 * Accounts of imported people: issuing activation codes (bureaus and junior
 * schools, each for the accounts in its remit) and activating with one
 * (public, rate-limited with sign-in).
 */
export function createAccountsRouter(deps: { accounts: AccountService; authenticate: Authenticate; loginLimiter: RequestHandler; publicUrl?: string }): Router {
  const { accounts, authenticate, loginLimiter } = deps;
  const router = Router();

  router.post(
    '/accounts/activation-codes',
    authenticate(),
    permit('account.activation.issue'),
    validate({ query: issueCodesQuerySchema, body: issueCodesBodySchema }),
    async (req, res) => {
      const issued = await accounts.issueCodes(currentUser(req), req.body, { requestId: req.requestId });
      if (req.query.format === 'xlsx') {
        const bytes = await activationSlipsWorkbook(issued, { signInUrl: activationUrl(req, deps.publicUrl) });
        res.setHeader('Content-Disposition', attachment('账号激活单.xlsx'));
        res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(bytes);
        return;
      }
      const body: IssuedCodesBody = { codes: issued.map((c) => ({ ...c, expiresAt: c.expiresAt.toISOString() })) };
      res.json(body);
    },
  );

  router.post('/auth/activate', loginLimiter, validate({ body: activateBodySchema }), async (req, res) => {
    const result = await accounts.activate({ ...req.body, clientAddress: clientAddress(req), requestId: req.requestId });
    if (!result.mfaRequired) {
      res.json(sessionBody(result.session));
      return;
    }
    const challenge: MfaChallengeBody = { mfaRequired: true, mfaToken: result.mfaToken, expiresAt: result.expiresAt.toISOString() };
    res.json(challenge);
  });

  return router;
}
