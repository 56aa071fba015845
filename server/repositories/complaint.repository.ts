import type { Db } from './index';

export interface NewComplaint {
  cycleId: string | null;
  highSchoolId: string | null;
  schoolName: string;
  studentName: string | null;
  contact: string;
  description: string;
  createdAt: Date;
}

/** Reports from the public form. */
export function createComplaintRepository(db: Db) {
  return {
    create(data: NewComplaint) {
      return db.complaint.create({ data, select: { id: true, cycleId: true, highSchoolId: true, schoolName: true, createdAt: true } });
    },

    /** A high school by id, to check what the family picked. */
    findHighSchool(id: string) {
      return db.highSchool.findUnique({ where: { id }, select: { id: true, name: true, regionCode: true, scope: true } });
    },

    /** A cycle's reports about one school (or the one report, when no school was picked). */
    listForFlag(cycleId: string, target: { highSchoolId: string } | { complaintId: string }) {
      return db.complaint.findMany({
        where: { cycleId, ...('highSchoolId' in target ? { highSchoolId: target.highSchoolId } : { id: target.complaintId }) },
        select: { id: true, highSchoolId: true, schoolName: true, studentName: true, description: true, createdAt: true },
      });
    },

    /** The schools a family may pick from (public information). */
    listHighSchools() {
      return db.highSchool.findMany({ select: { id: true, name: true, regionCode: true }, orderBy: { id: 'asc' } });
    },
  };
}

export type ComplaintRepository = ReturnType<typeof createComplaintRepository>;
