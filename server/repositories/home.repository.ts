import type { SchoolScope, StudentScope } from '../policies';
import type { Db } from './index';
import { highSchoolWhere, juniorSchoolWhere, studentWhere } from './scope-where';

const regionSelect = { select: { code: true, name: true, nameEn: true } } as const;

/** Reads behind the role home pages; every query takes the caller's scope. */
export function createHomeRepository(db: Db) {
  return {
    /** The student record (never the ID number), if within scope. */
    findStudent(scope: StudentScope, studentId: string) {
      return db.student.findFirst({
        where: { AND: [{ id: studentId }, studentWhere(scope)] },
        select: {
          id: true,
          examNo: true,
          name: true,
          juniorSchool: { select: { id: true, name: true } },
          region: regionSelect,
          cycle: { select: { year: true, name: true } },
        },
      });
    },

    findJuniorSchool(scope: SchoolScope, juniorSchoolId: string) {
      return db.juniorSchool.findFirst({
        where: { AND: [{ id: juniorSchoolId }, juniorSchoolWhere(scope)] },
        select: { id: true, name: true, graduates: true, rural: true, region: regionSelect, _count: { select: { students: true } } },
      });
    },

    findHighSchool(scope: SchoolScope, highSchoolId: string) {
      return db.highSchool.findFirst({
        where: { AND: [{ id: highSchoolId }, highSchoolWhere(scope)] },
        select: { id: true, name: true, ownership: true, scope: true, quality: true, region: regionSelect },
      });
    },

    findRegion(code: string) {
      return db.region.findUnique({ where: { code }, select: { code: true, name: true, nameEn: true } });
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
