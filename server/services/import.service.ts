import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JobQueues } from '../../jobs/queues';
import type { Clock } from '../clock';
import { parseCyclePolicy } from '../domain/cycle-policy';
import { IMPORT_KIND_NAMES, type ImportKind } from '../domain/imports/columns';
import { templateWorkbook, UnreadableFileError, type StagedStudents } from '../infra/read-file';
import {
  dataRowCount,
  identityConflictProblems,
  localizeProblems,
  validateSheet,
  type ImportContext,
  type LocalizedRowProblem,
  type RawSheet,
  type RowProblem,
} from '../domain/imports/rows';
import { createStageWriter } from '../domain/imports/student-stage';
import { sharedSheetParser, type ParsedUpload, type SheetParser } from '../infra/sheet-parse-pool';
import { AppError, type Lang } from '../errors';
import { authorize, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { AuditActor } from './audit.service';
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

/** Thrown inside the import's transaction to roll it back with row problems found there. */
class ImportRefused extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('import refused');
  }
}

const NO_DATA_ROWS = {
  zh: '文件中没有数据行（只有表头），未导入任何数据',
  en: 'The file has no data rows (only a header); nothing was imported',
};

/** PostgreSQL's unique_violation (23505) however Prisma and its pg adapter wrap it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const x = e as { code?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } }; originalCode?: unknown; kind?: unknown };
    if (x.code === 'P2002' || x.code === '23505' || x.originalCode === '23505' || x.kind === 'UniqueConstraintViolation') return true;
    if (x.meta?.code === '23505' || x.meta?.driverAdapterError?.cause?.originalCode === '23505' || x.meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation') return true;
  }
  return false;
}

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

/** What the cycle's policy tells the row checks: the quality schools' minimum quota share and the 学籍 cut-off of quota eligibility. */
export function policyContext(cycle: Pick<ImportCycle, 'policy' | 'year'>): ImportContext {
  const policy = parseCyclePolicy(cycle.policy, cycle.year);
  return { minQuotaPercent: policy.quotaPercent, quotaEligibilityCutoff: policy.quotaEligibilityCutoff };
}

/**
 * Validates a sheet against the database and, when every row is good, writes
 * it in one transaction (all-or-nothing) with one audit entry. Shared by the
 * HTTP upload and the import job. A sheet without data rows is refused before
 * anything is read or written. Student imports run one at a time (an advisory
 * lock) and check, inside the transaction, that no 身份证号 of the file belongs
 * to another student of the cycle; a unique violation from a writer that
 * bypassed the lock becomes the same row problems, never a 500.
 */
export async function executeImport(
  deps: { uow: UnitOfWork<'audit' | 'importedAccounts' | 'imports' | 'plans' | 'schools'>; clock: Clock },
  input: ImportInput & { kind: ImportKind; sheet: RawSheet },
): Promise<ImportResult> {
  const { uow, clock } = deps;
  const { kind, sheet, cycle } = input;
  const progress = input.progress ?? (async () => {});
  if (dataRowCount(sheet) === 0) return { ok: false, kind, problems: [{ row: 1, column: { zh: '', en: '' }, ...NO_DATA_ROWS }] };
  const ctx = policyContext(cycle);
  if (kind === 'junior-schools' || kind === 'high-schools') ctx.regions = await uow.repos.schools.regionCodes();
  if (kind === 'students') {
    // A small file read here: validated in this process, then written as the job writes a staged one.
    ctx.juniorSchools = await uow.repos.schools.juniorSchoolRegions();
    const started = performance.now();
    const { records, problems } = validateSheet('students', sheet, ctx);
    const writer = createStageWriter();
    if (problems.length === 0) for (const record of records) writer.add(record);
    const { chunks, rows } = writer.finish();
    const staged: StagedStudents = { dataRows: dataRowCount(sheet), problems, chunks, rows, timings: { decodeMs: 0, parseMs: performance.now() - started } };
    return importStagedStudents(deps, { ...input, staged });
  }

  const { records, problems } = validateSheet(kind, sheet, ctx);
  await progress(20);
  if (problems.length > 0) return { ok: false, kind, problems: problems.sort((a, b) => a.row - b.row) };
  await progress(30);

  try {
    await writeImport();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError('IMPORT_CONFLICT');
  }
  await progress(100);
  return { ok: true, kind, imported: records.length };

  async function writeImport(): Promise<void> {
    await uow.transaction(
      async (repos) => {
        switch (kind) {
          case 'regions':
            await repos.schools.upsertRegions(cycle.id, (records as ReturnType<typeof validateSheet<'regions'>>['records']).map(({ row: _row, ...r }) => r));
            break;
          case 'junior-schools':
            await repos.schools.upsertJuniorSchools(cycle.id, (records as ReturnType<typeof validateSheet<'junior-schools'>>['records']).map(({ row: _row, ...r }) => r));
            break;
          case 'high-schools': {
            const highs = records as ReturnType<typeof validateSheet<'high-schools'>>['records'];
            await repos.schools.upsertHighSchools(cycle.id, highs.map(({ id, name, regionCode, ownership, scope, quality }) => ({ id, name, regionCode, ownership, scope, quality })));
            for (const h of highs) await repos.plans.upsert(cycle.id, h.id, { ...h.plan, status: 'approved', approvedAt: clock.now() });
            break;
          }
          case 'students':
            throw new Error('student imports are written by importStagedStudents');
        }
        await repos.importedAccounts.forImport({ kind, cycleId: cycle.id, records, now: clock.now() });
        await repos.audit.record({
          actor: input.actor,
          action: `import.${kind}`,
          entity: 'Import',
          entityId: cycle.id,
          after: { kind, rows: records.length, replaced: 0 },
          requestId: input.requestId ?? null,
          at: clock.now(),
        });
      },
      { timeout: 180_000, maxWait: 10_000 },
    );
  }
}

/** What every import takes besides its rows. */
export interface ImportInput {
  cycle: ImportCycle;
  actor: AuditActor;
  requestId?: string | null;
  progress?: (percent: number) => Promise<void>;
  /** Filled with milliseconds per stage of a student import (validate, stage, check, write, accounts, commit), for the benchmark. */
  timings?: Record<string, number>;
}

/** Students transaction: generous, a province's file is hundreds of thousands of rows written while others use the machine. */
const STUDENT_TRANSACTION_TIMEOUT_MS = 900_000;

/**
 * Writes a validated students file (stageStudentsFile in a worker thread, or
 * executeImport for a small sheet) all-or-nothing: the staging lines go into
 * an unlogged table with one COPY, the identities are checked against stored
 * students set-based (before the transaction for a quick answer, and again
 * inside it under the student-import lock), then one transaction replaces the
 * cycle's students of the same exam numbers, inserts students, 学籍 stays and
 * accounts with INSERT ... SELECT from the staging table, and records the
 * audit entry. The staging table is dropped whatever happens.
 */
export async function importStagedStudents(deps: { uow: UnitOfWork<'audit' | 'importedAccounts' | 'imports' | 'plans' | 'schools'>; clock: Clock }, input: ImportInput & { staged: StagedStudents }): Promise<ImportResult> {
  const { uow, clock } = deps;
  const { staged, cycle } = input;
  const kind = 'students' as const;
  const progress = input.progress ?? (async () => {});
  const timings = input.timings ?? {};
  let lap = performance.now();
  const mark = (name: string) => {
    const now = performance.now();
    timings[name] = (timings[name] ?? 0) + (now - lap);
    lap = now;
  };
  timings.validate = staged.timings.parseMs;
  if (staged.dataRows === 0) return { ok: false, kind, problems: [{ row: 1, column: { zh: '', en: '' }, ...NO_DATA_ROWS }] };
  if (staged.problems.length > 0) return { ok: false, kind, problems: [...staged.problems].sort((a, b) => a.row - b.row) };
  await progress(20);

  const stage = await uow.repos.imports.createStudentStage(staged.chunks);
  mark('stage');
  let replaced = 0;
  try {
    // Identity across files, checked before the transaction for a quick answer and again inside it under a lock.
    const early = identityConflictProblems(await uow.repos.imports.stagedIdentityConflicts(stage, cycle.id));
    mark('check');
    if (early.length > 0) return { ok: false, kind, problems: early };
    await progress(30);
    try {
      await uow.transaction(
        async (repos) => {
          // One student import at a time (exam numbers are unique across cycles): the check below then sees every committed student.
          await repos.imports.lockStudentImports();
          await repos.imports.allowBulkJoins();
          const refused = identityConflictProblems(await repos.imports.stagedIdentityConflicts(stage, cycle.id));
          if (refused.length > 0) throw new ImportRefused(refused);
          mark('check');
          replaced = await repos.imports.deleteStudentsReplacedByStage(stage, cycle.id);
          await repos.imports.insertStagedStudents(stage, cycle.id);
          mark('write');
          await progress(70);
          await repos.importedAccounts.forStagedStudents({ stage, now: clock.now() });
          mark('accounts');
          await progress(90);
          await repos.audit.record({
            actor: input.actor,
            action: `import.${kind}`,
            entity: 'Import',
            entityId: cycle.id,
            after: { kind, rows: staged.rows, replaced },
            requestId: input.requestId ?? null,
            at: clock.now(),
          });
        },
        { timeout: STUDENT_TRANSACTION_TIMEOUT_MS, maxWait: 10_000 },
      );
      mark('commit');
    } catch (error) {
      if (error instanceof ImportRefused) return { ok: false, kind, problems: error.problems };
      if (!isUniqueViolation(error)) throw error;
      // Another writer stored one of these students between our check and our insert: the same row problems as the check, now that it has committed.
      const late = identityConflictProblems(await uow.repos.imports.stagedIdentityConflicts(stage, cycle.id));
      if (late.length > 0) return { ok: false, kind, problems: late };
      throw new AppError('IMPORT_CONFLICT');
    }
  } finally {
    await uow.repos.imports.dropStudentStage(stage).catch(() => undefined);
  }
  await progress(100);
  return { ok: true, kind, imported: staged.rows };
}

/**
 * Imports an uploaded file as the import job does: a students file is read,
 * validated and staged in a worker thread in one pass (the rows never cross
 * to this thread), any other kind read there into a sheet. Throws AppError
 * IMPORT_UNREADABLE for a file that cannot be read.
 */
export async function importUploadedFile(
  deps: { uow: UnitOfWork<'audit' | 'importedAccounts' | 'imports' | 'plans' | 'schools'>; clock: Clock; sheets: SheetParser },
  input: ImportInput & { kind: ImportKind; bytes: Uint8Array },
): Promise<ImportResult> {
  if (input.kind !== 'students') {
    const { sheet } = await readUploadedFile(deps.sheets, input.bytes);
    if (!sheet) throw new AppError('IMPORT_UNREADABLE', { params: NO_DATA_ROWS });
    return executeImport(deps, { ...input, sheet });
  }
  const ctx = policyContext(input.cycle);
  ctx.juniorSchools = await deps.uow.repos.schools.juniorSchoolRegions();
  let staged: StagedStudents;
  try {
    staged = await deps.sheets.stageStudents(input.bytes, ctx);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new AppError('IMPORT_UNREADABLE', { params: { zh: error.reason.zh, en: error.reason.en } });
    throw error;
  }
  if (input.timings) {
    input.timings.decode = staged.timings.decodeMs;
  }
  return importStagedStudents(deps, { ...input, staged });
}

/** The localized outcome of a failed import, as the API and the job return it. */
export function problemsView(problems: readonly RowProblem[], lang: Lang): { count: number; problems: LocalizedRowProblem[] } {
  return { count: problems.length, problems: localizeProblems(problems.slice(0, MAX_PROBLEMS_SHOWN), lang) };
}

/**
 * Reads an uploaded file in a worker thread (never on the caller's event
 * loop); with rowLimit, a bigger sheet comes back as its row count only.
 */
export async function readUploadedFile(parser: SheetParser, bytes: Uint8Array, options: { rowLimit?: number } = {}): Promise<ParsedUpload> {
  try {
    return await parser.parse(bytes, options);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new AppError('IMPORT_UNREADABLE', { params: { zh: error.reason.zh, en: error.reason.en } });
    throw error;
  }
}

/** The error of a refused import: IMPORT_ENCODING when the text cannot be read (naming the first such row), else IMPORT_INVALID. */
export function refusal(problems: readonly RowProblem[], lang: Lang): AppError {
  const encoding = problems.find((p) => p.cause === 'encoding');
  const details = problemsView(problems, lang);
  if (encoding) return new AppError('IMPORT_ENCODING', { params: { zh: encoding.zh, en: encoding.en }, details });
  return new AppError('IMPORT_INVALID', { params: { count: problems.length }, details });
}

export type UploadOutcome = { status: 'done'; kind: ImportKind; imported: number } | { status: 'queued'; kind: ImportKind; rows: number; job: PublicJob };

/** Imports from .xlsx/.csv during setup: templates, small files at once, large ones as a job. */
export function createImportService(deps: {
  uow: UnitOfWork<'audit' | 'importedAccounts' | 'imports' | 'plans' | 'schools'>;
  clock: Clock;
  cycles: CycleService;
  queues: Pick<JobQueues, 'enqueue' | 'prefix'>;
  redis: Redis;
  /** Where uploads are read: worker threads (default: the process's shared pool). */
  sheets?: SheetParser;
}) {
  return {
    async template(kind: ImportKind): Promise<{ fileName: string; bytes: Buffer }> {
      return { fileName: `${IMPORT_KIND_NAMES[kind].zh}-导入模板.xlsx`, bytes: await templateWorkbook(kind) };
    },

    async upload(actor: Actor, kind: ImportKind, bytes: Uint8Array, ctx: { lang: Lang; requestId?: string }): Promise<UploadOutcome> {
      authorize(actor, 'imports.run');
      const cycle = await deps.cycles.requireAction('imports.upload');
      const { dataRows, sheet } = await readUploadedFile(deps.sheets ?? sharedSheetParser(), bytes, { rowLimit: IMPORT_JOB_THRESHOLD });
      if (dataRows === 0) throw new AppError('IMPORT_UNREADABLE', { params: NO_DATA_ROWS });
      if (!sheet) {
        const id = randomUUID();
        // The file (with ID numbers) waits in Redis under this server's prefix; the job data holds only its key.
        await deps.redis.set(uploadKey(deps.queues.prefix, id), Buffer.from(bytes), 'EX', UPLOAD_TTL_SECONDS);
        const { createdBy: _createdBy, ...job } = await deps.queues.enqueue(
          'import.run',
          { kind, uploadId: id, cycleId: cycle.id, lang: ctx.lang },
          { jobId: `import-${id}`, createdBy: actor.id, requestId: ctx.requestId },
        );
        return { status: 'queued', kind, rows: dataRows, job };
      }
      const result = await executeImport(deps, { kind, sheet, cycle, actor, requestId: ctx.requestId });
      if (!result.ok) throw refusal(result.problems, ctx.lang);
      return { status: 'done', kind, imported: result.imported };
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
