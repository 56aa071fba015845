import type { Clock } from '../clock';
import { completeCyclePolicy, type CyclePolicyInput } from '../domain/cycle-policy';
import { actionsAllowedIn, type PhaseAction } from '../domain/schedule/actions';
import { endCurrentWindow, PHASE_NAMES, PHASES, phaseAt, scheduleEditProblems, scheduleProblems, type Phase, type PhaseWindow } from '../domain/schedule/schedule';
import { isSeedCommittedIn } from '../domain/rounds/seed';
import { AppError, validationError, type FieldProblem, type Lang } from '../errors';
import { authorize, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import { refuseUnlessAllowed } from './cycle.service';
import { committedSeed, newLotterySeed } from './seed.service';

export interface CreateCycleInput {
  year: number;
  name: string;
  seed?: string;
  policy?: CyclePolicyInput;
  windows: PhaseWindow[];
}

/** The public view of the current cycle: GET /api/cycles/current. */
export interface CurrentCycleView {
  cycle: { id: string; year: number; name: string };
  phases: { phase: Phase; opensAt: string; closesAt: string }[];
  phase: Phase;
  /** The actions of the phase table allowed now (server/domain/schedule/actions.ts). */
  actions: PhaseAction[];
  serverTime: string;
  /** hex sha256 of the lottery seed, from applications_open on (null before); the seed itself is revealed with round 1. */
  seedCommitment: string | null;
}

const PHASE_EN = Object.fromEntries(PHASES.map((p) => [p, PHASE_NAMES[p].en])) as Record<Phase, string>;

/**
 * Pure: a problem of scheduleProblems (English, naming the phase) in the
 * caller's language, with the field it is about (`windows.<index>`).
 */
export function localizeScheduleProblem(problem: string, windows: readonly PhaseWindow[], lang: Lang): FieldProblem {
  const m = /^([a-z_0-9]+): (.*)$/.exec(problem);
  const phase = (m?.[1] ?? '') as Phase;
  const index = windows.findIndex((w) => w.phase === phase);
  const field = index >= 0 ? `windows.${index}` : 'windows';
  const zhName = PHASE_NAMES[phase]?.['zh-CN'] ?? phase;
  const rest = m?.[2] ?? problem;
  if (lang === 'en') return { field, message: m ? `${PHASE_EN[phase] ?? phase}: ${rest}` : problem };
  let zh: string;
  if (!m) zh = problem.startsWith('unknown phase') ? `未知阶段 ${problem.slice(14)}` : problem;
  else if (rest === 'missing') zh = `缺少“${zhName}”阶段`;
  else if (rest === 'listed twice') zh = `“${zhName}”阶段重复`;
  else if (rest === 'must close after it opens') zh = `“${zhName}”的结束时间必须晚于开始时间`;
  else if (rest === 'already over, its window cannot change') zh = `“${zhName}”已经结束，时间不能再改`;
  else if (rest === 'already open, its start cannot change') zh = `“${zhName}”已经开始，开始时间不能再改`;
  else if (rest === 'open now, it cannot close in the past') zh = `“${zhName}”正在进行，结束时间不能早于现在`;
  else if (rest === 'not open yet, it cannot start in the past') zh = `“${zhName}”尚未开始，开始时间不能早于现在`;
  else {
    const prev = /^must open when ([a-z_0-9]+) closes/.exec(rest);
    zh = prev ? `“${zhName}”必须在“${PHASE_NAMES[prev[1] as Phase]?.['zh-CN'] ?? prev[1]}”结束时开始（各阶段须首尾相接）` : `${zhName}：${rest}`;
  }
  return { field, message: zh };
}

function toView(cycle: { id: string; year: number; name: string; seedCommitment?: string | null; phases: { phase: string; opensAt: Date; closesAt: Date }[] }, now: Date): CurrentCycleView {
  const windows = cycle.phases.map((p) => ({ phase: p.phase as Phase, opensAt: p.opensAt, closesAt: p.closesAt }));
  return {
    cycle: { id: cycle.id, year: cycle.year, name: cycle.name },
    phases: windows.map((w) => ({ phase: w.phase, opensAt: w.opensAt.toISOString(), closesAt: w.closesAt.toISOString() })),
    phase: phaseAt(windows, now),
    actions: actionsAllowedIn(phaseAt(windows, now)),
    serverTime: now.toISOString(),
    seedCommitment: isSeedCommittedIn(phaseAt(windows, now)) ? (cycle.seedCommitment ?? null) : null,
  };
}

function checkSchedule(windows: PhaseWindow[], lang: Lang): void {
  const problems = scheduleProblems(windows);
  if (problems.length > 0) throw validationError(problems.map((p) => localizeScheduleProblem(p, windows, lang)));
}

/** The bureau's cycle administration: creating the year's cycle and editing the part of its schedule still ahead. */
export function createCycleAdminService(deps: { uow: UnitOfWork<'approvals' | 'audit' | 'cycleAdmin' | 'cycles' | 'schools'>; clock: Clock }) {
  const { uow, clock } = deps;

  /** The view, with the seed's commitment stored first when applications are open (seed.service.ts). */
  async function withCommitment(cycle: Parameters<typeof toView>[0] & { seed: string; status: string }): Promise<CurrentCycleView> {
    const now = clock.now();
    const phase = phaseAt(cycle.phases.map((p) => ({ phase: p.phase as Phase, opensAt: p.opensAt, closesAt: p.closesAt })), now);
    const seedCommitment = await committedSeed(deps, cycle, phase);
    return toView({ ...cycle, seedCommitment }, now);
  }

  return {
    async current(): Promise<CurrentCycleView> {
      const cycle = await uow.repos.cycles.findCurrent();
      if (!cycle) throw new AppError('NO_ACTIVE_CYCLE');
      return withCommitment(cycle);
    },

    /** Every cycle, newest first, marking the current one (GET /api/cycles). */
    async list() {
      const [cycles, current] = await Promise.all([uow.repos.cycles.list(), uow.repos.cycles.findCurrent()]);
      return { cycles: cycles.map((c) => ({ ...c, current: c.id === current?.id })) };
    },

    /** Creates the year's cycle with its nine windows and makes it the current one. */
    async create(actor: Actor, input: CreateCycleInput, ctx: { lang: Lang; requestId?: string }): Promise<CurrentCycleView> {
      authorize(actor, 'cycle.create');
      checkSchedule(input.windows, ctx.lang);
      // Stored complete: the JSON says every rule of the year, defaults included.
      const policy = completeCyclePolicy(input.policy, input.year);
      const created = await uow.transaction(async (repos) => {
        if (await repos.cycleAdmin.findByYear(input.year)) throw new AppError('CYCLE_YEAR_TAKEN', { field: 'year', params: { year: input.year } });
        const archived = await repos.cycleAdmin.archiveActive();
        const cycle = await repos.cycleAdmin.create({
          year: input.year,
          name: input.name,
          // Secret until round 1 is published; committed (its hash published) when applications open.
          seed: input.seed ?? newLotterySeed(input.year),
          policy,
          windows: input.windows,
        });
        // The new year starts with last year's schools and regions (the year just before it, else the
        // newest other one); its imports then replace or extend them.
        const previous = (await repos.cycles.previousYear(cycle.year)) ?? (await repos.cycles.newestExcept(cycle.id));
        await repos.schools.copyYear(previous?.id ?? null, cycle.id);
        await repos.audit.record({
          actor,
          action: 'cycle.create',
          entity: 'Cycle',
          entityId: cycle.id,
          before: archived.length > 0 ? { archivedCycleIds: archived } : null,
          after: { year: cycle.year, name: cycle.name, policy, windows: input.windows },
          requestId: ctx.requestId,
          at: clock.now(),
        });
        return cycle;
      });
      return withCommitment(created);
    },

    /** Replaces the schedule of a cycle not yet closed; windows already past keep their times (by the server's clock). */
    async updateSchedule(actor: Actor, cycleId: string, windows: PhaseWindow[], ctx: { lang: Lang; requestId?: string }): Promise<CurrentCycleView> {
      authorize(actor, 'cycle.schedule.edit');
      const updated = await uow.transaction(async (repos) => {
        const cycle = await repos.cycles.findById(cycleId);
        if (!cycle) throw new AppError('NOT_FOUND');
        const before = cycle.phases.map((p) => ({ phase: p.phase as Phase, opensAt: p.opensAt, closesAt: p.closesAt }));
        const now = clock.now();
        const phase = phaseAt(before, now);
        refuseUnlessAllowed('schedule.edit', phase);
        checkSchedule(windows, ctx.lang);
        // The past is fixed; deadlines ahead may move (e.g. extend or close the application window), audited below.
        const locked = scheduleEditProblems(before, windows, now);
        if (locked.length > 0) throw validationError(locked.map((p) => localizeScheduleProblem(p, windows, ctx.lang)));
        await repos.cycles.replaceSchedule(cycleId, windows);
        await repos.audit.record({ actor, action: 'cycle.schedule.update', entity: 'Cycle', entityId: cycleId, before: { windows: before }, after: { windows }, requestId: ctx.requestId, at: clock.now() });
        return (await repos.cycles.findById(cycleId))!;
      });
      return withCommitment(updated);
    },

    /**
     * "End this window now": the window open by the server's clock closes now and the next one opens now.
     * Only that one boundary moves; the next window keeps its end (it gets longer, never empty) and every
     * other window keeps its times. Audited with the schedule before and after.
     */
    async endCurrent(actor: Actor, cycleId: string, ctx: { lang: Lang; requestId?: string }): Promise<CurrentCycleView> {
      authorize(actor, 'cycle.schedule.edit');
      const updated = await uow.transaction(async (repos) => {
        const cycle = await repos.cycles.findById(cycleId);
        if (!cycle) throw new AppError('NOT_FOUND');
        const before = cycle.phases.map((p) => ({ phase: p.phase as Phase, opensAt: p.opensAt, closesAt: p.closesAt }));
        const now = clock.now();
        const phase = phaseAt(before, now);
        refuseUnlessAllowed('schedule.end-current', phase);
        const ended = endCurrentWindow(before, now);
        if ('problem' in ended) {
          const message = ctx.lang === 'en' ? `No window to end: ${ended.problem}` : ended.problem === 'no window is open now' ? '现在没有正在进行的阶段，无法提前结束' : '最后一个阶段之后没有下一个阶段，无法提前结束';
          throw validationError([{ field: 'windows', message }]);
        }
        checkSchedule(ended.windows, ctx.lang);
        await repos.cycles.replaceSchedule(cycleId, ended.windows);
        await repos.audit.record({
          actor,
          action: 'cycle.schedule.end-current',
          entity: 'Cycle',
          entityId: cycleId,
          before: { phase, windows: before },
          after: { phase: phaseAt(ended.windows, now), windows: ended.windows },
          requestId: ctx.requestId,
          at: now,
        });
        return (await repos.cycles.findById(cycleId))!;
      });
      return withCommitment(updated);
    },
  };
}

export type CycleAdminService = ReturnType<typeof createCycleAdminService>;
