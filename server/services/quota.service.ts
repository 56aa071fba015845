import ExcelJS from 'exceljs';
import type { Clock } from '../clock';
import { parseCyclePolicy } from '../domain/cycle-policy';
import { effectiveQuotaPercent } from '../domain/plans/plan-rules';
import { distributeQuotas, QUOTA_INSTANCE_FORMAT, type QuotaInstance } from '../domain/quotas/distribute';
import { authorize, can, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { QuotaSeatRow } from '../repositories/quota.repository';
import { refuseUnlessAllowed, type CycleService } from './cycle.service';

export interface QuotaTable {
  cycleId: string;
  total: number;
  byHighSchool: { id: string; name: string; total: number; juniorSchools: { id: string; name: string; seats: number }[] }[];
  byJuniorSchool: { id: string; name: string; graduates: number; total: number; highSchools: { id: string; name: string; seats: number }[] }[];
}


/**
 * Pure: the quota instance (ALLOCATION.md §1) of a cycle's plans and junior
 * schools. A quality school without its own figure takes the policy share;
 * other schools without one have no quota seats.
 */
export function buildQuotaInstance(
  plans: readonly { capacity: number; quotaPercent: number | null; quotaSeats: number | null; minPerSchool: number; classes: number; batch: number; highSchool: { id: string; regionCode: string; scope: 'city' | 'region'; quality: boolean } }[],
  juniors: readonly { id: string; regionCode: string; graduates: number; weightPercent: number }[],
  minQuotaPercent: number | undefined,
): QuotaInstance {
  const highSchools: QuotaInstance['highSchools'] = [];
  for (const p of plans) {
    const quota = effectiveQuotaPercent(p, { quality: p.highSchool.quality, minQuotaPercent });
    if (!quota) continue;
    highSchools.push({ id: p.highSchool.id, region: p.highSchool.regionCode, scope: p.highSchool.scope, capacity: p.capacity, ...quota, minPerSchool: p.minPerSchool });
  }
  return {
    format: QUOTA_INSTANCE_FORMAT,
    juniorSchools: juniors.map((j) => ({ id: j.id, region: j.regionCode, graduates: j.graduates, weightPercent: j.weightPercent })),
    highSchools,
  };
}

/** 指标分配: computed by the engine from the plans, stored for the cycle, public from plans_published on. */
export function createQuotaService(deps: { uow: UnitOfWork<'audit' | 'plans' | 'quotas' | 'schools'>; clock: Clock; cycles: CycleService }) {
  const { uow, clock, cycles } = deps;

  /** The current cycle, or `cycleId` (a past year: schools, the bureau and auditors; never a student). */
  async function readableCycle(actor: Actor, cycleId?: string) {
    authorize(actor, 'quotas.read');
    if (cycleId) authorize(actor, 'pastYear.read');
    if (can(actor, 'unpublished.read')) return cycles.forRead(cycleId);
    if (!cycleId) return cycles.requireAction('quotas.read');
    const cycle = await cycles.forRead(cycleId);
    refuseUnlessAllowed('quotas.read', cycle.phase);
    return cycle;
  }

  async function table(actor: Actor, cycleId?: string): Promise<QuotaTable> {
    const cycle = await readableCycle(actor, cycleId);
    const rows = await uow.repos.quotas.listForCycle(cycle.id);
    const highs = new Map<string, QuotaTable['byHighSchool'][number]>();
    const juniors = new Map<string, QuotaTable['byJuniorSchool'][number]>();
    let total = 0;
    for (const r of rows) {
      total += r.seats;
      const h = highs.get(r.highSchoolId) ?? { id: r.highSchool.id, name: r.highSchool.name, total: 0, juniorSchools: [] };
      h.total += r.seats;
      h.juniorSchools.push({ id: r.juniorSchool.id, name: r.juniorSchool.name, seats: r.seats });
      highs.set(r.highSchoolId, h);
      const j = juniors.get(r.juniorSchoolId) ?? { id: r.juniorSchool.id, name: r.juniorSchool.name, graduates: r.juniorSchool.graduates, total: 0, highSchools: [] };
      j.total += r.seats;
      j.highSchools.push({ id: r.highSchool.id, name: r.highSchool.name, seats: r.seats });
      juniors.set(r.juniorSchoolId, j);
    }
    return {
      cycleId: cycle.id,
      total,
      byHighSchool: [...highs.values()],
      byJuniorSchool: [...juniors.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    };
  }

  return {
    table,

    /** Computes the distribution with the engine and replaces the cycle's quota rows in one transaction. */
    async compute(actor: Actor, ctx: { requestId?: string }): Promise<{ cycleId: string; highSchools: number; juniorSchools: number; seats: number }> {
      authorize(actor, 'quotas.compute');
      const cycle = await cycles.requireAction('quotas.compute');
      return uow.transaction(
        async (repos) => {
          const plans = await repos.plans.listForCycle(cycle.id);
          const juniors = await repos.schools.listJuniorSchools(cycle.id);
          const instance = buildQuotaInstance(plans, juniors, parseCyclePolicy(cycle.policy, cycle.year).quotaPercent);
          const result = distributeQuotas(instance);
          const rows: QuotaSeatRow[] = [];
          for (const [highSchoolId, byJunior] of Object.entries(result.quota)) {
            for (const [juniorSchoolId, seats] of Object.entries(byJunior)) if (seats > 0) rows.push({ highSchoolId, juniorSchoolId, seats });
          }
          const previous = await repos.quotas.countForCycle(cycle.id);
          await repos.quotas.replaceForCycle(cycle.id, rows);
          const seats = rows.reduce((s, r) => s + r.seats, 0);
          const summary = { cycleId: cycle.id, highSchools: Object.keys(result.quota).filter((h) => Object.keys(result.quota[h]).length > 0).length, juniorSchools: new Set(rows.map((r) => r.juniorSchoolId)).size, seats };
          await repos.audit.record({
            actor,
            action: 'quota.compute',
            entity: 'QuotaAllocation',
            entityId: cycle.id,
            before: { rows: previous._count, seats: previous._sum.seats ?? 0 },
            after: { ...summary, rows: rows.length, instance: { highSchools: instance.highSchools } },
            requestId: ctx.requestId,
            at: clock.now(),
          });
          return summary;
        },
        { timeout: 60_000 },
      );
    },

    /** The quota table as a workbook: one sheet per high school view, one per junior school view. */
    async exportWorkbook(actor: Actor, cycleId?: string): Promise<Buffer> {
      const t = await table(actor, cycleId);
      const workbook = new ExcelJS.Workbook();
      const byHigh = workbook.addWorksheet('按高中');
      byHigh.addRow(['高中代码', '高中名称', '初中代码', '初中名称', '指标生名额']);
      for (const h of t.byHighSchool) for (const j of h.juniorSchools) byHigh.addRow([h.id, h.name, j.id, j.name, j.seats]);
      const byJunior = workbook.addWorksheet('按初中');
      byJunior.addRow(['初中代码', '初中名称', '毕业生人数', '高中代码', '高中名称', '指标生名额']);
      for (const j of t.byJuniorSchool) for (const h of j.highSchools) byJunior.addRow([j.id, j.name, j.graduates, h.id, h.name, h.seats]);
      for (const sheet of [byHigh, byJunior]) {
        sheet.getRow(1).font = { bold: true };
        sheet.columns.forEach((c) => (c.width = 16));
        sheet.views = [{ state: 'frozen', ySplit: 1 }];
      }
      return Buffer.from(await workbook.xlsx.writeBuffer());
    },
  };
}

export type QuotaService = ReturnType<typeof createQuotaService>;
