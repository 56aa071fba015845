import { Router } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { ApplicationService } from '../../services/application.service';
import type { StudentPortalService } from '../../services/student-portal.service';
import { applicationKindQuery, saveApplicationBody } from './student.schema';

/**
 * RFC 9110 §13.1.2 (weak comparison): the client holds the current result. Not `req.fresh`,
 * which also honours a request's `Cache-Control: no-cache`, and fetch() sends that with any If-None-Match.
 */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/**
 * /api/student/*: authenticate -> role student -> validate -> the service (which scopes to the caller's own record).
 * Confirming a seat is POST /api/rounds/:id/confirmations (the rounds area).
 */
export function createStudentRouter(deps: { portal: StudentPortalService; applications: ApplicationService; authenticate: Authenticate }): Router {
  const { portal, applications, authenticate } = deps;
  const router = Router();
  const student = (action: 'student.overview.read' | 'student.application.read' | 'student.application.save' | 'student.result.read') => [authenticate(), permit(action)];
  const lang = (req: { lang?: 'zh-CN' | 'en' }) => req.lang ?? 'zh-CN';

  router.get('/student/overview', ...student('student.overview.read'), async (req, res) => {
    res.json(await portal.overview(currentUser(req), lang(req)));
  });

  router.get('/student/application', ...student('student.application.read'), validate({ query: applicationKindQuery }), async (req, res) => {
    res.json(await applications.get(currentUser(req), { kind: req.query.kind, lang: lang(req) }));
  });

  router.put('/student/application', ...student('student.application.save'), validate({ body: saveApplicationBody }), async (req, res) => {
    const { kind, baseVersion, choices } = req.body;
    res.json(await applications.save(currentUser(req), { kind, baseVersion, choices, lang: lang(req) }));
  });

  router.get('/student/application/history', ...student('student.application.read'), validate({ query: applicationKindQuery }), async (req, res) => {
    res.json(await applications.history(currentUser(req), { kind: req.query.kind }));
  });

  // A published result changes only with the student's answer, the phase or a 补录: browsers revalidate
  // (no-cache) and an unchanged one costs a 304 (the ETag is the stored view's version and those).
  router.get('/student/result', ...student('student.result.read'), async (req, res) => {
    // The ETag is known before the body: a 304 reads and renders no view.
    const { etag, json } = await portal.resultForRead(currentUser(req), lang(req), (tag) => matchesIfNoneMatch(req.get('if-none-match'), tag));
    res.set('Cache-Control', 'private, no-cache');
    if (etag) res.set('ETag', etag);
    if (json === null) {
      res.status(304).end();
      return;
    }
    // JSON text rendered once per student and ETag (student-portal.service.ts); without an ETag Express tags it.
    res.type('json').send(json);
  });

  return router;
}
