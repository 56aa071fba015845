import type { Clock } from '../clock';
import { isActionAllowed } from '../domain/schedule/actions';
import { yearOfStudents, yearRules, type RoundPlacementRow } from '../domain/admissions/year-placements';
import { mayJoinSupplementary, nextStep, type StudentState } from '../domain/applications/next-step';
import { maxChoicesPerBatch, parseCyclePolicy } from '../domain/cycle-policy';
import type { Lang } from '../domain/applications/reasons';
import { PHASE_NAMES, windowOf } from '../domain/schedule/schedule';
import { authorize, can, type StudentScope } from '../policies';
import type { UnitOfWork } from '../repositories';
import { createReadCache } from '../repositories/read-cache';
import { loadSchoolOptions, loadStudent, loadStudentCycle, presentOptions, renderReasons, type PortalStudent } from './application.service';
import type { PublicUser } from './auth.service';
import type { CurrentCycle, CycleService } from './cycle.service';
import type { PublishedRoundRef } from '../repositories/year-placements';
import type { StoredResultHead, StoredResultRow } from '../repositories/result-view.repository';
import { explainStudent, placementRowsOf, viewPlans, type StoredSection } from '../domain/admissions/result-view';
import { createHash } from 'node:crypto';
import { loadStudentRanking, withGuidance } from './ranking.service';

/** Rendered result bodies kept per API process (about 3 KB each), and for how long. */
const RENDERED_RESULT_ENTRIES = 10_000;
const RENDERED_RESULT_TTL_MS = 10 * 60_000;

/** The stored view changed between the head and the view read. */
class ViewRewritten extends Error {}

/** A cycle's typed policy, parsed once per cached cycle row (the read cache hands out the same object). */
const parsedPolicies = new WeakMap<object, ReturnType<typeof parseCyclePolicy>>();
function policyOf(cycle: CurrentCycle) {
  const stored = cycle.policy;
  if (!stored || typeof stored !== 'object') return parseCyclePolicy(stored, cycle.year);
  let policy = parsedPolicies.get(stored);
  if (!policy) parsedPolicies.set(stored, (policy = parseCyclePolicy(stored, cycle.year)));
  return policy;
}

/**
 * The student's portal (phones first): one page with scores, phase and
 * deadline, quota seats, the schools open to them; the published result with
 * its reasons (confirming the seat is the rounds area's
 * POST /api/rounds/:id/confirmations).
 */
export function createStudentPortalService(deps: { uow: UnitOfWork<'applications' | 'cycles' | 'ranking' | 'resultViews' | 'rounds'>; cycles: CycleService; clock: Clock }) {
  const { uow, cycles, clock } = deps;
  const repo = uow.repos.applications;
  // A published round's result never changes: its cutoffs are read once per process, not per student.
  const roundSchools = createReadCache({ ttlMs: Number.POSITIVE_INFINITY, maxEntries: 8 });
  const publishedRoundSchools = (roundId: string) => roundSchools.get(roundId, () => repo.publishedRoundSchools(roundId));
  const publishedRoundTieBreak = (roundId: string) => roundSchools.get(`tieBreak:${roundId}`, () => uow.repos.resultViews.roundTieBreak(roundId));

  /**
   * The student's year as it stands: round 1 (placed or not, the answer), 补录
   * (if they took part), the cycle's two rules, and the next step computed
   * from all of it: every page shows the same step.
   */
  async function studentYear(student: PortalStudent, scope: StudentScope, cycle: CurrentCycle) {
    const policy = parseCyclePolicy(cycle.policy, cycle.year);
    const [year, application, supplementaryApplication] = await Promise.all([
      repo.studentYear(scope, { studentId: student.id, cycleId: student.cycleId }),
      repo.findApplication(scope, { studentId: student.id, cycleId: student.cycleId, kind: 'main' }),
      repo.findApplication(scope, { studentId: student.id, cycleId: student.cycleId, kind: 'supplementary' }),
    ]);
    const mainRow = year.rows.find((r) => r.round === 'main');
    const supplementaryRow = year.rows.find((r) => r.round === 'supplementary');
    const standing = yearOfStudents(year.rows, yearRules(policy, cycle.phase)).get(student.id);
    const state: StudentState = {
      phase: cycle.phase,
      hasApplication: application !== null,
      // A student absent from round 1 (no application) is unplaced in it.
      placed: year.main ? (mainRow?.highSchoolId ?? null) !== null : undefined,
      decision: mainRow?.decision ?? null,
      silenceIsDecline: policy.silenceCountsAsDecline,
      declinedMayJoinSupplementary: policy.declinedMayJoinSupplementary,
      hasSupplementaryApplication: supplementaryApplication !== null,
      supplementaryPlaced: year.supplementary && supplementaryRow ? supplementaryRow.highSchoolId !== null : undefined,
    };
    return { policy, year, mainRow, supplementaryRow, standing, application, state, next: nextStep(state) };
  }

  /**
   * The application the student can act on now, and its deadline: 补录 from
   * round 1's publication on for those who may take part, the main
   * application before; none otherwise.
   */
  function actionableDeadline(cycle: CurrentCycle, state: StudentState): { kind: 'main' | 'supplementary' | null; closesAt: Date | null } {
    if (['setup', 'plans_published', 'applications_open', 'applications_closed'].includes(cycle.phase)) {
      return { kind: 'main', closesAt: windowOf(cycle.windows, 'applications_open')?.closesAt ?? null };
    }
    if (['round1', 'confirmation', 'supplementary'].includes(cycle.phase) && state.supplementaryPlaced === undefined) {
      // Before 补录 opens, silence is not yet counted as anything.
      const joins = mayJoinSupplementary(cycle.phase === 'supplementary' ? state : { ...state, silenceIsDecline: false });
      if (joins) return { kind: 'supplementary', closesAt: windowOf(cycle.windows, 'supplementary')?.closesAt ?? null };
    }
    return { kind: null, closesAt: null };
  }

  /**
   * A rendered result body (JSON text) per student and ETag: the ETag names
   * everything the body is made of (the stored view's version, the answer,
   * the applications, the phase, the rules, the language), so an entry is
   * never stale, only unused. Bounded: a student reading again hits it.
   */
  const renderedResults = createReadCache({ ttlMs: RENDERED_RESULT_TTL_MS, maxEntries: RENDERED_RESULT_ENTRIES });

  /**
   * The published result from the view stored at publication (results
   * night): the head of the stored result (rounds, version, the answer, the
   * applications) from one prepared statement, the cycle and its published
   * rounds from the read cache; then the body from the rendered-body cache,
   * or read and rendered once. Null when there is no view, or it is not of
   * the rounds this process sees published (a publication in another
   * process, within the cache's TTL): the caller then builds the result from
   * the rounds. `unchanged(etag)`: the caller holds this one (json null).
   */
  async function resultFromView(actor: PublicUser, lang: Lang, unchanged: (etag: string) => boolean) {
    const studentId = can(actor, 'student.result.read') ? actor.studentId : null;
    if (!studentId) return null;
    const head = await uow.repos.resultViews.findHeadForStudent(studentId);
    if (!head) return null;
    const cycle = await loadStudentCycle(uow, clock, head);
    const [mainRound, supplementaryRound] = await Promise.all([
      uow.repos.rounds.findPublished(cycle.id, 'main'),
      uow.repos.rounds.findPublished(cycle.id, 'supplementary'),
    ]);
    if (mainRound?.id !== head.mainRoundId || (supplementaryRound?.id ?? null) !== head.supplementaryRoundId) return null;
    const etag = resultTag(head, cycle, lang);
    if (unchanged(etag)) return { etag, json: null };
    const json = await renderedResults
      .get(`${studentId}|${etag}`, async () => {
        const view = await uow.repos.resultViews.findView(studentId, head.version);
        // Rewritten since the head was read (a 补录 published in between): not cached, built from the rounds.
        if (!view) throw new ViewRewritten();
        return JSON.stringify(renderStoredResult(studentId, { ...head, view }, cycle, lang));
      })
      .catch((error: unknown) => {
        if (error instanceof ViewRewritten) return null;
        throw error;
      });
    return json === null ? null : { etag, json };
  }

  /**
   * The ETag of a stored result as the student sees it now: the view's
   * version and everything the read adds to it (the answer, the
   * applications, the phase and the confirmation deadline, the cycle's two
   * rules, the language).
   */
  function resultTag(stored: StoredResultHead, cycle: CurrentCycle, lang: Lang): string {
    const policy = policyOf(cycle);
    const key = [
      stored.version,
      lang,
      cycle.id,
      cycle.phase,
      stored.decision ?? '',
      stored.decidedAt?.toISOString() ?? '',
      stored.hasMainApplication,
      stored.hasSupplementaryApplication,
      windowOf(cycle.windows, 'confirmation')?.closesAt.toISOString() ?? '',
      policy.silenceCountsAsDecline,
      policy.declinedMayJoinSupplementary,
    ].join('|');
    return `W/"r-${createHash('sha1').update(key).digest('base64url')}"`;
  }

  /** The body of GET /api/student/result from a stored view: the same as `result` builds from the rounds. */
  function renderStoredResult(studentId: string, stored: StoredResultRow, cycle: CurrentCycle, lang: Lang) {
    const policy = policyOf(cycle);
    const { view } = stored;
    const decision = view.main.placed ? stored.decision : null;
    const standing = yearOfStudents(placementRowsOf(studentId, view, decision), yearRules(policy, cycle.phase)).get(studentId);
    const state: StudentState = {
      phase: cycle.phase,
      hasApplication: stored.hasMainApplication,
      placed: view.main.placed,
      decision,
      silenceIsDecline: policy.silenceCountsAsDecline,
      declinedMayJoinSupplementary: policy.declinedMayJoinSupplementary,
      hasSupplementaryApplication: stored.hasSupplementaryApplication,
      supplementaryPlaced: view.supplementary ? view.supplementary.placed : undefined,
    };
    const section = (s: StoredSection) => ({
      round: { id: s.round.id, kind: s.round.kind, publishedAt: s.round.publishedAt === null ? null : new Date(s.round.publishedAt) },
      placed: s.placed,
      school: s.school,
      seat: s.seat,
      batch: s.batch,
      explanations: s.explanations.map((e) => ({ school: e.school, batch: e.batch, reasons: renderReasons(e.reasons, lang) })),
    });
    const main = section(view.main);
    const confirmation = main.placed && stored.decision ? { decision: stored.decision, at: stored.decidedAt! } : null;
    const holds = standing?.holds ?? null;
    const holdsSchool = holds ? (holds.round === 'supplementary' ? view.supplementary?.school : view.main.school) : null;
    return {
      published: true as const,
      phase: cycle.phase,
      next: nextStep(state),
      policy: { silenceCountsAsDecline: policy.silenceCountsAsDecline, declinedMayJoinSupplementary: policy.declinedMayJoinSupplementary },
      ...main,
      total: view.total,
      confirmation,
      seatStatus: !main.placed ? null : standing?.main?.keeps ? ('held' as const) : ('givenUp' as const),
      canConfirm: main.placed && !confirmation && isActionAllowed('rounds.confirm', cycle.phase),
      confirmationDeadline: windowOf(cycle.windows, 'confirmation')?.closesAt ?? null,
      supplementary: view.supplementary ? section(view.supplementary) : null,
      holds: holds ? { school: holdsSchool ?? { id: holds.highSchoolId, name: holds.highSchoolId }, round: holds.round } : null,
      mayJoinSupplementary: mayJoinSupplementary(state),
    };
  }

  const base = {
    async overview(actor: PublicUser, lang: Lang) {
      authorize(actor, 'student.overview.read');
      const { student, scope } = await loadStudent(uow, actor);
      const cycle = await loadStudentCycle(uow, clock, student);
      const options = await loadSchoolOptions(uow, student, 'main');
      const limits = maxChoicesPerBatch(cycle.policy);
      const { application, state, next, policy } = await studentYear(student, scope, cycle);
      // 位次 and last year's cutoff ranks (issue 17): cheap, see ranking.service.ts.
      const ranking = await loadStudentRanking(uow, student, cycle);
      const phaseWindow = windowOf(cycle.windows, cycle.phase);
      const deadline = actionableDeadline(cycle, state);
      const quotaSeats = options
        .filter((o) => o.school.quotaSeatsForJunior > 0)
        .map((o) => ({
          highSchool: { id: o.plan.highSchool.id, name: o.plan.highSchool.name },
          batch: o.plan.batch,
          seats: o.school.quotaSeatsForJunior,
          eligible: o.eligibility.quota.eligible,
          reasons: renderReasons(o.eligibility.quota.reasons, lang),
        }));
      return {
        student: {
          id: student.id,
          examNo: student.examNo,
          name: student.name,
          juniorSchool: student.juniorSchool,
          region: student.region,
          scores: student.scores as Record<string, number | null>,
          total: student.total,
          evaluation: student.evaluation,
          quotaEligible: student.quotaEligible,
        },
        /** 位次: city and region rank by the published tie-break order (ties share a rank); null before scores are imported. */
        rank: ranking.rank,
        cycle: {
          year: cycle.year,
          name: cycle.name,
          phase: cycle.phase,
          phaseName: PHASE_NAMES[cycle.phase][lang],
          phaseClosesAt: phaseWindow?.closesAt ?? null,
          /** The deadline of the application the student can act on (补录's during 补录), null when none. */
          applicationDeadline: deadline.closesAt,
          applicationKind: deadline.kind,
          serverTime: cycle.serverTime,
        },
        policy: { silenceCountsAsDecline: policy.silenceCountsAsDecline, declinedMayJoinSupplementary: policy.declinedMayJoinSupplementary },
        quotaSeats,
        batches: withGuidance(presentOptions(options, limits, lang), ranking),
        application: application ? { version: application.version, savedAt: application.submittedAt } : null,
        next,
      };
    },

    /**
     * The published result as the year stands: round 1 (school, seat, why not
     * higher, the answer and what it means) and 补录 as its own section when
     * the student took part; the top-level fields are round 1's, for the
     * confirmation buttons.
     */
    async result(actor: PublicUser, lang: Lang) {
      authorize(actor, 'student.result.read');
      const { student, scope } = await loadStudent(uow, actor);
      const cycle = await loadStudentCycle(uow, clock, student);
      const { policy, year, mainRow, supplementaryRow, standing, state, next } = await studentYear(student, scope, cycle);
      const rules = { silenceCountsAsDecline: policy.silenceCountsAsDecline, declinedMayJoinSupplementary: policy.declinedMayJoinSupplementary };
      if (!year.main) return { published: false as const, phase: cycle.phase, next, policy: rules };
      const plans = await repo.listPublishedPlans(student.cycleId);
      const planMap = viewPlans(plans);
      const schoolOf = (id: string | null) => (id ? { id, name: planMap.get(id)?.name ?? id } : null);

      /** One round's section: where the student was placed and why not higher. */
      async function section(round: PublishedRoundRef, row: RoundPlacementRow | undefined) {
        const [assignment, schools, tieBreak] = await Promise.all([
          row ? repo.publishedAssignment(scope, { studentId: student.id, roundId: round.id }) : Promise.resolve(null),
          row ? publishedRoundSchools(round.id) : Promise.resolve(null),
          row ? publishedRoundTieBreak(round.id) : Promise.resolve(null),
        ]);
        const explanations = assignment
          ? explainStudent({ student, explanation: assignment.explanation, schools, tieBreak, plans: planMap }).map((e) => ({
              school: schoolOf(e.school)!,
              batch: e.batch,
              reasons: renderReasons(e.reasons, lang),
            }))
          : [];
        const placed = (assignment?.highSchoolId ?? null) !== null;
        return {
          round: { id: round.id, kind: round.kind, publishedAt: round.publishedAt },
          placed,
          school: placed ? schoolOf(assignment!.highSchoolId) : null,
          seat: assignment?.seat ?? null,
          batch: assignment?.batch ?? null,
          explanations,
        };
      }

      const main = await section(year.main, mainRow);
      const confirmation = main.placed ? await repo.findConfirmation(scope, { roundId: year.main.id, studentId: student.id }) : null;
      const confirmWindow = windowOf(cycle.windows, 'confirmation');
      /** How the round-1 seat stands: held, or given up (declined, or silent where silence declines once the window closed). */
      const seatStatus = !main.placed ? null : standing?.main?.keeps ? ('held' as const) : ('givenUp' as const);
      const supplementary = year.supplementary && supplementaryRow ? await section(year.supplementary, supplementaryRow) : null;
      return {
        published: true as const,
        phase: cycle.phase,
        next,
        policy: rules,
        ...main,
        total: student.total,
        confirmation,
        seatStatus,
        canConfirm: main.placed && !confirmation && isActionAllowed('rounds.confirm', cycle.phase),
        confirmationDeadline: confirmWindow?.closesAt ?? null,
        /** 补录, when the student took part and it is published. */
        supplementary,
        /** The seat the student holds as the year stands. */
        holds: standing?.holds ? { school: schoolOf(standing.holds.highSchoolId)!, round: standing.holds.round } : null,
        mayJoinSupplementary: mayJoinSupplementary(state),
      };
    },
  };

  return {
    ...base,

    /**
     * GET /api/student/result as JSON text with its ETag: from the view
     * stored at publication when there is one (etag set), else built from the
     * rounds (etag null: Express tags the body itself). `json` is null when
     * `unchanged(etag)` says the caller holds the current one (a 304).
     */
    async resultForRead(
      actor: PublicUser,
      lang: Lang,
      unchanged: (etag: string) => boolean = () => false,
    ): Promise<{ etag: string | null; json: string | null }> {
      authorize(actor, 'student.result.read');
      const fromView = await resultFromView(actor, lang, unchanged);
      return fromView ?? { etag: null, json: JSON.stringify(await base.result(actor, lang)) };
    },
  };
}

export type StudentPortalService = ReturnType<typeof createStudentPortalService>;
