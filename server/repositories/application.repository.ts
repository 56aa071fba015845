import { timeOrderedId } from './ids';
import { fromPgPool } from '../outages';
import { pgPoolOf, Prisma, type ApplicationKind, type Evaluation } from '../db';
import type { StudentScope } from '../policies';
import type { Db } from './index';
import { studentWhere } from './scope-where';
import { createReadCache } from './read-cache';
import { asOfYear, loadYearDirectory, regionOfYear } from './year-directory';
import { loadYearRounds } from './year-placements';

/** A published round's result never changes: its cutoffs are read once per process, not per cache expiry. */
const publishedCutoffs = createReadCache({ ttlMs: Number.POSITIVE_INFINITY, maxEntries: 8 });

/**
 * Each school's open-seat cutoff (统招最低分, else the reverted seats') in the
 * published main round of the year before `cycleId`'s; null when that year
 * has no published main round. The cutoffs are read in the database: a
 * round's result is big.
 */
async function lastYearCutoffs(db: Db, cycleId: string): Promise<Map<string, number> | null> {
  const [round] = await db.$queryRaw<{ id: string }[]>`
    SELECT r.id FROM "Round" r
    WHERE r.kind = 'main' AND r.status = 'published' AND r."cycleId" = (
      SELECT c.id FROM "Cycle" c WHERE c.year < (SELECT year FROM "Cycle" WHERE id = ${cycleId}) ORDER BY c.year DESC LIMIT 1
    )
    ORDER BY r."publishedAt" DESC NULLS LAST, r."createdAt" DESC LIMIT 1`;
  if (!round) return null;
  return publishedCutoffs.get(`cutoffs:${round.id}`, async () => {
    const rows = await db.$queryRaw<{ highSchoolId: string; cutoff: unknown }[]>`
      SELECT s.key AS "highSchoolId", COALESCE(s.value->'cutoffs'->'open'->'total', s.value->'cutoffs'->'reverted'->'total') AS cutoff
      FROM "Round" r, jsonb_each(CASE WHEN jsonb_typeof(r.result->'schools') = 'object' THEN r.result->'schools' ELSE '{}'::jsonb END) s
      WHERE r.id = ${round.id}`;
    return new Map(rows.filter((r) => typeof r.cutoff === 'number').map((r) => [r.highSchoolId, r.cutoff as number]));
  });
}

/** A statement of a hot path: its name (prepared once per connection), text with $1.. placeholders and values. */
export interface HotStatement {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * Runs a hot statement as a named prepared statement on the node-postgres
 * pool under `db` (parsed and planned once per connection, no Prisma on the
 * way), or through Prisma with the same text where there is no pool (inside a
 * transaction, a client not made by createPrisma). Rows come as node-postgres
 * gives them: select timestamps as timestamptz (`AT TIME ZONE 'UTC'`), since
 * a plain timestamp would be read in the process's time zone.
 */
export async function hotQuery<T>(db: Db, statement: HotStatement): Promise<T[]> {
  const pool = pgPoolOf(db);
  if (pool) {
    try {
      return (await pool.query(statement)).rows as T[];
    } catch (error) {
      throw fromPgPool(error);
    }
  }
  return db.$queryRawUnsafe<T[]>(statement.text, ...statement.values);
}

/** The caller's own student record with the names of that year (findStudent, on every student request). */
const OWN_STUDENT_SQL = `
  SELECT s.id, s."cycleId", s."examNo", s.name, s."juniorSchoolId", s."regionCode", s.scores, s.total,
         s.evaluation::text AS evaluation, s."quotaEligible",
         COALESCE(yj.name, j.name) AS "juniorSchoolName", COALESCE(yr.name, r.name) AS "regionName",
         COALESCE(yr."nameEn", r."nameEn") AS "regionNameEn"
  FROM "Student" s
  JOIN "JuniorSchool" j ON j.id = s."juniorSchoolId"
  JOIN "Region" r ON r.code = s."regionCode"
  LEFT JOIN "CycleJuniorSchool" yj ON yj."cycleId" = s."cycleId" AND yj.id = s."juniorSchoolId"
  LEFT JOIN "CycleRegion" yr ON yr."cycleId" = s."cycleId" AND yr.code = s."regionCode"
  WHERE s.id = $1`;

/**
 * The save's statement when nothing is saved yet ($1 application id, $2 student, $3 cycle, $4 kind,
 * $5 choices, $6 time, $7 version row id, $8 saved by): a concurrent first save loses on the unique key.
 */
const SAVE_FIRST_SQL = `
  WITH saved AS (
    INSERT INTO "Application" (id, "studentId", "cycleId", kind, version, status, choices, "submittedAt", "updatedAt")
    VALUES ($1, $2, $3, $4::"ApplicationKind", 1, 'submitted', $5::jsonb, $6::timestamp(3), $6::timestamp(3))
    ON CONFLICT ("cycleId", "studentId", kind) DO NOTHING
    RETURNING id, version)
  INSERT INTO "ApplicationVersion" (id, "applicationId", version, choices, "savedBy", "savedAt")
  SELECT $7, id, version, $5::jsonb, $8, $6::timestamp(3) FROM saved
  RETURNING version`;

/**
 * The save's statement on a stored version ($1 cycle, $2 student, $3 kind, $4 base version, $5 choices,
 * $6 time, $7 version row id, $8 saved by): nothing matches when the base version is stale.
 * (Times are ISO strings in UTC cast to timestamp(3), as Prisma stores DateTime.)
 */
const SAVE_NEXT_SQL = `
  WITH saved AS (
    UPDATE "Application"
    SET version = version + 1, choices = $5::jsonb, status = 'submitted', "submittedAt" = $6::timestamp(3), "updatedAt" = $6::timestamp(3)
    WHERE "cycleId" = $1 AND "studentId" = $2 AND kind = $3::"ApplicationKind" AND version = $4::int
    RETURNING id, version)
  INSERT INTO "ApplicationVersion" (id, "applicationId", version, choices, "savedBy", "savedAt")
  SELECT $7, id, version, $5::jsonb, $8, $6::timestamp(3) FROM saved
  RETURNING version`;

/** A student as the portal sees it: never the ID number. */
export interface PortalStudentRow {
  id: string;
  cycleId: string;
  examNo: string;
  name: string;
  juniorSchoolId: string;
  regionCode: string;
  scores: Prisma.JsonValue;
  total: number;
  evaluation: Evaluation;
  quotaEligible: boolean;
  juniorSchool: { id: string; name: string };
  region: { code: string; name: string; nameEn: string };
}

type FlatStudentRow = Omit<PortalStudentRow, 'juniorSchool' | 'region'> & { juniorSchoolName: string; regionName: string; regionNameEn: string };

/**
 * Reads and writes behind the student portal: the student's own record,
 * published plans and quota seats, applications (志愿) with every saved
 * version, round results and confirmations. Every query about a student ANDs
 * the caller's scope, so a student reaches only their own rows.
 */
export function createApplicationRepository(db: Db) {
  return {
    /** The student (never the ID number), if within scope. */
    async findStudent(scope: StudentScope, studentId: string): Promise<PortalStudentRow | null> {
      if (scope.kind === 'student') {
        // A student's own record, on every student request: one round trip instead of three.
        if (scope.studentId !== studentId) return null;
        const rows = await hotQuery<FlatStudentRow>(db, { name: 'student.own', text: OWN_STUDENT_SQL, values: [studentId] });
        if (rows.length === 0) return null;
        const { juniorSchoolName, regionName, regionNameEn, ...student } = rows[0];
        return {
          ...student,
          juniorSchool: { id: student.juniorSchoolId, name: juniorSchoolName },
          region: { code: student.regionCode, name: regionName, nameEn: regionNameEn },
        };
      }
      const found = await db.student.findFirst({
        where: { AND: [{ id: studentId }, studentWhere(scope)] },
        select: {
          id: true,
          cycleId: true,
          examNo: true,
          name: true,
          juniorSchoolId: true,
          regionCode: true,
          scores: true,
          total: true,
          evaluation: true,
          quotaEligible: true,
          juniorSchool: { select: { id: true, name: true } },
          region: { select: { code: true, name: true, nameEn: true } },
        },
      });
      if (!found) return null;
      // Names as they stood in the student's own year.
      const year = await loadYearDirectory(db, found.cycleId, { juniorSchools: [found.juniorSchoolId], regions: [found.regionCode] });
      return {
        ...found,
        juniorSchool: asOfYear(found.juniorSchool, year.juniorSchools.get(found.juniorSchoolId)),
        region: regionOfYear(year, found.regionCode, found.region),
      };
    },

    /**
     * Approved plans of a cycle with their schools as they stood in that year:
     * public information, no caller scope. `previousCutoff` (last year's
     * cutoff shown to families) comes from the previous year's published main
     * round where there is one, else from the plan.
     */
    async listPublishedPlans(cycleId: string) {
      const plans = await db.highSchoolPlan.findMany({
        where: { cycleId, status: 'approved' },
        orderBy: [{ batch: 'asc' }, { highSchoolId: 'asc' }],
        select: {
          highSchoolId: true,
          batch: true,
          capacity: true,
          minScore: true,
          minEvaluation: true,
          quotaMinScore: true,
          quotaMinEvaluation: true,
          previousCutoff: true,
          highSchool: {
            select: { id: true, name: true, ownership: true, scope: true, quality: true, regionCode: true, region: { select: { name: true, nameEn: true } } },
          },
        },
      });
      const [year, lastYear] = await Promise.all([
        loadYearDirectory(db, cycleId, { highSchools: plans.map((p) => p.highSchoolId), regions: true }),
        lastYearCutoffs(db, cycleId),
      ]);
      return plans.map((p) => {
        const highSchool = asOfYear(p.highSchool, year.highSchools.get(p.highSchoolId));
        return {
          ...p,
          previousCutoff: lastYear?.get(p.highSchoolId) ?? p.previousCutoff,
          highSchool: { ...highSchool, region: regionOfYear(year, highSchool.regionCode, highSchool.region) },
        };
      });
    },

    /** The quota seats (指标生名额) of every high school at one junior school. */
    async quotasForJunior(cycleId: string, juniorSchoolId: string) {
      return db.quotaAllocation.findMany({
        where: { cycleId, juniorSchoolId, seats: { gt: 0 } },
        select: { highSchoolId: true, seats: true },
      });
    },

    findApplication(scope: StudentScope, props: { studentId: string; cycleId: string; kind: ApplicationKind }) {
      return db.application.findFirst({
        where: { studentId: props.studentId, cycleId: props.cycleId, kind: props.kind, student: studentWhere(scope) },
        select: { id: true, version: true, status: true, choices: true, submittedAt: true, updatedAt: true },
      });
    },

    /**
     * Saves a new version of a student's choices if the stored version is
     * still `baseVersion` (0: nothing saved yet): the application row and its
     * version row in ONE statement (atomic without an explicit transaction,
     * one round trip). Two saves on the same base race on the row lock: the
     * second sees the new version and changes nothing. Returns the new
     * version, or null when `baseVersion` is stale (nothing changed).
     * The caller has checked the student is in its scope.
     *
     * Deadline night's hot statement: a named prepared statement on the pool
     * under Prisma (parsed and planned once per connection, no Prisma on the
     * way), or the same text through Prisma inside a transaction or on a
     * client without a pool. The ApplicationVersion row is the save's record
     * (append-only, who and when); it is not appended to the audit hash chain:
     * the chain's global lock, held through each commit, made every save in
     * the city wait for the one before it. The audit log shows saves merged
     * from here (application-audit.repository.ts); each family holds the save's signed receipt.
     */
    async saveVersion(props: {
      studentId: string;
      cycleId: string;
      kind: ApplicationKind;
      baseVersion: number;
      choices: Prisma.InputJsonValue;
      savedBy: string;
      at: Date;
    }): Promise<number | null> {
      const at = props.at.toISOString();
      const choices = JSON.stringify(props.choices);
      const statement =
        props.baseVersion === 0
          ? { name: 'application.save.first', text: SAVE_FIRST_SQL, values: [timeOrderedId(), props.studentId, props.cycleId, props.kind, choices, at, timeOrderedId(), props.savedBy] }
          : { name: 'application.save.next', text: SAVE_NEXT_SQL, values: [props.cycleId, props.studentId, props.kind, props.baseVersion, choices, at, timeOrderedId(), props.savedBy] };
      const rows = await hotQuery<{ version: number }>(db, statement);
      return rows.length === 1 ? rows[0].version : null;
    },

    /** The stored version of a student's application (0 when none), to report a conflict. */
    async currentVersion(props: { studentId: string; cycleId: string; kind: ApplicationKind }): Promise<number> {
      const row = await db.application.findUnique({
        where: { cycleId_studentId_kind: { cycleId: props.cycleId, studentId: props.studentId, kind: props.kind } },
        select: { version: true },
      });
      return row?.version ?? 0;
    },

    listVersions(scope: StudentScope, applicationId: string) {
      return db.applicationVersion.findMany({
        where: { applicationId, application: { student: studentWhere(scope) } },
        orderBy: { version: 'desc' },
        select: { version: true, choices: true, savedAt: true, savedBy: true },
      });
    },

    /** The student's year (within scope): published round 1 (with the answer) and 补录 (server/repositories/year-placements.ts). */
    async studentYear(scope: StudentScope, props: { studentId: string; cycleId: string }) {
      const allowed = await db.student.count({ where: { AND: [{ id: props.studentId, cycleId: props.cycleId }, studentWhere(scope)] } });
      return loadYearRounds(db, props.cycleId, { studentIds: allowed > 0 ? [props.studentId] : [] });
    },

    /** The student's row in one published round, with the reasons behind it. */
    publishedAssignment(scope: StudentScope, props: { studentId: string; roundId: string }) {
      return db.roundAssignment.findFirst({
        where: { studentId: props.studentId, roundId: props.roundId, student: studentWhere(scope), round: { status: 'published' } },
        select: { highSchoolId: true, seat: true, batch: true, explanation: true },
      });
    },

    /**
     * `result.schools` of a published round (the cutoffs behind every
     * explanation), extracted by PostgreSQL: not the whole result, which is
     * tens of megabytes for a city. Null when the round is not published.
     */
    async publishedRoundSchools(roundId: string): Promise<unknown> {
      const rows = await db.$queryRaw<{ schools: unknown }[]>`
        SELECT result -> 'schools' AS schools FROM "Round" WHERE id = ${roundId} AND status = 'published'`;
      return rows[0]?.schools ?? null;
    },

    findConfirmation(scope: StudentScope, props: { roundId: string; studentId: string }) {
      return db.confirmation.findFirst({
        where: { roundId: props.roundId, studentId: props.studentId, student: studentWhere(scope) },
        select: { decision: true, at: true },
      });
    },
  };
}

export type ApplicationRepository = ReturnType<typeof createApplicationRepository>;
