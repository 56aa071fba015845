/**
 * Who is calling: the authenticated user as the policies see it. Built by the
 * `authenticate` middleware from the user row (not from the token alone, so a
 * changed role or school takes effect at once).
 */
export const ROLES = ['student', 'junior', 'high', 'bureau', 'auditor', 'kindergarten'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  id: string;
  role: Role;
  /** The high school a `high` user works for. */
  highSchoolId: string | null;
  /** The junior school (初中) a `junior` user works for. */
  juniorSchoolId: string | null;
  /** The student record of a `student` user. */
  studentId: string | null;
  /** For a `bureau` user: the county bureau's region; null for the city bureau (市教育局). */
  regionCode: string | null;
  /** The kindergarten a `kindergarten` user works for (issue 18); absent on older callers. */
  kindergartenId?: string | null;
}

/** The city bureau sees and manages the whole city; a county bureau only its region. */
export function isCityBureau(actor: Pick<Actor, 'role' | 'regionCode'>): boolean {
  return actor.role === 'bureau' && !actor.regionCode;
}

/** Whether a bureau user's remit covers a region (city bureau: every region). */
export function bureauCoversRegion(actor: Actor, regionCode: string | null | undefined): boolean {
  if (actor.role !== 'bureau') return false;
  if (!actor.regionCode) return true;
  return regionCode != null && actor.regionCode === regionCode;
}
