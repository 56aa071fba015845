import type { Prisma } from '../db';
import type { Db } from './index';
import { asOfYear, loadYearDirectory } from './year-directory';

export type PlanData = Omit<Prisma.HighSchoolPlanUncheckedCreateInput, 'id' | 'cycleId' | 'highSchoolId' | 'updatedAt'>;

/**
 * 招生计划 of a cycle. Plans are published to everyone from plans_published on; writes are the bureau's.
 * A plan's school is shown as it stood in the plan's year.
 */
export function createPlanRepository(db: Db) {
  return {
    async listForCycle(cycleId: string) {
      const plans = await db.highSchoolPlan.findMany({
        where: { cycleId },
        orderBy: [{ batch: 'asc' }, { highSchoolId: 'asc' }],
        include: { highSchool: true },
      });
      const year = await loadYearDirectory(db, cycleId, { highSchools: true });
      return plans.map((p) => ({ ...p, highSchool: asOfYear(p.highSchool, year.highSchools.get(p.highSchoolId)) }));
    },

    async find(cycleId: string, highSchoolId: string) {
      const plan = await db.highSchoolPlan.findUnique({ where: { cycleId_highSchoolId: { cycleId, highSchoolId } }, include: { highSchool: true } });
      if (!plan) return null;
      return { ...plan, highSchool: asOfYear(plan.highSchool, await db.cycleHighSchool.findUnique({ where: { cycleId_id: { cycleId, id: highSchoolId } } })) };
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
