import type { Prisma } from '../db';
import type { Phase } from '../domain/schedule/schedule';
import type { Db } from './index';

/** Creating cycles (招生年度): the bureau's writes; reads of the current cycle are in cycle.repository.ts. */
export function createCycleAdminRepository(db: Db) {
  return {
    findByYear(year: number) {
      return db.cycle.findUnique({ where: { year } });
    },

    /** Archives every other active cycle: one cycle is current at a time. Returns the archived ids. */
    async archiveActive(exceptId?: string): Promise<string[]> {
      const active = await db.cycle.findMany({ where: { status: 'active', ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
      if (active.length > 0) await db.cycle.updateMany({ where: { id: { in: active.map((c) => c.id) } }, data: { status: 'archived' } });
      return active.map((c) => c.id);
    },

    create(data: { year: number; name: string; seed: string; policy: Prisma.InputJsonValue; windows: readonly { phase: Phase; opensAt: Date; closesAt: Date }[] }) {
      return db.cycle.create({
        data: {
          year: data.year,
          name: data.name,
          seed: data.seed,
          policy: data.policy,
          status: 'active',
          phases: { create: data.windows.map((w) => ({ phase: w.phase, opensAt: w.opensAt, closesAt: w.closesAt })) },
        },
        include: { phases: { orderBy: { opensAt: 'asc' } } },
      });
    },
  };
}
