import type { Db } from './index';

/**
 * Names for ids, for screens that would otherwise show codes (flag evidence,
 * the audit log, round comparisons): one statement per kind of record, with
 * the year's own name where the year has one (CycleHighSchool, ...), else the
 * global one. Callers pass ids they already hold within the caller's scope.
 */
export function createNamesRepository(db: Db) {
  const none = <T>(): Promise<T[]> => Promise.resolve([]);

  return {
    /** High school id -> name as it stood in `cycleId`. */
    async highSchools(cycleId: string, ids: Iterable<string>): Promise<Map<string, string>> {
      const list = [...new Set(ids)];
      const rows = list.length
        ? await db.$queryRaw<{ id: string; name: string }[]>`
            SELECT h.id, COALESCE(y.name, h.name) AS name
            FROM "HighSchool" h LEFT JOIN "CycleHighSchool" y ON y."cycleId" = ${cycleId} AND y.id = h.id
            WHERE h.id = ANY(${list}::text[])`
        : await none<{ id: string; name: string }>();
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    /** Junior school id -> name as it stood in `cycleId`. */
    async juniorSchools(cycleId: string, ids: Iterable<string>): Promise<Map<string, string>> {
      const list = [...new Set(ids)];
      const rows = list.length
        ? await db.$queryRaw<{ id: string; name: string }[]>`
            SELECT j.id, COALESCE(y.name, j.name) AS name
            FROM "JuniorSchool" j LEFT JOIN "CycleJuniorSchool" y ON y."cycleId" = ${cycleId} AND y.id = j.id
            WHERE j.id = ANY(${list}::text[])`
        : await none<{ id: string; name: string }>();
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    /** Region code -> names (zh, en) as they stood in `cycleId`. */
    async regions(cycleId: string, codes: Iterable<string>): Promise<Map<string, { zh: string; en: string }>> {
      const list = [...new Set(codes)];
      const rows = list.length
        ? await db.$queryRaw<{ code: string; name: string; nameEn: string }[]>`
            SELECT r.code, COALESCE(y.name, r.name) AS name, COALESCE(y."nameEn", r."nameEn") AS "nameEn"
            FROM "Region" r LEFT JOIN "CycleRegion" y ON y."cycleId" = ${cycleId} AND y.code = r.code
            WHERE r.code = ANY(${list}::text[])`
        : await none<{ code: string; name: string; nameEn: string }>();
      return new Map(rows.map((r) => [r.code, { zh: r.name, en: r.nameEn }]));
    },

    /** Students of `cycleId` by id or exam number (both keys in the map): name and exam number, never the ID number. */
    async students(cycleId: string, idsOrExamNos: Iterable<string>): Promise<Map<string, { name: string; examNo: string }>> {
      const list = [...new Set(idsOrExamNos)];
      const rows = list.length
        ? await db.$queryRaw<{ id: string; name: string; examNo: string }[]>`
            SELECT id, name, "examNo" FROM "Student"
            WHERE "cycleId" = ${cycleId} AND (id = ANY(${list}::text[]) OR "examNo" = ANY(${list}::text[]))`
        : await none<{ id: string; name: string; examNo: string }>();
      const map = new Map<string, { name: string; examNo: string }>();
      for (const r of rows) {
        map.set(r.id, { name: r.name, examNo: r.examNo });
        map.set(r.examNo, { name: r.name, examNo: r.examNo });
      }
      return map;
    },

    /** Rounds of `cycleId` by id: kind, label and publication time. */
    async rounds(cycleId: string, ids: Iterable<string>): Promise<Map<string, { kind: string; name: string | null; publishedAt: Date | null }>> {
      const list = [...new Set(ids)];
      const rows = list.length
        ? await db.round.findMany({ where: { cycleId, id: { in: list } }, select: { id: true, kind: true, name: true, publishedAt: true } })
        : [];
      return new Map(rows.map((r) => [r.id, { kind: r.kind, name: r.name, publishedAt: r.publishedAt }]));
    },

    /** Accounts by id: display name, role and what they belong to (the audit log's actors). */
    async users(ids: Iterable<string>) {
      const list = [...new Set(ids)];
      if (list.length === 0) return new Map<string, UserName>();
      const rows = await db.$queryRaw<UserName[]>`
        SELECT u.id, u."displayName", u.role::text AS role, u.username,
               COALESCE(h.name, j.name, s.name) AS "orgName"
        FROM "User" u
        LEFT JOIN "HighSchool" h ON h.id = u."highSchoolId"
        LEFT JOIN "JuniorSchool" j ON j.id = u."juniorSchoolId"
        LEFT JOIN "Student" s ON s.id = u."studentId"
        WHERE u.id = ANY(${list}::text[])`;
      return new Map(rows.map((r) => [r.id, r]));
    },
  };
}

export interface UserName {
  id: string;
  displayName: string;
  role: string;
  username: string;
  /** The school the account belongs to, or the student's name. */
  orgName: string | null;
}

export type NamesRepository = ReturnType<typeof createNamesRepository>;
