import type { Phase } from '../domain/schedule/schedule';
import type { Db } from './index';

/** Cycles (招生年度) and their schedule windows. Cycles are city-wide: no caller scope applies. */
export function createCycleRepository(db: Db) {
  return {
    /** The active cycle (the newest one if several are active), with its windows in order. */
    async findCurrent() {
      return db.cycle.findFirst({
        where: { status: 'active' },
        orderBy: { year: 'desc' },
        include: { phases: { orderBy: { opensAt: 'asc' } } },
      });
    },

    async findById(id: string) {
      return db.cycle.findUnique({ where: { id }, include: { phases: { orderBy: { opensAt: 'asc' } } } });
    },

    /** Every cycle, newest year first: the years a school, the bureau or an auditor may open. */
    list() {
      return db.cycle.findMany({ orderBy: { year: 'desc' }, select: { id: true, year: true, name: true, status: true } });
    },

    /** The newest cycle other than `exceptId` (the year a new cycle starts from). */
    newestExcept(exceptId: string) {
      return db.cycle.findFirst({ where: { id: { not: exceptId } }, orderBy: { year: 'desc' }, select: { id: true, year: true } });
    },

    /** The cycle of the year before `year` (the latest earlier year), if any. */
    previousYear(year: number) {
      return db.cycle.findFirst({ where: { year: { lt: year } }, orderBy: { year: 'desc' }, select: { id: true, year: true } });
    },

    /** Replaces a cycle's schedule (all nine windows at once). */
    async replaceSchedule(cycleId: string, windows: readonly { phase: Phase; opensAt: Date; closesAt: Date }[]) {
      await db.cyclePhase.deleteMany({ where: { cycleId } });
      await db.cyclePhase.createMany({ data: windows.map((w) => ({ cycleId, ...w })) });
    },
  };
}
