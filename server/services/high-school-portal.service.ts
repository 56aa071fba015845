import ExcelJS from 'exceljs';
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
import { changesSomething, planChangeProblems, type PlanChanges, type PlanFields } from '../domain/admissions/plan-change';
import type { SchoolCutoffs, SchoolResult } from '../domain/allocation/types';
import { AppError } from '../errors';
import { highSchoolScope, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import { maskIdNumber, recordAudit } from './audit.service';
import type { CycleService } from './cycle.service';

type Plan = NonNullable<Awaited<ReturnType<UnitOfWork['repos']['admissions']['findPlan']>>>;

function planFields(plan: Pick<Plan, keyof PlanFields>): PlanFields {
  return {
    capacity: plan.capacity,
    classes: plan.classes,
    minScore: plan.minScore,
    minEvaluation: plan.minEvaluation,
    quotaPercent: plan.quotaPercent,
    quotaSeats: plan.quotaSeats,
  };
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

  async function admissionData(actor: Actor, highSchoolId: string, cycleId?: string) {
    const { school, cycle } = await schoolAndYear(actor, highSchoolId, cycleId);
    const round = await repo.latestPublishedRound(cycle.id);
    if (!round) return { school, cycle, round: null, rows: [] as AdmissionRow[], cutoffs: null };
    const [assignments, rawResult] = await Promise.all([repo.admittedAt(cycle.id, round.id, school.id), repo.schoolResult(round.id, school.id)]);
    const rows: AdmissionRow[] = assignments.map(({ seat, batch, student }) => ({
      examNo: student.examNo,
      name: student.name,
      gender: student.gender,
      idCardMasked: maskIdNumber(student.idCardNo),
      juniorSchool: student.juniorSchool,
      seat: seat ?? 'open',
      batch,
      scores: (student.scores && typeof student.scores === 'object' ? student.scores : {}) as Record<string, number | null>,
      total: student.total,
      evaluation: student.evaluation,
      confirmation: (student.confirmations[0]?.decision ?? 'pending') as ConfirmationStatus,
      registered: student.registrations.length > 0,
    }));
    const cutoffs = await cutoffsView(cycle.id, rawResult as SchoolResult | null, rows);
    return { school, cycle, round, rows, cutoffs };
  }

  async function cutoffsView(cycleId: string, result: SchoolResult | null, rows: AdmissionRow[]): Promise<SchoolCutoffsView> {
    const c: SchoolCutoffs = result?.cutoffs ?? {};
    const quotaEntries = Object.entries(c.quota ?? {});
    const names = new Map((await repo.juniorSchoolNames(cycleId, quotaEntries.map(([id]) => id))).map((j) => [j.id, j.name]));
    const totals = rows.map((r) => r.total);
    return {
      capacity: result?.capacity ?? null,
      admitted: result?.admitted ?? rows.length,
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
      return { school, cycle: { id: cycle.id, year: cycle.year, phase: cycle.phase }, canRequestChange: cycle.phase === 'setup' && current?.id === cycle.id, ...(plan ? planView(plan) : { plan: null, requests: [] }) };
    },

    /** During setup, a high school proposes changes to its plan; the bureau approves or rejects them. */
    async requestPlanChange(actor: Actor, highSchoolId: string, props: { changes: PlanChanges; reason: string; requestId?: string }) {
      const school = await schoolFor(actor, highSchoolId);
      const cycle = await cycles.requirePhase(['setup']);
      const plan = await repo.findPlan(cycle.id, school.id);
      if (!plan) throw new AppError('PLAN_NOT_FOUND');
      if (!changesSomething(planFields(plan), props.changes)) {
        throw new AppError('PLAN_NO_CHANGE', { field: 'changes' });
      }
      const problems = planChangeProblems(planFields(plan), props.changes);
      if (problems.length > 0) {
        throw new AppError('PLAN_RULE_BROKEN', { field: `changes.${problems[0].field}`, params: { reasonZh: problems[0].message['zh-CN'], reasonEn: problems[0].message.en }, details: problems });
      }
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
      await cycles.requirePhase(['setup']);
      if (request.status !== 'pending') throw new AppError('PLAN_REQUEST_DECIDED');
      const changes = (request.changes ?? {}) as PlanChanges;
      if (props.approve) {
        const problems = planChangeProblems(planFields(request.plan), changes);
        if (problems.length > 0) {
          throw new AppError('PLAN_RULE_BROKEN', { field: `changes.${problems[0].field}`, params: { reasonZh: problems[0].message['zh-CN'], reasonEn: problems[0].message.en }, details: problems });
        }
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

    /** 录取名单 of the latest published round of the current cycle (or `cycleId`), filtered, with counts and cutoffs. */
    async admissions(actor: Actor, highSchoolId: string, filter: AdmissionFilter, cycleId?: string) {
      const { school, cycle, round, rows, cutoffs } = await admissionData(actor, highSchoolId, cycleId);
      const juniorSchools = [...new Map(rows.map((r) => [r.juniorSchool.id, r.juniorSchool])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      return {
        school: { id: school.id, name: school.name },
        cycle: { id: cycle.id, year: cycle.year, name: cycle.name },
        round: round && { id: round.id, kind: round.kind, publishedAt: round.publishedAt },
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
