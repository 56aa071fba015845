import { createHash } from 'node:crypto';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import type { PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Prisma } from '../db';
import type { Grade } from '../domain/allocation/types';
import type { PlanRow, QuotaRow, StudentRow } from '../domain/rounds/round-input';
import type { Db } from './index';
import { asOfYear, loadYearDirectory } from './year-directory';

export type RoundKindName = 'main' | 'supplementary' | 'simulation';
export type RoundStatusName = 'queued' | 'running' | 'succeeded' | 'failed' | 'published';

/** The columns of a round without its (large) input and result. */
const ROUND_SUMMARY = {
  id: true,
  cycleId: true,
  kind: true,
  name: true,
  policy: true,
  seed: true,
  status: true,
  progress: true,
  inputSha256: true,
  resultSha256: true,
  invariantsOk: true,
  error: true,
  jobId: true,
  createdBy: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  publishedAt: true,
} as const satisfies Prisma.RoundSelect;

export interface AssignmentRow {
  studentId: string;
  highSchoolId: string | null;
  seat: 'open' | 'quota' | 'reverted' | null;
  batch: number | null;
  explanation: unknown;
}

const ROWS_PER_STATEMENT = 5_000;

/** A finished run as stored: input and result as JSON text (cast by PostgreSQL), their hashes, the check and the status. */
export interface StoredRoundResult {
  inputText: string;
  resultText: string;
  inputSha256: string;
  resultSha256: string;
  invariantsOk: boolean;
  status: 'succeeded' | 'failed';
  error: string | null;
  finishedAt: Date;
}

/**
 * Rounds (one run of the engine), their assignments and confirmations, and
 * the reads that build a round's input. Rounds are city-wide records; the
 * service decides who may read them and filters student lists by the caller.
 */
export function createRoundRepository(db: Db) {
  return {
    create(data: { cycleId: string; kind: RoundKindName; name: string | null; policy: Prisma.InputJsonValue; seed: string; createdBy: string }) {
      return db.round.create({ data, select: ROUND_SUMMARY });
    },

    setJobId(id: string, jobId: string) {
      return db.round.update({ where: { id }, data: { jobId }, select: { id: true } });
    },

    findSummary(id: string) {
      return db.round.findUnique({ where: { id }, select: ROUND_SUMMARY });
    },

    /** A round with its stored input and result (large for a whole city). */
    findFull(id: string) {
      return db.round.findUnique({ where: { id } });
    },

    listByCycle(cycleId: string) {
      return db.round.findMany({ where: { cycleId }, orderBy: { createdAt: 'desc' }, select: ROUND_SUMMARY });
    },

    /** The published round of a kind in a cycle (the newest if, against the rules, there were several). */
    async findPublished(cycleId: string, kind: RoundKindName) {
      return db.round.findFirst({ where: { cycleId, kind, status: 'published' }, orderBy: { publishedAt: 'desc' }, select: ROUND_SUMMARY });
    },

    async markRunning(id: string, at: Date) {
      await db.round.update({ where: { id }, data: { status: 'running', startedAt: at, progress: 5, error: null } });
    },

    /** Sets the progress of a running round (a no-op once it has finished: a late heartbeat never undoes 100). */
    async setProgress(id: string, progress: number) {
      await db.round.updateMany({ where: { id, status: 'running' }, data: { progress } });
    },

    async markFailed(id: string, error: string, at: Date) {
      await db.round.update({ where: { id }, data: { status: 'failed', error, finishedAt: at, progress: 100 } });
    },

    /** Locks the round's row until the transaction ends and returns its status (the store step runs once). */
    async lockStatus(id: string): Promise<RoundStatusName | null> {
      const rows = await db.$queryRaw<{ status: RoundStatusName }[]>`SELECT status::text AS status FROM "Round" WHERE id = ${id} FOR UPDATE`;
      return rows[0]?.status ?? null;
    },

    /** Stores a finished run; input and result are given as JSON text and cast by PostgreSQL (no client-side re-serialisation of megabytes). */
    async storeResult(
      id: string,
      data: StoredRoundResult,
    ) {
      await db.$executeRaw`
        UPDATE "Round" SET input = ${data.inputText}::jsonb, result = ${data.resultText}::jsonb,
          "inputSha256" = ${data.inputSha256}, "resultSha256" = ${data.resultSha256}, "invariantsOk" = ${data.invariantsOk},
          status = ${data.status}::"RoundStatus", error = ${data.error}, "finishedAt" = ${data.finishedAt}, progress = 100
        WHERE id = ${id}`;
    },

    /** Replaces every assignment row of a round (a retried job leaves one set). */
    async replaceAssignments(roundId: string, rows: readonly AssignmentRow[]) {
      await db.roundAssignment.deleteMany({ where: { roundId } });
      // One JSON parameter per chunk, turned into rows by PostgreSQL: far faster than createMany.
      const sql =
        'INSERT INTO "RoundAssignment" ("roundId", "studentId", "highSchoolId", "seat", "batch", "explanation") ' +
        'SELECT "roundId", "studentId", "highSchoolId", "seat", "batch", "explanation" FROM json_populate_recordset(NULL::"RoundAssignment", $1::json)';
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => ({ roundId, ...r, explanation: r.explanation ?? null }));
        await db.$executeRawUnsafe(sql, JSON.stringify(chunk));
      }
    },

    /**
     * Publishes a finished round: only from `succeeded`, so two requests for the
     * same round cannot both publish it (null for the one that lost); the
     * partial unique index stops a second round of the same kind.
     */
    async publish(id: string, at: Date) {
      const { count } = await db.round.updateMany({ where: { id, status: 'succeeded' }, data: { status: 'published', publishedAt: at } });
      return count === 1 ? db.round.findUniqueOrThrow({ where: { id }, select: ROUND_SUMMARY }) : null;
    },

    /**
     * Per school of a finished round, in the result's order: capacity, admitted and the
     * cutoff (the input's total of the last admitted), read in the database from the
     * result's `schools` and the input's students: no whole result is parsed in Node.
     */
    async cutoffs(roundId: string): Promise<{ school: string; capacity: number; admitted: number; cutoff: number | null }[]> {
      return db.$queryRaw`
        WITH s AS (
          SELECT e.key AS school, e.value AS v, e.ord
          FROM "Round" r,
               jsonb_each(CASE WHEN jsonb_typeof(r.result->'schools') = 'object' THEN r.result->'schools' ELSE '{}'::jsonb END) WITH ORDINALITY e(key, value, ord)
          WHERE r.id = ${roundId}
        ), last AS (
          SELECT x->>'id' AS id, (x->>'total')::float8 AS total
          FROM "Round" r, jsonb_array_elements(CASE WHEN jsonb_typeof(r.input->'students') = 'array' THEN r.input->'students' ELSE '[]'::jsonb END) x
          WHERE r.id = ${roundId} AND x->>'id' IN (SELECT v->>'lastAdmitted' FROM s)
        )
        SELECT s.school, (s.v->>'capacity')::int AS capacity, (s.v->>'admitted')::int AS admitted, last.total AS cutoff
        FROM s LEFT JOIN last ON last.id = s.v->>'lastAdmitted'
        ORDER BY s.ord`;
    },

    async assignmentCounts(roundId: string): Promise<{ students: number; assigned: number }> {
      const [students, assigned] = await Promise.all([
        db.roundAssignment.count({ where: { roundId } }),
        db.roundAssignment.count({ where: { roundId, highSchoolId: { not: null } } }),
      ]);
      return { students, assigned };
    },

    /** Student id -> school held, for every placed student of a round. */
    async placedStudents(roundId: string): Promise<Record<string, string>> {
      const rows = await db.roundAssignment.findMany({ where: { roundId, highSchoolId: { not: null } }, select: { studentId: true, highSchoolId: true } });
      return Object.fromEntries(rows.map((r) => [r.studentId, r.highSchoolId as string]));
    },

    findAssignment(roundId: string, studentId: string) {
      return db.roundAssignment.findUnique({ where: { roundId_studentId: { roundId, studentId } } });
    },

    /** Student id -> answer, for every student who answered in a round. */
    async answers(roundId: string): Promise<Record<string, 'confirmed' | 'declined'>> {
      const rows = await db.confirmation.findMany({ where: { roundId }, select: { studentId: true, decision: true } });
      return Object.fromEntries(rows.map((r) => [r.studentId, r.decision]));
    },

    /**
     * Records a student's answer unless they already answered: one statement,
     * so two concurrent answers cannot both count. True when recorded.
     */
    async confirmOnce(roundId: string, studentId: string, decision: 'confirmed' | 'declined', at: Date): Promise<boolean> {
      const { count } = await db.confirmation.createMany({ data: [{ roundId, studentId, decision, at }], skipDuplicates: true });
      return count === 1;
    },

    /** Exam number -> student row id, for the students of a cycle. */
    async studentIdsByExamNo(cycleId: string): Promise<Map<string, string>> {
      const rows = await db.student.findMany({ where: { cycleId }, select: { id: true, examNo: true } });
      return new Map(rows.map((r) => [r.examNo, r.id]));
    },

    findStudent(id: string) {
      return db.student.findUnique({ where: { id }, select: { id: true, cycleId: true, examNo: true, regionCode: true } });
    },

    /** The approved plans of a cycle with their school's region, ownership and scope. */
    async plans(cycleId: string): Promise<PlanRow[]> {
      const rows = await db.highSchoolPlan.findMany({
        where: { cycleId, status: 'approved' },
        include: { highSchool: { select: { regionCode: true, ownership: true, scope: true } } },
      });
      // The engine sees each school's region, ownership and scope as they stood in this cycle.
      const year = await loadYearDirectory(db, cycleId, { highSchools: rows.map((p) => p.highSchoolId) });
      return rows.map((p) => ({ ...p, highSchool: asOfYear(p.highSchool, year.highSchools.get(p.highSchoolId)) })).map((p) => ({
        highSchoolId: p.highSchoolId,
        regionCode: p.highSchool.regionCode,
        ownership: p.highSchool.ownership,
        scope: p.highSchool.scope,
        batch: p.batch,
        capacity: p.capacity,
        minScore: p.minScore,
        minEvaluation: p.minEvaluation as Grade | null,
        quotaMinScore: p.quotaMinScore,
        quotaMinEvaluation: p.quotaMinEvaluation as Grade | null,
      }));
    },

    quotas(cycleId: string): Promise<QuotaRow[]> {
      return db.quotaAllocation.findMany({ where: { cycleId }, select: { highSchoolId: true, juniorSchoolId: true, seats: true } });
    },

    /**
     * The students of a cycle with a submitted (or frozen) application of a
     * kind, each with the choices that count: the last save before `deadline`
     * (an application without saved versions counts with its current choices;
     * one whose every save came later does not count).
     */
    async applicants(cycleId: string, kind: 'main' | 'supplementary', deadline: Date): Promise<StudentRow[]> {
      return db.$queryRaw<StudentRow[]>`
        SELECT s.id AS "studentId", s."examNo", s."juniorSchoolId", s."regionCode", s.total, s.scores, s.evaluation::text AS evaluation,
               s."quotaEligible", COALESCE(v.choices, a.choices) AS choices
        FROM "Application" a
        JOIN "Student" s ON s.id = a."studentId"
        LEFT JOIN LATERAL (
          SELECT x.choices FROM "ApplicationVersion" x
          WHERE x."applicationId" = a.id AND x."savedAt" < ${deadline}
          ORDER BY x.version DESC LIMIT 1
        ) v ON true
        WHERE a."cycleId" = ${cycleId} AND a.kind = ${kind}::"ApplicationKind" AND a.status IN ('submitted', 'frozen')
          AND (v.choices IS NOT NULL OR NOT EXISTS (SELECT 1 FROM "ApplicationVersion" y WHERE y."applicationId" = a.id))`;
    },

    /** How many students `applicants` would return (the same rule), without reading them. */
    async countApplicants(cycleId: string, kind: 'main' | 'supplementary', deadline: Date): Promise<number> {
      const rows = await db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n
        FROM "Application" a
        WHERE a."cycleId" = ${cycleId} AND a.kind = ${kind}::"ApplicationKind" AND a.status IN ('submitted', 'frozen')
          AND (EXISTS (SELECT 1 FROM "ApplicationVersion" x WHERE x."applicationId" = a.id AND x."savedAt" < ${deadline})
               OR NOT EXISTS (SELECT 1 FROM "ApplicationVersion" y WHERE y."applicationId" = a.id))`;
      return Number(rows[0]?.n ?? 0);
    },

    findApplication(cycleId: string, studentId: string, kind: 'main' | 'supplementary') {
      return db.application.findUnique({ where: { cycleId_studentId_kind: { cycleId, studentId, kind } } });
    },

    /** Saves a new version of a student's application (creating it on the first save). */
    async saveApplication(props: { cycleId: string; studentId: string; kind: 'main' | 'supplementary'; choices: Prisma.InputJsonValue; savedBy: string; at: Date }) {
      const existing = await db.application.findUnique({
        where: { cycleId_studentId_kind: { cycleId: props.cycleId, studentId: props.studentId, kind: props.kind } },
      });
      const version = (existing?.version ?? 0) + 1;
      const application = existing
        ? await db.application.update({ where: { id: existing.id }, data: { version, choices: props.choices, status: 'submitted', submittedAt: props.at } })
        : await db.application.create({
            data: { cycleId: props.cycleId, studentId: props.studentId, kind: props.kind, version, choices: props.choices, status: 'submitted', submittedAt: props.at },
          });
      await db.applicationVersion.create({ data: { applicationId: application.id, version, choices: props.choices, savedAt: props.at, savedBy: props.savedBy } });
      return application;
    },
  };
}

export type RoundRepository = ReturnType<typeof createRoundRepository>;

/*
 * The store step of a round on a plain node-postgres connection inside one
 * transaction (UnitOfWork.pgTransaction): the assignment rows go in with COPY,
 * and the round's status changes in the same transaction, so a worker killed
 * while storing leaves the round as it was and no rows.
 */

/** Locks the round's row until the transaction ends and returns its status. */
export async function lockRoundStatusOn(client: PoolClient, id: string): Promise<RoundStatusName | null> {
  const { rows } = await client.query<{ status: RoundStatusName }>('SELECT status::text AS status FROM "Round" WHERE id = $1 FOR UPDATE', [id]);
  return rows[0]?.status ?? null;
}

/** COPY text format: backslash, newline, carriage return and tab escaped; null as \N. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\n\r\t]/.test(value) ? value.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : value;
}

const COPY_ROWS_PER_CHUNK = 2_000;

/** Replaces every assignment row of a round with COPY (a retried job leaves one set). */
export async function copyAssignmentsOn(client: PoolClient, roundId: string, rows: readonly AssignmentRow[]): Promise<void> {
  await client.query('DELETE FROM "RoundAssignment" WHERE "roundId" = $1', [roundId]);
  const round = copyField(roundId);
  function* chunks(): Generator<string> {
    for (let i = 0; i < rows.length; i += COPY_ROWS_PER_CHUNK) {
      let text = '';
      const stop = Math.min(rows.length, i + COPY_ROWS_PER_CHUNK);
      for (let k = i; k < stop; k++) {
        const r = rows[k];
        const explanation = r.explanation === null || r.explanation === undefined ? null : JSON.stringify(r.explanation);
        text +=
          `${round}\t${copyField(r.studentId)}\t${copyField(r.highSchoolId)}\t${copyField(r.seat)}\t` +
          `${r.batch === null ? '\\N' : String(r.batch)}\t${copyField(explanation)}\n`;
      }
      yield text;
    }
  }
  const sink = client.query(copyFrom('COPY "RoundAssignment" ("roundId", "studentId", "highSchoolId", "seat", "batch", "explanation") FROM STDIN'));
  await pipeline(Readable.from(chunks(), { objectMode: false }), sink);
}

/** Replaces every assignment row of a round with rows already in COPY text format (server/infra/round-compute.ts). */
export async function copyAssignmentTextOn(client: PoolClient, roundId: string, chunks: readonly string[]): Promise<void> {
  await client.query('DELETE FROM "RoundAssignment" WHERE "roundId" = $1', [roundId]);
  const sink = client.query(copyFrom('COPY "RoundAssignment" ("roundId", "studentId", "highSchoolId", "seat", "batch", "explanation") FROM STDIN'));
  await pipeline(Readable.from(chunks, { objectMode: false }), sink);
}

/** Stores a finished run (as storeResult does), on the COPY transaction's connection. */
export async function storeRoundResultOn(
  client: PoolClient,
  id: string,
  data: StoredRoundResult,
): Promise<void> {
  await client.query(
    `UPDATE "Round" SET input = $1::jsonb, result = $2::jsonb, "inputSha256" = $3, "resultSha256" = $4, "invariantsOk" = $5,
       status = $6::"RoundStatus", error = $7, "finishedAt" = $8, progress = 100
     WHERE id = $9`,
    [data.inputText, data.resultText, data.inputSha256, data.resultSha256, data.invariantsOk, data.status, data.error, data.finishedAt.toISOString(), id],
  );
}

/** Writes a JSON text in pieces to `sink` (see writeCanonicalJson in server/domain/rounds/round-input.ts). */
export type TextWriter = (sink: (chunk: string) => Promise<void>) => Promise<void>;

/** A finished run to store with the bulk path: input and result written in pieces, never as one string. */
export interface StreamedRoundResult {
  writeInput: TextWriter;
  writeResult: TextWriter;
  invariantsOk: boolean;
  status: 'succeeded' | 'failed';
  error: string | null;
  finishedAt: Date;
}

/** COPY text escaping of a piece of a field (backslash, newline, return and tab); safe on any split of the text. */
function copyEscape(text: string): string {
  return /[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : text;
}

/** Writes to a stream, waiting while its buffer is full. */
async function writeTo(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', done);
      stream.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
  });
}

/**
 * Stores a finished run on the COPY transaction's connection with the input and
 * result streamed: their text goes once, in pieces, into one row of a temporary
 * table (COPY, no compression) while the SHA-256 of the same bytes is taken;
 * PostgreSQL then casts it to jsonb into the round's row. No string of the whole
 * input or result is ever built, so a province's round (hundreds of MB) fits.
 * Returns the hashes stored.
 */
export async function storeRoundResultStreamedOn(
  client: PoolClient,
  id: string,
  data: StreamedRoundResult,
): Promise<{ inputSha256: string; resultSha256: string; textMs: number; castMs: number }> {
  const started = performance.now();
  await client.query('CREATE TEMP TABLE "RoundStoreText" (input text, result text) ON COMMIT DROP');
  await client.query('ALTER TABLE "RoundStoreText" ALTER COLUMN input SET STORAGE EXTERNAL, ALTER COLUMN result SET STORAGE EXTERNAL');
  // Faster compression of the two large jsonb values where the server has it (a no-op otherwise).
  await client.query(`SELECT set_config('default_toast_compression', 'lz4', true) WHERE EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals))`);
  const sink = client.query(copyFrom('COPY "RoundStoreText" (input, result) FROM STDIN'));
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('finish', resolve);
    sink.on('error', reject);
  });
  const field = async (writer: TextWriter): Promise<string> => {
    const hash = createHash('sha256');
    await writer(async (chunk) => {
      hash.update(chunk, 'utf8');
      await writeTo(sink, copyEscape(chunk));
    });
    return hash.digest('hex');
  };
  let hashes: { inputSha256: string; resultSha256: string };
  try {
    const inputSha256 = await field(data.writeInput);
    await writeTo(sink, '\t');
    const resultSha256 = await field(data.writeResult);
    await writeTo(sink, '\n');
    sink.end();
    await finished;
    hashes = { inputSha256, resultSha256 };
  } catch (error) {
    sink.destroy(error as Error);
    await finished.catch(() => undefined);
    throw error;
  }
  const copied = performance.now();
  await client.query(
    `UPDATE "Round" r SET input = s.input::jsonb, result = s.result::jsonb, "inputSha256" = $1, "resultSha256" = $2, "invariantsOk" = $3,
       status = $4::"RoundStatus", error = $5, "finishedAt" = $6, progress = 100
     FROM "RoundStoreText" s WHERE r.id = $7`,
    [hashes.inputSha256, hashes.resultSha256, data.invariantsOk, data.status, data.error, data.finishedAt.toISOString(), id],
  );
  return { ...hashes, textMs: Math.round(copied - started), castMs: Math.round(performance.now() - copied) };
}

/** Undoes COPY text escaping of one field (\N is null). */
function copyUnescape(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c === 'b' ? '\b' : c === 'f' ? '\f' : c === 'v' ? '\v' : c));
}

/**
 * The students `applicants` returns (the same rule, the same columns), read as
 * one stream (COPY … TO STDOUT) and handed to `onRow` one at a time, so a
 * province's 800,000 rows are never held twice nor parsed by Prisma.
 * Returns the number of rows.
 */
export async function streamApplicantsOn(
  client: PoolClient,
  props: { cycleId: string; kind: 'main' | 'supplementary'; deadline: Date },
  onRow: (row: StudentRow) => void,
): Promise<number> {
  const cycle = client.escapeLiteral(props.cycleId);
  const kind = props.kind === 'main' ? `'main'` : `'supplementary'`;
  const deadline = client.escapeLiteral(props.deadline.toISOString());
  const sql = `COPY (
    SELECT s.id, s."examNo", s."juniorSchoolId", s."regionCode", s.total, s.scores, s.evaluation, s."quotaEligible", COALESCE(v.choices, a.choices)
    FROM "Application" a
    JOIN "Student" s ON s.id = a."studentId"
    LEFT JOIN LATERAL (
      SELECT x.choices FROM "ApplicationVersion" x
      WHERE x."applicationId" = a.id AND x."savedAt" < ${deadline}::timestamp
      ORDER BY x.version DESC LIMIT 1
    ) v ON true
    WHERE a."cycleId" = ${cycle} AND a.kind = ${kind}::"ApplicationKind" AND a.status IN ('submitted', 'frozen')
      AND (v.choices IS NOT NULL OR NOT EXISTS (SELECT 1 FROM "ApplicationVersion" y WHERE y."applicationId" = a.id))
  ) TO STDOUT`;
  let count = 0;
  let rest = '';
  const decoder = new StringDecoder('utf8');
  const line = (text: string) => {
    const f = text.split('\t');
    onRow({
      studentId: copyUnescape(f[0]) as string,
      examNo: copyUnescape(f[1]) as string,
      juniorSchoolId: copyUnescape(f[2]) as string,
      regionCode: copyUnescape(f[3]) as string,
      total: Number(f[4]),
      scores: JSON.parse(copyUnescape(f[5]) ?? 'null'),
      evaluation: copyUnescape(f[6]) as Grade,
      quotaEligible: f[7] === 't',
      choices: JSON.parse(copyUnescape(f[8]) ?? 'null'),
    });
    count++;
  };
  const source = client.query(copyTo(sql));
  for await (const chunk of source as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      line(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest.length > 0) line(rest);
  return count;
}
