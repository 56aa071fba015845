import type { Db } from './index';
import { asOfYear, loadYearDirectory, yearMembership } from './year-directory';

export interface NewComplaint {
  cycleId: string | null;
  highSchoolId: string | null;
  schoolName: string;
  studentName: string | null;
  contact: string;
  description: string;
  createdAt: Date;
  /** 举报编号, e.g. TS-7K4Q-92 (unique). */
  number: string;
}

/** Reports from the public form. */
export function createComplaintRepository(db: Db) {
  return {
    create(data: NewComplaint) {
      return db.complaint.create({ data, select: { id: true, number: true, cycleId: true, highSchoolId: true, schoolName: true, createdAt: true } });
    },

    /** A high school by id (as it stands in `cycleId`, the current cycle, when given), to check what the family picked. */
    async findHighSchool(id: string, cycleId?: string | null) {
      const school = await db.highSchool.findUnique({ where: { id }, select: { id: true, name: true, regionCode: true, scope: true } });
      if (!school || !cycleId) return school;
      return asOfYear(school, await db.cycleHighSchool.findUnique({ where: { cycleId_id: { cycleId, id } } }));
    },

    /** A cycle's reports about one school (or the one report, when no school was picked). */
    listForFlag(cycleId: string, target: { highSchoolId: string } | { complaintId: string }) {
      return db.complaint.findMany({
        where: { cycleId, ...('highSchoolId' in target ? { highSchoolId: target.highSchoolId } : { id: target.complaintId }) },
        select: { id: true, highSchoolId: true, schoolName: true, studentName: true, description: true, createdAt: true },
      });
    },

    /** The schools a family may pick from (public information): those of `cycleId` (the current cycle) as they stand in it. */
    async listHighSchools(cycleId?: string | null) {
      const rows = await db.highSchool.findMany({ select: { id: true, name: true, regionCode: true }, orderBy: { id: 'asc' } });
      if (!cycleId) return rows;
      const [year, inYear] = await Promise.all([loadYearDirectory(db, cycleId, { highSchools: true }), yearMembership(db, cycleId, 'highSchools')]);
      return rows.filter((h) => inYear(h.id)).map((h) => asOfYear(h, year.highSchools.get(h.id)));
    },
  };
}

export type ComplaintRepository = ReturnType<typeof createComplaintRepository>;
