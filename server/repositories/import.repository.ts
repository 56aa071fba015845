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

export interface HistoryInsert {
  id: string;
  studentId: string;
  juniorSchoolId: string;
  from: string;
  to: string | null;
}

/** Bulk writes of the student import (考生、学籍、成绩). Runs inside the import's one transaction. */
export function createImportRepository(db: Db) {
  return {
    /**
     * The students holding any of these exam numbers (in any cycle: exam
     * numbers are unique city-wide, across years), compared upper-case so rows
     * stored before exam numbers were normalised match too, and the students
     * of this cycle holding any of these ID numbers.
     */
    async studentIdentities(
      cycleId: string,
      examNos: readonly string[],
      idCardNos: readonly string[],
    ): Promise<{ id: string; examNo: string; idCardNo: string; cycleId: string }[]> {
      const found = new Map<string, { id: string; examNo: string; idCardNo: string; cycleId: string }>();
      for (let i = 0; i < Math.max(examNos.length, idCardNos.length); i += 10_000) {
        const exams = examNos.slice(i, i + 10_000) as string[];
        const ids = idCardNos.slice(i, i + 10_000) as string[];
        const rows = await db.$queryRaw<{ id: string; examNo: string; idCardNo: string; cycleId: string }[]>`
          SELECT "id", "examNo", "idCardNo", "cycleId" FROM "Student" WHERE upper("examNo") = ANY(${exams}::text[])
          UNION
          SELECT "id", "examNo", "idCardNo", "cycleId" FROM "Student" WHERE "cycleId" = ${cycleId} AND "idCardNo" = ANY(${ids}::text[])`;
        for (const row of rows) found.set(row.id, row);
      }
      return [...found.values()];
    },

    /** Serialises student imports until the transaction ends (a transaction-level advisory lock). */
    async lockStudentImports(): Promise<void> {
      await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('zz:import:students'))`;
    },

    /** Removes students of a cycle so a re-import replaces them (setup only: nothing refers to them yet). */
    async deleteStudents(ids: readonly string[]): Promise<void> {
      for (let i = 0; i < ids.length; i += 10_000) await db.student.deleteMany({ where: { id: { in: ids.slice(i, i + 10_000) as string[] } } });
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

    async createHistory(rows: readonly HistoryInsert[]): Promise<void> {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const c = rows.slice(i, i + CHUNK);
        await db.$executeRaw`
          INSERT INTO "StudentJuniorHistory" ("id", "studentId", "juniorSchoolId", "from", "to")
          SELECT u.id, u.student, u.junior, u.f::date, u.t::date
          FROM unnest(${c.map((r) => r.id)}::text[], ${c.map((r) => r.studentId)}::text[], ${c.map((r) => r.juniorSchoolId)}::text[], ${c.map((r) => r.from)}::text[], ${c.map((r) => r.to)}::text[])
            AS u(id, student, junior, f, t)`;
      }
    },
  };
}
