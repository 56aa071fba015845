import { bureauCoversRegion, type Actor } from './actor';

/** What the policies need to know about a student. */
export interface StudentRef {
  id: string;
  juniorSchoolId: string | null;
  regionCode: string | null;
  /**
   * High schools with a legitimate interest in the student: the ones the
   * student applied to, was admitted to, or that registered the student.
   */
  highSchoolIds: readonly string[];
}

/**
 * A student's personal data (scores, choices, results): the student, their
 * junior school, a high school the student applied to or was placed at, the
 * bureau covering the student's region, inspectors.
 */
export function canReadStudent(actor: Actor, student: StudentRef): boolean {
  switch (actor.role) {
    case 'student':
      return actor.studentId != null && actor.studentId === student.id;
    case 'junior':
      return actor.juniorSchoolId != null && actor.juniorSchoolId === student.juniorSchoolId;
    case 'high':
      return actor.highSchoolId != null && student.highSchoolIds.includes(actor.highSchoolId);
    case 'bureau':
      return bureauCoversRegion(actor, student.regionCode);
    case 'auditor':
      return true;
    case 'kindergarten':
      return false;
  }
}

/** Only the student (or family) fills in, changes and confirms their own choices. */
export function canActAsStudent(actor: Actor, studentId: string): boolean {
  return actor.role === 'student' && actor.studentId != null && actor.studentId === studentId;
}
