import express, { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { HighSchoolPortalService } from '../../services/high-school-portal.service';
import type { RegistrationService } from '../../services/registration.service';
import {
  admissionExportQuerySchema,
  admissionQuerySchema,
  highSchoolParamsSchema,
  markEnrolledBodySchema,
  planChangeBodySchema,
  planDecisionBodySchema,
  planRequestListQuerySchema,
  planRequestParamsSchema,
} from './high.schema';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';

/** Largest registration list accepted (xlsx or csv of exam numbers). */
const IMPORT_LIMIT = '5mb';

/**
 * /api/high-schools/:highSchoolId/... (the school itself, the bureau covering
 * it, inspectors read; only the school writes) and /api/plan-requests (bureau).
 */
export function createHighRouter(deps: { portal: HighSchoolPortalService; registrations: RegistrationService; authenticate: Authenticate }): Router {
  const { portal, registrations, authenticate } = deps;
  const router = Router();
  const readers = permit('highSchool.read');
  const params = { params: highSchoolParamsSchema };

  router.get('/high-schools/:highSchoolId/plan', authenticate(), readers, validate({ ...params, query: cycleIdQuerySchema }), async (req, res) => {
    res.json(await portal.plan(currentUser(req), req.params.highSchoolId, req.query.cycleId));
  });

  router.post(
    '/high-schools/:highSchoolId/plan-requests',
    authenticate(),
    permit('plan.change.request'),
    validate({ ...params, body: planChangeBodySchema }),
    async (req, res) => {
      res.status(201).json(await portal.requestPlanChange(currentUser(req), req.params.highSchoolId, { ...req.body, requestId: req.requestId }));
    },
  );

  router.get('/plan-requests', authenticate(), permit('plan.change.list'), validate({ query: planRequestListQuerySchema }), async (req, res) => {
    res.json(await portal.listPlanRequests(currentUser(req), req.query.status));
  });

  for (const verb of ['approve', 'reject'] as const) {
    router.post(
      `/plan-requests/:id/${verb}`,
      authenticate(),
      permit('plan.change.decide'),
      validate({ params: planRequestParamsSchema, body: planDecisionBodySchema }),
      async (req, res) => {
        const decision = await portal.decidePlanRequest(currentUser(req), req.params.id, { approve: verb === 'approve', note: req.body?.note || null, requestId: req.requestId });
        // Four eyes on a change of seat counts: a first approval is recorded (202), another city-bureau account completes it.
        res.status(decision.status === 'awaiting_approval' ? 202 : 200).json(decision);
      },
    );
  }

  // The query has numbers (offset, limit), which Express's ParsedQs typing cannot express: read it as parsed.
  const validateList = validate({ ...params, query: admissionQuerySchema }) as unknown as RequestHandler<{ highSchoolId: string }>;
  const validateExport = validate({ ...params, query: admissionExportQuerySchema }) as unknown as RequestHandler<{ highSchoolId: string }>;

  router.get('/high-schools/:highSchoolId/admissions', authenticate(), readers, validateList, async (req, res) => {
    const { cycleId, ...query } = req.query as unknown as z.output<typeof admissionQuerySchema>;
    res.json(await portal.admissions(currentUser(req), req.params.highSchoolId, query, cycleId));
  });

  router.get(
    '/high-schools/:highSchoolId/admissions/export',
    authenticate(),
    readers,
    validateExport,
    async (req, res) => {
      const { cycleId, format, ...filter } = req.query as unknown as z.output<typeof admissionExportQuerySchema>;
      const { buffer, filename, type } = await portal.exportAdmissions(currentUser(req), req.params.highSchoolId, filter, req.lang ?? 'zh-CN', cycleId, format);
      res
        .status(200)
        .type(type)
        .setHeader('Content-Disposition', `attachment; filename="admissions.${format === 'csv' ? 'csv' : 'xlsx'}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
        .send(buffer);
    },
  );

  router.get('/high-schools/:highSchoolId/registrations', authenticate(), readers, validate({ ...params, query: cycleIdQuerySchema }), async (req, res) => {
    res.json(await registrations.list(currentUser(req), req.params.highSchoolId, req.lang ?? 'zh-CN', req.query.cycleId));
  });

  router.post(
    '/high-schools/:highSchoolId/registrations',
    authenticate(),
    permit('registration.submit'),
    validate({ ...params, body: markEnrolledBodySchema }),
    async (req, res) => {
      res.json(await registrations.markEnrolled(currentUser(req), req.params.highSchoolId, { examNos: req.body.examNos, lang: req.lang ?? 'zh-CN', requestId: req.requestId }));
    },
  );

  router.post(
    '/high-schools/:highSchoolId/registrations/import',
    authenticate(),
    permit('registration.submit'),
    validate(params),
    express.raw({ type: () => true, limit: IMPORT_LIMIT }),
    async (req, res) => {
      const file = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      res.json(await registrations.importFile(currentUser(req), req.params.highSchoolId, { file, lang: req.lang ?? 'zh-CN', requestId: req.requestId }));
    },
  );

  return router;
}
