import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Prisma } from '../db';
import type { Grade, SeatKind } from '../domain/allocation/types';
import type { RoundData } from '../domain/rounds/compare';
import { APPLICANTS_WORK_MEM, applicantsCopySql, ASSIGNMENT_COPY_COLUMNS, copyEscape, copyField, type ApplicantsQuery } from './round-copy';
import type { PlanRow, QuotaRow } from '../domain/rounds/round-input';
import { canonicalJson } from '../domain/rounds/canonical';
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
     * result's `schools` and the cutoff totals stored beside: no whole result is parsed in Node.
     */
    async cutoffs(roundId: string): Promise<{ school: string; capacity: number; admitted: number; cutoff: number | null }[]> {
      return db.$queryRaw`
        SELECT e.key AS school, (e.value->>'capacity')::int AS capacity, (e.value->>'admitted')::int AS admitted,
               (r."cutoffTotals"->>e.key)::float8 AS cutoff
        FROM "Round" r,
             jsonb_each(CASE WHEN jsonb_typeof(r.result->'schools') = 'object' THEN r.result->'schools' ELSE '{}'::jsonb END) WITH ORDINALITY e(key, value, ord)
        WHERE r.id = ${roundId}
        ORDER BY e.ord`;
    },

    /**
     * A finished round's input or result as its canonical text (the text its hash is of), in
     * pieces, read a few at a time: a province's text is never held whole. A round stored
     * before RoundText existed has its whole value in the jsonb column: its canonical text.
     */
    async *textPieces(roundId: string, part: 'input' | 'result'): AsyncGenerator<string> {
      const BATCH = 8;
      for (let seq = 0; ; seq += BATCH) {
        const rows = await db.roundText.findMany({ where: { roundId, part, seq: { gte: seq, lt: seq + BATCH } }, orderBy: { seq: 'asc' }, select: { body: true } });
        if (rows.length === 0 && seq === 0) {
          const round = await db.round.findUnique({ where: { id: roundId }, select: { [part]: true } as { input: true } });
          const value = (round as Record<string, unknown> | null)?.[part];
          if (value !== null && value !== undefined) yield canonicalJson(value);
          return;
        }
        for (const row of rows) yield row.body;
        if (rows.length < BATCH) return;
      }
    },

    /**
     * A finished round as a comparison reads it (server/domain/rounds/compare.ts), from its rows rather
     * than its stored text, which for a province would take gigabytes and seconds of the API's event loop
     * to parse twice: each student of the round with the junior school, region and total of their record
     * (written by the imports of setup, before any round: the values the round's input holds), the seat
     * held, and the schools' part of the result.
     */
    async comparisonData(roundId: string): Promise<RoundData> {
      const [rows, round] = await Promise.all([
        db.$queryRaw<{ id: string; junior: string; region: string; total: number; school: string | null; seat: SeatKind | null }[]>`
          SELECT s."examNo" AS id, s."juniorSchoolId" AS junior, s."regionCode" AS region, s.total, ra."highSchoolId" AS school, ra.seat::text AS seat
          FROM "RoundAssignment" ra JOIN "Student" s ON s.id = ra."studentId"
          WHERE ra."roundId" = ${roundId}`,
        db.round.findUnique({ where: { id: roundId }, select: { result: true } }),
      ]);
      const assignments: RoundData['result']['assignments'] = {};
      for (const r of rows) if (r.school !== null && r.seat !== null) assignments[r.id] = { school: r.school, seat: r.seat };
      const schools = (round?.result as { schools?: RoundData['result']['schools'] } | null)?.schools ?? {};
      return { input: { students: rows }, result: { assignments, schools } };
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

    /** How many students a round would read (round-copy.ts applicantsCopySql: the same rule), without reading them. */
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
 * A round's run on a plain node-postgres connection inside one transaction
 * (UnitOfWork.pgTransaction): the applicants are read with COPY … TO, the
 * input's and result's text and the assignment rows written with COPY … FROM,
 * and the round's status set last, so a worker killed at any point leaves the
 * round as it was and none of its rows.
 */

/** Advisory lock class of a round's run (with hashtext of the round id): one attempt at a time. */
const ROUND_RUN_LOCK = 16;

/**
 * Takes the round's run lock until the transaction ends (a second attempt of the same round waits
 * here, then finds it finished) and returns the round's status. The round's row itself is not
 * locked: its progress keeps moving while the run stores.
 */
export async function claimRoundOn(client: PoolClient, id: string): Promise<RoundStatusName | null> {
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ROUND_RUN_LOCK, id]);
  const { rows } = await client.query<{ status: RoundStatusName }>('SELECT status::text AS status FROM "Round" WHERE id = $1', [id]);
  return rows[0]?.status ?? null;
}

/**
 * The table holding round `id`'s assignment rows: a partition of RoundAssignment of its own
 * (migration 20261206120000_round_assignment_partitions, whose trigger drops it with the round).
 */
export function roundPartition(id: string): string {
  return `RoundAssignment_${createHash('md5').update(id, 'utf8').digest('hex')}`;
}

/** Deletes what an earlier attempt of the round wrote (a crashed attempt's transaction wrote nothing, a retried one must not double). */
export async function clearRoundRowsOn(client: PoolClient, id: string): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${client.escapeIdentifier(roundPartition(id))}`);
  await client.query('DELETE FROM "RoundAssignment" WHERE "roundId" = $1', [id]);
  await client.query('DELETE FROM "RoundText" WHERE "roundId" = $1', [id]);
}

/**
 * Reads the applicants of a round (round-copy.ts applicantsCopySql) as one stream; `onBytes`
 * receives the COPY text as PostgreSQL sends it (the round's thread parses it).
 */
export async function streamApplicantsOn(client: PoolClient, query: ApplicantsQuery, onBytes: (bytes: Uint8Array) => void): Promise<void> {
  await client.query(APPLICANTS_WORK_MEM);
  const source = client.query(copyTo(applicantsCopySql(query, (value) => client.escapeLiteral(value))));
  for await (const chunk of source as AsyncIterable<Buffer>) onBytes(chunk);
}

/**
 * Writes round `id`'s assignment rows, given as COPY text in UTF-8 pieces (round-copy.ts assignmentCopyLine),
 * into a new table (roundPartition) without indexes, then builds its indexes, each by one sort:
 * several times less work for PostgreSQL than a row at a time through the shared table's indexes.
 * attachAssignmentsOn makes them rows of RoundAssignment.
 */
export async function copyAssignmentsOn(client: PoolClient, id: string, pieces: AsyncIterable<Uint8Array>): Promise<void> {
  const table = client.escapeIdentifier(roundPartition(id));
  // The check constraint lets the attach skip scanning the rows again.
  await client.query(`CREATE TABLE ${table} (LIKE "RoundAssignment" INCLUDING DEFAULTS, CHECK ("roundId" = ${client.escapeLiteral(id)}))`);
  const sink = client.query(copyFrom(`COPY ${table} (${ASSIGNMENT_COPY_COLUMNS}) FROM STDIN`));
  await pipeline(Readable.from(buffers(pieces), { objectMode: false }), sink);
  await client.query(`ALTER TABLE ${table} ADD PRIMARY KEY ("roundId", "studentId")`);
  await client.query(`CREATE INDEX ON ${table} ("roundId", "highSchoolId")`);
}

/**
 * Attaches the rows copyAssignmentsOn wrote to RoundAssignment. Done last in the run: attaching locks the
 * default partition until the transaction ends, which a query not narrowed to one round may wait for.
 */
export async function attachAssignmentsOn(client: PoolClient, id: string): Promise<void> {
  await client.query(`ALTER TABLE "RoundAssignment" ATTACH PARTITION ${client.escapeIdentifier(roundPartition(id))} FOR VALUES IN (${client.escapeLiteral(id)})`);
}

/** The pieces as Buffers (views, not copies), as the COPY stream takes them. */
async function* buffers(pieces: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  for await (const piece of pieces) yield view(piece);
}

function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Writes a round's input or result text, given in UTF-8 pieces, one RoundText row per piece, and returns
 * the SHA-256 of the whole text. A piece is JSON text: it has no tab, newline or carriage return, and
 * rarely a backslash; only a piece with one of COPY's special characters is escaped.
 */
export async function copyRoundTextOn(client: PoolClient, id: string, part: 'input' | 'result', pieces: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  const round = copyField(id);
  async function* rows(): AsyncGenerator<Buffer> {
    let seq = 0;
    for await (const piece of pieces) {
      const body = view(piece);
      hash.update(body);
      yield Buffer.from(`${round}\t${part}\t${seq++}\t`);
      yield COPY_SPECIAL.some((byte) => body.indexOf(byte) >= 0) ? Buffer.from(copyEscape(body.toString('utf8'))) : body;
      yield NEWLINE;
    }
  }
  const sink = client.query(copyFrom('COPY "RoundText" ("roundId", "part", "seq", "body") FROM STDIN'));
  await pipeline(Readable.from(rows(), { objectMode: false }), sink);
  return hash.digest('hex');
}

/** Backslash, tab, newline and carriage return: what COPY's text format escapes. */
const COPY_SPECIAL = [0x5c, 0x09, 0x0a, 0x0d];
const NEWLINE = Buffer.from('\n');

/** A finished run: the summaries SQL reads (JSON text), the hashes of the whole texts, the check and the status. */
export interface FinishedRun {
  inputSummary: string;
  resultSummary: string;
  cutoffTotals: string;
  inputSha256: string;
  resultSha256: string;
  invariantsOk: boolean;
  status: 'succeeded' | 'failed';
  error: string | null;
  finishedAt: Date;
}

/** Sets the round's outcome, the last statement of its run. */
export async function finishRoundOn(client: PoolClient, id: string, run: FinishedRun): Promise<void> {
  await client.query(
    `UPDATE "Round" SET input = $1::jsonb, result = $2::jsonb, "cutoffTotals" = $3::jsonb, "inputSha256" = $4, "resultSha256" = $5,
       "invariantsOk" = $6, status = $7::"RoundStatus", error = $8, "finishedAt" = $9, progress = 100
     WHERE id = $10`,
    [run.inputSummary, run.resultSummary, run.cutoffTotals, run.inputSha256, run.resultSha256, run.invariantsOk, run.status, run.error, run.finishedAt.toISOString(), id],
  );
}
