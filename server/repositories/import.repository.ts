import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { pgPoolOf } from '../db';
import type { IdentityConflicts } from '../domain/imports/rows';
import { STUDENT_STAGE_COLUMNS } from '../domain/imports/student-stage';
import type { Db } from './index';

const CHUNK = 5_000;

/** A student row to insert; dates as YYYY-MM-DD. */
export interface StudentInsert {
  id: string;
  cycleId: string;
  examNo: string;
  name: string;
  idCardNo: string;
  gender: 'male' | 'female';
  birthDate: string | null;
  juniorSchoolId: string;
  regionCode: string;
  scores: Record<string, number>;
  total: number;
  evaluation: 'A' | 'B' | 'C' | 'D';
  quotaEligible: boolean;
  enrolledSince: string;
}


/** Staging tables of student imports are named `import_stage_<epoch ms>_<random>`; older than this, one is a leftover of a crashed process. */
const STAGE_PREFIX = 'import_stage_';
const STAGE_MAX_AGE_MS = 6 * 3_600_000;

/** The quoted identifier of a staging table this module named (never user input), checked before it goes into SQL. */
export function stage(name: string): string {
  if (!/^import_stage_\d+_[0-9a-f]+$/.test(name)) throw new Error(`not a staging table: ${name}`);
  return `"${name}"`;
}

/** A 准考证号 or 身份证号 as the import compares it (normalizeIdentifier in SQL). */
const NORMALIZED = (column: string) => `upper(btrim(normalize(${column}, NFKC)))`;

/** Bulk writes of the student import (考生、学籍、成绩). Runs inside the import's one transaction. */
export function createImportRepository(db: Db) {
  return {
    /**
     * Creates an unlogged staging table and fills it with one COPY of the
     * lines of student-stage.ts, on its own connection and outside the
     * import's transaction (Prisma cannot COPY); the transaction then reads
     * it with set-based statements. Returns its name; dropStudentStage
     * removes it. Leftovers of a crashed process older than six hours are
     * dropped here first.
     */
    async createStudentStage(chunks: readonly Uint8Array[]): Promise<string> {
      const pool = pgPoolOf(db);
      if (!pool) throw new Error('the student import needs a client made by createPrisma (COPY)');
      const name = `${STAGE_PREFIX}${Date.now()}_${randomBytes(6).toString('hex')}`;
      const client = await pool.connect();
      try {
        const { rows: old } = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'import\\_stage\\_%'`);
        for (const { name: leftover } of old) {
          const at = Number(leftover.split('_')[2]);
          if (Number.isFinite(at) && at < Date.now() - STAGE_MAX_AGE_MS) await client.query(`DROP TABLE IF EXISTS ${stage(leftover)}`);
        }
        await client.query(`CREATE UNLOGGED TABLE ${stage(name)} (
          id text NOT NULL DEFAULT gen_random_uuid()::text, row integer NOT NULL, exam_no text NOT NULL, name text NOT NULL, id_card_no text NOT NULL,
          gender text NOT NULL, birth_date date, junior_school_id text NOT NULL, region_code text NOT NULL, scores jsonb NOT NULL, total float8 NOT NULL,
          evaluation text NOT NULL, quota_eligible boolean NOT NULL, enrolled_since date NOT NULL, history jsonb)`);
        const sink = client.query(copyFrom(`COPY ${stage(name)} (${STUDENT_STAGE_COLUMNS.join(', ')}) FROM STDIN`));
        await pipeline(Readable.from(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))), sink);
        await client.query(`ANALYZE ${stage(name)}`);
        return name;
      } catch (error) {
        await client.query(`DROP TABLE IF EXISTS ${stage(name)}`).catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },

    async dropStudentStage(name: string): Promise<void> {
      await db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${stage(name)}`);
    },

    /**
     * The staged rows that conflict with stored students (identityProblems'
     * rules, set-based): an exam number of another cycle, and a 身份证号 held
     * in this cycle by a student whose exam number is not in the file.
     */
    async stagedIdentityConflicts(name: string, cycleId: string): Promise<IdentityConflicts> {
      const otherCycle = await db.$queryRawUnsafe<{ row: number; examNo: string }[]>(
        `SELECT st.row, st.exam_no AS "examNo" FROM ${stage(name)} st JOIN "Student" s ON ${NORMALIZED('s."examNo"')} = st.exam_no WHERE s."cycleId" <> $1`,
        cycleId,
      );
      const heldIdCards = await db.$queryRawUnsafe<{ row: number; idCardNo: string; otherExamNo: string }[]>(
        `SELECT st.row, st.id_card_no AS "idCardNo", s."examNo" AS "otherExamNo"
         FROM ${stage(name)} st JOIN "Student" s ON s."cycleId" = $1 AND ${NORMALIZED('s."idCardNo"')} = st.id_card_no
         WHERE NOT EXISTS (SELECT 1 FROM ${stage(name)} f WHERE f.exam_no = ${NORMALIZED('s."examNo"')})`,
        cycleId,
      );
      return { otherCycle, heldIdCards };
    },

    /** Deletes the students of this cycle whose exam numbers the staged file holds (a re-import replaces them); returns how many. */
    async deleteStudentsReplacedByStage(name: string, cycleId: string): Promise<number> {
      return db.$executeRawUnsafe(`DELETE FROM "Student" s USING ${stage(name)} st WHERE s."cycleId" = $1 AND ${NORMALIZED('s."examNo"')} = st.exam_no`, cycleId);
    },

    /** Moves the staged students into Student and their 学籍 stays (earlier ones and the current one) into StudentJuniorHistory: two statements. */
    async insertStagedStudents(name: string, cycleId: string): Promise<number> {
      const count = await db.$executeRawUnsafe(
        `INSERT INTO "Student" ("id", "cycleId", "examNo", "name", "idCardNo", "gender", "birthDate", "juniorSchoolId", "regionCode", "scores", "total", "evaluation", "quotaEligible", "enrolledSince")
         SELECT st.id, $1, st.exam_no, st.name, st.id_card_no, st.gender::"Gender", st.birth_date, st.junior_school_id, st.region_code, st.scores, st.total,
                st.evaluation::"Evaluation", st.quota_eligible, st.enrolled_since
         FROM ${stage(name)} st`,
        cycleId,
      );
      await db.$executeRawUnsafe(
        `INSERT INTO "StudentJuniorHistory" ("id", "studentId", "juniorSchoolId", "from", "to")
         SELECT gen_random_uuid()::text, st.id, h."juniorSchoolId", h."from", h."to"
         FROM ${stage(name)} st CROSS JOIN LATERAL jsonb_to_recordset(st.history) AS h("juniorSchoolId" text, "from" date, "to" date)
         WHERE st.history IS NOT NULL
         UNION ALL
         SELECT gen_random_uuid()::text, st.id, st.junior_school_id, st.enrolled_since, NULL FROM ${stage(name)} st`,
      );
      return count;
    },

    /** Serialises student imports until the transaction ends (a transaction-level advisory lock). */
    async lockStudentImports(): Promise<void> {
      await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('zz:import:students'))`;
    },

    /** Memory for the hash joins of a province's file against Student (the staging table's 800,000 keys), until the transaction ends. */
    async allowBulkJoins(): Promise<void> {
      await db.$executeRaw`SELECT set_config('work_mem', '256MB', true)`;
    },

    /**
     * Inserts students with one `INSERT ... SELECT FROM unnest(...)` per chunk:
     * Prisma's createMany takes seconds per thousand rows here, this takes milliseconds.
     */
    async createStudents(rows: readonly StudentInsert[], onChunk?: (done: number) => Promise<void>): Promise<void> {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const c = rows.slice(i, i + CHUNK);
        await db.$executeRaw`
          INSERT INTO "Student" ("id", "cycleId", "examNo", "name", "idCardNo", "gender", "birthDate", "juniorSchoolId", "regionCode", "scores", "total", "evaluation", "quotaEligible", "enrolledSince")
          SELECT u.id, u.cycle, u.exam, u.name, u.idcard, u.gender::"Gender", u.birth::date, u.junior, u.region, u.scores::jsonb, u.total, u.evaluation::"Evaluation", u.eligible, u.since::date
          FROM unnest(
            ${c.map((r) => r.id)}::text[], ${c.map((r) => r.cycleId)}::text[], ${c.map((r) => r.examNo)}::text[], ${c.map((r) => r.name)}::text[],
            ${c.map((r) => r.idCardNo)}::text[], ${c.map((r) => r.gender)}::text[], ${c.map((r) => r.birthDate)}::text[], ${c.map((r) => r.juniorSchoolId)}::text[],
            ${c.map((r) => r.regionCode)}::text[], ${c.map((r) => JSON.stringify(r.scores))}::text[], ${c.map((r) => r.total)}::float8[],
            ${c.map((r) => r.evaluation)}::text[], ${c.map((r) => r.quotaEligible)}::bool[], ${c.map((r) => r.enrolledSince)}::text[]
          ) AS u(id, cycle, exam, name, idcard, gender, birth, junior, region, scores, total, evaluation, eligible, since)`;
        await onChunk?.(Math.min(rows.length, i + CHUNK));
      }
    },
  };
}
