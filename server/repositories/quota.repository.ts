import type { Db } from './index';
import { asOfYear, loadYearDirectory } from './year-directory';

export interface QuotaSeatRow {
  highSchoolId: string;
  juniorSchoolId: string;
  seats: number;
}

/**
 * 指标生名额 of a cycle. The table is public from plans_published on (PLATFORM.md),
 * so a read returns the whole city's table; the service decides when.
 */
export function createQuotaRepository(db: Db) {
  return {
    /** Replaces every quota row of the cycle; call inside a transaction. */
    async replaceForCycle(cycleId: string, rows: readonly QuotaSeatRow[]): Promise<void> {
      await db.quotaAllocation.deleteMany({ where: { cycleId } });
      for (let i = 0; i < rows.length; i += 5_000) {
        await db.quotaAllocation.createMany({ data: rows.slice(i, i + 5_000).map((r) => ({ cycleId, ...r })) });
      }
    },

    /** The cycle's quota rows with their schools as they stood in that year. */
    async listForCycle(cycleId: string) {
      const rows = await db.quotaAllocation.findMany({
        where: { cycleId },
        orderBy: [{ highSchoolId: 'asc' }, { juniorSchoolId: 'asc' }],
        include: {
          highSchool: { select: { id: true, name: true, regionCode: true } },
          juniorSchool: { select: { id: true, name: true, regionCode: true, graduates: true } },
        },
      });
      const year = await loadYearDirectory(db, cycleId, { highSchools: true, juniorSchools: true });
      return rows.map((r) => ({
        ...r,
        highSchool: asOfYear(r.highSchool, year.highSchools.get(r.highSchoolId)),
        juniorSchool: asOfYear(r.juniorSchool, year.juniorSchools.get(r.juniorSchoolId)),
      }));
    },

    countForCycle(cycleId: string) {
      return db.quotaAllocation.aggregate({ where: { cycleId }, _sum: { seats: true }, _count: true });
    },
  };
}
