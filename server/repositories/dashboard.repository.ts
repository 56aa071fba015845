import type { DashboardInputs } from '../domain/dashboard/indicators';
import { yearOfStudents, type YearRules } from '../domain/admissions/year-placements';
import type { Db } from './index';
import { loadYearRounds } from './year-placements';
import { asOfYear, loadYearDirectory, yearMembership, type YearDirectory } from './year-directory';

export type DashboardRows = Omit<DashboardInputs, 'quotaShare'> & {
  /** The latest published round (补录 once published, else round 1); placements are the year as it stands. */
  roundId: string | null;
  /** Students of other regions placed at the region's schools. */
  visitors: DashboardInputs['students'][number][];
  /** Schools of other regions that took the region's students. */
  outsideSchools: DashboardInputs['highSchools'][number][];
};

/**
 * Reads behind the oversight dashboard for one cycle. `regionCode` (a county
 * bureau) limits every list to that region: its students, schools, junior
 * schools, and the placements of its students or at its schools. Names,
 * regions, ownership and scope are those of the cycle (its CycleRegion,
 * CycleHighSchool, CycleJuniorSchool rows), and a school first set up in a
 * later year is not listed in an earlier one.
 */
export function createDashboardRepository(db: Db) {
  /** Rows as they stood in the year, without those that did not belong to it. */
  function ofYear<R extends { id: string }>(rows: R[], byId: Map<string, object>, inYear: (id: string) => boolean): R[] {
    return rows.filter((r) => inYear(r.id)).map((r) => asOfYear(r, byId.get(r.id)));
  }

  function regionsOfYear<R extends { code: string }>(rows: R[], year: YearDirectory): R[] {
    return rows.map((r) => asOfYear(r, year.regions.get(r.code)));
  }

  return {
    /**
     * `rules` say how a round-1 seat stands (the policy's silence rule, and
     * whether the confirmation window is over): placements are the seats held
     * as the year stands, round 1's kept seats plus 补录's.
     */
    async loadInputs(cycleId: string, regionCode: string | null, rules: YearRules): Promise<DashboardRows> {
      const inRegion = regionCode ? { regionCode } : {};
      const [year, highInYear, juniorInYear] = await Promise.all([
        loadYearDirectory(db, cycleId, { regions: true, highSchools: true, juniorSchools: true }),
        yearMembership(db, cycleId, 'highSchools'),
        yearMembership(db, cycleId, 'juniorSchools'),
      ]);
      const [regions, students, highSchools, juniorSchools, plans, quotas, rounds] = await Promise.all([
        db.region.findMany({ where: regionCode ? { code: regionCode } : {}, select: { code: true, name: true, nameEn: true }, orderBy: { code: 'asc' } }),
        db.student.findMany({ where: { cycleId, ...inRegion }, select: { id: true, regionCode: true, juniorSchoolId: true, total: true } }),
        db.highSchool.findMany({
          where: inRegion,
          select: { id: true, name: true, regionCode: true, ownership: true, scope: true, quality: true },
          orderBy: { id: 'asc' },
        }),
        db.juniorSchool.findMany({ where: inRegion, select: { id: true, name: true, regionCode: true }, orderBy: { id: 'asc' } }),
        db.highSchoolPlan.findMany({ where: { cycleId, highSchool: inRegion }, select: { highSchoolId: true, capacity: true, classes: true } }),
        db.quotaAllocation.findMany({
          where: { cycleId, ...(regionCode ? { OR: [{ highSchool: inRegion }, { juniorSchool: inRegion }] } : {}) },
          select: { highSchoolId: true, juniorSchoolId: true, seats: true },
        }),
        loadYearRounds(db, cycleId, regionCode ? { regionCode } : {}),
      ]);
      const held = [...yearOfStudents(rounds.rows, rules).values()].flatMap((y) => (y.holds ? [{ studentId: y.studentId, ...y.holds }] : []));
      // In a county, a visitor's seat counts only where it is at one of the county's schools.
      const known = new Set(students.map((s) => s.id));
      const ownSchools = new Set(highSchools.map((h) => h.id));
      const heldHere = regionCode ? held.filter((p) => known.has(p.studentId) || ownSchools.has(p.highSchoolId)) : held;
      const visitorIds = heldHere.filter((p) => !known.has(p.studentId)).map((p) => p.studentId);
      const visitorRows = visitorIds.length
        ? await db.student.findMany({ where: { id: { in: visitorIds } }, select: { id: true, regionCode: true, juniorSchoolId: true, total: true } })
        : [];
      const placements = heldHere;
      // Students placed at the region's schools from elsewhere count in cutoffs and flows too.
      const yearRegions = regionsOfYear(regions, year);
      const yearHighSchools = ofYear(highSchools, year.highSchools, highInYear);
      const yearJuniorSchools = ofYear(juniorSchools, year.juniorSchools, juniorInYear);
      const visitors = visitorRows;
      // Schools elsewhere that took the region's students, for the flows.
      const schoolIds = new Set(yearHighSchools.map((h) => h.id));
      const missing = [...new Set(placements.map((p) => p.highSchoolId).filter((id) => !schoolIds.has(id)))];
      const outside = missing.length
        ? await db.highSchool.findMany({ where: { id: { in: missing } }, select: { id: true, name: true, regionCode: true, ownership: true, scope: true, quality: true } })
        : [];
      return {
        roundId: (rounds.supplementary ?? rounds.main)?.id ?? null,
        regions: yearRegions,
        students,
        highSchools: yearHighSchools,
        juniorSchools: yearJuniorSchools,
        plans,
        quotas,
        placements: placements.map((p) => ({ studentId: p.studentId, highSchoolId: p.highSchoolId, seat: p.seat })),
        visitors,
        outsideSchools: outside.map((h) => asOfYear(h, year.highSchools.get(h.id))),
      };
    },

    /** All region names as they stood in the year (flows name regions outside a county's own). */
    async listRegions(cycleId: string) {
      const [rows, year] = await Promise.all([
        db.region.findMany({ select: { code: true, name: true, nameEn: true }, orderBy: { code: 'asc' } }),
        loadYearDirectory(db, cycleId, { regions: true }),
      ]);
      return regionsOfYear(rows, year);
    },
  };
}

export type DashboardRepository = ReturnType<typeof createDashboardRepository>;
