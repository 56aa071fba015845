import { Router } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { PlanService } from '../../services/plan.service';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';
import { highSchoolParamsSchema, juniorParamsSchema, planBodySchema, weightBodySchema } from './plans.schema';

/** Plans (招生计划) and junior-school weights. */
export function createPlansRouter(deps: { plans: PlanService; authenticate: Authenticate }): Router {
  const { plans, authenticate } = deps;
  const router = Router();

  router.get('/plans', authenticate(), permit('plans.read'), validate({ query: cycleIdQuerySchema }), async (req, res) => {
    res.json(await plans.list(currentUser(req), req.lang, req.query.cycleId));
  });

  router.put('/plans/:highSchoolId', authenticate(), permit('plan.set'), validate({ params: highSchoolParamsSchema, body: planBodySchema }), async (req, res) => {
    res.json(await plans.update(currentUser(req), req.params.highSchoolId, req.body, { lang: req.lang, requestId: req.requestId }));
  });

  router.put('/junior-schools/:id/weight', authenticate(), permit('junior.weight.set'), validate({ params: juniorParamsSchema, body: weightBodySchema }), async (req, res) => {
    res.json(await plans.setJuniorWeight(currentUser(req), req.params.id, req.body.weightPercent, { requestId: req.requestId }));
  });

  return router;
}
