import { isCityBureau, type Actor, type Role } from './actor';

/**
 * Who may issue activation codes for whom: pure predicates, tested without I/O.
 *
 * - the city bureau (市教育局): anyone;
 * - a county bureau: the accounts of its region: its junior and high schools,
 *   kindergartens and the students of its junior schools (never bureau or auditor accounts);
 * - a junior school (初中): its own students only;
 * - nobody else.
 */

/** An account as the issuing rules see it, resolved from the current records. */
export interface AccountRef {
  username: string;
  role: Role;
  /**
   * The region the account belongs to: a school's region, the region of a
   * student's junior school, a county bureau's region; null for the city
   * bureau and auditors.
   */
  regionCode: string | null;
  /** A student's junior school (a junior school account: the school itself). */
  juniorSchoolId: string | null;
}

/** Groups of accounts issued together by role: high schools, junior schools, county bureaus. */
export const ISSUE_ROLES = ['high', 'junior', 'county'] as const;
export type IssueRole = (typeof ISSUE_ROLES)[number];

/** Whether the caller's role may issue codes at all. */
export function canIssueActivationCodes(actor: Actor): boolean {
  return actor.role === 'bureau' || (actor.role === 'junior' && actor.juniorSchoolId !== null);
}

/** Whether `actor` may issue a code for `account`. */
export function canIssueActivationCodeFor(actor: Actor, account: AccountRef): boolean {
  if (isCityBureau(actor)) return true;
  if (actor.role === 'bureau') {
    // Kindergartens (issue 18) are filed with the county bureau of their region too.
    const regional = account.role === 'junior' || account.role === 'high' || account.role === 'student' || account.role === 'kindergarten';
    return regional && account.regionCode !== null && account.regionCode === actor.regionCode;
  }
  if (actor.role === 'junior') {
    return account.role === 'student' && actor.juniorSchoolId !== null && account.juniorSchoolId === actor.juniorSchoolId;
  }
  return false;
}

/** Whether `actor` may issue codes for every student of a junior school. */
export function canIssueForJuniorSchool(actor: Actor, school: { id: string; regionCode: string }): boolean {
  if (isCityBureau(actor)) return true;
  if (actor.role === 'bureau') return actor.regionCode === school.regionCode;
  return actor.role === 'junior' && actor.juniorSchoolId === school.id;
}

/**
 * Whether `actor` may issue codes for every account of a role, and in which
 * region: the city bureau city-wide (null), a county bureau for the schools
 * of its region; false for everyone else (and for county bureaus asking for
 * county bureau accounts).
 */
export function issueRoleScope(actor: Actor, role: IssueRole): { regionCode: string | null } | false {
  if (isCityBureau(actor)) return { regionCode: null };
  if (actor.role === 'bureau' && actor.regionCode && role !== 'county') return { regionCode: actor.regionCode };
  return false;
}
