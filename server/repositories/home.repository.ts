import type { SchoolScope, StudentScope } from '../policies';
import type { Db } from './index';
import { highSchoolWhere, juniorSchoolWhere, studentWhere } from './scope-where';
import { asOfYear, loadYearDirectory, regionOfYear } from './year-directory';

const regionSelect = { select: { code: true, name: true, nameEn: true } } as const;

/**
 * Reads behind the role home pages; every query takes the caller's scope.
 * Names are those of a year: the student's own, else the current cycle's.
 */
export function createHomeRepository(db: Db) {
  /** The current cycle (newest active), whose names a school's or region's home shows. */
  async function currentCycleId(): Promise<string | null> {
    const cycle = await db.cycle.findFirst({ where: { status: 'active' }, orderBy: { year: 'desc' }, select: { id: true } });
    return cycle?.id ?? null;
  }

  return {
    /** The student record (never the ID number), if within scope. */
    async findStudent(scope: StudentScope, studentId: string) {
      const student = await db.student.findFirst({
        where: { AND: [{ id: studentId }, studentWhere(scope)] },
        select: {
          id: true,
          examNo: true,
          name: true,
          juniorSchool: { select: { id: true, name: true } },
          region: regionSelect,
          cycleId: true,
          cycle: { select: { year: true, name: true } },
        },
      });
      if (!student) return null;
      const { cycleId, ...rest } = student;
      const year = await loadYearDirectory(db, cycleId, { juniorSchools: [rest.juniorSchool.id], regions: [rest.region.code] });
      return { ...rest, juniorSchool: asOfYear(rest.juniorSchool, year.juniorSchools.get(rest.juniorSchool.id)), region: regionOfYear(year, rest.region.code, rest.region) };
    },

    async findJuniorSchool(scope: SchoolScope, juniorSchoolId: string) {
      const school = await db.juniorSchool.findFirst({
        where: { AND: [{ id: juniorSchoolId }, juniorSchoolWhere(scope)] },
        select: { id: true, name: true, graduates: true, rural: true, regionCode: true, region: regionSelect, _count: { select: { students: true } } },
      });
      if (!school) return null;
      const cycleId = await currentCycleId();
      const year = cycleId ? await loadYearDirectory(db, cycleId, { juniorSchools: [school.id], regions: true }) : null;
      const { regionCode, ...asOf } = asOfYear(school, year?.juniorSchools.get(school.id));
      return { ...asOf, region: year ? regionOfYear(year, regionCode, { ...school.region, code: regionCode }) : school.region };
    },

    async findHighSchool(scope: SchoolScope, highSchoolId: string) {
      const school = await db.highSchool.findFirst({
        where: { AND: [{ id: highSchoolId }, highSchoolWhere(scope)] },
        select: { id: true, name: true, ownership: true, scope: true, quality: true, regionCode: true, region: regionSelect },
      });
      if (!school) return null;
      const cycleId = await currentCycleId();
      const year = cycleId ? await loadYearDirectory(db, cycleId, { highSchools: [school.id], regions: true }) : null;
      const { regionCode, ...asOf } = asOfYear(school, year?.highSchools.get(school.id));
      return { ...asOf, region: year ? regionOfYear(year, regionCode, { ...school.region, code: regionCode }) : school.region };
    },

    async findRegion(code: string) {
      const [region, cycleId] = await Promise.all([db.region.findUnique({ where: { code }, select: { code: true, name: true, nameEn: true } }), currentCycleId()]);
      if (!region || !cycleId) return region;
      return regionOfYear(await loadYearDirectory(db, cycleId, { regions: [code] }), code, region);
    },

    /** How many schools and students a caller's scopes cover. */
    async countWithin(scopes: { students: StudentScope; highSchools: SchoolScope; juniorSchools: SchoolScope }) {
      const [students, highSchools, juniorSchools] = await Promise.all([
        db.student.count({ where: studentWhere(scopes.students) }),
        db.highSchool.count({ where: highSchoolWhere(scopes.highSchools) }),
        db.juniorSchool.count({ where: juniorSchoolWhere(scopes.juniorSchools) }),
      ]);
      return { students, highSchools, juniorSchools };
    },

    countAuditEntries(): Promise<number> {
      return db.auditLog.count();
    },
  };
}

export type HomeRepository = ReturnType<typeof createHomeRepository>;
