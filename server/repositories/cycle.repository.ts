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

    /** Replaces a cycle's schedule (all nine windows at once). */
    async replaceSchedule(cycleId: string, windows: readonly { phase: Phase; opensAt: Date; closesAt: Date }[]) {
      await db.cyclePhase.deleteMany({ where: { cycleId } });
      await db.cyclePhase.createMany({ data: windows.map((w) => ({ cycleId, ...w })) });
    },
  };
}
