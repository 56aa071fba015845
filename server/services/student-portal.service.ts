import type { Clock } from '../clock';
import type { Grade } from '../domain/allocation/types';
import { explainAssignment } from '../domain/applications/explain';
import { nextStep } from '../domain/applications/next-step';
import { maxChoicesPerBatch } from '../domain/applications/policy';
import type { Lang } from '../domain/applications/reasons';
import { PHASE_NAMES, windowOf } from '../domain/schedule/schedule';
import type { StudentScope } from '../policies';
import type { UnitOfWork } from '../repositories';
import { createReadCache } from '../repositories/read-cache';
import { loadSchoolOptions, loadStudent, loadStudentCycle, presentOptions, renderReasons, type PortalStudent } from './application.service';
import type { PublicUser } from './auth.service';
import type { CycleService } from './cycle.service';

/**
 * The student's portal (phones first): one page with scores, phase and
 * deadline, quota seats, the schools open to them; the published result with
 * its reasons (confirming the seat is the rounds area's
 * POST /api/rounds/:id/confirmations).
 */
export function createStudentPortalService(deps: { uow: UnitOfWork; cycles: CycleService; clock: Clock }) {
  const { uow, cycles, clock } = deps;
  const repo = uow.repos.applications;
  // A published round's result never changes: its cutoffs are read once per process, not per student.
  const roundSchools = createReadCache({ ttlMs: Number.POSITIVE_INFINITY, maxEntries: 8 });
  const publishedRoundSchools = (roundId: string) => roundSchools.get(roundId, () => repo.publishedRoundSchools(roundId));

  async function publishedResult(student: PortalStudent, scope: StudentScope) {
    const assignment = await repo.latestPublishedAssignment(scope, { studentId: student.id, cycleId: student.cycleId, kinds: ['main', 'supplementary'] });
    if (!assignment) return null;
    const confirmation = await repo.findConfirmation(scope, { roundId: assignment.round.id, studentId: student.id });
    return { assignment, confirmation };
  }

  return {
    async overview(actor: PublicUser, lang: Lang) {
      const { student, scope } = await loadStudent(uow, actor);
      const cycle = await loadStudentCycle(uow, clock, student);
      const options = await loadSchoolOptions(uow, student, 'main');
      const limits = maxChoicesPerBatch(cycle.policy);
      const [application, supplementary, result] = await Promise.all([
        repo.findApplication(scope, { studentId: student.id, cycleId: student.cycleId, kind: 'main' }),
        repo.findApplication(scope, { studentId: student.id, cycleId: student.cycleId, kind: 'supplementary' }),
        publishedResult(student, scope),
      ]);
      const phaseWindow = windowOf(cycle.windows, cycle.phase);
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
        cycle: {
          year: cycle.year,
          name: cycle.name,
          phase: cycle.phase,
          phaseName: PHASE_NAMES[cycle.phase][lang],
          phaseClosesAt: phaseWindow?.closesAt ?? null,
          applicationDeadline: windowOf(cycle.windows, 'applications_open')?.closesAt ?? null,
          serverTime: cycle.serverTime,
        },
        quotaSeats,
        batches: presentOptions(options, limits, lang),
        application: application ? { version: application.version, savedAt: application.submittedAt } : null,
        next: nextStep({
          phase: cycle.phase,
          hasApplication: application !== null,
          placed: result ? result.assignment.highSchoolId !== null : undefined,
          decision: result?.confirmation?.decision ?? null,
          hasSupplementaryApplication: supplementary !== null,
        }),
      };
    },

    async result(actor: PublicUser, lang: Lang) {
      const { student, scope } = await loadStudent(uow, actor);
      const cycle = await loadStudentCycle(uow, clock, student);
      const found = await publishedResult(student, scope);
      if (!found) return { published: false as const, phase: cycle.phase };
      const { assignment, confirmation } = found;
      const [plans, schools] = await Promise.all([repo.listPublishedPlans(student.cycleId), publishedRoundSchools(assignment.round.id)]);
      const planMap = new Map(
        plans.map((p) => [
          p.highSchoolId,
          {
            name: p.highSchool.name,
            region: p.highSchool.region.name,
            minScore: p.minScore,
            minEvaluation: p.minEvaluation as Grade | null,
            quotaMinScore: p.quotaMinScore,
            quotaMinEvaluation: p.quotaMinEvaluation as Grade | null,
          },
        ]),
      );
      const explanations = explainAssignment({
        explanation: assignment.explanation,
        schools: schools ?? undefined,
        student: { total: student.total, evaluation: student.evaluation as Grade, junior: student.juniorSchoolId },
        plans: planMap,
      }).map((e) => ({
        school: { id: e.school, name: planMap.get(e.school)?.name ?? e.school },
        batch: e.batch,
        reasons: renderReasons(e.reasons, lang),
      }));
      const placed = assignment.highSchoolId !== null;
      const confirmWindow = windowOf(cycle.windows, 'confirmation');
      return {
        published: true as const,
        phase: cycle.phase,
        round: { id: assignment.round.id, kind: assignment.round.kind, publishedAt: assignment.round.publishedAt },
        placed,
        school: placed ? { id: assignment.highSchoolId!, name: planMap.get(assignment.highSchoolId!)?.name ?? assignment.highSchoolId! } : null,
        seat: assignment.seat,
        batch: assignment.batch,
        total: student.total,
        explanations,
        confirmation,
        canConfirm: placed && !confirmation && assignment.round.kind === 'main' && cycle.phase === 'confirmation',
        confirmationDeadline: confirmWindow?.closesAt ?? null,
      };
    },
  };
}

export type StudentPortalService = ReturnType<typeof createStudentPortalService>;
