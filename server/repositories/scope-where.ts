import type { Prisma } from '../db';
import type { SchoolScope, StudentScope } from '../policies';

/**
 * Translations of the pure scopes (server/policies/scope.ts) into Prisma
 * filters. Every repository query that returns a student's or a school's data
 * ANDs one of these into its WHERE clause.
 */

const NOTHING = { in: [] as string[] };

/** Students within a scope. A high school's students are those placed at it in a round or registered by it. */
export function studentWhere(scope: StudentScope): Prisma.StudentWhereInput {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'region':
      return { regionCode: scope.regionCode };
    case 'juniorSchool':
      return { juniorSchoolId: scope.juniorSchoolId };
    case 'highSchool':
      return {
        OR: [
          { assignments: { some: { highSchoolId: scope.highSchoolId } } },
          { registrations: { some: { highSchoolId: scope.highSchoolId } } },
        ],
      };
    case 'student':
      return { id: scope.studentId };
    case 'none':
      return { id: NOTHING };
  }
}

export function highSchoolWhere(scope: SchoolScope): Prisma.HighSchoolWhereInput {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'region':
      return { regionCode: scope.regionCode };
    case 'school':
      return { id: scope.schoolId };
    case 'none':
      return { id: NOTHING };
  }
}

export function juniorSchoolWhere(scope: SchoolScope): Prisma.JuniorSchoolWhereInput {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'region':
      return { regionCode: scope.regionCode };
    case 'school':
      return { id: scope.schoolId };
    case 'none':
      return { id: NOTHING };
  }
}
