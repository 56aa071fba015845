import { Router } from 'express';
import { currentUser, requireRoles, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { ApplicationService } from '../../services/application.service';
import type { StudentPortalService } from '../../services/student-portal.service';
import { applicationKindQuery, saveApplicationBody } from './student.schema';

/**
 * /api/student/*: authenticate -> role student -> validate -> the service (which scopes to the caller's own record).
 * Confirming a seat is POST /api/rounds/:id/confirmations (the rounds area).
 */
export function createStudentRouter(deps: { portal: StudentPortalService; applications: ApplicationService; authenticate: Authenticate }): Router {
  const { portal, applications, authenticate } = deps;
  const router = Router();
  const student = [authenticate(), requireRoles('student')];
  const lang = (req: { lang?: 'zh-CN' | 'en' }) => req.lang ?? 'zh-CN';

  router.get('/student/overview', ...student, async (req, res) => {
    res.json(await portal.overview(currentUser(req), lang(req)));
  });

  router.get('/student/application', ...student, validate({ query: applicationKindQuery }), async (req, res) => {
    res.json(await applications.get(currentUser(req), { kind: req.query.kind, lang: lang(req) }));
  });

  router.put('/student/application', ...student, validate({ body: saveApplicationBody }), async (req, res) => {
    const { kind, baseVersion, choices } = req.body;
    res.json(await applications.save(currentUser(req), { kind, baseVersion, choices, lang: lang(req) }));
  });

  router.get('/student/application/history', ...student, validate({ query: applicationKindQuery }), async (req, res) => {
    res.json(await applications.history(currentUser(req), { kind: req.query.kind }));
  });

  router.get('/student/result', ...student, async (req, res) => {
    res.json(await portal.result(currentUser(req), lang(req)));
  });

  return router;
}
