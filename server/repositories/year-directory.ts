import type { Db } from './index';

/**
 * The city's directory (regions, junior and high schools) as it stood in one
 * cycle (招生年度): the CycleRegion / CycleJuniorSchool / CycleHighSchool rows.
 * The global rows are the identity every foreign key points at and hold the
 * newest attributes; what a year shows (names, region, scope, ownership)
 * comes from that year's own rows, so importing a later year never rewrites
 * a finished one. A school with no row in a year (made before years were kept
 * apart, or by a test factory) keeps its global attributes.
 */

export interface YearRegion {
  code: string;
  name: string;
  nameEn: string;
  adminCode: string | null;
  rural: boolean;
}

export interface YearJuniorSchool {
  id: string;
  name: string;
  regionCode: string;
  graduates: number;
  rural: boolean;
  weightPercent: number;
}

export interface YearHighSchool {
  id: string;
  name: string;
  regionCode: string;
  ownership: 'public' | 'private';
  scope: 'city' | 'region';
  quality: boolean;
}

export interface YearDirectory {
  regions: Map<string, YearRegion>;
  juniorSchools: Map<string, YearJuniorSchool>;
  highSchools: Map<string, YearHighSchool>;
}

/** Which rows to read: `true` for all of the year, a list for those ids only, absent for none. */
export interface YearDirectoryWanted {
  regions?: true | readonly string[];
  juniorSchools?: true | readonly string[];
  highSchools?: true | readonly string[];
}

const idFilter = (wanted: true | readonly string[]) => (wanted === true ? {} : { in: [...new Set(wanted)] });

/** The year's rows of the tables asked for, keyed by id (regions by code). */
export async function loadYearDirectory(db: Db, cycleId: string, wanted: YearDirectoryWanted): Promise<YearDirectory> {
  const skip = <T>(): Promise<T[]> => Promise.resolve([]);
  const [regions, juniorSchools, highSchools] = await Promise.all([
    wanted.regions
      ? db.cycleRegion.findMany({ where: { cycleId, code: idFilter(wanted.regions) }, select: { code: true, name: true, nameEn: true, adminCode: true, rural: true } })
      : skip<YearRegion>(),
    wanted.juniorSchools
      ? db.cycleJuniorSchool.findMany({
          where: { cycleId, id: idFilter(wanted.juniorSchools) },
          select: { id: true, name: true, regionCode: true, graduates: true, rural: true, weightPercent: true },
        })
      : skip<YearJuniorSchool>(),
    wanted.highSchools
      ? db.cycleHighSchool.findMany({
          where: { cycleId, id: idFilter(wanted.highSchools) },
          select: { id: true, name: true, regionCode: true, ownership: true, scope: true, quality: true },
        })
      : skip<YearHighSchool>(),
  ]);
  return {
    regions: new Map(regions.map((r) => [r.code, r])),
    juniorSchools: new Map(juniorSchools.map((j) => [j.id, j])),
    highSchools: new Map(highSchools.map((h) => [h.id, h])),
  };
}

/**
 * `row` with the attributes its year holds: every key of `row` that the
 * year's row also has takes the year's value; other keys (ids, nested
 * relations, counts) stay. Without a year row, `row` is returned as it is.
 */
export function asOfYear<T extends object>(row: T, yearRow: object | null | undefined): T {
  if (!yearRow) return row;
  const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  const source = yearRow as Record<string, unknown>;
  for (const key of Object.keys(out)) if (key !== 'cycleId' && key in source) out[key] = source[key];
  return out as T;
}

/**
 * Which schools (or regions) belong to a year: those with a row in it, and
 * those with no row in any year (kept as they were before years were apart).
 * A school first imported for a later year does not appear in an earlier one.
 */
export async function yearMembership(db: Db, cycleId: string, table: 'regions' | 'juniorSchools' | 'highSchools'): Promise<(id: string) => boolean> {
  const rows: { id: string; cycleId: string }[] =
    table === 'regions'
      ? (await db.cycleRegion.findMany({ select: { code: true, cycleId: true } })).map((r) => ({ id: r.code, cycleId: r.cycleId }))
      : table === 'juniorSchools'
        ? await db.cycleJuniorSchool.findMany({ select: { id: true, cycleId: true } })
        : await db.cycleHighSchool.findMany({ select: { id: true, cycleId: true } });
  const anyYear = new Set(rows.map((r) => r.id));
  const thisYear = new Set(rows.filter((r) => r.cycleId === cycleId).map((r) => r.id));
  return (id) => thisYear.has(id) || !anyYear.has(id);
}

/** A region's names in a year: its year row, else `fallback` (the global names). */
export function regionOfYear<R extends { name: string; nameEn: string }>(directory: YearDirectory, code: string, fallback: R): R {
  const year = directory.regions.get(code);
  return year ? { ...fallback, name: year.name, nameEn: year.nameEn } : fallback;
}
