import type { DashboardInputs } from '../domain/dashboard/indicators';
import type { Db } from './index';

export type DashboardRows = Omit<DashboardInputs, 'quotaShare'> & {
  /** The latest published round the placements come from. */
  roundId: string | null;
  /** Students of other regions placed at the region's schools. */
  visitors: DashboardInputs['students'][number][];
  /** Schools of other regions that took the region's students. */
  outsideSchools: DashboardInputs['highSchools'][number][];
};

/**
 * Reads behind the oversight dashboard for one cycle. `regionCode` (a county
 * bureau) limits every list to that region: its students, schools, junior
 * schools, and the placements of its students or at its schools.
 */
export function createDashboardRepository(db: Db) {
  return {
    async loadInputs(cycleId: string, regionCode: string | null): Promise<DashboardRows> {
      const inRegion = regionCode ? { regionCode } : {};
      const latest = await db.round.findFirst({
        where: { cycleId, status: 'published', kind: { in: ['main', 'supplementary'] } },
        orderBy: [{ publishedAt: 'desc' }, { createdAt: 'desc' }],
        select: { id: true },
      });
      const [regions, students, highSchools, juniorSchools, plans, quotas, placements] = await Promise.all([
        db.region.findMany({ where: regionCode ? { code: regionCode } : {}, select: { code: true, name: true, nameEn: true }, orderBy: { code: 'asc' } }),
        db.student.findMany({ where: { cycleId, ...inRegion }, select: { id: true, regionCode: true, juniorSchoolId: true, total: true } }),
        db.highSchool.findMany({
          where: inRegion,
          select: { id: true, name: true, regionCode: true, ownership: true, scope: true, quality: true },
          orderBy: { id: 'asc' },
        }),
        db.juniorSchool.findMany({ where: inRegion, select: { id: true, name: true, regionCode: true }, orderBy: { id: 'asc' } }),
        db.highSchoolPlan.findMany({ where: { cycleId, highSchool: inRegion }, select: { highSchoolId: true, capacity: true, classes: true } }),
        db.quotaAllocation.findMany({
          where: { cycleId, ...(regionCode ? { OR: [{ highSchool: inRegion }, { juniorSchool: inRegion }] } : {}) },
          select: { highSchoolId: true, juniorSchoolId: true, seats: true },
        }),
        latest
          ? db.roundAssignment.findMany({
              where: {
                roundId: latest.id,
                highSchoolId: { not: null },
                ...(regionCode ? { OR: [{ student: inRegion }, { highSchool: inRegion }] } : {}),
              },
              select: { studentId: true, highSchoolId: true, seat: true, student: { select: { regionCode: true, juniorSchoolId: true, total: true } } },
            })
          : Promise.resolve([]),
      ]);
      // Students placed at the region's schools from elsewhere count in cutoffs and flows too.
      const known = new Set(students.map((s) => s.id));
      const visitors = placements
        .filter((p) => !known.has(p.studentId))
        .map((p) => ({ id: p.studentId, regionCode: p.student.regionCode, juniorSchoolId: p.student.juniorSchoolId, total: p.student.total }));
      // Schools elsewhere that took the region's students, for the flows.
      const schoolIds = new Set(highSchools.map((h) => h.id));
      const missing = [...new Set(placements.map((p) => p.highSchoolId!).filter((id) => !schoolIds.has(id)))];
      const outside = missing.length
        ? await db.highSchool.findMany({ where: { id: { in: missing } }, select: { id: true, name: true, regionCode: true, ownership: true, scope: true, quality: true } })
        : [];
      return {
        roundId: latest?.id ?? null,
        regions,
        students,
        highSchools,
        juniorSchools,
        plans,
        quotas,
        placements: placements.map((p) => ({ studentId: p.studentId, highSchoolId: p.highSchoolId!, seat: p.seat })),
        visitors,
        outsideSchools: outside,
      };
    },

    /** All region names (flows name regions outside a county's own). */
    listRegions() {
      return db.region.findMany({ select: { code: true, name: true, nameEn: true }, orderBy: { code: 'asc' } });
    },
  };
}

export type DashboardRepository = ReturnType<typeof createDashboardRepository>;
