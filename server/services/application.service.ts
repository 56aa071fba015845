import type { Clock } from '../clock';
import type { ApplicationKind, Prisma } from '../db';
import type { Grade } from '../domain/allocation/types';
import { checkChoices, normalizeChoices, type ChoiceSchool, type Choices } from '../domain/applications/choices';
import { schoolEligibility, refusalReasons, type Reason } from '../domain/applications/eligibility';
import { maxChoicesFor, maxChoicesPerBatch } from '../domain/cycle-policy';
import { reasonText, type Lang } from '../domain/applications/reasons';
import { phaseAt, windowOf, type Phase } from '../domain/schedule/schedule';
import { mayApplySupplementary } from '../domain/rounds/confirmation';
import { loadSupplementaryState } from './round.service';
import { AppError } from '../errors';
import { isActionAllowed, type PhaseAction } from '../domain/schedule/actions';
import { authorize, studentScope } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { PublicUser } from './auth.service';
import type { CurrentCycle, CycleService } from './cycle.service';
import { loadStudentRanking, withGuidance } from './ranking.service';
import type { ReceiptIssuer } from './receipt.service';

/** The phase in which each kind of application is open. */
export const APPLICATION_PHASE: Record<ApplicationKind, Phase> = { main: 'applications_open', supplementary: 'supplementary' };
/** The action of the phase table (server/domain/schedule/actions.ts) that saves each kind. */
const SAVE_ACTION = { main: 'applications.save-main', supplementary: 'applications.save-supplementary' } as const satisfies Record<ApplicationKind, PhaseAction>;

export interface ApplicationDeps {
  uow: UnitOfWork<'applications' | 'cycles' | 'ranking' | 'rounds'>;
  cycles: CycleService;
  clock: Clock;
  /** Signs the receipt (回执) every save answers with (server/services/receipt.service.ts). */
  receipts?: ReceiptIssuer;
}

export interface RenderedReason {
  code: string;
  message: string;
}

export const renderReasons = (reasons: Reason[], lang: Lang): RenderedReason[] =>
  reasons.map((r) => ({ code: r.code, message: reasonText(r.code, lang, r.params) }));

/** The caller's student record, or 404: a student account reaches only its own record. */
export async function loadStudent(uow: UnitOfWork<'applications' | 'cycles' | 'ranking' | 'rounds'>, actor: PublicUser) {
  const scope = studentScope(actor);
  const student = actor.studentId ? await uow.repos.applications.findStudent(scope, actor.studentId) : null;
  if (!student) throw new AppError('NOT_FOUND');
  return { student, scope };
}

export type PortalStudent = Awaited<ReturnType<typeof loadStudent>>['student'];

/**
 * The student's own cycle and the phase the server's clock puts it in, for
 * reading (a student of an archived year still sees their data, as closed).
 * Writes go through `cycles.requireAction`, which also needs it to be current.
 */
export async function loadStudentCycle(uow: UnitOfWork<'applications' | 'cycles' | 'ranking' | 'rounds'>, clock: Clock, student: Pick<PortalStudent, 'cycleId'>): Promise<CurrentCycle> {
  const cycle = await uow.repos.cycles.findById(student.cycleId);
  if (!cycle) throw new AppError('NO_ACTIVE_CYCLE');
  const now = clock.now();
  const windows = cycle.phases.map((p) => ({ phase: p.phase as Phase, opensAt: p.opensAt, closesAt: p.closesAt }));
  const phase: Phase = cycle.status === 'archived' ? 'closed' : phaseAt(windows, now);
  return { id: cycle.id, year: cycle.year, name: cycle.name, seed: cycle.seed, policy: cycle.policy, windows, phase, serverTime: now };
}

/** The student as the eligibility rules see them. */
export function eligibilityStudent(student: PortalStudent) {
  return {
    region: student.regionCode,
    junior: student.juniorSchoolId,
    total: student.total,
    evaluation: student.evaluation as Grade,
    quotaEligible: student.quotaEligible,
  };
}

/**
 * The schools of the student's cycle as the choice rules see them (batch,
 * scope, minimums, quota seats at the student's junior school and, for the
 * supplementary round, the seats left after round 1 and its declines), each
 * with its plan. Eligibility is left to the caller: a save checks only the
 * schools listed (checkChoices), a page shows every one (loadSchoolOptions).
 */
export async function loadChoiceSchools(uow: UnitOfWork<'applications' | 'cycles' | 'ranking' | 'rounds'>, student: PortalStudent, kind: ApplicationKind) {
  const repo = uow.repos.applications;
  const [plans, quotas] = await Promise.all([
    repo.listPublishedPlans(student.cycleId),
    repo.quotasForJunior(student.cycleId, student.juniorSchoolId),
  ]);
  const quotaBySchool = new Map(quotas.map((q) => [q.highSchoolId, q.seats]));
  // 补录: the seats left as the supplementary round itself counts them (declines, and silence where the policy says so).
  let seatsLeft: Record<string, number> | undefined;
  if (kind === 'supplementary') seatsLeft = (await supplementaryStateOf(uow, student.cycleId))?.seats ?? {};
  return plans.map((plan) => {
    const school: ChoiceSchool = {
      id: plan.highSchoolId,
      batch: plan.batch,
      region: plan.highSchool.regionCode,
      regionName: plan.highSchool.region.name,
      scope: plan.highSchool.scope,
      minScore: plan.minScore,
      minEvaluation: plan.minEvaluation as Grade | null,
      quotaSeatsForJunior: quotaBySchool.get(plan.highSchoolId) ?? 0,
      quotaMinScore: plan.quotaMinScore,
      quotaMinEvaluation: plan.quotaMinEvaluation as Grade | null,
      ...(seatsLeft ? { seatsLeft: seatsLeft[plan.highSchoolId] ?? 0 } : {}),
    };
    return { plan, school };
  });
}

/**
 * The schools a student may list, with plan, last year's cutoff, quota seats
 * at the student's junior school, open/quota eligibility and, for the
 * supplementary round, the seats left after round 1 and its declines.
 */
export async function loadSchoolOptions(uow: UnitOfWork<'applications' | 'cycles' | 'ranking' | 'rounds'>, student: PortalStudent, kind: ApplicationKind) {
  const me = eligibilityStudent(student);
  return (await loadChoiceSchools(uow, student, kind)).map(({ plan, school }) => ({ plan, school, eligibility: schoolEligibility(me, school) }));
}

type SchoolOptions = Awaited<ReturnType<typeof loadSchoolOptions>>;

/** The options as the API shows them, grouped by batch, reasons in the caller's language. */
export function presentOptions(options: SchoolOptions, limits: Record<string, number>, lang: Lang) {
  const batches = new Map<number, ReturnType<typeof presentOne>[]>();
  function presentOne({ plan, school, eligibility }: SchoolOptions[number]) {
    const h = plan.highSchool;
    return {
      id: h.id,
      name: h.name,
      batch: plan.batch,
      ownership: h.ownership,
      scope: h.scope,
      quality: h.quality,
      region: { code: h.regionCode, name: h.region.name, nameEn: h.region.nameEn },
      capacity: plan.capacity,
      previousCutoff: plan.previousCutoff,
      minScore: plan.minScore,
      minEvaluation: plan.minEvaluation,
      quotaSeats: school.quotaSeatsForJunior,
      seatsLeft: school.seatsLeft ?? null,
      open: { eligible: eligibility.open.eligible, reasons: renderReasons(eligibility.open.reasons, lang) },
      quota: { eligible: eligibility.quota.eligible, reasons: renderReasons(eligibility.quota.reasons, lang) },
      canList: eligibility.any && (school.seatsLeft === undefined || school.seatsLeft > 0),
      refusal: renderReasons(
        school.seatsLeft !== undefined && school.seatsLeft <= 0 ? [{ code: 'noSeatsLeft', params: {} }] : refusalReasons(eligibility),
        lang,
      ),
    };
  }
  for (const option of options) {
    if (option.school.seatsLeft !== undefined && option.school.seatsLeft <= 0) continue;
    const list = batches.get(option.plan.batch) ?? [];
    list.push(presentOne(option));
    batches.set(option.plan.batch, list);
  }
  return [...batches.entries()]
    .sort(([a], [b]) => a - b)
    .map(([batch, schools]) => ({ batch, maxChoices: maxChoicesFor(limits, batch), schools }));
}

async function supplementaryStateOf(uow: UnitOfWork<'applications' | 'cycles' | 'ranking' | 'rounds'>, cycleId: string) {
  const cycle = await uow.repos.cycles.findById(cycleId);
  return cycle ? loadSupplementaryState(uow.repos, cycle) : null;
}

/** Students placed in round 1 who kept their seat (by the policy's rule for silence) stay out of 补录. */
async function requireSupplementaryParticipant(uow: UnitOfWork<'applications' | 'cycles' | 'ranking' | 'rounds'>, student: PortalStudent) {
  const state = await supplementaryStateOf(uow, student.cycleId);
  if (!state) throw new AppError('NO_PUBLISHED_ROUND');
  if (!mayApplySupplementary(state.placed[student.id], state.answers[student.id], state.rules)) throw new AppError('NOT_IN_SUPPLEMENTARY');
}

function isInCycle(cycle: CurrentCycle, student: PortalStudent) {
  return cycle.id === student.cycleId;
}

function choiceLabel(batch: number, index: number | undefined, name: string | undefined) {
  const zh = index === undefined ? `第 ${batch} 批次` : `第 ${batch} 批次第 ${index + 1} 志愿${name ? `（${name}）` : ''}`;
  const en = index === undefined ? `Batch ${batch}` : `Batch ${batch}, choice ${index + 1}${name ? ` (${name})` : ''}`;
  return { zh, en };
}

/**
 * 志愿: reading, saving (versioned, all-or-nothing) and the history of a
 * student's application. Saving is allowed only in the kind's phase, by the
 * server's clock; after it the application is read-only.
 */
export function createApplicationService(deps: ApplicationDeps) {
  const { uow, cycles, clock, receipts } = deps;
  const repo = uow.repos.applications;

  return {
    async get(actor: PublicUser, props: { kind: ApplicationKind; lang: Lang }) {
      authorize(actor, 'student.application.read');
      const { student, scope } = await loadStudent(uow, actor);
      const cycle = await loadStudentCycle(uow, clock, student);
      const application = await repo.findApplication(scope, { studentId: student.id, cycleId: student.cycleId, kind: props.kind });
      const limits = maxChoicesPerBatch(cycle.policy);
      const options = presentOptions(await loadSchoolOptions(uow, student, props.kind), limits, props.lang);
      // Each school with last year's cutoff rank and the 冲/稳/保 band for this student (issue 17).
      const ranking = await loadStudentRanking(uow, student, cycle);
      const phase = APPLICATION_PHASE[props.kind];
      let participant = true;
      if (props.kind === 'supplementary') {
        participant = await requireSupplementaryParticipant(uow, student).then(() => true, () => false);
      }
      return {
        kind: props.kind,
        version: application?.version ?? 0,
        status: application?.status ?? null,
        choices: (application?.choices ?? {}) as Choices,
        savedAt: application?.submittedAt ?? null,
        editable: isActionAllowed(SAVE_ACTION[props.kind], cycle.phase) && participant,
        phase: cycle.phase,
        deadline: windowOf(cycle.windows, phase)?.closesAt ?? null,
        serverTime: cycle.serverTime,
        limits,
        rank: ranking.rank,
        batches: withGuidance(options, ranking),
      };
    },

    /** Saves a new version of the choices if `baseVersion` is still the stored one; else 409 and nothing changes. */
    async save(actor: PublicUser, props: { kind: ApplicationKind; baseVersion: number; choices: Choices; lang: Lang }) {
      authorize(actor, 'student.application.save');
      const { student, scope } = await loadStudent(uow, actor);
      const cycle = await cycles.requireAction(SAVE_ACTION[props.kind]);
      if (!isInCycle(cycle, student)) throw new AppError('PHASE_CLOSED', { params: { phase: 'closed' } });
      if (props.kind === 'supplementary') await requireSupplementaryParticipant(uow, student);

      const choices = normalizeChoices(props.choices);
      const limits = maxChoicesPerBatch(cycle.policy);
      // Eligibility of the listed schools only (checkChoices), not of every school of the city.
      const options = await loadChoiceSchools(uow, student, props.kind);
      const schools = new Map(options.map((o) => [o.school.id, o.school]));
      const names = new Map(options.map((o) => [o.school.id, o.plan.highSchool.name]));
      const problems = checkChoices({ choices, student: eligibilityStudent(student), schools, limits });
      if (problems.length > 0) {
        const details = problems.map((p) => ({
          field: p.field,
          batch: p.batch,
          index: p.index,
          school: p.school,
          reasons: renderReasons(p.reasons, props.lang),
        }));
        const first = problems[0];
        const label = choiceLabel(first.batch, first.index, first.school ? names.get(first.school) ?? first.school : undefined);
        throw new AppError('CHOICE_REFUSED', {
          field: first.field,
          params: {
            label: label.zh,
            labelEn: label.en,
            reasonZh: first.reasons.map((r) => reasonText(r.code, 'zh-CN', r.params)).join('；'),
            reasonEn: first.reasons.map((r) => reasonText(r.code, 'en', r.params)).join('; '),
          },
          details,
        });
      }

      const at = clock.now();
      const target = { studentId: student.id, cycleId: student.cycleId, kind: props.kind };
      const version = await repo.saveVersion({ ...target, baseVersion: props.baseVersion, choices: choices as Prisma.InputJsonValue, savedBy: actor.id, at });
      if (version === null) {
        const current = await repo.currentVersion(target);
        throw new AppError('APPLICATION_VERSION_CONFLICT', { params: { current }, details: { currentVersion: current } });
      }
      const receipt = receipts?.issue({ student, cycle, kind: props.kind, version, choices, savedAt: at });
      return { kind: props.kind, version, choices, savedAt: at, receipt };
    },

    async history(actor: PublicUser, props: { kind: ApplicationKind }) {
      authorize(actor, 'student.application.read');
      const { student, scope } = await loadStudent(uow, actor);
      const application = await repo.findApplication(scope, { studentId: student.id, cycleId: student.cycleId, kind: props.kind });
      if (!application) return { kind: props.kind, versions: [], schools: {}, receipt: null };
      const [versions, plans, cycle] = await Promise.all([
        repo.listVersions(scope, application.id),
        repo.listPublishedPlans(student.cycleId),
        uow.repos.cycles.findById(student.cycleId),
      ]);
      // The newest version's receipt, signed again: Ed25519 is deterministic, so it is the very receipt the save answered.
      const latest = versions[0];
      const receipt =
        latest && cycle && receipts
          ? receipts.issue({ student, cycle, kind: props.kind, version: latest.version, choices: latest.choices as Choices, savedAt: latest.savedAt })
          : null;
      return {
        kind: props.kind,
        /** School id -> name, to show the lists by name. */
        schools: Object.fromEntries(plans.map((p) => [p.highSchoolId, p.highSchool.name])),
        versions: versions.map((v) => ({ version: v.version, choices: v.choices as Choices, savedAt: v.savedAt, byMe: v.savedBy === actor.id })),
        receipt,
      };
    },
  };
}

export type ApplicationService = ReturnType<typeof createApplicationService>;
