import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { isActionAllowed } from '../domain/schedule/actions';
import type { Clock } from '../clock';
import {
  admissionSheet,
  exportRows,
  queryAdmissions,
  rankRows,
  schoolAdmissionSummary,
  type AdmissionSummary,
  type AdmissionQuery,
  type AdmissionRow,
  type ConfirmationStatus,
  type ExportLang,
  type SchoolResultPart,
} from '../domain/admissions/admission-list';
import { roundTieBreakKeys } from '../domain/admissions/result-view';
import { comparable, tieBreakValues } from '../domain/applications/tie-break';
import { placementsAtSchool, yearOfStudents, yearRules } from '../domain/admissions/year-placements';
import { parseCyclePolicy } from '../domain/cycle-policy';
import { changesSomething, planChangeProblems, type PlanChangeFields, type PlanChanges, type PlanProblem } from '../domain/plans/plan-rules';
import { AppError } from '../errors';
import { authorize, highSchoolScope, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import { createReadCache } from '../repositories/read-cache';
import { maskIdNumber } from './audit.service';
import type { CycleService } from './cycle.service';
import { approvalStep, changesSeatCount } from '../domain/approvals/approvals';
import { approvalsView, type ApprovalsView, type AwaitingApproval } from './approvals';

type Plan = NonNullable<Awaited<ReturnType<UnitOfWork['repos']['admissions']['findPlan']>>>;

function planFields(plan: Pick<Plan, keyof PlanChangeFields | 'batch'>): PlanChangeFields & { batch: number } {
  return {
    capacity: plan.capacity,
    classes: plan.classes,
    batch: plan.batch,
    minScore: plan.minScore,
    minEvaluation: plan.minEvaluation as PlanChangeFields['minEvaluation'],
    quotaPercent: plan.quotaPercent,
    quotaSeats: plan.quotaSeats,
  };
}

/** A plan that breaks a plan rule: 400 PLAN_RULE_BROKEN naming the first field, every problem in details. */
function refuseBrokenPlan(problems: PlanProblem[]): void {
  if (problems.length === 0) return;
  const first = problems[0];
  throw new AppError('PLAN_RULE_BROKEN', { field: `changes.${first.field}`, params: { reasonZh: first.zh, reasonEn: first.en }, details: problems });
}

/**
 * The high school's side of the platform: its plan and change requests (with
 * the bureau's review), and after publication its admission list, cutoffs and
 * the Excel export. Every read resolves the school through the caller's scope
 * first: a school id outside it is NOT_FOUND, like one that does not exist.
 */
/** A decided plan change request (the answer of the decision that completes it). */
interface PlanDecision {
  id: string;
  status: 'approved' | 'rejected';
  note: string | null;
  reviewedAt: Date;
  plan: unknown;
}

/** A summary counted from the list now, with the cutoffs stored at publication (fixed once round 1 is published). */
function withStoredCutoffs(counted: AdmissionSummary, stored: AdmissionSummary): AdmissionSummary {
  if (!counted.cutoffs || !stored.cutoffs) return counted;
  const { capacity, open, reverted, quota } = stored.cutoffs;
  return { ...counted, cutoffs: { ...counted.cutoffs, capacity, open, reverted, quota } };
}

export function createHighSchoolPortalService(deps: { uow: UnitOfWork<'admissions' | 'approvals' | 'audit' | 'resultViews'>; cycles: CycleService; clock: Clock; publishApprovals?: number }) {
  const { uow, cycles, clock } = deps;
  /** Four eyes (PUBLISH_APPROVALS) for approving a change of a plan's seat counts. */
  const requiredApprovals = deps.publishApprovals ?? 1;
  const repo = uow.repos.admissions;
  // A published round never changes: a school's part of its result (read out of a result of tens of MB) and its tie-break keys are read once per process.
  const publishedParts = createReadCache({ ttlMs: Number.POSITIVE_INFINITY, maxEntries: 512 });
  const schoolResultOf = (roundId: string, highSchoolId: string) => publishedParts.get(`result:${roundId}:${highSchoolId}`, () => repo.schoolResult(roundId, highSchoolId));
  const tieBreakOf = (roundId: string) => publishedParts.get(`tieBreak:${roundId}`, () => repo.roundTieBreak(roundId));
  /**
   * The students of a list (names, scores, junior school, region: rows the import writes once) are read once per
   * set of ids, ID numbers already masked; what changes (answers, registrations) is read on every call.
   */
  const listedStudentsOf = (cycleId: string, studentIds: readonly string[]) => {
    const ids = [...new Set(studentIds)].sort();
    const key = `students:${cycleId}:${createHash('sha256').update(ids.join(',')).digest('base64url')}`;
    return publishedParts.get(key, async () => (await repo.listedStudents(cycleId, ids)).map(({ idCardNo, ...student }) => ({ ...student, idCardMasked: maskIdNumber(idCardNo) })));
  };

  /** The school within the caller's scope, as it stood in `cycleId` (names of that year). */
  async function schoolFor(actor: Actor, highSchoolId: string, cycleId?: string) {
    const school = await repo.findHighSchool(highSchoolScope(actor), highSchoolId, cycleId);
    if (!school) throw new AppError('NOT_FOUND');
    return school;
  }

  /** The year a read shows: `cycleId` (any past year) or the current cycle; the school is checked first. */
  async function schoolAndYear(actor: Actor, highSchoolId: string, cycleId?: string) {
    await schoolFor(actor, highSchoolId);
    const cycle = await cycles.forRead(cycleId);
    return { school: await schoolFor(actor, highSchoolId, cycle.id), cycle };
  }

  /**
   * The school's list as the year stands: round-1 seats with each answer
   * (declines stay listed, marked) plus 补录 placements, each row labelled by
   * round and ranked by round 1's priority order; the summary (counts and
   * round 1's cutoffs). `silence` says what an unanswered round-1 seat counts
   * as now (pending while the confirmation window is open). Everything is read
   * for the whole school (1,400 rows at most in a city) and the page is cut in
   * memory: the summary needs every row anyway.
   */
  async function admissionData(actor: Actor, highSchoolId: string, cycleId?: string) {
    const { school, cycle } = await schoolAndYear(actor, highSchoolId, cycleId);
    const policy = parseCyclePolicy(cycle.policy, cycle.year);
    const rules = yearRules(policy, cycle.phase);
    const silence: ConfirmationStatus = !rules.confirmationOver ? 'pending' : rules.silenceIsDecline ? 'declined' : 'confirmed';
    const year = await repo.yearRounds(cycle.id, { highSchoolId: school.id });
    const round = year.supplementary ?? year.main;
    if (!round) return { school, cycle, round: null, rounds: [], silence, rows: [] as AdmissionRow[], summary: schoolAdmissionSummary([], null, new Map(), false) };
    const placements = placementsAtSchool(yearOfStudents(year.rows, rules).values(), school.id);
    const orderRound = year.main ?? round;
    const [students, registered, storedSummary, rawTieBreak] = await Promise.all([
      listedStudentsOf(cycle.id, placements.map((p) => p.studentId)),
      repo.registeredStudentIds(cycle.id, school.id),
      uow.repos.resultViews.findSchoolSummary(cycle.id, school.id),
      tieBreakOf(orderRound.id),
    ]);
    const tieKeys = roundTieBreakKeys(rawTieBreak) ?? [];
    const byId = new Map(students.map((s) => [s.id, s]));
    const unranked = placements.flatMap((p) => {
      const student = byId.get(p.studentId);
      if (!student) return [];
      return [
        {
          key: `${p.round}:${student.examNo}`,
          round: p.round,
          examNo: student.examNo,
          name: student.name,
          gender: student.gender,
          idCardMasked: student.idCardMasked,
          juniorSchool: student.juniorSchool,
          region: { code: student.region.code, name: student.region.name },
          seat: p.seat ?? 'open',
          batch: p.batch,
          scores: (student.scores && typeof student.scores === 'object' ? student.scores : {}) as Record<string, number | null>,
          total: student.total,
          evaluation: student.evaluation,
          confirmation: p.answer,
          holdsSeat: p.holdsSeat,
          // A registration belongs to the seat the student holds here.
          registered: p.holdsSeat && registered.has(student.id),
        },
      ];
    });
    const rows: AdmissionRow[] = rankRows(unranked, (r) =>
      tieBreakValues(tieKeys, { evaluation: r.evaluation, scores: r.scores }).map(comparable),
    );
    // The summary written at publication (result-view.repository.ts rewriteSchoolSummaries): its cutoffs as stored,
    // the counts (which move with answers and registrations) from the list itself; else from the round's result.
    const stored =
      storedSummary && storedSummary.mainRoundId === year.main?.id && storedSummary.supplementaryRoundId === (year.supplementary?.id ?? null) ? storedSummary : null;
    const summary = stored ? withStoredCutoffs(schoolAdmissionSummary(rows, null, new Map(), true), stored.summary) : await summaryFromResult();
    async function summaryFromResult() {
      const result = (year.main ? await schoolResultOf(year.main.id, school.id) : null) as SchoolResultPart | null;
      const quotaJuniors = Object.keys(result?.cutoffs?.quota ?? {});
      // The junior schools named in round 1's quota cutoffs: fixed once it is published.
      const names = new Map(
        (await publishedParts.get(`quotaJuniors:${cycle.id}:${year.main?.id ?? ''}:${school.id}`, () => repo.juniorSchoolNames(cycle.id, quotaJuniors))).map((j) => [j.id, j.name]),
      );
      return schoolAdmissionSummary(rows, result, names, true);
    }
    const rounds = [year.main, year.supplementary].filter((r) => r !== null).map((r) => ({ id: r.id, kind: r.kind, publishedAt: r.publishedAt }));
    return { school, cycle, round, rounds, silence, rows, summary };
  }

  function planView(plan: Plan) {
    const { changeRequests, ...rest } = plan;
    return { plan: rest, requests: changeRequests };
  }

  return {
    /** The school's plan in the current cycle (or `cycleId`, a past year) with its change requests. */
    async plan(actor: Actor, highSchoolId: string, cycleId?: string) {
      authorize(actor, 'highSchool.read');
      const { school, cycle } = await schoolAndYear(actor, highSchoolId, cycleId);
      const plan = await repo.findPlan(cycle.id, school.id);
      const current = cycleId ? await cycles.current().catch(() => null) : cycle;
      return { school, cycle: { id: cycle.id, year: cycle.year, phase: cycle.phase }, canRequestChange: isActionAllowed('plan-requests.request', cycle.phase) && current?.id === cycle.id, ...(plan ? planView(plan) : { plan: null, requests: [] }) };
    },

    /** During setup, a high school proposes changes to its plan; the bureau approves or rejects them. */
    async requestPlanChange(actor: Actor, highSchoolId: string, props: { changes: PlanChanges; reason: string; requestId?: string }) {
      authorize(actor, 'plan.change.request');
      const school = await schoolFor(actor, highSchoolId);
      const cycle = await cycles.requireAction('plan-requests.request');
      const plan = await repo.findPlan(cycle.id, school.id);
      if (!plan) throw new AppError('PLAN_NOT_FOUND');
      if (!changesSomething(planFields(plan), props.changes)) {
        throw new AppError('PLAN_NO_CHANGE', { field: 'changes' });
      }
      refuseBrokenPlan(planChangeProblems(planFields(plan), props.changes, { quality: school.quality, minQuotaPercent: parseCyclePolicy(cycle.policy, cycle.year).quotaPercent }));
      return uow.transaction(async (repos) => {
        const request = await repos.admissions.createPlanChangeRequest({
          planId: plan.id,
          changes: props.changes as Record<string, number | string | null>,
          reason: props.reason,
          requestedBy: actor.id,
        });
        await repos.audit.record({
          actor,
          action: 'plan.change.request',
          entity: 'PlanChangeRequest',
          entityId: request.id,
          after: { highSchoolId: school.id, ...request },
          requestId: props.requestId,
          at: clock.now(),
        });
        return request;
      });
    },

    /** The bureau's queue of change requests (a county bureau: its region's schools only). */
    async listPlanRequests(actor: Actor, status?: 'pending' | 'approved' | 'rejected') {
      authorize(actor, 'plan.change.list');
      const cycle = await cycles.current();
      const requests = await repo.listPlanChangeRequests(highSchoolScope(actor), cycle.id, status);
      const approvals = await uow.repos.approvals.listMany('plan.change', requests.map((r) => r.id));
      return {
        requests: requests.map(({ plan, ...request }) => ({
          ...request,
          highSchool: plan.highSchool,
          plan: { ...plan, highSchool: undefined },
          // Four eyes: approving a change of seat counts takes `required` city-bureau accounts.
          approvals: approvalsView(changesSeatCount(plan, (request.changes ?? {}) as PlanChanges) ? requiredApprovals : 1, approvals.get(request.id)),
        })),
      };
    },

    /** Approves (and applies) or rejects a pending request, in one transaction with its audit entry. */
    async decidePlanRequest(actor: Actor, id: string, props: { approve: boolean; note: string | null; requestId?: string }) {
      const request = await repo.findPlanChangeRequest(highSchoolScope(actor), id);
      if (!request) throw new AppError('NOT_FOUND');
      // Deciding on a plan is editing it: a county bureau decides only for its region's region-scope schools.
      authorize(actor, 'plan.change.decide', request.plan.highSchool);
      const changes = (request.changes ?? {}) as PlanChanges;
      // Four eyes: approving a change of seat counts takes `fourEyes` different city-bureau accounts (none of them a county bureau).
      const fourEyes = props.approve && requiredApprovals > 1 && changesSeatCount(request.plan, changes) ? requiredApprovals : 1;
      if (fourEyes > 1) authorize(actor, 'plan.change.cosign');
      const cycle = await cycles.requireAction('plan-requests.decide');
      if (request.status !== 'pending') throw new AppError('PLAN_REQUEST_DECIDED');
      if (props.approve) {
        refuseBrokenPlan(
          planChangeProblems(planFields(request.plan), changes, { quality: request.plan.highSchool.quality, minQuotaPercent: parseCyclePolicy(cycle.policy, cycle.year).quotaPercent }),
        );
      }
      const now = clock.now();
      return uow.transaction(async (repos): Promise<PlanDecision | AwaitingApproval> => {
        let approvedBy: ApprovalsView['approvedBy'] | undefined;
        if (fourEyes > 1) {
          await repos.approvals.lockSubject('plan.change', id);
          const earlier = await repos.approvals.list('plan.change', id);
          const step = approvalStep(earlier.map((a) => a.userId), actor.id, fourEyes);
          if (step.kind === 'duplicate') throw new AppError('ALREADY_APPROVED');
          const approvals = approvalsView(fourEyes, [...earlier, await repos.approvals.add('plan.change', id, actor.id, now)]);
          if (step.kind === 'awaiting') {
            await repos.audit.record({
              actor,
              action: 'plan.change.approval',
              entity: 'PlanChangeRequest',
              entityId: id,
              before: { request: { status: request.status }, approvals: earlier.length },
              after: { request: { status: request.status, changes }, approvals: approvals.count, required: fourEyes, approvedBy: approvals.approvedBy, note: props.note },
              requestId: props.requestId,
              at: now,
            });
            return { status: 'awaiting_approval', approvals: approvals.count, required: fourEyes, approvedBy: approvals.approvedBy };
          }
          approvedBy = approvals.approvedBy;
        }
        const status = props.approve ? 'approved' : 'rejected';
        const count = await repos.admissions.decidePlanChangeRequest(id, { status, reviewedBy: actor.id, reviewedAt: now, note: props.note });
        if (count === 0) throw new AppError('PLAN_REQUEST_DECIDED');
        const { highSchool: _school, ...before } = request.plan;
        const plan = props.approve ? await repos.admissions.updatePlan(request.plan.id, changes) : before;
        await repos.audit.record({
          actor,
          action: props.approve ? 'plan.change.approve' : 'plan.change.reject',
          entity: 'PlanChangeRequest',
          entityId: id,
          before: { request: { status: request.status }, plan: before },
          after: { request: { status, note: props.note }, plan, ...(approvedBy ? { approvals: approvedBy.length, required: fourEyes, approvedBy } : {}) },
          requestId: props.requestId,
          at: now,
        });
        return { id, status, note: props.note, reviewedAt: now, plan };
      });
    },

    /**
     * 录取名单 of the current cycle (or `cycleId`) as the year stands (round 1
     * and 补录): one page of the rows the filters select, in the order asked,
     * `total` of them in all; the summary of the whole list; the junior
     * schools and regions present, for the filters.
     */
    async admissions(actor: Actor, highSchoolId: string, query: AdmissionQuery, cycleId?: string) {
      authorize(actor, 'highSchool.read');
      const { school, cycle, round, rounds, silence, rows, summary } = await admissionData(actor, highSchoolId, cycleId);
      const juniorSchools = [...new Map(rows.map((r) => [r.juniorSchool.id, r.juniorSchool])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      const regions = [...new Map(rows.map((r) => [r.region.code, r.region])).values()].sort((a, b) => (a.code < b.code ? -1 : 1));
      const page = queryAdmissions(rows, query);
      return {
        school: { id: school.id, name: school.name },
        cycle: { id: cycle.id, year: cycle.year, name: cycle.name },
        round: round && { id: round.id, kind: round.kind, publishedAt: round.publishedAt },
        rounds,
        silence,
        ...page,
        summary,
        juniorSchools,
        regions,
      };
    },

    /** Every row the filters select (no paging), in the order asked, as .xlsx or .csv (UTF-8 with BOM); formula-looking text neutralized, ID numbers masked. */
    async exportAdmissions(actor: Actor, highSchoolId: string, query: AdmissionQuery, lang: ExportLang, cycleId?: string, format: 'xlsx' | 'csv' = 'xlsx') {
      authorize(actor, 'highSchool.read');
      const { school, cycle, round, rows } = await admissionData(actor, highSchoolId, cycleId);
      if (!round) throw new AppError('RESULTS_NOT_PUBLISHED');
      const sheet = admissionSheet(exportRows(rows, query), lang);
      const workbook = new ExcelJS.Workbook();
      workbook.creator = 'zz-admissions';
      workbook.created = clock.now();
      const ws = workbook.addWorksheet(lang === 'en' ? 'Admissions' : '录取名单', { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.addRow(sheet.header).font = { bold: true };
      for (const row of sheet.rows) ws.addRow(row);
      ws.columns.forEach((column, i) => {
        column.width = i === 0 ? 6 : [1, 4, 5].includes(i) ? 20 : 12;
      });
      const base = `${lang === 'en' ? 'admissions' : '录取名单'}-${school.id}-${cycle.year}`;
      if (format === 'csv') {
        // A BOM so Excel on Chinese Windows reads UTF-8, not GBK.
        const csv = Buffer.from(await workbook.csv.writeBuffer());
        return { buffer: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv]), filename: `${base}.csv`, type: 'text/csv; charset=utf-8' };
      }
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
      return { buffer, filename: `${base}.xlsx`, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    },
  };
}

export type HighSchoolPortalService = ReturnType<typeof createHighSchoolPortalService>;
