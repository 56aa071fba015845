import type { Clock } from '../clock';
import { parseCyclePolicy } from '../domain/cycle-policy';
import type { Evaluation } from '../db';
import { effectiveQuotaPercent, planProblems, planQuotaSeats, planWarnings, type PlanFields } from '../domain/plans/plan-rules';
import { AppError, validationError, type Lang } from '../errors';
import { authorize, can, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import { refuseUnlessAllowed, type CycleService } from './cycle.service';

export interface PlanInput extends PlanFields {
  previousCutoff?: number | null;
  ownership?: 'public' | 'private';
  scope?: 'city' | 'region';
  quality?: boolean;
}

export interface PlanView {
  highSchool: { id: string; name: string; regionCode: string; ownership: 'public' | 'private'; scope: 'city' | 'region'; quality: boolean };
  capacity: number;
  classes: number;
  batch: number;
  minScore: number | null;
  minEvaluation: Evaluation | null;
  quotaPercent: number | null;
  quotaSeats: number | null;
  quotaMinScore: number | null;
  quotaMinEvaluation: Evaluation | null;
  minPerSchool: number;
  previousCutoff: number | null;
  status: string;
  /** 指标生名额 the distribution will use (policy share for a quality school without its own figure). */
  effectiveQuotaSeats: number;
  warnings: { code: string; message: string }[];
}

/** Plans (招生计划): the bureau sets them in setup; everyone reads them from plans_published on. */
export function createPlanService(deps: { uow: UnitOfWork<'audit' | 'plans' | 'schools'>; clock: Clock; cycles: CycleService }) {
  const { uow, clock, cycles } = deps;

  function view(plan: Awaited<ReturnType<UnitOfWork['repos']['plans']['listForCycle']>>[number], minQuotaPercent: number | undefined, lang: Lang): PlanView {
    const h = plan.highSchool;
    const effective = effectiveQuotaPercent(plan, { quality: h.quality, minQuotaPercent });
    return {
      highSchool: { id: h.id, name: h.name, regionCode: h.regionCode, ownership: h.ownership, scope: h.scope, quality: h.quality },
      capacity: plan.capacity,
      classes: plan.classes,
      batch: plan.batch,
      minScore: plan.minScore,
      minEvaluation: plan.minEvaluation,
      quotaPercent: plan.quotaPercent,
      quotaSeats: plan.quotaSeats,
      quotaMinScore: plan.quotaMinScore,
      quotaMinEvaluation: plan.quotaMinEvaluation,
      minPerSchool: plan.minPerSchool,
      previousCutoff: plan.previousCutoff,
      status: plan.status,
      effectiveQuotaSeats: effective ? (planQuotaSeats({ capacity: plan.capacity, ...effective }) ?? 0) : 0,
      warnings: planWarnings(plan).map((w) => ({ code: w.code, message: lang === 'en' ? w.en : w.zh })),
    };
  }

  return {
    /** Plans of the current cycle, or of `cycleId` (a past year: schools, the bureau and auditors; never a student). */
    async list(actor: Actor, lang: Lang, cycleId?: string): Promise<{ cycleId: string; plans: PlanView[] }> {
      authorize(actor, 'plans.read');
      if (cycleId) authorize(actor, 'pastYear.read');
      const oversight = can(actor, 'unpublished.read');
      const cycle = cycleId ? await cycles.forRead(cycleId) : oversight ? await cycles.current() : await cycles.requireAction('plans.read');
      // A school sees a year's plans once they were published in it.
      if (cycleId && !oversight) refuseUnlessAllowed('plans.read', cycle.phase);
      const plans = await uow.repos.plans.listForCycle(cycle.id);
      const minQuota = parseCyclePolicy(cycle.policy, cycle.year).quotaPercent;
      return { cycleId: cycle.id, plans: plans.map((p) => view(p, minQuota, lang)) };
    },

    /** Sets a school's plan for the current cycle; refuses capacity > 55 x classes and a quality school's quota below the policy. */
    async update(actor: Actor, highSchoolId: string, input: PlanInput, ctx: { lang: Lang; requestId?: string }): Promise<PlanView> {
      authorize(actor, 'plan.set');
      const cycle = await cycles.requireAction('plans.edit');
      const minQuota = parseCyclePolicy(cycle.policy, cycle.year).quotaPercent;
      return uow.transaction(async (repos) => {
        const school = await repos.schools.findHighSchool(highSchoolId, cycle.id);
        if (!school) throw new AppError('NOT_FOUND');
        const quality = input.quality ?? school.quality;
        const problems = planProblems(input, { quality, minQuotaPercent: minQuota });
        if (problems.length > 0) throw validationError(problems.map((p) => ({ field: p.field, message: ctx.lang === 'en' ? p.en : p.zh })));
        const before = await repos.plans.find(cycle.id, highSchoolId);
        const schoolChanges = { ownership: input.ownership ?? school.ownership, scope: input.scope ?? school.scope, quality };
        await repos.schools.updateHighSchool(cycle.id, highSchoolId, schoolChanges);
        await repos.plans.upsert(cycle.id, highSchoolId, {
          capacity: input.capacity,
          classes: input.classes,
          batch: input.batch,
          minScore: input.minScore ?? null,
          minEvaluation: input.minEvaluation ?? null,
          quotaPercent: input.quotaPercent ?? null,
          quotaSeats: input.quotaSeats ?? null,
          quotaMinScore: input.quotaMinScore ?? null,
          quotaMinEvaluation: input.quotaMinEvaluation ?? null,
          minPerSchool: input.minPerSchool ?? 0,
          previousCutoff: input.previousCutoff ?? before?.previousCutoff ?? null,
          status: 'approved',
          approvedBy: actor.id,
          approvedAt: clock.now(),
        });
        const after = (await repos.plans.find(cycle.id, highSchoolId))!;
        const strip = (p: typeof before) => (p ? { ...p, highSchool: undefined, updatedAt: undefined } : null);
        await repos.audit.record({
          actor,
          action: 'plan.update',
          entity: 'HighSchoolPlan',
          entityId: after.id,
          before: before ? { plan: strip(before), school: { ownership: school.ownership, scope: school.scope, quality: school.quality } } : null,
          after: { plan: strip(after), school: schoolChanges },
          requestId: ctx.requestId,
          at: clock.now(),
        });
        return view(after, minQuota, ctx.lang);
      });
    },

    /** A junior school's weight in the quota split (向农村初中倾斜), 1..1000 percent. */
    async setJuniorWeight(actor: Actor, juniorSchoolId: string, weightPercent: number, ctx: { requestId?: string }) {
      authorize(actor, 'junior.weight.set');
      const cycle = await cycles.requireAction('junior-weights.edit');
      return uow.transaction(async (repos) => {
        const school = await repos.schools.findJuniorSchool(juniorSchoolId, cycle.id);
        if (!school) throw new AppError('NOT_FOUND');
        const updated = await repos.schools.setJuniorWeight(cycle.id, juniorSchoolId, weightPercent);
        await repos.audit.record({ actor, action: 'junior.weight.update', entity: 'JuniorSchool', entityId: juniorSchoolId, before: { weightPercent: school.weightPercent }, after: { weightPercent }, requestId: ctx.requestId, at: clock.now() });
        return { id: updated.id, name: updated.name, weightPercent: updated.weightPercent };
      });
    },
  };
}

export type PlanService = ReturnType<typeof createPlanService>;
