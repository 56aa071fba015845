import { Router, type RequestHandler } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { FlagRule, FlagSeverity } from '../../domain/flags';
import type { FlagService } from '../../services/flag.service';
import { flagListQuerySchema, flagParamsSchema, flagReviewSchema, type FlagListQueryInput } from './flags.schema';

/** Flag review: list and detail for the bureau and inspectors, decisions and on-demand detection for the bureau. */
export function createFlagsRouter(deps: { flags: FlagService; authenticate: Authenticate }): Router {
  const { flags, authenticate } = deps;
  const router = Router();

  router.post('/flags/detect', authenticate(), permit('flags.detect'), async (req, res) => {
    res.status(202).json(await flags.requestDetection(currentUser(req), { requestId: req.requestId }));
  });

  // The query has defaults (offset, limit), which Express's ParsedQs typing cannot express: read it as parsed.
  const validateList = validate({ query: flagListQuerySchema }) as unknown as RequestHandler;
  router.get('/flags', authenticate(), permit('flags.read'), validateList, async (req, res) => {
    const q = req.query as unknown as FlagListQueryInput;
    res.json(
      await flags.list(currentUser(req), {
        cycleId: q.cycleId,
        rule: q.rule as FlagRule | undefined,
        severity: q.severity as FlagSeverity | undefined,
        status: q.status,
        regionCode: q.region,
        highSchoolId: q.school,
        complaint: q.complaint,
        offset: q.offset,
        limit: q.limit,
      }),
    );
  });

  router.get('/flags/:id', authenticate(), permit('flags.read'), validate({ params: flagParamsSchema }), async (req, res) => {
    res.json(await flags.get(currentUser(req), req.params.id));
  });

  router.post(
    '/flags/:id/review',
    authenticate(),
    permit('flags.review'),
    validate({ params: flagParamsSchema, body: flagReviewSchema }),
    async (req, res) => {
      res.json(await flags.review(currentUser(req), req.params.id, { ...req.body, requestId: req.requestId }));
    },
  );

  return router;
}
