import { Router } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { CycleAdminService } from '../../services/cycle-admin.service';
import type { SeedService } from '../../services/seed.service';
import { createCycleBodySchema, cycleIdParamsSchema, scheduleBodySchema, seedBodySchema } from './cycles.schema';

/** The year's cycle: the current phase for everyone; creation and schedule edits for the bureau. */
export function createCyclesRouter(deps: { cycleAdmin: CycleAdminService; seeds: SeedService; authenticate: Authenticate }): Router {
  const { cycleAdmin, seeds, authenticate } = deps;
  const router = Router();

  router.get('/cycles/current', async (_req, res) => {
    res.json(await cycleAdmin.current());
  });

  router.get('/cycles', authenticate(), permit('cycles.list'), async (_req, res) => {
    res.json(await cycleAdmin.list());
  });

  router.post('/cycles', authenticate(), permit('cycle.create'), validate({ body: createCycleBodySchema }), async (req, res) => {
    res.status(201).json(await cycleAdmin.create(currentUser(req), req.body, { lang: req.lang, requestId: req.requestId }));
  });

  router.put('/cycles/:id/schedule', authenticate(), permit('cycle.schedule.edit'), validate({ params: cycleIdParamsSchema, body: scheduleBodySchema }), async (req, res) => {
    res.json(await cycleAdmin.updateSchedule(currentUser(req), req.params.id, req.body.windows, { lang: req.lang, requestId: req.requestId }));
  });

  // The lottery seed, only before applications open (then its hash is published and it is fixed: 409 SEED_COMMITTED).
  router.put('/cycles/:id/seed', authenticate(), permit('cycle.seed.set'), validate({ params: cycleIdParamsSchema, body: seedBodySchema }), async (req, res) => {
    res.json(await seeds.setSeed(currentUser(req), req.params.id, req.body.seed, { requestId: req.requestId }));
  });

  router.post('/cycles/:id/schedule/end-current', authenticate(), permit('cycle.schedule.edit'), validate({ params: cycleIdParamsSchema }), async (req, res) => {
    res.json(await cycleAdmin.endCurrent(currentUser(req), req.params.id, { lang: req.lang, requestId: req.requestId }));
  });

  return router;
}
