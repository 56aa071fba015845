import express, { Router, type RequestHandler } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { KindergartenImportService } from '../../services/kindergarten-import.service';
import type { KindergartenService } from '../../services/kindergarten.service';
import { IMPORT_BODY_LIMIT } from '../imports/imports.router';
import {
  approveBodySchema,
  filingBodySchema,
  filingListQuerySchema,
  filingParamsSchema,
  kindergartenListQuerySchema,
  kindergartenParamsSchema,
  returnBodySchema,
  type FilingListQueryInput,
  type KindergartenListQuery,
} from './kindergartens.schema';

/**
 * The kindergarten registry (issue 18): the public disclosure (no sign-in), a
 * kindergarten's own record and filings, the bureau's review and imports.
 * Mounted before the admissions imports, whose `/imports/:kind` would
 * otherwise answer for the registry's two import paths.
 */
export function createKindergartensRouter(deps: { kindergartens: KindergartenService; imports: KindergartenImportService; authenticate: Authenticate }): Router {
  const { kindergartens, imports, authenticate } = deps;
  const router = Router();

  // Queries have defaults, which Express's ParsedQs typing cannot express: read them as parsed.
  const validateList = validate({ query: kindergartenListQuerySchema }) as unknown as RequestHandler;
  router.get('/kindergartens', validateList, async (req, res) => {
    const q = req.query as unknown as KindergartenListQuery;
    res.json(await kindergartens.listPublic({ regionCode: q.region, nature: q.nature, grade: q.grade, feeMax: q.feeMax, q: q.q, offset: q.offset, limit: q.limit }));
  });

  router.get('/kindergartens/regions', async (_req, res) => {
    res.json(await kindergartens.regions());
  });

  router.get('/kindergartens/:id', validate({ params: kindergartenParamsSchema }), async (req, res) => {
    res.json(await kindergartens.getPublic(req.params.id));
  });

  router.get('/kindergarten/home', authenticate(), permit('kindergarten.own.read'), async (req, res) => {
    res.json(await kindergartens.home(currentUser(req)));
  });

  router.get('/kindergarten/me', authenticate(), permit('kindergarten.own.read'), async (req, res) => {
    res.json(await kindergartens.me(currentUser(req)));
  });

  router.post('/kindergarten/filings', authenticate(), permit('kindergarten.filing.submit'), validate({ body: filingBodySchema }), async (req, res) => {
    res.status(201).json(await kindergartens.submitFiling(currentUser(req), { changes: req.body.changes, note: req.body.note ?? null, requestId: req.requestId }));
  });

  const validateFilings = validate({ query: filingListQuerySchema }) as unknown as RequestHandler;
  router.get('/kindergarten-filings', authenticate(), permit('kindergarten.filing.list'), validateFilings, async (req, res) => {
    const q = req.query as unknown as FilingListQueryInput;
    res.json(await kindergartens.listFilings(currentUser(req), { status: q.status, regionCode: q.region, kindergartenId: q.kindergartenId, offset: q.offset, limit: q.limit }));
  });

  router.post('/kindergarten-filings/:id/approve', authenticate(), permit('kindergarten.filing.review'), validate({ params: filingParamsSchema, body: approveBodySchema }), async (req, res) => {
    res.json(await kindergartens.approve(currentUser(req), req.params.id, { note: req.body.note ?? null, requestId: req.requestId }));
  });

  router.post('/kindergarten-filings/:id/return', authenticate(), permit('kindergarten.filing.review'), validate({ params: filingParamsSchema, body: returnBodySchema }), async (req, res) => {
    res.json(await kindergartens.returnFiling(currentUser(req), req.params.id, { note: req.body.note, requestId: req.requestId }));
  });

  for (const kind of ['kindergartens', 'preschool-population'] as const) {
    router.post(`/imports/${kind}`, authenticate(), permit('kindergarten.imports.run'), express.raw({ type: () => true, limit: IMPORT_BODY_LIMIT }), async (req, res) => {
      const body: unknown = req.body;
      const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      res.json(await imports.upload(currentUser(req), kind, bytes, { lang: req.lang, requestId: req.requestId }));
    });
  }

  return router;
}
