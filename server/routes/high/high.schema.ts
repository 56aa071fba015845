import { z } from 'zod';
import { PHASES } from '../../domain/schedule/schedule';
import { approvalsSchema, awaitingApprovalSchema } from '../rounds/rounds.schema';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';
import { planFieldsShape } from '../plans/plans.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonBody, jsonResponse, type RouteConfig } from '../shared.schema';

/** The high-school portal: plan and change requests, admission list and export, enrollment registration. */

/** An empty query value (a cleared filter in the UI) counts as absent. */
const blankAsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const highSchoolParamsSchema = z.object({ highSchoolId: z.string().min(1).max(64).meta({ description: 'High school id, e.g. `H01`' }) });
export const planRequestParamsSchema = z.object({ id: z.string().min(1).max(64) });

export const admissionQuerySchema = z.object({
  seat: blankAsAbsent(z.enum(['open', 'quota', 'reverted'])).meta({ description: '统招 open | 指标生 quota | 指标回流 reverted' }),
  round: blankAsAbsent(z.enum(['main', 'supplementary'])).meta({ description: '第一轮 main | 补录 supplementary' }),
  juniorSchoolId: blankAsAbsent(z.string().max(64)),
  regionCode: blankAsAbsent(z.string().max(64)).meta({ description: "The student's region" }),
  confirmation: blankAsAbsent(z.enum(['confirmed', 'declined', 'pending'])),
  q: blankAsAbsent(z.string().max(64)).meta({ description: 'The start of the exam number, or part of the name' }),
  sort: blankAsAbsent(z.enum(['round', 'rank', 'score', 'name', 'junior'])).meta({ description: 'round (default: round 1 then 补录, each by rank) | rank | score | name | junior' }),
  order: blankAsAbsent(z.enum(['asc', 'desc'])).meta({ description: 'asc (default) | desc' }),
  offset: blankAsAbsent(z.coerce.number().int().min(0).max(1_000_000)).meta({ description: 'Rows to skip (default 0)' }),
  limit: blankAsAbsent(z.coerce.number().int().min(1).max(200)).meta({ description: 'Rows per page (default 50, at most 200)' }),
  cycleId: cycleIdQuerySchema.shape.cycleId,
});
export const admissionExportQuerySchema = admissionQuerySchema.extend({
  format: blankAsAbsent(z.enum(['xlsx', 'csv'])).meta({ description: 'xlsx (default) | csv (UTF-8 with BOM)' }),
});
export type AdmissionQuery = z.infer<typeof admissionQuerySchema>;

const grade = z.enum(['A', 'B', 'C', 'D']);
export const planChangesSchema = z
  .object({
    capacity: z.number().int().min(1).max(5000).optional(),
    classes: z.number().int().min(1).max(100).optional(),
    minScore: z.number().min(0).max(1000).nullable().optional(),
    minEvaluation: grade.nullable().optional(),
    quotaPercent: z.number().int().min(0).max(100).nullable().optional(),
    quotaSeats: z.number().int().min(0).max(5000).nullable().optional(),
  })
  .strict()
  .refine((c) => Object.values(c).some((v) => v !== undefined), { message: '至少修改一项 / change at least one field' });

export const planChangeBodySchema = z.object({
  changes: planChangesSchema,
  reason: z.string().trim().min(2).max(500).meta({ description: 'Why the school asks (shown to the bureau)' }),
});
export type PlanChangeBody = z.infer<typeof planChangeBodySchema>;

export const planRequestListQuerySchema = z.object({ status: blankAsAbsent(z.enum(['pending', 'approved', 'rejected'])) });
export const planDecisionBodySchema = z.object({ note: z.string().trim().max(500).optional() });

export const markEnrolledBodySchema = z.object({
  examNos: z.array(z.string().trim().min(1).max(32)).min(1).max(500).meta({ description: '准考证号 of the students to register' }),
});

const seatKind = z.enum(['open', 'quota', 'reverted']);
const confirmation = z.enum(['confirmed', 'declined', 'pending']);
const cutoff = z.object({ total: z.number(), rank: z.number().int() }).nullable();

export const admissionListSchema = z
  .object({
    school: z.object({ id: z.string(), name: z.string() }),
    cycle: z.object({ id: z.string(), year: z.number().int(), name: z.string() }).meta({ description: 'The year shown (?cycleId=, default the current cycle)' }),
    round: z.object({ id: z.string(), kind: z.string(), publishedAt: z.string().nullable() }).nullable().meta({ description: 'The latest published round (补录 once published); null before publication' }),
    rounds: z.array(z.object({ id: z.string(), kind: z.string(), publishedAt: z.string().nullable() })).meta({ description: 'The rounds the list shows: round 1, then 补录' }),
    silence: confirmation.meta({ description: 'What an unanswered round-1 seat counts as now: pending while the confirmation window is open, then per the policy' }),
    total: z.number().int().meta({ description: 'Rows the filters select, in all pages' }),
    offset: z.number().int(),
    limit: z.number().int(),
    summary: z
      .object({
        total: z.number().int().meta({ description: '录取人数 as the year stands: round-1 seats kept plus 补录 placements' }),
        open: z.number().int(),
        quota: z.number().int(),
        reverted: z.number().int(),
        main: z.number().int().meta({ description: 'Round-1 rows (declines included)' }),
        supplementary: z.number().int().meta({ description: '补录 rows' }),
        confirmed: z.number().int(),
        declined: z.number().int(),
        pending: z.number().int(),
        registered: z.number().int(),
        cutoffs: z
          .object({
            capacity: z.number().int().nullable(),
            admitted: z.number().int(),
            lowestTotal: z.number().nullable(),
            open: cutoff,
            reverted: cutoff,
            quota: z.array(z.object({ juniorSchoolId: z.string(), juniorSchoolName: z.string(), total: z.number(), rank: z.number().int(), used: z.number().int().nullable() })),
          })
          .nullable()
          .meta({ description: "Round 1's cutoffs per seat type (quota per junior school); null before publication" }),
      })
      .meta({ description: 'The whole list, not the page: counts by seat type, round and answer, and the cutoffs' }),
    juniorSchools: z.array(z.object({ id: z.string(), name: z.string() })),
    regions: z.array(z.object({ code: z.string(), name: z.string() })),
    items: z.array(
      z.object({
        key: z.string().meta({ description: 'Unique in the list: `main:<examNo>` or `supplementary:<examNo>`' }),
        round: z.enum(['main', 'supplementary']).meta({ description: '第一轮 or 补录' }),
        rank: z.number().int().meta({ description: "校内位次: place in the school's list by priority (total, the policy's tie-break keys, exam number)" }),
        examNo: z.string(),
        name: z.string(),
        gender: z.enum(['male', 'female']),
        idCardMasked: z.string().meta({ description: '身份证号, masked: first 6 and last 4 characters' }),
        juniorSchool: z.object({ id: z.string(), name: z.string() }),
        region: z.object({ code: z.string(), name: z.string() }),
        seat: seatKind,
        batch: z.number().int().nullable(),
        scores: z.record(z.string(), z.number().nullable()),
        total: z.number(),
        evaluation: z.string(),
        confirmation: confirmation.nullable().meta({ description: 'Round 1: the answer (pending while silent); 补录: null' }),
        holdsSeat: z.boolean().meta({ description: 'Counts in 录取人数: a round-1 seat not given up, or a 补录 seat' }),
        registered: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'AdmissionList' });

export const registrationReportSchema = z
  .object({
    registered: z.number().int(),
    already: z.number().int(),
    refused: z.number().int(),
    results: z.array(
      z.object({
        examNo: z.string(),
        row: z.number().int().optional(),
        status: z.enum(['registered', 'already', 'refused']),
        name: z.string().optional(),
        reason: z.enum(['unknown_student', 'not_admitted', 'admitted_elsewhere', 'declined']).optional(),
        message: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'RegistrationReport' });

export type PlanChanges = z.infer<typeof planChangesSchema>;
export type AdmissionList = z.infer<typeof admissionListSchema>;
export type AdmissionRow = AdmissionList['items'][number];
export type RegistrationReport = z.infer<typeof registrationReportSchema>;
export type RegistrationOutcome = RegistrationReport['results'][number];
export type RefusalReason = NonNullable<RegistrationOutcome['reason']>;
export type SeatKind = z.infer<typeof seatKind>;
export type ConfirmationStatus = z.infer<typeof confirmation>;
export type AdmissionSort = NonNullable<AdmissionQuery['sort']>;

/** A plan row as stored (招生计划); dates ISO 8601. */
export const planRowSchema = z
  .object({
    id: z.string(),
    cycleId: z.string(),
    highSchoolId: z.string(),
    ...planFieldsShape,
    approvedAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'PlanRow' });
export type PlanRow = z.infer<typeof planRowSchema>;

/** The changes a request asks for, as stored (the fields of planChangesSchema). */
const storedPlanChangesSchema = z
  .object({
    capacity: z.number().int().optional(),
    classes: z.number().int().optional(),
    minScore: z.number().nullable().optional(),
    minEvaluation: grade.nullable().optional(),
    quotaPercent: z.number().int().nullable().optional(),
    quotaSeats: z.number().int().nullable().optional(),
  })
  .meta({ id: 'PlanChanges' });

export const planChangeRequestSchema = z
  .object({
    id: z.string(),
    planId: z.string(),
    changes: storedPlanChangesSchema,
    reason: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    requestedBy: z.string().meta({ description: 'User id' }),
    requestedAt: z.string(),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'PlanChangeRequest' });
export type PlanChangeRequest = z.infer<typeof planChangeRequestSchema>;

export const schoolPlanSchema = z
  .object({
    school: z.object({ id: z.string(), name: z.string(), regionCode: z.string(), ownership: z.enum(['public', 'private']), scope: z.enum(['city', 'region']), quality: z.boolean().meta({ description: '示范性: the only kind with quota seats (指标生)' }) }),
    cycle: z.object({ id: z.string(), year: z.number().int(), phase: z.enum(PHASES) }),
    canRequestChange: z.boolean(),
    plan: planRowSchema.nullable(),
    requests: z.array(planChangeRequestSchema).meta({ description: 'Newest first' }),
  })
  .meta({ id: 'SchoolPlan' });
export type SchoolPlan = z.infer<typeof schoolPlanSchema>;

export const planRequestListSchema = z
  .object({
    requests: z.array(
      planChangeRequestSchema.extend({
        highSchool: z.object({ id: z.string(), name: z.string(), regionCode: z.string() }),
        plan: planRowSchema,
        approvals: approvalsSchema.meta({ description: 'Four eyes: a change of seat counts takes `required` city-bureau accounts' }),
      }),
    ),
  })
  .meta({ id: 'PlanRequestList' });
export type PlanRequestList = z.infer<typeof planRequestListSchema>;

export const planDecisionSchema = z
  .object({ id: z.string(), status: z.enum(['approved', 'rejected']), note: z.string().nullable(), reviewedAt: z.string(), plan: planRowSchema.meta({ description: 'The plan after the decision' }) })
  .meta({ id: 'PlanDecision' });
export type PlanDecision = z.infer<typeof planDecisionSchema>;

export const registrationListSchema = z
  .object({
    phase: z.enum(PHASES),
    open: z.boolean().meta({ description: 'Registration is open now' }),
    registrations: z.array(
      z.object({
        id: z.string(),
        examNo: z.string(),
        name: z.string().nullable().meta({ description: 'Only for accepted registrations' }),
        accepted: z.boolean(),
        reason: z.string().nullable(),
        message: z.string().nullable(),
        source: z.enum(['manual', 'import']),
        registeredAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'RegistrationList' });
export type RegistrationList = z.infer<typeof registrationListSchema>;

const params = { params: highSchoolParamsSchema };

export const highPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/high-schools/{highSchoolId}/plan',
    tags: ['high schools'],
    summary: 'The school\'s plan (招生计划) in the current cycle and its change requests',
    security: bearer,
    request: { ...params, query: cycleIdQuerySchema },
    responses: { 200: jsonResponse('Plan', schoolPlanSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'NO_ACTIVE_CYCLE') },
  },
  {
    method: 'post',
    path: '/api/high-schools/{highSchoolId}/plan-requests',
    tags: ['high schools'],
    summary: 'Propose a plan change for the bureau to approve (high school, setup phase only)',
    security: bearer,
    request: { ...params, body: jsonBody(planChangeBodySchema) },
    responses: {
      201: jsonResponse('The request', planChangeRequestSchema),
      ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND', 'PLAN_NOT_FOUND', 'PLAN_RULE_BROKEN', 'PLAN_NO_CHANGE', 'PHASE_CLOSED'),
    },
  },
  {
    method: 'get',
    path: '/api/plan-requests',
    tags: ['high schools'],
    summary: 'Plan change requests of the schools the bureau covers',
    security: bearer,
    request: { query: planRequestListQuerySchema },
    responses: { 200: jsonResponse('Requests', planRequestListSchema), ...errorResponses(...AUTHENTICATED_ERRORS) },
  },
  ...(['approve', 'reject'] as const).map(
    (verb): RouteConfig => ({
      method: 'post',
      path: `/api/plan-requests/{id}/${verb}`,
      tags: ['high schools'],
      summary:
        `${verb === 'approve' ? 'Approve and apply' : 'Reject'} a plan change request (bureau, setup phase; audited)` +
        (verb === 'approve'
          ? '. Four eyes: with PUBLISH_APPROVALS=2 (production default) a change of capacity or quota seats takes two different city-bureau accounts ' +
            '(a county bureau: 403); the first approval answers 202 awaiting_approval, the same account again 409 ALREADY_APPROVED'
          : ''),
      security: bearer,
      request: { params: planRequestParamsSchema, body: jsonBody(planDecisionBodySchema) },
      responses: {
        200: jsonResponse('Decided', planDecisionSchema),
        ...(verb === 'approve' ? { 202: jsonResponse('Approval recorded; another city-bureau account must approve', awaitingApprovalSchema) } : {}),
        ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'PLAN_REQUEST_DECIDED', 'PLAN_RULE_BROKEN', 'PHASE_CLOSED', ...(verb === 'approve' ? (['ALREADY_APPROVED'] as const) : [])),
      },
    }),
  ),
  {
    method: 'get',
    path: '/api/high-schools/{highSchoolId}/admissions',
    tags: ['high schools'],
    summary: 'The admission list (录取名单) as the year stands (round 1 and 补录): one page (offset/limit, default 50, max 200), filters, search, sort, and the summary with the cutoffs',
    security: bearer,
    request: { ...params, query: admissionQuerySchema },
    responses: { 200: jsonResponse('Admission list', admissionListSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'VALIDATION_FAILED') },
  },
  {
    method: 'get',
    path: '/api/high-schools/{highSchoolId}/admissions/export',
    tags: ['high schools'],
    summary: 'The admission list as an Excel workbook or CSV (every row the filters select, in the sort asked; no paging); ID numbers masked, formula-looking text neutralized',
    security: bearer,
    request: { ...params, query: admissionExportQuerySchema },
    responses: {
      200: {
        description: 'xlsx, or csv with ?format=csv',
        content: {
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) },
          'text/csv': { schema: z.string() },
        },
      },
      ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'RESULTS_NOT_PUBLISHED'),
    },
  },
  {
    method: 'get',
    path: '/api/high-schools/{highSchoolId}/registrations',
    tags: ['high schools'],
    summary: 'The school\'s enrollment registrations (报到/学籍注册), refused attempts included (?cycleId= for a past year)',
    security: bearer,
    request: { ...params, query: cycleIdQuerySchema },
    responses: { 200: jsonResponse('Registrations', registrationListSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND') },
  },
  {
    method: 'post',
    path: '/api/high-schools/{highSchoolId}/registrations',
    tags: ['high schools'],
    summary: 'Register admitted students as enrolled (registration phase): a 200 report of each exam number; a refusal is a row of it, recorded as an attempt',
    security: bearer,
    request: { ...params, body: jsonBody(markEnrolledBodySchema) },
    responses: {
      200: jsonResponse('Each exam number registered, already registered or refused with the reason', registrationReportSchema),
      ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND', 'PHASE_CLOSED'),
    },
  },
  {
    method: 'post',
    path: '/api/high-schools/{highSchoolId}/registrations/import',
    tags: ['high schools'],
    summary: 'Register from an .xlsx or .csv list of exam numbers (raw file as the body); refused rows are listed with the reason and recorded',
    security: bearer,
    request: { ...params, body: { required: true, content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } } } },
    responses: {
      200: jsonResponse('Report', registrationReportSchema),
      ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'PHASE_CLOSED', 'REGISTRATION_IMPORT_INVALID', 'PAYLOAD_TOO_LARGE'),
    },
  },
];
