import { Router } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { JobService } from '../../services/job.service';
import { jobParamsSchema } from './jobs.schema';

/** Job progress (/api/jobs/:queue/:id) and the manual heartbeat (/api/system/healthcheck). */
export function createJobsRouter(deps: { jobs: JobService; authenticate: Authenticate }): Router {
  const { jobs, authenticate } = deps;
  const router = Router();

  // Every role may ask; the service answers only jobs the caller may see (policies/job.policy.ts).
  router.get('/jobs/:queue/:id', authenticate(), permit('job.read'), validate({ params: jobParamsSchema }), async (req, res) => {
    res.json(await jobs.read(currentUser(req), req.params.queue, req.params.id));
  });

  router.post('/system/healthcheck', authenticate(), permit('system.healthcheck'), async (req, res) => {
    res.status(202).json(await jobs.requestHealthcheck(currentUser(req), { requestId: req.requestId }));
  });

  return router;
}
