import { UnrecoverableError } from 'bullmq';
import { phaseAt, type Phase } from '../../server/domain/schedule/schedule';
import { AppError, errorMessage } from '../../server/errors';
import { sharedSheetParser } from '../../server/infra/sheet-parse-pool';
import { importUploadedFile, problemsView, uploadKey, type ImportJobResult } from '../../server/services/import.service';
import { defineHandler } from '../handler';

/**
 * Imports a large file uploaded through POST /api/imports/:kind. The file
 * waits in Redis under `uploadId`; the rows are validated and written in one
 * transaction, like a small file, with progress for the bureau's progress bar.
 * Row problems are a normal result (`ok: false`), not a failure: a retry
 * could not fix them. The file is read in a worker thread, so this process's
 * event loop keeps renewing the job's lock while exceljs works.
 */
export default defineHandler('import.run', async (payload, ctx) => {
  const key = uploadKey(ctx.keyPrefix, payload.uploadId);
  const bytes = await ctx.redis.getBuffer(key);
  if (!bytes) throw new UnrecoverableError('the uploaded file has expired');
  await ctx.progress(2);

  const cycle = await ctx.uow.repos.cycles.findById(payload.cycleId);
  if (!cycle) throw new UnrecoverableError('the cycle no longer exists');
  const phase = phaseAt(cycle.phases.map((p) => ({ phase: p.phase as Phase, opensAt: p.opensAt, closesAt: p.closesAt })), ctx.clock.now());
  if (phase !== 'setup') throw new UnrecoverableError(errorMessage('PHASE_CLOSED', payload.lang, { phase }));

  await ctx.progress(10);
  const createdBy = (ctx.job.data as { createdBy?: string | null }).createdBy ?? null;
  let result;
  try {
    // Read (a students file also validated and staged) in a worker thread, then written in one transaction.
    result = await importUploadedFile(
      { uow: ctx.uow, clock: ctx.clock, sheets: sharedSheetParser() },
      { kind: payload.kind, bytes, cycle, actor: createdBy ? { id: createdBy, role: 'bureau' } : null, progress: (p) => ctx.progress(p) },
    );
  } catch (error) {
    // The API read this file once already; if it cannot be read now, a retry will not read it either.
    if (error instanceof AppError && error.code === 'IMPORT_UNREADABLE') throw new UnrecoverableError(errorMessage('IMPORT_UNREADABLE', payload.lang, error.params));
    throw error;
  }
  await ctx.redis.del(key);
  await ctx.progress(100);
  const out: ImportJobResult = result.ok
    ? { ok: true, kind: result.kind, imported: result.imported, count: 0, problems: [] }
    : { ok: false, kind: result.kind, imported: 0, ...problemsView(result.problems, payload.lang) };
  ctx.logger.info({ kind: payload.kind, ok: out.ok, imported: out.imported, problems: out.count }, 'import finished');
  return out;
});
