import ExcelJS from 'exceljs';
import { isActionAllowed } from '../domain/schedule/actions';
import type { Clock } from '../clock';
import {
  admissionSheet,
  filterAdmissions,
  summarizeAdmissions,
  type AdmissionFilter,
  type AdmissionRow,
  type ConfirmationStatus,
  type ExportLang,
} from '../domain/admissions/admission-list';
import { placementsAtSchool, yearOfStudents, yearRules } from '../domain/admissions/year-placements';
import { parseCyclePolicy } from '../domain/cycle-policy';
import { changesSomething, planChangeProblems, type PlanChangeFields, type PlanChanges, type PlanProblem } from '../domain/plans/plan-rules';
import type { SchoolCutoffs, SchoolResult } from '../domain/allocation/types';
import { AppError } from '../errors';
import { canDecidePlanChange, highSchoolScope, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import { maskIdNumber, recordAudit } from './audit.service';
import type { CycleService } from './cycle.service';

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

export interface CutoffView {
  total: number;
  rank: number;
}

/** Cutoffs per seat type (Round.result.schools[H].cutoffs): the lowest-priority holder of each kind of seat. */
export interface SchoolCutoffsView {
  capacity: number | null;
  admitted: number;
  lowestTotal: number | null;
  open: CutoffView | null;
  reverted: CutoffView | null;
  quota: { juniorSchoolId: string; juniorSchoolName: string; total: number; rank: number; used: number | null }[];
}

function cutoffOf(view: { total: number; rank: number } | undefined): CutoffView | null {
  return view && typeof view.total === 'number' ? { total: view.total, rank: view.rank } : null;
}

/**
 * The high school's side of the platform: its plan and change requests (with
 * the bureau's review), and after publication its admission list, cutoffs and
 * the Excel export. Every read resolves the school through the caller's scope
 * first: a school id outside it is NOT_FOUND, like one that does not exist.
 */
export function createHighSchoolPortalService(deps: { uow: UnitOfWork; cycles: CycleService; clock: Clock }) {
  const { uow, cycles, clock } = deps;
  const repo = uow.repos.admissions;

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
   * round; cutoffs are round 1's. `silence` says what an unanswered round-1
   * seat counts as now (pending while the confirmation window is open).
   */
  async function admissionData(actor: Actor, highSchoolId: string, cycleId?: string) {
    const { school, cycle } = await schoolAndYear(actor, highSchoolId, cycleId);
    const policy = parseCyclePolicy(cycle.policy, cycle.year);
    const rules = yearRules(policy, cycle.phase);
    const silence: ConfirmationStatus = !rules.confirmationOver ? 'pending' : rules.silenceIsDecline ? 'declined' : 'confirmed';
    const year = await repo.yearRounds(cycle.id, { highSchoolId: school.id });
    const round = year.supplementary ?? year.main;
    if (!round) return { school, cycle, round: null, rounds: [], silence, rows: [] as AdmissionRow[], cutoffs: null };
    const placements = placementsAtSchool(yearOfStudents(year.rows, rules).values(), school.id);
    const [students, rawResult] = await Promise.all([
      repo.listedStudents(cycle.id, school.id, [...new Set(placements.map((p) => p.studentId))]),
      year.main ? repo.schoolResult(year.main.id, school.id) : Promise.resolve(null),
    ]);
    const byId = new Map(students.map((s) => [s.id, s]));
    const rows: AdmissionRow[] = placements.flatMap((p) => {
      const student = byId.get(p.studentId);
      if (!student) return [];
      return [
        {
          key: `${p.round}:${student.examNo}`,
          round: p.round,
          examNo: student.examNo,
          name: student.name,
          gender: student.gender,
          idCardMasked: maskIdNumber(student.idCardNo),
          juniorSchool: student.juniorSchool,
          seat: p.seat ?? 'open',
          batch: p.batch,
          scores: (student.scores && typeof student.scores === 'object' ? student.scores : {}) as Record<string, number | null>,
          total: student.total,
          evaluation: student.evaluation,
          confirmation: p.answer,
          holdsSeat: p.holdsSeat,
          // A registration belongs to the seat the student holds here.
          registered: p.holdsSeat && student.registrations.length > 0,
        },
      ];
    });
    const cutoffs = await cutoffsView(cycle.id, rawResult as SchoolResult | null, rows);
    const rounds = [year.main, year.supplementary].filter((r) => r !== null).map((r) => ({ id: r.id, kind: r.kind, publishedAt: r.publishedAt }));
    return { school, cycle, round, rounds, silence, rows, cutoffs };
  }

  async function cutoffsView(cycleId: string, result: SchoolResult | null, rows: AdmissionRow[]): Promise<SchoolCutoffsView> {
    const c: SchoolCutoffs = result?.cutoffs ?? {};
    const quotaEntries = Object.entries(c.quota ?? {});
    const names = new Map((await repo.juniorSchoolNames(cycleId, quotaEntries.map(([id]) => id))).map((j) => [j.id, j.name]));
    const held = rows.filter((r) => r.holdsSeat);
    const totals = held.map((r) => r.total);
    return {
      capacity: result?.capacity ?? null,
      // The year as it stands, not round 1's count: declines leave, 补录 placements join.
      admitted: held.length,
      lowestTotal: totals.length > 0 ? Math.min(...totals) : null,
      open: cutoffOf(c.open),
      reverted: cutoffOf(c.reverted),
      quota: quotaEntries
        .filter(([, view]) => typeof view?.total === 'number')
        .map(([juniorSchoolId, view]) => ({
          juniorSchoolId,
          juniorSchoolName: names.get(juniorSchoolId) ?? juniorSchoolId,
          total: view.total,
          rank: view.rank,
          used: result?.quotaUsed?.[juniorSchoolId] ?? null,
        }))
        .sort((a, b) => b.total - a.total || (a.juniorSchoolId < b.juniorSchoolId ? -1 : 1)),
    };
  }

  function planView(plan: Plan) {
    const { changeRequests, ...rest } = plan;
    return { plan: rest, requests: changeRequests };
  }

  return {
    /** The school's plan in the current cycle (or `cycleId`, a past year) with its change requests. */
    async plan(actor: Actor, highSchoolId: string, cycleId?: string) {
      const { school, cycle } = await schoolAndYear(actor, highSchoolId, cycleId);
      const plan = await repo.findPlan(cycle.id, school.id);
      const current = cycleId ? await cycles.current().catch(() => null) : cycle;
      return { school, cycle: { id: cycle.id, year: cycle.year, phase: cycle.phase }, canRequestChange: isActionAllowed('plan-requests.request', cycle.phase) && current?.id === cycle.id, ...(plan ? planView(plan) : { plan: null, requests: [] }) };
    },

    /** During setup, a high school proposes changes to its plan; the bureau approves or rejects them. */
    async requestPlanChange(actor: Actor, highSchoolId: string, props: { changes: PlanChanges; reason: string; requestId?: string }) {
      const school = await schoolFor(actor, highSchoolId);
      const cycle = await cycles.requireAction('plan-requests.request');
      const plan = await repo.findPlan(cycle.id, school.id);
      if (!plan) throw new AppError('PLAN_NOT_FOUND');
      if (!changesSomething(planFields(plan), props.changes)) {
        throw new AppError('PLAN_NO_CHANGE', { field: 'changes' });
      }
      refuseBrokenPlan(planChangeProblems(planFields(plan), props.changes, { quality: school.quality, minQuotaPercent: parseCyclePolicy(cycle.policy, cycle.year).quotaPercent }));
      return uow.transaction(async (tx, repos) => {
        const request = await repos.admissions.createPlanChangeRequest({
          planId: plan.id,
          changes: props.changes as Record<string, number | string | null>,
          reason: props.reason,
          requestedBy: actor.id,
        });
        await recordAudit(tx, {
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
      const cycle = await cycles.current();
      const requests = await repo.listPlanChangeRequests(highSchoolScope(actor), cycle.id, status);
      return { requests: requests.map(({ plan, ...request }) => ({ ...request, highSchool: plan.highSchool, plan: { ...plan, highSchool: undefined } })) };
    },

    /** Approves (and applies) or rejects a pending request, in one transaction with its audit entry. */
    async decidePlanRequest(actor: Actor, id: string, props: { approve: boolean; note: string | null; requestId?: string }) {
      const request = await repo.findPlanChangeRequest(highSchoolScope(actor), id);
      if (!request) throw new AppError('NOT_FOUND');
      // Deciding on a plan is editing it: a county bureau decides only for its region's region-scope schools.
      if (!canDecidePlanChange(actor, request.plan.highSchool)) throw new AppError('FORBIDDEN');
      const cycle = await cycles.requireAction('plan-requests.decide');
      if (request.status !== 'pending') throw new AppError('PLAN_REQUEST_DECIDED');
      const changes = (request.changes ?? {}) as PlanChanges;
      if (props.approve) {
        refuseBrokenPlan(
          planChangeProblems(planFields(request.plan), changes, { quality: request.plan.highSchool.quality, minQuotaPercent: parseCyclePolicy(cycle.policy, cycle.year).quotaPercent }),
        );
      }
      const now = clock.now();
      return uow.transaction(async (tx, repos) => {
        const status = props.approve ? 'approved' : 'rejected';
        const count = await repos.admissions.decidePlanChangeRequest(id, { status, reviewedBy: actor.id, reviewedAt: now, note: props.note });
        if (count === 0) throw new AppError('PLAN_REQUEST_DECIDED');
        const { highSchool: _school, ...before } = request.plan;
        const plan = props.approve ? await repos.admissions.updatePlan(request.plan.id, changes) : before;
        await recordAudit(tx, {
          actor,
          action: props.approve ? 'plan.change.approve' : 'plan.change.reject',
          entity: 'PlanChangeRequest',
          entityId: id,
          before: { request: { status: request.status }, plan: before },
          after: { request: { status, note: props.note }, plan },
          requestId: props.requestId,
          at: now,
        });
        return { id, status, note: props.note, reviewedAt: now, plan };
      });
    },

    /** 录取名单 of the current cycle (or `cycleId`) as the year stands (round 1 and 补录), filtered, with counts and round 1's cutoffs. */
    async admissions(actor: Actor, highSchoolId: string, filter: AdmissionFilter, cycleId?: string) {
      const { school, cycle, round, rounds, silence, rows, cutoffs } = await admissionData(actor, highSchoolId, cycleId);
      const juniorSchools = [...new Map(rows.map((r) => [r.juniorSchool.id, r.juniorSchool])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      return {
        school: { id: school.id, name: school.name },
        cycle: { id: cycle.id, year: cycle.year, name: cycle.name },
        round: round && { id: round.id, kind: round.kind, publishedAt: round.publishedAt },
        rounds,
        silence,
        summary: summarizeAdmissions(rows),
        cutoffs,
        juniorSchools,
        rows: filterAdmissions(rows, filter),
      };
    },

    /** The list as an .xlsx workbook (same filters), formula-looking text neutralized, ID numbers masked. */
    async exportAdmissions(actor: Actor, highSchoolId: string, filter: AdmissionFilter, lang: ExportLang, cycleId?: string) {
      const { school, cycle, round, rows } = await admissionData(actor, highSchoolId, cycleId);
      if (!round) throw new AppError('RESULTS_NOT_PUBLISHED');
      const sheet = admissionSheet(filterAdmissions(rows, filter), lang);
      const workbook = new ExcelJS.Workbook();
      workbook.creator = 'zz-admissions';
      workbook.created = clock.now();
      const ws = workbook.addWorksheet(lang === 'en' ? 'Admissions' : '录取名单', { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.addRow(sheet.header).font = { bold: true };
      for (const row of sheet.rows) ws.addRow(row);
      ws.columns.forEach((column, i) => {
        column.width = i === 0 ? 6 : [1, 4, 5].includes(i) ? 20 : 12;
      });
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
      const filename = `${lang === 'en' ? 'admissions' : '录取名单'}-${school.id}-${cycle.year}.xlsx`;
      return { buffer, filename };
    },
  };
}

export type HighSchoolPortalService = ReturnType<typeof createHighSchoolPortalService>;
