import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JobQueues } from '../../jobs/queues';
import type { Clock } from '../clock';
import type { HistoryInsert, StudentInsert } from '../repositories/import.repository';
import { IMPORT_KIND_NAMES, type ImportKind } from '../domain/imports/columns';
import { readSheet, templateWorkbook, UnreadableFileError } from '../domain/imports/read-file';
import { localizeProblems, validateSheet, type ImportContext, type LocalizedRowProblem, type RawSheet, type RowProblem } from '../domain/imports/rows';
import { AppError, type Lang } from '../errors';
import { isCityBureau, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import { recordAudit, type AuditActor } from './audit.service';
import type { CycleService } from './cycle.service';
import type { PublicJob } from './job.service';

/** Files with more data rows than this run as a background job with progress. */
export const IMPORT_JOB_THRESHOLD = 2_000;
/** At most this many problems are returned; the count says how many there were. */
export const MAX_PROBLEMS_SHOWN = 500;
/** How long an uploaded file waits in Redis for its job. */
const UPLOAD_TTL_SECONDS = 3_600;

export interface ImportCycle {
  id: string;
  year: number;
  policy: unknown;
}

export type ImportResult = { ok: true; kind: ImportKind; imported: number } | { ok: false; kind: ImportKind; problems: RowProblem[] };

/** What a finished import job returns (GET /api/jobs/imports/:id, `result`). */
export interface ImportJobResult {
  ok: boolean;
  kind: ImportKind;
  imported: number;
  count: number;
  problems: LocalizedRowProblem[];
}

export function uploadKey(prefix: string, id: string): string {
  return `${prefix}:import-upload:${id}`;
}

function policyOf(cycle: ImportCycle): { quotaPercent?: number; quotaEligibilityCutoff: string } {
  const policy = (cycle.policy ?? {}) as { quotaPercent?: unknown; quotaEligibilityCutoff?: unknown };
  return {
    quotaPercent: typeof policy.quotaPercent === 'number' ? policy.quotaPercent : undefined,
    quotaEligibilityCutoff: typeof policy.quotaEligibilityCutoff === 'string' ? policy.quotaEligibilityCutoff : `${cycle.year - 1}-09-01`,
  };
}

/**
 * Validates a sheet against the database and, when every row is good, writes
 * it in one transaction (all-or-nothing) with one audit entry. Shared by the
 * HTTP upload and the import job.
 */
export async function executeImport(
  deps: { uow: UnitOfWork; clock: Clock },
  input: { kind: ImportKind; sheet: RawSheet; cycle: ImportCycle; actor: AuditActor; requestId?: string | null; progress?: (percent: number) => Promise<void> },
): Promise<ImportResult> {
  const { uow, clock } = deps;
  const { kind, sheet, cycle } = input;
  const progress = input.progress ?? (async () => {});
  const policy = policyOf(cycle);
  const ctx: ImportContext = { minQuotaPercent: policy.quotaPercent, quotaEligibilityCutoff: policy.quotaEligibilityCutoff };
  if (kind === 'junior-schools' || kind === 'high-schools') ctx.regions = await uow.repos.schools.regionCodes();
  if (kind === 'students') ctx.juniorSchools = await uow.repos.schools.juniorSchoolRegions();

  const { records, problems } = validateSheet(kind, sheet, ctx);
  await progress(20);

  let replace: string[] = [];
  if (kind === 'students' && problems.length === 0) {
    const students = records as ReturnType<typeof validateSheet<'students'>>['records'];
    const existing = await uow.repos.imports.studentsByExamNo(students.map((s) => s.examNo));
    const rowOf = new Map(students.map((s) => [s.examNo, s.row]));
    for (const found of existing) {
      if (found.cycleId === cycle.id) replace.push(found.id);
      else
        problems.push({
          row: rowOf.get(found.examNo)!,
          column: { zh: '准考证号', en: 'Exam number' },
          zh: `准考证号 ${found.examNo} 已用于其他招生年度`,
          en: `exam number ${found.examNo} belongs to another cycle`,
        });
    }
  }
  if (problems.length > 0) return { ok: false, kind, problems: problems.sort((a, b) => a.row - b.row) };
  await progress(30);

  await uow.transaction(
    async (tx, repos) => {
      switch (kind) {
        case 'regions':
          await repos.schools.upsertRegions((records as ReturnType<typeof validateSheet<'regions'>>['records']).map(({ row: _row, ...r }) => r));
          break;
        case 'junior-schools':
          await repos.schools.upsertJuniorSchools((records as ReturnType<typeof validateSheet<'junior-schools'>>['records']).map(({ row: _row, ...r }) => r));
          break;
        case 'high-schools': {
          const highs = records as ReturnType<typeof validateSheet<'high-schools'>>['records'];
          await repos.schools.upsertHighSchools(highs.map(({ id, name, regionCode, ownership, scope, quality }) => ({ id, name, regionCode, ownership, scope, quality })));
          for (const h of highs) await repos.plans.upsert(cycle.id, h.id, { ...h.plan, status: 'approved', approvedAt: clock.now() });
          break;
        }
        case 'students': {
          const students = records as ReturnType<typeof validateSheet<'students'>>['records'];
          await repos.imports.deleteStudents(replace);
          const history: HistoryInsert[] = [];
          const rows: StudentInsert[] = students.map((s) => {
            const id = randomUUID();
            for (const stay of s.history) history.push({ id: randomUUID(), studentId: id, juniorSchoolId: stay.juniorSchoolId, from: stay.from, to: stay.to });
            history.push({ id: randomUUID(), studentId: id, juniorSchoolId: s.juniorSchoolId, from: s.enrolledSince, to: null });
            const { row: _row, history: _history, ...fields } = s;
            return { id, cycleId: cycle.id, ...fields };
          });
          await repos.imports.createStudents(rows, (done) => progress(30 + Math.round((done / rows.length) * 55)));
          await repos.imports.createHistory(history);
          break;
        }
      }
      await recordAudit(tx, {
        actor: input.actor,
        action: `import.${kind}`,
        entity: 'Import',
        entityId: cycle.id,
        after: { kind, rows: records.length, replaced: replace.length },
        requestId: input.requestId ?? null,
        at: clock.now(),
      });
    },
    { timeout: 180_000, maxWait: 10_000 },
  );
  await progress(100);
  return { ok: true, kind, imported: records.length };
}

/** The localized outcome of a failed import, as the API and the job return it. */
export function problemsView(problems: readonly RowProblem[], lang: Lang): { count: number; problems: LocalizedRowProblem[] } {
  return { count: problems.length, problems: localizeProblems(problems.slice(0, MAX_PROBLEMS_SHOWN), lang) };
}

export async function readUploadedSheet(bytes: Uint8Array): Promise<RawSheet> {
  try {
    return await readSheet(bytes);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new AppError('IMPORT_UNREADABLE', { params: { zh: error.reason.zh, en: error.reason.en } });
    throw error;
  }
}

export type UploadOutcome = { status: 'done'; kind: ImportKind; imported: number } | { status: 'queued'; kind: ImportKind; rows: number; job: PublicJob };

/** Imports from .xlsx/.csv during setup: templates, small files at once, large ones as a job. */
export function createImportService(deps: { uow: UnitOfWork; clock: Clock; cycles: CycleService; queues: Pick<JobQueues, 'enqueue' | 'prefix'>; redis: Redis }) {
  return {
    async template(kind: ImportKind): Promise<{ fileName: string; bytes: Buffer }> {
      return { fileName: `${IMPORT_KIND_NAMES[kind].zh}-导入模板.xlsx`, bytes: await templateWorkbook(kind) };
    },

    async upload(actor: Actor, kind: ImportKind, bytes: Uint8Array, ctx: { lang: Lang; requestId?: string }): Promise<UploadOutcome> {
      if (!isCityBureau(actor)) throw new AppError('FORBIDDEN');
      const cycle = await deps.cycles.requirePhase(['setup']);
      const sheet = await readUploadedSheet(bytes);
      if (sheet.rows.length > IMPORT_JOB_THRESHOLD) {
        const id = randomUUID();
        // The file (with ID numbers) waits in Redis under this server's prefix; the job data holds only its key.
        await deps.redis.set(uploadKey(deps.queues.prefix, id), Buffer.from(bytes), 'EX', UPLOAD_TTL_SECONDS);
        const { createdBy: _createdBy, ...job } = await deps.queues.enqueue(
          'import.run',
          { kind, uploadId: id, cycleId: cycle.id, lang: ctx.lang },
          { jobId: `import-${id}`, createdBy: actor.id, requestId: ctx.requestId },
        );
        return { status: 'queued', kind, rows: sheet.rows.length, job };
      }
      const result = await executeImport(deps, { kind, sheet, cycle, actor, requestId: ctx.requestId });
      if (!result.ok) throw new AppError('IMPORT_INVALID', { params: { count: result.problems.length }, details: problemsView(result.problems, ctx.lang) });
      return { status: 'done', kind, imported: result.imported };
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
