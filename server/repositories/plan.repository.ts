import type { Prisma } from '../db';
import type { Db } from './index';

export type PlanData = Omit<Prisma.HighSchoolPlanUncheckedCreateInput, 'id' | 'cycleId' | 'highSchoolId' | 'updatedAt'>;

/** 招生计划 of a cycle. Plans are published to everyone from plans_published on; writes are the bureau's. */
export function createPlanRepository(db: Db) {
  return {
    listForCycle(cycleId: string) {
      return db.highSchoolPlan.findMany({
        where: { cycleId },
        orderBy: [{ batch: 'asc' }, { highSchoolId: 'asc' }],
        include: { highSchool: true },
      });
    },

    find(cycleId: string, highSchoolId: string) {
      return db.highSchoolPlan.findUnique({ where: { cycleId_highSchoolId: { cycleId, highSchoolId } }, include: { highSchool: true } });
    },

    upsert(cycleId: string, highSchoolId: string, data: PlanData) {
      return db.highSchoolPlan.upsert({
        where: { cycleId_highSchoolId: { cycleId, highSchoolId } },
        create: { cycleId, highSchoolId, ...data },
        update: data,
      });
    },
  };
}
