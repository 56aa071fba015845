import type { Db } from './index';

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
 */
export function createSchoolRepository(db: Db) {
  return {
    async regionCodes(): Promise<Set<string>> {
      return new Set((await db.region.findMany({ select: { code: true } })).map((r) => r.code));
    },

    async juniorSchoolRegions(): Promise<Map<string, { regionCode: string }>> {
      const rows = await db.juniorSchool.findMany({ select: { id: true, regionCode: true } });
      return new Map(rows.map((r) => [r.id, { regionCode: r.regionCode }]));
    },

    listJuniorSchools() {
      return db.juniorSchool.findMany({ orderBy: { id: 'asc' }, include: { region: { select: { code: true, name: true, nameEn: true } } } });
    },

    findJuniorSchool(id: string) {
      return db.juniorSchool.findUnique({ where: { id } });
    },

    setJuniorWeight(id: string, weightPercent: number) {
      return db.juniorSchool.update({ where: { id }, data: { weightPercent } });
    },

    findHighSchool(id: string) {
      return db.highSchool.findUnique({ where: { id } });
    },

    updateHighSchool(id: string, data: Partial<Pick<HighSchoolRow, 'ownership' | 'scope' | 'quality'>>) {
      return db.highSchool.update({ where: { id }, data });
    },

    async upsertRegions(rows: readonly RegionRow[]): Promise<void> {
      for (const { code, ...data } of rows) await db.region.upsert({ where: { code }, create: { code, ...data }, update: data });
    },

    async upsertJuniorSchools(rows: readonly JuniorSchoolRow[]): Promise<void> {
      for (const { id, ...data } of rows) await db.juniorSchool.upsert({ where: { id }, create: { id, ...data }, update: data });
    },

    async upsertHighSchools(rows: readonly HighSchoolRow[]): Promise<void> {
      for (const { id, ...data } of rows) await db.highSchool.upsert({ where: { id }, create: { id, ...data }, update: data });
    },
  };
}
