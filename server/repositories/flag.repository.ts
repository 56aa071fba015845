import type { Prisma } from '../db';
import type { DetectedFlag, FlagInputs } from '../domain/flags';
import type { Db } from './index';
import { asOfYear, loadYearDirectory } from './year-directory';

/** What the flag list may be filtered by; `regionCode` also carries a county bureau's scope. */
export interface FlagFilter {
  cycleId?: string;
  rule?: DetectedFlag['rule'];
  severity?: DetectedFlag['severity'];
  status?: 'open' | 'confirmed' | 'dismissed';
  /** Regions the flag involves (school or student); several are ANDed. */
  regionCodes?: string[];
  highSchoolId?: string;
  /** Flags a complaint with this number (举报编号, normalized) belongs to. */
  complaintNumber?: string;
}

function flagWhere(filter: FlagFilter): Prisma.FlagWhereInput {
  return {
    AND: [
      filter.cycleId ? { cycleId: filter.cycleId } : {},
      filter.rule ? { rule: filter.rule } : {},
      filter.severity ? { severity: filter.severity } : {},
      filter.status ? { status: filter.status } : {},
      filter.highSchoolId ? { highSchoolIds: { has: filter.highSchoolId } } : {},
      filter.complaintNumber ? { complaints: { some: { number: filter.complaintNumber } } } : {},
      ...(filter.regionCodes ?? []).map((code) => ({ evidence: { path: ['regionCodes'], array_contains: [code] } })),
    ],
  };
}

/** Flags (suspected irregularities) and the inputs the detection rules read. */
export function createFlagRepository(db: Db) {
  return {
    /** Everything the rules need for one cycle, as plain data (no ID numbers). */
    async loadInputs(cycleId: string): Promise<Omit<FlagInputs, 'policy' | 'cycleId'>> {
      const [students, highSchools, quotas, rounds, registrations, history, complaints] = await Promise.all([
        db.student.findMany({
          where: { cycleId },
          select: { id: true, examNo: true, regionCode: true, juniorSchoolId: true, total: true, quotaEligible: true },
        }),
        // Region and scope as they stood in this year.
        db.highSchool
          .findMany({ select: { id: true, regionCode: true, scope: true } })
          .then(async (rows) => {
            const year = await loadYearDirectory(db, cycleId, { highSchools: true });
            return rows.map((h) => asOfYear(h, year.highSchools.get(h.id)));
          }),
        db.quotaAllocation.groupBy({ by: ['juniorSchoolId'], where: { cycleId }, _sum: { seats: true } }),
        db.round.findMany({
          where: { cycleId, status: 'published', kind: { in: ['main', 'supplementary'] } },
          select: {
            id: true,
            publishedAt: true,
            createdAt: true,
            assignments: { where: { highSchoolId: { not: null } }, select: { studentId: true, highSchoolId: true, seat: true } },
            confirmations: { select: { studentId: true, decision: true } },
          },
        }),
        db.enrollmentRegistration.findMany({
          where: { cycleId },
          select: { id: true, highSchoolId: true, examNo: true, studentId: true, registeredAt: true, accepted: true, rejectionReason: true },
        }),
        db.studentJuniorHistory.findMany({
          where: { student: { cycleId } },
          select: { studentId: true, juniorSchoolId: true, from: true, to: true },
        }),
        db.complaint.findMany({
          where: { cycleId },
          select: { id: true, highSchoolId: true, schoolName: true, studentName: true, description: true, createdAt: true },
        }),
      ]);
      return {
        students,
        highSchools,
        quotaSeatsByJuniorSchool: Object.fromEntries(quotas.map((q) => [q.juniorSchoolId, q._sum.seats ?? 0])),
        placements: rounds.flatMap((r) =>
          r.assignments.map((a) => ({ roundId: r.id, studentId: a.studentId, highSchoolId: a.highSchoolId!, seat: a.seat, publishedAt: r.publishedAt ?? r.createdAt })),
        ),
        confirmations: rounds.flatMap((r) => r.confirmations.map((c) => ({ roundId: r.id, studentId: c.studentId, decision: c.decision }))),
        registrations,
        history,
        complaints,
      };
    },

    /**
     * Inserts a flag or refreshes the evidence and severity of the one with
     * its key; a reviewed flag keeps its status, note and reviewer. Links the
     * complaints it is about. Returns whether it was new.
     */
    async upsert(cycleId: string, flag: DetectedFlag): Promise<{ id: string; created: boolean }> {
      const evidence = { ...flag.evidence, regionCodes: flag.regionCodes } as Prisma.InputJsonValue;
      const existing = await db.flag.findUnique({ where: { dedupeKey: flag.dedupeKey }, select: { id: true } });
      const row = existing
        ? await db.flag.update({
            where: { id: existing.id },
            data: { severity: flag.severity, highSchoolIds: flag.highSchoolIds, studentIds: flag.studentIds, evidence },
            select: { id: true },
          })
        : await db.flag.create({
            data: {
              cycleId,
              rule: flag.rule,
              severity: flag.severity,
              highSchoolIds: flag.highSchoolIds,
              studentIds: flag.studentIds,
              evidence,
              dedupeKey: flag.dedupeKey,
            },
            select: { id: true },
          });
      if (flag.complaintIds?.length) {
        await db.complaint.updateMany({ where: { id: { in: flag.complaintIds } }, data: { flagId: row.id } });
      }
      return { id: row.id, created: !existing };
    },

    async list(filter: FlagFilter, page: { offset: number; limit: number }) {
      const where = flagWhere(filter);
      const [total, rows] = await Promise.all([
        db.flag.count({ where }),
        // Most severe first (PostgreSQL orders an enum by its declaration: low < ... < critical), then newest.
        db.flag.findMany({ where, orderBy: [{ severity: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }], skip: page.offset, take: page.limit }),
      ]);
      return { total, rows };
    },

    /** Counts per status of the flags a filter covers. */
    async countByStatus(filter: FlagFilter) {
      const groups = await db.flag.groupBy({ by: ['status'], where: flagWhere(filter), _count: { _all: true } });
      return Object.fromEntries(groups.map((g) => [g.status, g._count._all])) as Partial<Record<'open' | 'confirmed' | 'dismissed', number>>;
    },

    /** One flag within the filter (the caller's scope), with its complaints. */
    findOne(id: string, filter: FlagFilter) {
      return db.flag.findFirst({
        where: { AND: [{ id }, flagWhere(filter)] },
        include: { complaints: { select: { id: true, number: true, schoolName: true, studentName: true, contact: true, description: true, createdAt: true } } },
      });
    },

    review(id: string, data: { status: 'confirmed' | 'dismissed'; note: string; reviewedBy: string; reviewedAt: Date }) {
      return db.flag.update({ where: { id }, data });
    },

    /** Names of schools (as they stood in the flag's year) and students a flag mentions, for the review page (no ID numbers). */
    async namesFor(cycleId: string, highSchoolIds: string[], studentIds: string[]) {
      const [schools, students, year] = await Promise.all([
        db.highSchool.findMany({ where: { id: { in: highSchoolIds } }, select: { id: true, name: true, regionCode: true, ownership: true, scope: true } }),
        db.student.findMany({
          where: { id: { in: studentIds } },
          select: { id: true, examNo: true, name: true, regionCode: true, total: true, juniorSchoolId: true },
        }),
        loadYearDirectory(db, cycleId, { highSchools: highSchoolIds }),
      ]);
      return { schools: schools.map((h) => asOfYear(h, year.highSchools.get(h.id))), students };
    },
  };
}

export type FlagRepository = ReturnType<typeof createFlagRepository>;
