import type { Db } from './index';
import { loadYearRounds } from './year-placements';

/**
 * 报到/学籍注册 records. Looks students up city-wide by exam number (a school
 * types numbers of students it does not yet see), but returns a school only
 * its own registrations.
 */
export function createRegistrationRepository(db: Db) {
  return {
    studentsByExamNo(cycleId: string, examNos: string[]) {
      return db.student.findMany({ where: { cycleId, examNo: { in: examNos } }, select: { id: true, examNo: true, name: true } });
    },

    /** Where these students stand in the year: published round 1 (with answers) and 补录 (server/repositories/year-placements.ts). */
    yearRounds(cycleId: string, studentIds: string[]) {
      return loadYearRounds(db, cycleId, { studentIds });
    },

    /** Students this school has already registered (accepted) in a cycle, among `studentIds`. */
    async registeredIds(cycleId: string, highSchoolId: string, studentIds: string[]): Promise<Set<string>> {
      const rows = await db.enrollmentRegistration.findMany({
        where: { cycleId, highSchoolId, accepted: true, studentId: { in: studentIds } },
        select: { studentId: true },
      });
      return new Set(rows.map((r) => r.studentId!));
    },

    createMany(
      rows: {
        cycleId: string;
        highSchoolId: string;
        examNo: string;
        studentId: string | null;
        source: 'manual' | 'import';
        accepted: boolean;
        rejectionReason: string | null;
        createdBy: string;
        registeredAt: Date;
      }[],
    ) {
      return db.enrollmentRegistration.createMany({ data: rows });
    },

    /** A school's registrations in a cycle, newest first; a refused one shows no student name. */
    listForSchool(cycleId: string, highSchoolId: string) {
      return db.enrollmentRegistration.findMany({
        where: { cycleId, highSchoolId },
        select: {
          id: true,
          examNo: true,
          accepted: true,
          rejectionReason: true,
          source: true,
          registeredAt: true,
          student: { select: { name: true } },
        },
        orderBy: [{ registeredAt: 'desc' }, { id: 'asc' }],
        take: 5_000,
      });
    },
  };
}

export type RegistrationRepository = ReturnType<typeof createRegistrationRepository>;
