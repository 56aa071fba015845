import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { AuditLogService } from '../../services/audit-log.service';
import type { DashboardService } from '../../services/dashboard.service';
import { auditQuerySchema, dashboardQuerySchema } from './dashboard.schema';

/** GET /api/dashboard (bureau, auditor), GET /api/audit and GET /api/audit/verify (auditor). */
export function createDashboardRouter(deps: { dashboard: DashboardService; auditLog: AuditLogService; authenticate: Authenticate }): Router {
  const { dashboard, auditLog, authenticate } = deps;
  const router = Router();

  router.get('/dashboard', authenticate(), permit('dashboard.read'), validate({ query: dashboardQuerySchema }), async (req, res) => {
    res.json(await dashboard.get(currentUser(req), { cycleId: req.query.cycleId }));
  });

  // The query has defaults (offset, limit), which Express's ParsedQs typing cannot express: read it as parsed.
  const validateAudit = validate({ query: auditQuerySchema }) as unknown as RequestHandler;
  router.get('/audit', authenticate(), permit('audit.read'), validateAudit, async (req, res) => {
    const { offset, limit, ...filter } = req.query as unknown as z.output<typeof auditQuerySchema>;
    res.json(await auditLog.list(currentUser(req), filter, { offset, limit }));
  });

  router.get('/audit/verify', authenticate(), permit('audit.read'), async (req, res) => {
    res.json(await auditLog.verifyChain(currentUser(req)));
  });

  return router;
}
