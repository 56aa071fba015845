import { Prisma } from '../db';
import type { SchoolScope } from '../policies';
import type { Db } from './index';
import { highSchoolWhere, juniorSchoolWhere } from './scope-where';
import { asOfYear, loadYearDirectory } from './year-directory';
import { loadYearRounds, type PlacementFilter } from './year-placements';

const planSelect = {
  id: true,
  cycleId: true,
  highSchoolId: true,
  capacity: true,
  classes: true,
  batch: true,
  minScore: true,
  minEvaluation: true,
  quotaPercent: true,
  quotaSeats: true,
  quotaMinScore: true,
  quotaMinEvaluation: true,
  minPerSchool: true,
  status: true,
  approvedAt: true,
  previousCutoff: true,
  updatedAt: true,
} as const;

const requestSelect = {
  id: true,
  planId: true,
  changes: true,
  reason: true,
  status: true,
  requestedBy: true,
  requestedAt: true,
  reviewedBy: true,
  reviewedAt: true,
  note: true,
} as const;

/**
 * Reads and writes of the school portals: plans and their change requests,
 * published rounds, admission lists, quota seats, junior schools' students.
 * Every read of a school's data takes the caller's scope or a school id the
 * service resolved through one. With a `cycleId`, school names and
 * attributes are those of that year (CycleHighSchool, CycleJuniorSchool).
 */
export function createAdmissionRepository(db: Db) {
  /** `rows` with each nested school as it stood in `cycleId`. */
  async function withYearNames<R>(
    cycleId: string,
    rows: R[],
    pick: { high?: (r: R) => { id: string } | null; junior?: (r: R) => { id: string } | null },
    rebuild: (r: R, names: { high: <S extends { id: string }>(s: S) => S; junior: <S extends { id: string }>(s: S) => S }) => R,
  ): Promise<R[]> {
    const highs = pick.high ? rows.map(pick.high).filter((s) => s !== null).map((s) => s.id) : [];
    const juniors = pick.junior ? rows.map(pick.junior).filter((s) => s !== null).map((s) => s.id) : [];
    if (highs.length === 0 && juniors.length === 0) return rows;
    const year = await loadYearDirectory(db, cycleId, { highSchools: highs, juniorSchools: juniors });
    const names = {
      high: <S extends { id: string }>(s: S) => asOfYear(s, year.highSchools.get(s.id)),
      junior: <S extends { id: string }>(s: S) => asOfYear(s, year.juniorSchools.get(s.id)),
    };
    return rows.map((r) => rebuild(r, names));
  }

  return {
    async findHighSchool(scope: SchoolScope, id: string, cycleId?: string) {
      const school = await db.highSchool.findFirst({
        where: { AND: [{ id }, highSchoolWhere(scope)] },
        select: { id: true, name: true, regionCode: true, ownership: true, scope: true, quality: true },
      });
      if (!school || !cycleId) return school;
      return asOfYear(school, await db.cycleHighSchool.findUnique({ where: { cycleId_id: { cycleId, id } } }));
    },

    async findJuniorSchool(scope: SchoolScope, id: string, cycleId?: string) {
      const school = await db.juniorSchool.findFirst({
        where: { AND: [{ id }, juniorSchoolWhere(scope)] },
        select: { id: true, name: true, regionCode: true, graduates: true },
      });
      if (!school || !cycleId) return school;
      return asOfYear(school, await db.cycleJuniorSchool.findUnique({ where: { cycleId_id: { cycleId, id } } }));
    },

    findPlan(cycleId: string, highSchoolId: string) {
      return db.highSchoolPlan.findUnique({
        where: { cycleId_highSchoolId: { cycleId, highSchoolId } },
        select: { ...planSelect, changeRequests: { select: requestSelect, orderBy: { requestedAt: 'desc' } } },
      });
    },

    createPlanChangeRequest(data: { planId: string; changes: Prisma.InputJsonValue; reason: string; requestedBy: string }) {
      return db.planChangeRequest.create({ data, select: requestSelect });
    },

    /** Change requests of the schools within `scope` in a cycle, newest first. */
    async listPlanChangeRequests(scope: SchoolScope, cycleId: string, status?: 'pending' | 'approved' | 'rejected') {
      const rows = await db.planChangeRequest.findMany({
        where: { status, plan: { cycleId, highSchool: highSchoolWhere(scope) } },
        select: { ...requestSelect, plan: { select: { ...planSelect, highSchool: { select: { id: true, name: true, regionCode: true } } } } },
        orderBy: { requestedAt: 'desc' },
        take: 500,
      });
      return withYearNames(cycleId, rows, { high: (r) => r.plan.highSchool }, (r, names) => ({ ...r, plan: { ...r.plan, highSchool: names.high(r.plan.highSchool) } }));
    },

    async findPlanChangeRequest(scope: SchoolScope, id: string) {
      const row = await db.planChangeRequest.findFirst({
        where: { id, plan: { highSchool: highSchoolWhere(scope) } },
        select: { ...requestSelect, plan: { select: { ...planSelect, highSchool: { select: { id: true, name: true, regionCode: true, scope: true, quality: true } } } } },
      });
      if (!row) return null;
      const [named] = await withYearNames(row.plan.cycleId, [row], { high: (r) => r.plan.highSchool }, (r, names) => ({
        ...r,
        plan: { ...r.plan, highSchool: names.high(r.plan.highSchool) },
      }));
      return named;
    },

    /** Decides a request if it is still pending; returns how many rows changed (0: decided meanwhile). */
    async decidePlanChangeRequest(id: string, data: { status: 'approved' | 'rejected'; reviewedBy: string; reviewedAt: Date; note: string | null }) {
      const { count } = await db.planChangeRequest.updateMany({ where: { id, status: 'pending' }, data });
      return count;
    },

    updatePlan(id: string, data: Prisma.HighSchoolPlanUncheckedUpdateInput) {
      return db.highSchoolPlan.update({ where: { id }, data, select: planSelect });
    },

    /** The year as it stands: published round 1 and 补录 with the rows `filter` selects (server/repositories/year-placements.ts). */
    yearRounds(cycleId: string, filter: PlacementFilter) {
      return loadYearRounds(db, cycleId, filter);
    },

    /** One school's part of a round's result (Round.result.schools[H]), read in the database: results are big. */
    async schoolResult(roundId: string, highSchoolId: string): Promise<unknown> {
      const rows = await db.$queryRaw<{ school: unknown }[]>(
        Prisma.sql`SELECT "result"->'schools'->${highSchoolId} AS "school" FROM "Round" WHERE "id" = ${roundId}`,
      );
      return rows[0]?.school ?? null;
    },

    /** Quota seats used by one junior school at each high school of a round (Round.result.schools[*].quotaUsed[J]). */
    async quotaUsedByJunior(roundId: string, juniorSchoolId: string): Promise<Map<string, number>> {
      const rows = await db.$queryRaw<{ highSchoolId: string; used: unknown }[]>(
        Prisma.sql`SELECT s.key AS "highSchoolId", s.value->'quotaUsed'->${juniorSchoolId} AS "used"
                   FROM "Round" r, jsonb_each(CASE WHEN jsonb_typeof(r."result"->'schools') = 'object' THEN r."result"->'schools' ELSE '{}'::jsonb END) s
                   WHERE r."id" = ${roundId}`,
      );
      return new Map(rows.filter((r) => typeof r.used === 'number').map((r) => [r.highSchoolId, r.used as number]));
    },

    /** Students on a school's admission list (of `cycleId`); junior schools and regions named as in that year. Rows written once by the import: a caller may keep them. */
    async listedStudents(cycleId: string, studentIds: string[]) {
      const rows = await db.student.findMany({
        where: { cycleId, id: { in: studentIds } },
        select: {
          id: true,
          examNo: true,
          name: true,
          gender: true,
          idCardNo: true,
          scores: true,
          total: true,
          evaluation: true,
          juniorSchool: { select: { id: true, name: true } },
          region: { select: { code: true, name: true, nameEn: true } },
        },
      });
      if (rows.length === 0) return rows;
      const year = await loadYearDirectory(db, cycleId, { juniorSchools: rows.map((r) => r.juniorSchool.id), regions: rows.map((r) => r.region.code) });
      return rows.map((r) => ({
        ...r,
        juniorSchool: asOfYear(r.juniorSchool, year.juniorSchools.get(r.juniorSchool.id)),
        region: asOfYear(r.region, year.regions.get(r.region.code)),
      }));
    },

    /** Students of `cycleId` with an accepted registration (报到注册) at the school. */
    async registeredStudentIds(cycleId: string, highSchoolId: string): Promise<Set<string>> {
      const rows = await db.enrollmentRegistration.findMany({
        where: { cycleId, highSchoolId, accepted: true, studentId: { not: null } },
        select: { studentId: true },
      });
      return new Set(rows.map((r) => r.studentId!));
    },

    /** A round's `policy.tieBreak` (the keys that order equal totals). */
    async roundTieBreak(roundId: string): Promise<unknown> {
      const rows = await db.$queryRaw<{ tieBreak: unknown }[]>(Prisma.sql`SELECT "policy"->'tieBreak' AS "tieBreak" FROM "Round" WHERE "id" = ${roundId}`);
      return rows[0]?.tieBreak ?? null;
    },

    /** High schools' names as they stood in `cycleId`. */
    async highSchoolNames(cycleId: string, ids: string[]) {
      const rows = await db.highSchool.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
      return withYearNames(cycleId, rows, { high: (r) => r }, (r, names) => names.high(r));
    },

    async juniorSchoolNames(cycleId: string, ids: string[]) {
      const rows = await db.juniorSchool.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
      return withYearNames(cycleId, rows, { junior: (r) => r }, (r, names) => names.junior(r));
    },

    /** 指标生名额 of a junior school at every high school in a cycle. */
    async quotasOfJunior(cycleId: string, juniorSchoolId: string) {
      const rows = await db.quotaAllocation.findMany({
        where: { cycleId, juniorSchoolId },
        select: { seats: true, highSchool: { select: { id: true, name: true, regionCode: true } } },
        orderBy: { highSchoolId: 'asc' },
      });
      return withYearNames(cycleId, rows, { high: (r) => r.highSchool }, (r, names) => ({ ...r, highSchool: names.high(r.highSchool) }));
    },

    /** A junior school's candidates of a cycle with their main application's status. */
    studentsOfJunior(cycleId: string, juniorSchoolId: string) {
      return db.student.findMany({
        where: { cycleId, juniorSchoolId },
        select: {
          id: true,
          examNo: true,
          name: true,
          total: true,
          applications: { where: { kind: 'main' }, select: { status: true, version: true, updatedAt: true, submittedAt: true } },
        },
        orderBy: { examNo: 'asc' },
      });
    },

    /** Of these students, those whose account can sign in: a password set (not `noPasswordHash`). */
    async activatedStudents(studentIds: readonly string[], noPasswordHash: string): Promise<Set<string>> {
      if (studentIds.length === 0) return new Set();
      const rows = await db.user.findMany({
        where: { role: 'student', studentId: { in: [...studentIds] }, NOT: { passwordHash: noPasswordHash } },
        select: { studentId: true },
      });
      return new Set(rows.map((r) => r.studentId!));
    },
  };
}

export type AdmissionRepository = ReturnType<typeof createAdmissionRepository>;
