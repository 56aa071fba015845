import type { Clock } from '../clock';
import { yearRules } from '../domain/admissions/year-placements';
import { parseCyclePolicy } from '../domain/cycle-policy';
import { phaseAt, type Phase } from '../domain/schedule/schedule';
import { computeDashboard } from '../domain/dashboard/indicators';
import { AppError } from '../errors';
import { authorize, oversightRegion, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import { preschoolBlock } from './kindergarten.service';

/**
 * The oversight dashboard for the bureau and inspectors: the figures of the
 * current cycle as the year stands (round-1 seats kept plus 补录 placements). A county bureau sees its
 * own region (its students, schools, and the placements that touch them).
 */
export function createDashboardService(deps: { uow: UnitOfWork<'cycles' | 'dashboard' | 'kindergartens'>; clock: Clock }) {
  const { uow, clock } = deps;

  return {
    async get(actor: Actor, props: { cycleId?: string } = {}) {
      authorize(actor, 'dashboard.read');
      const cycle = props.cycleId ? await uow.repos.cycles.findById(props.cycleId) : await uow.repos.cycles.findCurrent();
      if (!cycle) throw new AppError(props.cycleId ? 'NOT_FOUND' : 'NO_ACTIVE_CYCLE');
      const regionCode = oversightRegion(actor);
      const policy = parseCyclePolicy(cycle.policy, cycle.year);
      const rules = yearRules(policy, cycle.status === 'archived' ? 'closed' : phaseAt(cycle.phases.map((p) => ({ phase: p.phase as Phase, opensAt: p.opensAt, closesAt: p.closesAt })), clock.now()));
      const [rows, allRegions, preschool] = await Promise.all([
        uow.repos.dashboard.loadInputs(cycle.id, regionCode, rules),
        uow.repos.dashboard.listRegions(cycle.id),
        // The kindergarten registry's indicators (issue 18): a county bureau sees its region.
        uow.repos.kindergartens.indicatorInputs(regionCode).then(preschoolBlock),
      ]);
      // The quality schools' required quota share is the policy's quotaPercent (there is no other key for it).
      const quotaShare = policy.quotaPercent / 100;
      const own = new Set(rows.highSchools.map((h) => h.id));
      const dashboard = computeDashboard({
        ...rows,
        students: [...rows.students, ...rows.visitors],
        highSchools: [...rows.highSchools, ...rows.outsideSchools],
        quotaShare,
      });
      return {
        cycle: { id: cycle.id, year: cycle.year, name: cycle.name },
        roundId: rows.roundId,
        regionCode,
        regions: allRegions,
        ...dashboard,
        // Cutoffs of the caller's own schools only.
        cutoffs: dashboard.cutoffs.filter((c) => own.has(c.highSchoolId)),
        preschool,
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
