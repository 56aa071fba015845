import { Router } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { JuniorSchoolPortalService } from '../../services/junior-school-portal.service';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';
import { juniorSchoolParamsSchema } from './junior.schema';

/** /api/junior-schools/:juniorSchoolId/... : the school itself, the bureau covering it, inspectors. */
export function createJuniorRouter(deps: { portal: JuniorSchoolPortalService; authenticate: Authenticate }): Router {
  const { portal, authenticate } = deps;
  const router = Router();
  const chain = [authenticate(), permit('juniorSchool.read'), validate({ params: juniorSchoolParamsSchema, query: cycleIdQuerySchema })] as const;

  router.get('/junior-schools/:juniorSchoolId/status', ...chain, async (req, res) => {
    res.json(await portal.status(currentUser(req), req.params.juniorSchoolId, req.query.cycleId));
  });
  router.get('/junior-schools/:juniorSchoolId/quotas', ...chain, async (req, res) => {
    res.json(await portal.quotas(currentUser(req), req.params.juniorSchoolId, req.query.cycleId));
  });
  router.get('/junior-schools/:juniorSchoolId/results', ...chain, async (req, res) => {
    res.json(await portal.results(currentUser(req), req.params.juniorSchoolId, req.query.cycleId));
  });
  return router;
}
