import express, { Router } from 'express';
import { currentUser, permit, type Authenticate } from '../../middleware/authenticate';
import { validate } from '../../middleware/validate';
import type { ImportService } from '../../services/import.service';
import { importKindParamsSchema } from './imports.schema';

/** Upload limit of an import file: 50,000 students as .csv is about 6 MB, a province's 900,000 about 95 MB (issue 16). */
export const IMPORT_BODY_LIMIT = '128mb';

/** RFC 6266 attachment header with a UTF-8 (Chinese) file name. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Bureau imports: templates to download, files to upload (the raw bytes of an .xlsx or .csv as the body). */
export function createImportsRouter(deps: { imports: ImportService; authenticate: Authenticate }): Router {
  const { imports, authenticate } = deps;
  const router = Router();

  router.get('/imports/templates/:kind', authenticate(), permit('imports.template.read'), validate({ params: importKindParamsSchema }), async (req, res) => {
    const { fileName, bytes } = await imports.template(req.params.kind);
    res.setHeader('Content-Disposition', attachment(fileName));
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(bytes);
  });

  router.post(
    '/imports/:kind',
    authenticate(),
    permit('imports.run'),
    validate({ params: importKindParamsSchema }),
    express.raw({ type: () => true, limit: IMPORT_BODY_LIMIT }),
    async (req, res) => {
      const body: unknown = req.body;
      const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      const outcome = await imports.upload(currentUser(req), req.params.kind, bytes, { lang: req.lang, requestId: req.requestId });
      res.status(outcome.status === 'queued' ? 202 : 200).json(outcome);
    },
  );

  return router;
}
