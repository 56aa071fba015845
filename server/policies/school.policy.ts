import { bureauCoversRegion, type Actor } from './actor';

/** What the policies need to know about a school. */
export interface SchoolRef {
  id: string;
  regionCode: string | null;
}

/**
 * Internal data of a high school (admission list, registrations, plan drafts):
 * its own staff, the bureau covering its region, inspectors.
 */
export function canReadHighSchool(actor: Actor, school: SchoolRef): boolean {
  switch (actor.role) {
    case 'high':
      return actor.highSchoolId != null && actor.highSchoolId === school.id;
    case 'bureau':
      return bureauCoversRegion(actor, school.regionCode);
    case 'auditor':
      return true;
    default:
      return false;
  }
}

/** Changing a high school's data (plan, registrations): its own staff or the bureau covering it; never inspectors. */
export function canManageHighSchool(actor: Actor, school: SchoolRef): boolean {
  if (actor.role === 'high') return actor.highSchoolId != null && actor.highSchoolId === school.id;
  if (actor.role === 'bureau') return bureauCoversRegion(actor, school.regionCode);
  return false;
}

/**
 * Deciding on a plan change (it edits the plan): the city bureau; a county
 * bureau only for a region-scope school of its region, never a city-scope
 * school it cannot edit.
 */
export function canDecidePlanChange(actor: Actor, school: SchoolRef & { scope: 'city' | 'region' }): boolean {
  if (actor.role !== 'bureau') return false;
  if (!actor.regionCode) return true;
  return school.scope === 'region' && bureauCoversRegion(actor, school.regionCode);
}

/** Internal data of a junior school (its students' applications, quota seats): its staff, the bureau, inspectors. */
export function canReadJuniorSchool(actor: Actor, school: SchoolRef): boolean {
  switch (actor.role) {
    case 'junior':
      return actor.juniorSchoolId != null && actor.juniorSchoolId === school.id;
    case 'bureau':
      return bureauCoversRegion(actor, school.regionCode);
    case 'auditor':
      return true;
    default:
      return false;
  }
}
