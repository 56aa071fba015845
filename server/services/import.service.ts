import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JobQueues } from '../../jobs/queues';
import type { Clock } from '../clock';
import type { HistoryInsert, StudentInsert } from '../repositories/import.repository';
import { parseCyclePolicy } from '../domain/cycle-policy';
import { IMPORT_KIND_NAMES, type ImportKind } from '../domain/imports/columns';
import { templateWorkbook, UnreadableFileError } from '../infra/read-file';
import {
  dataRowCount,
  identityProblems,
  localizeProblems,
  normalizeIdentifier,
  validateSheet,
  type ImportContext,
  type LocalizedRowProblem,
  type RawSheet,
  type RowProblem,
  type StudentRecord,
} from '../domain/imports/rows';
import { sharedSheetParser, type ParsedUpload, type SheetParser } from '../infra/sheet-parse-pool';
import { AppError, type Lang } from '../errors';
import { isCityBureau, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import { recordAudit, type AuditActor } from './audit.service';
import { upsertImportedAccounts } from './import-accounts';
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

/** The students of the file's exam numbers (any cycle) and of its ID numbers (this cycle): what identityProblems compares. */
async function storedIdentities(repos: UnitOfWork['repos'], cycleId: string, students: readonly StudentRecord[]) {
  return repos.imports.studentIdentities(
    cycleId,
    students.map((s) => s.examNo),
    students.map((s) => s.idCardNo),
  );
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
  deps: { uow: UnitOfWork; clock: Clock },
  input: { kind: ImportKind; sheet: RawSheet; cycle: ImportCycle; actor: AuditActor; requestId?: string | null; progress?: (percent: number) => Promise<void> },
): Promise<ImportResult> {
  const { uow, clock } = deps;
  const { kind, sheet, cycle } = input;
  const progress = input.progress ?? (async () => {});
  if (dataRowCount(sheet) === 0) return { ok: false, kind, problems: [{ row: 1, column: { zh: '', en: '' }, ...NO_DATA_ROWS }] };
  const ctx = policyContext(cycle);
  if (kind === 'junior-schools' || kind === 'high-schools') ctx.regions = await uow.repos.schools.regionCodes();
  if (kind === 'students') ctx.juniorSchools = await uow.repos.schools.juniorSchoolRegions();

  const { records, problems } = validateSheet(kind, sheet, ctx);
  await progress(20);

  // Identity across files, checked before the transaction for a quick answer and again inside it under a lock.
  if (kind === 'students' && problems.length === 0) {
    const students = records as StudentRecord[];
    problems.push(...identityProblems(students, await storedIdentities(uow.repos, cycle.id, students), cycle.id));
  }
  if (problems.length > 0) return { ok: false, kind, problems: problems.sort((a, b) => a.row - b.row) };
  await progress(30);

  let replace: string[] = [];
  try {
    await writeImport();
  } catch (error) {
    if (error instanceof ImportRefused) return { ok: false, kind, problems: error.problems.sort((a, b) => a.row - b.row) };
    if (!isUniqueViolation(error)) throw error;
    // Another writer stored one of these students between our check and our insert: the same row problems as the check, now that it has committed.
    if (kind === 'students') {
      const students = records as StudentRecord[];
      const late = identityProblems(students, await storedIdentities(uow.repos, cycle.id, students), cycle.id);
      if (late.length > 0) return { ok: false, kind, problems: late.sort((a, b) => a.row - b.row) };
    }
    throw new AppError('IMPORT_CONFLICT');
  }
  await progress(100);
  return { ok: true, kind, imported: records.length };

  async function writeImport(): Promise<void> {
    await uow.transaction(
      async (tx, repos) => {
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
          case 'students': {
            const students = records as StudentRecord[];
            // One student import at a time (exam numbers are unique across cycles): the check below then sees every committed student.
            await repos.imports.lockStudentImports();
            const stored = await storedIdentities(repos, cycle.id, students);
            const refused = identityProblems(students, stored, cycle.id);
            if (refused.length > 0) throw new ImportRefused(refused);
            const examNos = new Set(students.map((s) => s.examNo));
            replace = stored.filter((s) => s.cycleId === cycle.id && examNos.has(normalizeIdentifier(s.examNo))).map((s) => s.id);
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
        await upsertImportedAccounts(tx, { kind, cycleId: cycle.id, records, now: clock.now() });
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
  }
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
  uow: UnitOfWork;
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
      if (!isCityBureau(actor)) throw new AppError('FORBIDDEN');
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
