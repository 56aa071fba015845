import { Router } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import type { QuotaService } from '../../services/quota.service';
import { validate } from '../../middleware/validate';
import { attachment } from '../imports/imports.router';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';

/** 指标生名额: compute (bureau), read and export (everyone once published). */
export function createQuotasRouter(deps: { quotas: QuotaService; authenticate: Authenticate }): Router {
  const { quotas, authenticate } = deps;
  const router = Router();

  router.post('/quotas/compute', authenticate(), permit('quotas.compute'), async (req, res) => {
    res.json(await quotas.compute(currentUser(req), { requestId: req.requestId }));
  });

  router.get('/quotas', authenticate(), permit('quotas.read'), validate({ query: cycleIdQuerySchema }), async (req, res) => {
    res.json(await quotas.table(currentUser(req), req.query.cycleId));
  });

  router.get('/quotas/export', authenticate(), permit('quotas.read'), validate({ query: cycleIdQuerySchema }), async (req, res) => {
    const bytes = await quotas.exportWorkbook(currentUser(req), req.query.cycleId);
    res.setHeader('Content-Disposition', attachment('指标生名额分配表.xlsx'));
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(bytes);
  });

  return router;
}
