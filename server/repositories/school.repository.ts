import type { Db } from './index';
import { asOfYear, loadYearDirectory, regionOfYear, yearMembership } from './year-directory';

export interface RegionRow {
  code: string;
  name: string;
  nameEn: string;
  adminCode: string | null;
  rural: boolean;
}

export interface JuniorSchoolRow {
  id: string;
  name: string;
  regionCode: string;
  graduates: number;
  rural: boolean;
  weightPercent: number;
}

export interface HighSchoolRow {
  id: string;
  name: string;
  regionCode: string;
  ownership: 'public' | 'private';
  scope: 'city' | 'region';
  quality: boolean;
}

/**
 * Regions, junior and high schools as the bureau's setup writes them. These
 * are the city's public directory (names, sizes, scopes): no personal data,
 * so reads are not scoped by caller.
 *
 * Every write is for one cycle: it writes that year's row (CycleRegion,
 * CycleJuniorSchool, CycleHighSchool) and the global row only when the cycle
 * is the newest one, so re-importing into an older year never renames the
 * newer one; a school new to an older year still gets its global identity row.
 */
export function createSchoolRepository(db: Db) {
  /** True when no cycle has a later year than `cycleId`'s. */
  async function isNewestCycle(cycleId: string): Promise<boolean> {
    const cycle = await db.cycle.findUnique({ where: { id: cycleId }, select: { year: true } });
    if (!cycle) return false;
    return (await db.cycle.count({ where: { year: { gt: cycle.year } } })) === 0;
  }

  /** A junior school with its attributes in `cycleId` (global ones without a year row). */
  async function findJuniorSchool(id: string, cycleId: string) {
    const row = await db.juniorSchool.findUnique({ where: { id } });
    if (!row) return null;
    return asOfYear(row, await db.cycleJuniorSchool.findUnique({ where: { cycleId_id: { cycleId, id } } }));
  }

  /** A high school with its attributes in `cycleId` (global ones without a year row). */
  async function findHighSchool(id: string, cycleId: string) {
    const row = await db.highSchool.findUnique({ where: { id } });
    if (!row) return null;
    return asOfYear(row, await db.cycleHighSchool.findUnique({ where: { cycleId_id: { cycleId, id } } }));
  }

  return {
    isNewestCycle,
    findJuniorSchool,
    findHighSchool,

    async regionCodes(): Promise<Set<string>> {
      return new Set((await db.region.findMany({ select: { code: true } })).map((r) => r.code));
    },

    async juniorSchoolRegions(): Promise<Map<string, { regionCode: string }>> {
      const rows = await db.juniorSchool.findMany({ select: { id: true, regionCode: true } });
      return new Map(rows.map((r) => [r.id, { regionCode: r.regionCode }]));
    },

    /** The junior schools of a year, as they stood in it (quota distribution, listings). */
    async listJuniorSchools(cycleId: string) {
      const [rows, inYear] = await Promise.all([
        db.juniorSchool.findMany({ orderBy: { id: 'asc' }, include: { region: { select: { code: true, name: true, nameEn: true } } } }),
        yearMembership(db, cycleId, 'juniorSchools'),
      ]);
      const directory = await loadYearDirectory(db, cycleId, { juniorSchools: true, regions: true });
      return rows
        .filter((j) => inYear(j.id))
        .map((j) => {
          const year = asOfYear(j, directory.juniorSchools.get(j.id));
          return { ...year, region: regionOfYear(directory, year.regionCode, { ...j.region, code: year.regionCode }) };
        });
    },

    /** Sets a junior school's quota weight for a year (and globally when it is the newest). */
    async setJuniorWeight(cycleId: string, id: string, weightPercent: number) {
      const current = await findJuniorSchool(id, cycleId);
      if (!current) throw new Error(`junior school ${id} not found`);
      const { id: _id, ...fields } = { ...current, weightPercent };
      await db.cycleJuniorSchool.upsert({ where: { cycleId_id: { cycleId, id } }, create: { cycleId, id, ...fields }, update: { weightPercent } });
      if (await isNewestCycle(cycleId)) await db.juniorSchool.update({ where: { id }, data: { weightPercent } });
      return { ...current, weightPercent };
    },

    /** Changes a high school's ownership, scope or quality for a year (and globally when it is the newest). */
    async updateHighSchool(cycleId: string, id: string, data: Partial<Pick<HighSchoolRow, 'ownership' | 'scope' | 'quality'>>) {
      const current = await findHighSchool(id, cycleId);
      if (!current) throw new Error(`high school ${id} not found`);
      const { id: _id, ...fields } = { ...current, ...data };
      await db.cycleHighSchool.upsert({ where: { cycleId_id: { cycleId, id } }, create: { cycleId, id, ...fields }, update: data });
      if (await isNewestCycle(cycleId)) await db.highSchool.update({ where: { id }, data });
      return { ...current, ...data };
    },

    async upsertRegions(cycleId: string, rows: readonly RegionRow[]): Promise<void> {
      const newest = await isNewestCycle(cycleId);
      for (const { code, ...data } of rows) {
        await db.cycleRegion.upsert({ where: { cycleId_code: { cycleId, code } }, create: { cycleId, code, ...data }, update: data });
        if (newest) await db.region.upsert({ where: { code }, create: { code, ...data }, update: data });
      }
      if (!newest && rows.length > 0) await db.region.createMany({ data: rows.map((r) => ({ ...r })), skipDuplicates: true });
    },

    async upsertJuniorSchools(cycleId: string, rows: readonly JuniorSchoolRow[]): Promise<void> {
      const newest = await isNewestCycle(cycleId);
      for (const { id, ...data } of rows) {
        await db.cycleJuniorSchool.upsert({ where: { cycleId_id: { cycleId, id } }, create: { cycleId, id, ...data }, update: data });
        if (newest) await db.juniorSchool.upsert({ where: { id }, create: { id, ...data }, update: data });
      }
      if (!newest && rows.length > 0) await db.juniorSchool.createMany({ data: rows.map((r) => ({ ...r })), skipDuplicates: true });
    },

    async upsertHighSchools(cycleId: string, rows: readonly HighSchoolRow[]): Promise<void> {
      const newest = await isNewestCycle(cycleId);
      for (const { id, ...data } of rows) {
        await db.cycleHighSchool.upsert({ where: { cycleId_id: { cycleId, id } }, create: { cycleId, id, ...data }, update: data });
        if (newest) await db.highSchool.upsert({ where: { id }, create: { id, ...data }, update: data });
      }
      if (!newest && rows.length > 0) await db.highSchool.createMany({ data: rows.map((r) => ({ ...r })), skipDuplicates: true });
    },

    /**
     * A new year starts with the directory of `fromCycleId` (last year's
     * schools, which its imports then replace or extend). Without a previous
     * year, it starts from the global rows.
     */
    async copyYear(fromCycleId: string | null, toCycleId: string): Promise<void> {
      if (fromCycleId) {
        await db.$executeRaw`INSERT INTO "CycleRegion" ("cycleId", code, name, "nameEn", "adminCode", rural)
          SELECT ${toCycleId}, code, name, "nameEn", "adminCode", rural FROM "CycleRegion" WHERE "cycleId" = ${fromCycleId} ON CONFLICT DO NOTHING`;
        await db.$executeRaw`INSERT INTO "CycleJuniorSchool" ("cycleId", id, name, "regionCode", graduates, rural, "weightPercent")
          SELECT ${toCycleId}, id, name, "regionCode", graduates, rural, "weightPercent" FROM "CycleJuniorSchool" WHERE "cycleId" = ${fromCycleId} ON CONFLICT DO NOTHING`;
        await db.$executeRaw`INSERT INTO "CycleHighSchool" ("cycleId", id, name, "regionCode", ownership, scope, quality)
          SELECT ${toCycleId}, id, name, "regionCode", ownership, scope, quality FROM "CycleHighSchool" WHERE "cycleId" = ${fromCycleId} ON CONFLICT DO NOTHING`;
        return;
      }
      await db.$executeRaw`INSERT INTO "CycleRegion" ("cycleId", code, name, "nameEn", "adminCode", rural)
        SELECT ${toCycleId}, code, name, "nameEn", "adminCode", rural FROM "Region" ON CONFLICT DO NOTHING`;
      await db.$executeRaw`INSERT INTO "CycleJuniorSchool" ("cycleId", id, name, "regionCode", graduates, rural, "weightPercent")
        SELECT ${toCycleId}, id, name, "regionCode", graduates, rural, "weightPercent" FROM "JuniorSchool" ON CONFLICT DO NOTHING`;
      await db.$executeRaw`INSERT INTO "CycleHighSchool" ("cycleId", id, name, "regionCode", ownership, scope, quality)
        SELECT ${toCycleId}, id, name, "regionCode", ownership, scope, quality FROM "HighSchool" ON CONFLICT DO NOTHING`;
    },
  };
}
