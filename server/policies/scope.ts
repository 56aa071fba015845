import type { Actor } from './actor';

/**
 * Row-level scopes: which students, high schools or junior schools a caller's
 * queries may return. Repositories translate a scope into a WHERE clause, so
 * every list is filtered by the caller and not only by the route.
 * `none` means the query must return nothing.
 */
export type StudentScope =
  | { kind: 'all' }
  | { kind: 'region'; regionCode: string }
  | { kind: 'juniorSchool'; juniorSchoolId: string }
  | { kind: 'highSchool'; highSchoolId: string }
  | { kind: 'student'; studentId: string }
  | { kind: 'none' };

export type SchoolScope = { kind: 'all' } | { kind: 'region'; regionCode: string } | { kind: 'school'; schoolId: string } | { kind: 'none' };

/** Students a caller may see; a high school sees those who applied to it or were placed there. */
export function studentScope(actor: Actor): StudentScope {
  switch (actor.role) {
    case 'auditor':
      return { kind: 'all' };
    case 'bureau':
      return actor.regionCode ? { kind: 'region', regionCode: actor.regionCode } : { kind: 'all' };
    case 'junior':
      return actor.juniorSchoolId ? { kind: 'juniorSchool', juniorSchoolId: actor.juniorSchoolId } : { kind: 'none' };
    case 'high':
      return actor.highSchoolId ? { kind: 'highSchool', highSchoolId: actor.highSchoolId } : { kind: 'none' };
    case 'student':
      return actor.studentId ? { kind: 'student', studentId: actor.studentId } : { kind: 'none' };
    case 'kindergarten':
      return { kind: 'none' };
  }
}

/** High schools whose internal data a caller may see (published plans are public and need no scope). */
export function highSchoolScope(actor: Actor): SchoolScope {
  switch (actor.role) {
    case 'auditor':
      return { kind: 'all' };
    case 'bureau':
      return actor.regionCode ? { kind: 'region', regionCode: actor.regionCode } : { kind: 'all' };
    case 'high':
      return actor.highSchoolId ? { kind: 'school', schoolId: actor.highSchoolId } : { kind: 'none' };
    default:
      return { kind: 'none' };
  }
}

/** Junior schools whose internal data a caller may see. */
export function juniorSchoolScope(actor: Actor): SchoolScope {
  switch (actor.role) {
    case 'auditor':
      return { kind: 'all' };
    case 'bureau':
      return actor.regionCode ? { kind: 'region', regionCode: actor.regionCode } : { kind: 'all' };
    case 'junior':
      return actor.juniorSchoolId ? { kind: 'school', schoolId: actor.juniorSchoolId } : { kind: 'none' };
    default:
      return { kind: 'none' };
  }
}

/**
 * The region an oversight reader is held to: a county bureau's region; null
 * for the city bureau and inspectors, who see the whole city. Lists of flags,
 * kindergarten filings, round comparisons and the dashboard filter by it.
 */
export function oversightRegion(actor: Actor): string | null {
  return actor.role === 'bureau' ? actor.regionCode : null;
}
