/**
 * Allocation rounds (PLATFORM.md phases 4–7): start a round as a queued job,
 * run it (database -> engine -> independent invariant check -> database),
 * compare two rounds, publish one, take students' confirmations, and the
 * supplementary round (补录) on the seats left.
 */
import { ROUND_STAGES, roundStageOf, type RoundStage, type RoundStageView } from '../domain/rounds/stages';
import type { Clock } from '../clock';
import type { AllocationPolicy } from '../domain/allocation/types';
import { compareRounds, type RoundComparison } from '../domain/rounds/compare';
import { parseCyclePolicy } from '../domain/cycle-policy';
import { mayApplySupplementary, seatsLeft, supplementaryRules, type Decision } from '../domain/rounds/confirmation';
import type { PhaseAction } from '../domain/schedule/actions';
import type { Phase } from '../domain/schedule/schedule';
import { isUniqueViolation } from '../db-errors';
import { AppError } from '../errors';
import { authorize, can, oversightRegion, type Actor } from '../policies';
import type { Prisma } from '../db';
import type { Repositories, UnitOfWork } from '../repositories';
import {
  attachAssignmentsOn,
  claimRoundOn,
  clearRoundRowsOn,
  copyAssignmentsOn,
  copyRoundTextOn,
  finishRoundOn,
  streamApplicantsOn,
  type RoundKindName,
} from '../repositories/round.repository';
import type { ApplicantsQuery } from '../repositories/round-copy';
import { InvalidRoundInput, startRoundThread, type RoundThread } from '../infra/round-compute';
import { stopwatch } from '../infra/stopwatch';
import type { CycleService, CurrentCycle } from './cycle.service';
import { roundPolicy } from '../domain/rounds/round-input';
import { approvalStep } from '../domain/approvals/approvals';
import { approvalsView, type ApprovalsView, type AwaitingApproval } from './approvals';

/**
 * The actions of the phase table (server/domain/schedule/actions.ts) that start and publish each kind
 * of round; the phases they are allowed in live there only. A simulation is never published.
 */
/** Names for the ids of a round comparison: high and junior schools by id, moved students by exam number. */
export interface ComparisonNames {
  highSchools: Record<string, string>;
  juniorSchools: Record<string, string>;
  students: Record<string, string>;
}

export const ROUND_ACTIONS = {
  simulation: { start: 'rounds.start-simulation' },
  main: { start: 'rounds.start-main', publish: 'rounds.publish-main' },
  supplementary: { start: 'rounds.start-supplementary', publish: 'rounds.publish-supplementary' },
} as const satisfies Record<RoundKindName, { start: PhaseAction; publish?: PhaseAction }>;

/** The store step writes tens of thousands of rows: allow it more than Prisma's default 5 s. */
const STORE_TIMEOUT_MS = 120_000;

export interface StartRoundProps {
  kind: RoundKindName;
  name?: string;
  policy?: AllocationPolicy;
  requestId?: string | null;
}

export interface RoundQueue {
  enqueue(name: 'round.run', data: { roundId: string }, opts: { jobId: string; createdBy?: string | null; requestId?: string | null }): Promise<unknown>;
  enqueue(name: 'flags.detect', data: { cycleId: string; reason: 'publication' }, opts: { createdBy?: string | null; requestId?: string | null }): Promise<unknown>;
}

type RoundSummaryRow = NonNullable<Awaited<ReturnType<Repositories['rounds']['findSummary']>>>;

export interface RoundView {
  id: string;
  kind: RoundKindName;
  name: string | null;
  policy: unknown;
  /** The lottery seed: only once round 1 (the main round) of the cycle is published; absent before (its hash is the cycle's seedCommitment). */
  seed?: string;
  status: string;
  progress: number;
  /** Which part of the work the progress is in (load, allocate, check, store), or queued / done. */
  stage: RoundStageView;
  invariantsOk: boolean | null;
  error: string | null;
  sha256: { input: string | null; result: string | null };
  jobId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  publishedAt: string | null;
  counts?: { students: number; assigned: number; unassigned: number };
  /** Four eyes (PUBLISH_APPROVALS): approvals of its publication so far, by whom. */
  approvals: ApprovalsView;
}

/** What a view needs besides the row: whether the seed is revealed (round 1 published) and the approvals. */
interface ViewContext {
  seedRevealed: boolean;
  approvals: ApprovalsView;
}

function view(row: RoundSummaryRow, ctx: ViewContext, counts?: { students: number; assigned: number }): RoundView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    policy: row.policy,
    // Secret until round 1 is published: before, only its commitment (GET /api/cycles/current) is public.
    ...(ctx.seedRevealed ? { seed: row.seed } : {}),
    status: row.status,
    progress: row.progress,
    stage: roundStageOf(row.status, row.progress),
    invariantsOk: row.invariantsOk,
    error: row.error,
    sha256: { input: row.inputSha256, result: row.resultSha256 },
    jobId: row.jobId,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    ...(counts ? { counts: { ...counts, unassigned: counts.students - counts.assigned } } : {}),
    approvals: ctx.approvals,
  };
}

/** The close of the application window: the last save before it counts. */
function applicationDeadline(cycle: { windows: { phase: Phase; closesAt: Date }[] }, fallback: Date): Date {
  return cycle.windows.find((w) => w.phase === 'applications_open')?.closesAt ?? fallback;
}

export function createRoundService(deps: {
  uow: UnitOfWork<'approvals' | 'audit' | 'cycles' | 'names' | 'resultViews' | 'rounds'>;
  cycles: CycleService;
  queues: RoundQueue;
  clock: Clock;
  /** Four eyes: different city-bureau accounts that must approve a publication (PUBLISH_APPROVALS; default 1). */
  publishApprovals?: number;
}) {
  const { uow, cycles, clock } = deps;
  const rounds = uow.repos.rounds;

  /** Names of the schools and moved students a comparison shows (as they stood in the cycle): one query per kind. */
  async function comparisonNames(cycleId: string, c: RoundComparison): Promise<ComparisonNames> {
    const highSchoolIds = [...Object.keys(c.cutoffs), ...c.moved.flatMap((m) => [m.from, m.to]).filter((id): id is string => id !== null)];
    const [highSchools, juniorSchools, students] = await Promise.all([
      uow.repos.names.highSchools(cycleId, highSchoolIds),
      uow.repos.names.juniorSchools(cycleId, Object.keys(c.quotaUsed)),
      uow.repos.names.students(cycleId, c.moved.map((m) => m.student)),
    ]);
    return {
      highSchools: Object.fromEntries(highSchools),
      juniorSchools: Object.fromEntries(juniorSchools),
      students: Object.fromEntries(c.moved.flatMap((m) => (students.has(m.student) ? [[m.student, students.get(m.student)!.name]] : []))),
    };
  }
  const required = deps.publishApprovals ?? 1;

  /** Whether the cycle's lottery seed is public: once its main round (round 1) is published. */
  async function seedRevealed(cycleId: string): Promise<boolean> {
    return (await rounds.findPublished(cycleId, 'main')) !== null;
  }

  /** The views of rows of one cycle, with the seed only once revealed and each round's approvals. */
  async function views(cycleId: string, rows: readonly RoundSummaryRow[], counts?: { students: number; assigned: number }): Promise<RoundView[]> {
    const [revealed, approvals] = await Promise.all([seedRevealed(cycleId), uow.repos.approvals.listMany('round.publish', rows.map((r) => r.id))]);
    return rows.map((r) => view(r, { seedRevealed: revealed, approvals: approvalsView(required, approvals.get(r.id)) }, counts));
  }

  async function viewOf(row: RoundSummaryRow, counts?: { students: number; assigned: number }): Promise<RoundView> {
    return (await views(row.cycleId, [row], counts))[0];
  }

  async function roundOfCycle(id: string, cycle: CurrentCycle): Promise<RoundSummaryRow> {
    const row = await rounds.findSummary(id);
    if (!row || row.cycleId !== cycle.id) throw new AppError('NOT_FOUND');
    return row;
  }

  /** A finished round's row (its input and result are stored as text: rounds.textPieces; its rows as RoundAssignment). */
  async function finished(id: string) {
    const row = await rounds.findSummary(id);
    if (!row) throw new AppError('NOT_FOUND');
    if (row.resultSha256 === null || (row.status !== 'succeeded' && row.status !== 'published' && row.status !== 'failed')) {
      throw new AppError('ROUND_NOT_FINISHED');
    }
    return row;
  }

  async function supplementaryState(cycle: CurrentCycle) {
    const state = await loadSupplementaryState(uow.repos, cycle);
    if (!state) throw new AppError('NO_PUBLISHED_ROUND');
    return state;
  }

  return {
    /** Creates a queued round and, once that has committed, enqueues its job (jobId `round-<id>`). */
    async start(actor: Actor, props: StartRoundProps): Promise<RoundView> {
      authorize(actor, 'round.start');
      const cycle = await cycles.requireAction(ROUND_ACTIONS[props.kind].start);
      if (props.kind === 'supplementary') await supplementaryState(cycle); // refuses before round 1 is published
      // Round 1 with nobody to place would publish an empty year: refuse it, saying why.
      if (props.kind === 'main' && (await rounds.countApplicants(cycle.id, 'main', applicationDeadline(cycle, clock.now()))) === 0) {
        throw new AppError('NO_APPLICATIONS');
      }
      const policy = roundPolicy(parseCyclePolicy(cycle.policy, cycle.year).allocation, props.policy);
      const row = await uow.transaction(async (repos) => {
        const created = await repos.rounds.create({
          cycleId: cycle.id,
          kind: props.kind,
          name: props.name ?? null,
          policy: policy as Prisma.InputJsonValue,
          seed: cycle.seed,
          createdBy: actor.id,
        });
        await repos.rounds.setJobId(created.id, `round-${created.id}`);
        await repos.audit.record({
          actor,
          action: 'round.start',
          entity: 'Round',
          entityId: created.id,
          after: { kind: props.kind, name: props.name ?? null, policy },
          requestId: props.requestId,
          at: clock.now(),
        });
        return { ...created, jobId: `round-${created.id}` };
      });
      try {
        await deps.queues.enqueue('round.run', { roundId: row.id }, { jobId: `round-${row.id}`, createdBy: actor.id, requestId: props.requestId });
      } catch (error) {
        // Redis out of reach: the round would wait forever for a job that does not exist. Mark it
        // failed (a job queued after all skips it) and let the bureau start it again.
        await rounds.markFailed(row.id, 'the job could not be queued (Redis unavailable); start the round again', clock.now()).catch(() => undefined);
        throw error;
      }
      return viewOf(row);
    },

    async list(actor: Actor, cycleId?: string): Promise<RoundView[]> {
      authorize(actor, 'round.read');
      const cycle = await cycles.forRead(cycleId);
      const rows = await rounds.listByCycle(cycle.id);
      return views(cycle.id, rows);
    },

    async get(actor: Actor, id: string): Promise<RoundView> {
      authorize(actor, 'round.read');
      const row = await roundOfCycle(id, await cycles.current());
      const done = row.status === 'succeeded' || row.status === 'published' || (row.status === 'failed' && row.resultSha256 !== null);
      return viewOf(row, done ? await rounds.assignmentCounts(id) : undefined);
    },

    /** Two finished rounds side by side; a county bureau sees only moves of its own region's students. */
    async compare(actor: Actor, a: string, b: string): Promise<RoundComparison & { a: RoundView; b: RoundView; names: ComparisonNames }> {
      authorize(actor, 'round.read');
      const cycle = await cycles.current();
      await Promise.all([roundOfCycle(a, cycle), roundOfCycle(b, cycle)]);
      const [rowA, rowB] = await Promise.all([finished(a), finished(b)]);
      const [da, db] = await Promise.all([rounds.comparisonData(a), rounds.comparisonData(b)]);
      const comparison = compareRounds(da, db);
      const region = oversightRegion(actor);
      if (region) comparison.moved = comparison.moved.filter((m) => m.region === region);
      const [va, vb] = await views(cycle.id, [rowA, rowB]);
      return { ...comparison, a: va, b: vb, names: await comparisonNames(cycle.id, comparison) };
    },

    /**
     * Publishes a checked main or supplementary round: results and cutoffs at once. With four eyes
     * (PUBLISH_APPROVALS >= 2) each city-bureau account's call is one approval: before the last
     * one needed it is recorded and the answer is `awaiting_approval` (202); the same account
     * twice is ALREADY_APPROVED; the last approval publishes.
     */
    async publish(actor: Actor, id: string, requestId?: string | null): Promise<RoundView | AwaitingApproval> {
      authorize(actor, 'round.publish');
      const cycle = await cycles.current();
      const row = await roundOfCycle(id, cycle);
      if (row.kind === 'simulation') {
        throw new AppError('ROUND_NOT_PUBLISHABLE', { params: { reasonZh: '模拟轮次只用于比较，不能发布', reasonEn: 'a simulation is for comparison only' } });
      }
      await cycles.requireAction(ROUND_ACTIONS[row.kind as 'main' | 'supplementary'].publish);
      if (row.status === 'published') throw new AppError('ROUND_ALREADY_PUBLISHED');
      if (row.status === 'queued' || row.status === 'running') throw new AppError('ROUND_NOT_FINISHED');
      if (row.status !== 'succeeded' || row.invariantsOk !== true) {
        throw new AppError('ROUND_NOT_PUBLISHABLE', {
          params: { reasonZh: '结果未通过录取规则校验', reasonEn: 'the result failed the invariant check' },
          details: { status: row.status, invariantsOk: row.invariantsOk },
        });
      }
      if (await rounds.findPublished(cycle.id, row.kind)) throw new AppError('ROUND_ALREADY_PUBLISHED');
      // A main round that ran with no student (applications counted at the deadline) passes the invariants trivially: never publish it.
      if (row.kind === 'main' && (await rounds.assignmentCounts(id)).students === 0) {
        throw new AppError('ROUND_NOT_PUBLISHABLE', {
          params: { reasonZh: '本轮没有任何学生（没有已提交的志愿）', reasonEn: 'the round has no students (no submitted applications)' },
        });
      }
      const outcome = await uow.transaction(async (repos) => {
        let approvedBy: ApprovalsView['approvedBy'] | undefined;
        if (required > 1) {
          // Four eyes: approvals of this round one at a time, so two accounts at once cannot both stop at "1 of 2".
          await repos.approvals.lockSubject('round.publish', id);
          if ((await repos.rounds.lockStatus(id)) !== 'succeeded') throw new AppError('ROUND_ALREADY_PUBLISHED');
          const earlier = await repos.approvals.list('round.publish', id);
          const step = approvalStep(earlier.map((a) => a.userId), actor.id, required);
          if (step.kind === 'duplicate') throw new AppError('ALREADY_APPROVED');
          const approvals = approvalsView(required, [...earlier, await repos.approvals.add('round.publish', id, actor.id, clock.now())]);
          if (step.kind === 'awaiting') {
            await repos.audit.record({
              actor,
              action: 'round.publish.approve',
              entity: 'Round',
              entityId: id,
              before: { status: row.status, approvals: earlier.length },
              after: { status: row.status, approvals: approvals.count, required, approvedBy: approvals.approvedBy },
              requestId,
              at: clock.now(),
            });
            return { status: 'awaiting_approval', approvals: approvals.count, required, approvedBy: approvals.approvedBy } satisfies AwaitingApproval;
          }
          approvedBy = approvals.approvedBy;
        }
        // The database holds at most one published round per cycle and kind: a concurrent publication loses here.
        const updated = await repos.rounds.publish(id, clock.now()).catch((error: unknown) => {
          throw isUniqueViolation(error) ? new AppError('ROUND_ALREADY_PUBLISHED') : error;
        });
        // The same round published a moment ago by another request.
        if (!updated) throw new AppError('ROUND_ALREADY_PUBLISHED');
        await repos.audit.record({
          actor,
          action: 'round.publish',
          entity: 'Round',
          entityId: id,
          before: { status: row.status },
          after: {
            status: 'published',
            publishedAt: updated.publishedAt,
            inputSha256: row.inputSha256,
            resultSha256: row.resultSha256,
            // Round 1 reveals the seed: the log keeps the commitment it must match.
            ...(row.kind === 'main' && cycle.seedCommitment ? { seedCommitment: cycle.seedCommitment } : {}),
            ...(approvedBy ? { approvals: approvedBy.length, required, approvedBy } : {}),
          },
          requestId,
          at: clock.now(),
        });
        // Results night: each student's result is written once, with the publication or not at all.
        await repos.resultViews.rewriteCycle(cycle.id);
        // And each school's list summary (counts, round 1's cutoffs), read by the admission list instead of the round's result.
        await repos.resultViews.rewriteSchoolSummaries(cycle);
        return updated;
      }, { timeout: STORE_TIMEOUT_MS });
      if ('status' in outcome && outcome.status === 'awaiting_approval') return outcome as AwaitingApproval;
      const published = outcome as RoundSummaryRow;
      // After the commit: the irregularity rules read the published results (PLATFORM.md: after each round).
      await deps.queues.enqueue('flags.detect', { cycleId: cycle.id, reason: 'publication' }, { createdBy: actor.id, requestId });
      return viewOf(published, await rounds.assignmentCounts(id));
    },

    /**
     * The round's bundle as JSON text in pieces: {input, result, seed, seedCommitment, sha256}, input
     * and result their stored canonical text (the text their hashes are of), streamed as stored
     * (a province's bundle is larger than one string may be). City bureau and auditors.
     */
    async bundle(actor: Actor, id: string): Promise<{ pieces: AsyncGenerator<string>; filename: string }> {
      authorize(actor, 'round.bundle.read');
      const cycle = await cycles.current();
      await roundOfCycle(id, cycle);
      const row = await finished(id);
      // The seed (the input's) and the commitment published when applications opened: `npm run -s bundle:verify` checks one against the other.
      const commitment = cycle.seedCommitment ?? null;
      async function* pieces(): AsyncGenerator<string> {
        yield '{"input":';
        yield* rounds.textPieces(id, 'input');
        yield ',"result":';
        yield* rounds.textPieces(id, 'result');
        yield `,"seed":${JSON.stringify(row.seed)},"seedCommitment":${JSON.stringify(commitment)},"sha256":{"input":"${row.inputSha256}","result":"${row.resultSha256}"}}`;
      }
      return { pieces: pieces(), filename: `round-${row.kind}-${row.id}.json` };
    },

    /** Per school: capacity, admitted and cutoff (total of the last admitted). Anyone, once published. */
    async cutoffs(actor: Actor, id: string) {
      authorize(actor, 'round.cutoffs.read');
      const row = await roundOfCycle(id, await cycles.current());
      if (row.status !== 'published' && !can(actor, 'unpublished.read')) throw new AppError('NOT_FOUND');
      if (!(row.status === 'succeeded' || row.status === 'published' || row.status === 'failed') || row.resultSha256 === null) throw new AppError('ROUND_NOT_FINISHED');
      // Read in the database (a province's result is hundreds of MB): the schools' part and the last admitted students' totals.
      return { roundId: id, schools: await rounds.cutoffs(id) };
    },

    /** A student confirms or declines the seat of the published main round (once, in the confirmation window). */
    async confirm(actor: Actor, roundId: string, decision: Decision) {
      authorize(actor, 'round.confirm');
      // The rule's finer part: a student account linked to its record.
      const studentId = actor.studentId!;
      const cycle = await cycles.requireAction('rounds.confirm');
      const row = await roundOfCycle(roundId, cycle);
      if (row.status !== 'published' || row.kind !== 'main') throw new AppError('NOT_FOUND');
      const assignment = await rounds.findAssignment(roundId, studentId);
      if (!assignment?.highSchoolId) throw new AppError('NOT_ADMITTED');
      const at = clock.now();
      // The answer and its audit entry (entity id: whose answer) commit together; a repeated answer writes neither.
      await uow.transaction(async (repos) => {
        if (!(await repos.rounds.confirmOnce(roundId, studentId, decision, at))) throw new AppError('ALREADY_CONFIRMED');
        await repos.audit.record({
          actor,
          action: decision === 'confirmed' ? 'confirmation.confirm' : 'confirmation.decline',
          entity: 'Confirmation',
          entityId: studentId,
          after: { roundId, highSchoolId: assignment.highSchoolId, decision },
          at,
        });
      });
      return { roundId, school: assignment.highSchoolId, decision, at: at.toISOString() };
    },

    /** Confirmation figures of a published main round, with silence counted per the policy. */
    async confirmationSummary(actor: Actor, roundId: string) {
      authorize(actor, 'round.read');
      const cycle = await cycles.current();
      await roundOfCycle(roundId, cycle);
      const [placed, answers] = await Promise.all([rounds.placedStudents(roundId), rounds.answers(roundId)]);
      const silenceIsDecline = parseCyclePolicy(cycle.policy, cycle.year).silenceCountsAsDecline;
      let confirmed = 0;
      let declined = 0;
      let silent = 0;
      for (const student of Object.keys(placed)) {
        const answer = answers[student];
        if (answer === 'confirmed') confirmed++;
        else if (answer === 'declined') declined++;
        else silent++;
      }
      return { roundId, admitted: Object.keys(placed).length, confirmed, declined, silent, silenceMeansDecline: silenceIsDecline };
    },

    /** Schools with seats left for 补录 (everyone signed in may look). */
    async supplementarySeats(actor: Actor) {
      authorize(actor, 'supplementary.seats.read');
      const cycle = await cycles.current();
      const state = await supplementaryState(cycle);
      return {
        mainRoundId: state.main.id,
        silenceMeansDecline: state.rules.silenceIsDecline,
        declinedMayJoinSupplementary: state.rules.declinedMayJoin,
        schools: state.plans
          .map((p) => ({ school: p.highSchoolId, batch: p.batch, capacity: p.capacity, seatsLeft: state.seats[p.highSchoolId] ?? 0 }))
          .filter((s) => s.seatsLeft > 0)
          .sort((x, y) => x.batch - y.batch || (x.school < y.school ? -1 : 1)),
      };
    },
  };
}

export type RoundService = ReturnType<typeof createRoundService>;

/**
 * Seats left per school for 补录 and who may apply, from the published main
 * round (null before one is published). The one place both the rounds and the
 * student's 补录 choices count seats, so they never disagree.
 */
export async function loadSupplementaryState(repos: Pick<Repositories, 'rounds'>, cycle: { id: string; year: number; policy: unknown }) {
  const rounds = repos.rounds;
  const main = await rounds.findPublished(cycle.id, 'main');
  if (!main) return null;
  const [plans, placed, answers] = await Promise.all([rounds.plans(cycle.id), rounds.placedStudents(main.id), rounds.answers(main.id)]);
  const rules = supplementaryRules(parseCyclePolicy(cycle.policy, cycle.year));
  const seats = seatsLeft({ capacity: Object.fromEntries(plans.map((p) => [p.highSchoolId, p.capacity])), admitted: placed, answers, silenceIsDecline: rules.silenceIsDecline });
  return { main, plans, placed, answers, rules, seats };
}

export interface RunRoundDeps {
  uow: UnitOfWork<'approvals' | 'audit' | 'cycles' | 'names' | 'resultViews' | 'rounds'>;
  clock: Clock;
  /** Reports progress (0..100) to the job as well; the round row is updated too. */
  progress?: (percent: number) => Promise<void>;
}

export interface RunRoundOutcome {
  roundId: string;
  status: string;
  /** True when the round had already run: nothing was done. */
  skipped: boolean;
  invariantsOk?: boolean;
  timings?: Record<string, number>;
}

/**
 * The job: builds the instance from the database, allocates, checks the result
 * independently and stores everything in one transaction. Idempotent: a round
 * that already has its result is left alone; a retry after a crash replaces
 * any rows a previous attempt wrote, so one result is stored.
 */
/**
 * Within a stage (server/domain/rounds/stages.ts) a heartbeat moves the number by one every PROGRESS_BEAT_MS
 * (the computation runs in a thread: the event loop stays free). A report waits for the round row's update,
 * which takes longer while PostgreSQL is busy storing a province: at 1.5 s, reports were up to 2.7 s apart.
 */
const PROGRESS_BEAT_MS = 1_000;

/** Reports the stage of a run and keeps the progress moving inside it; reports go out one at a time, in order. */
class RoundProgress {
  private stage: RoundStage = 'load';
  private percent = 0;
  private pending: Promise<void> = Promise.resolve();
  private busy = false;
  private stopped = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly deps: RunRoundDeps,
    private readonly roundId: string,
  ) {
    this.timer = setInterval(() => {
      if (!this.busy && this.percent < ROUND_STAGES[this.stage][1]) void this.report(this.percent + 1).catch(() => undefined);
    }, PROGRESS_BEAT_MS);
    this.timer.unref();
  }

  /** Enters a stage: progress jumps to the start of its range. */
  async enter(stage: RoundStage): Promise<void> {
    // Stages overlap (the rows are stored while the result is checked; the thread may report allocation
    // before the input is stored): progress never goes back to an earlier stage.
    if (ROUND_STAGES[stage][0] <= this.percent) return;
    this.stage = stage;
    await this.report(ROUND_STAGES[stage][0]);
  }

  /** The run is stored: no more heartbeats, then 100 for the job (the round's row got 100 with its result). */
  async done(): Promise<void> {
    this.stop();
    await this.pending.catch(() => undefined);
    await this.deps.progress?.(100);
  }

  private report(percent: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.percent = percent;
    this.busy = true;
    const next = this.pending
      .catch(() => undefined)
      .then(async () => {
        if (this.stopped) return;
        await this.deps.uow.repos.rounds.setProgress(this.roundId, percent);
        if (this.stopped) return;
        await this.deps.progress?.(percent);
      })
      .finally(() => {
        if (this.pending === next) this.busy = false;
      });
    this.pending = next;
    return next;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}

export async function runRound(deps: RunRoundDeps, roundId: string): Promise<RunRoundOutcome> {
  const stages = new RoundProgress(deps, roundId);
  try {
    return await runRoundStages(deps, roundId, stages);
  } finally {
    stages.stop();
  }
}

async function runRoundStages(deps: RunRoundDeps, roundId: string, stages: RoundProgress): Promise<RunRoundOutcome> {
  const { uow, clock } = deps;
  const rounds = uow.repos.rounds;
  const pgTransaction = uow.pgTransaction;
  if (!pgTransaction) throw new Error('a round runs on the pg pool of a client made by createPrisma (COPY)');
  const { timings, lap } = stopwatch();

  const round = await rounds.findSummary(roundId);
  if (!round) return { roundId, status: 'missing', skipped: true };
  if (round.status === 'succeeded' || round.status === 'published' || round.status === 'failed') {
    return { roundId, status: round.status, skipped: true };
  }
  await rounds.markRunning(roundId, clock.now());
  await stages.enter('load');
  // The thread boots while the schools are read.
  const thread = startRoundThread((stage, ms) => {
    timings[stage === 'allocated' ? 'allocate' : 'check'] = ms;
    void stages.enter(stage === 'allocated' ? 'check' : 'store').catch(() => undefined);
  });
  try {
    const cycle = await uow.repos.cycles.findById(round.cycleId);
    if (!cycle) {
      await rounds.markFailed(roundId, 'cycle not found', clock.now());
      return { roundId, status: 'failed', skipped: false };
    }
    const plans = await rounds.plans(cycle.id);
    let applicants: ApplicantsQuery;
    let supplementary: { seats: Record<string, number>; excluded: string[] } | undefined;
    if (round.kind === 'supplementary') {
      const state = await loadSupplementaryState(uow.repos, cycle);
      if (!state) {
        await rounds.markFailed(roundId, 'no published main round', clock.now());
        return { roundId, status: 'failed', skipped: false };
      }
      // Only students without a kept seat take part (the save refuses the others; this guards the rule).
      const excluded = Object.keys(state.placed).filter((id) => !mayApplySupplementary(state.placed[id], state.answers[id], state.rules));
      supplementary = { seats: state.seats, excluded };
      // Saves are accepted only inside the 补录 window: its close is the deadline.
      const closes = cycle.phases.find((p) => p.phase === 'supplementary')?.closesAt ?? new Date(clock.now().getTime() + 1);
      applicants = { cycleId: cycle.id, kind: 'supplementary', deadline: closes };
    } else {
      const windows = cycle.phases.map((p) => ({ phase: p.phase as Phase, closesAt: p.closesAt }));
      applicants = { cycleId: cycle.id, kind: 'main', deadline: applicationDeadline({ windows }, clock.now()) };
    }
    const quotas = round.kind === 'supplementary' ? [] : await rounds.quotas(cycle.id);
    thread.setup({
      roundId,
      seed: round.seed,
      policy: round.policy as AllocationPolicy,
      plans,
      quotas,
      capacityOverride: supplementary?.seats,
      excluded: supplementary?.excluded,
      rowExplanations: round.kind !== 'simulation',
    });
    lap('loadSchools');
    return await runInThread({ deps, roundId, stages, timings, lap }, thread, applicants, pgTransaction);
  } finally {
    void thread.terminate().catch(() => undefined); // not waited for: the round is stored, its job may complete now
  }
}

/** What the last stages of a run share. */
interface RunContext {
  deps: RunRoundDeps;
  roundId: string;
  stages: RoundProgress;
  timings: Record<string, number>;
  lap: (name: string) => void;
}

/**
 * One transaction (server/repositories/round.repository.ts, the bulk path): the
 * applicants stream from PostgreSQL into the round's thread (server/infra/round-compute.ts),
 * and what the thread writes streams back into PostgreSQL as it comes: the input's text,
 * the assignment rows, the result's text (COPY), then the round's status. A second attempt
 * of the same round waits for the first and finds it finished.
 */
async function runInThread(
  ctx: RunContext,
  thread: RoundThread,
  applicants: ApplicantsQuery,
  pgTransaction: NonNullable<UnitOfWork['pgTransaction']>,
): Promise<RunRoundOutcome> {
  const { deps, roundId, stages, timings, lap } = ctx;
  const { clock } = deps;
  let outcome: { status: string; invariantsOk?: boolean };
  try {
    outcome = await pgTransaction(async (client) => {
      const current = await claimRoundOn(client, roundId);
      if (current !== 'running') return { status: current ?? 'missing' }; // another attempt finished first
      await streamApplicantsOn(client, applicants, (bytes) => thread.applicants(bytes));
      thread.applicantsEnd();
      lap('readApplicants');
      await clearRoundRowsOn(client, roundId);
      const inputSha256 = await copyRoundTextOn(client, roundId, 'input', thread.pieces('input'));
      lap('input');
      void stages.enter('allocate').catch(() => undefined);
      await copyAssignmentsOn(client, roundId, thread.pieces('assignments'));
      lap('assignments');
      const resultSha256 = await copyRoundTextOn(client, roundId, 'result', thread.pieces('result'));
      lap('result');
      const inputEnd = thread.end('input');
      const end = thread.end('result');
      const status = end.invariantsOk ? 'succeeded' : 'failed';
      await attachAssignmentsOn(client, roundId);
      await finishRoundOn(client, roundId, {
        inputSummary: inputEnd.summary,
        resultSummary: end.summary,
        cutoffTotals: end.cutoffTotals,
        inputSha256,
        resultSha256,
        invariantsOk: end.invariantsOk,
        status,
        error: end.invariantsOk ? null : `invariants violated:\n${end.violations.join('\n')}`,
        finishedAt: clock.now(),
      });
      for (const [name, ms] of Object.entries(end.timings)) timings[`thread.${name}`] = ms;
      return { status, invariantsOk: end.invariantsOk };
    });
  } catch (error) {
    if (!(error instanceof InvalidRoundInput)) throw error;
    await deps.uow.repos.rounds.markFailed(roundId, `invalid input: ${error.message}`, clock.now());
    return { roundId, status: 'failed', skipped: false };
  }
  lap('commit');
  await stages.done();
  return { roundId, status: outcome.status, skipped: false, invariantsOk: outcome.invariantsOk, timings };
}
