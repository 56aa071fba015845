import { z } from 'zod';
import { NEXT_STEPS } from '../../domain/applications/next-step';
import { PHASES } from '../../domain/schedule/schedule';
import { receiptSchema } from '../receipts/receipts.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonBody, jsonResponse, regionSchema, type RouteConfig } from '../shared.schema';

const phaseSchema = z.enum(PHASES);

/** The student portal: /api/student/* (role student only; each student reaches only their own data). */

export const applicationKindQuery = z.object({
  kind: z.enum(['main', 'supplementary']).default('main').meta({ description: 'main (志愿) or supplementary (补录)' }),
});

const schoolIdSchema = z.string().trim().min(1).max(40);

export const saveApplicationBody = z
  .object({
    kind: z.enum(['main', 'supplementary']).default('main'),
    baseVersion: z.number().int().min(0).meta({ description: 'The version the edit started from (0 when nothing was saved yet); a stale one gets 409' }),
    choices: z
      .record(z.string().regex(/^[1-9]\d{0,2}$/, { message: '批次须为正整数 / batch must be a positive integer' }), z.array(schoolIdSchema).max(20))
      .meta({ description: 'Batch number -> school ids in order of preference, e.g. {"1": ["H01", "H03"]}' }),
  })
  .meta({ id: 'SaveApplication' });
export type SaveApplicationBody = z.infer<typeof saveApplicationBody>;

/** What a save answers: the new version and its signed receipt (回执, server/domain/receipts/receipt.ts). */
export const savedApplicationSchema = z
  .object({
    kind: z.enum(['main', 'supplementary']),
    version: z.number().int(),
    choices: z.record(z.string(), z.array(z.string())),
    savedAt: z.string().meta({ description: 'Server time of the save, ISO 8601' }),
    receipt: receiptSchema.meta({ description: 'Signed receipt of this save: keep it; check it at POST /api/receipts/verify or offline with the public key' }),
  })
  .meta({ id: 'SavedApplication' });

export type SavedApplication = z.infer<typeof savedApplicationSchema>;
export type ApplicationKind = SavedApplication['kind'];
export type Choices = SavedApplication['choices'];

/** A reason in the caller's language (server/domain/applications/reasons.ts codes). */
export const reasonSchema = z.object({ code: z.string(), message: z.string() }).meta({ id: 'Reason' });
export type Reason = z.infer<typeof reasonSchema>;

export const nextStepSchema = z.enum(NEXT_STEPS).meta({ id: 'NextStep', description: 'What the student should do now (server/domain/applications/next-step.ts)' });
export type NextStep = z.infer<typeof nextStepSchema>;

/** 位次 (ties share a rank), in the city and the student's region, with the counts. */
export const studentRankSchema = z
  .object({ city: z.number().int(), region: z.number().int(), total: z.number().int(), regionTotal: z.number().int() })
  .meta({ id: 'StudentRank' });
export type StudentRank = z.infer<typeof studentRankSchema>;

/** 冲/稳/保 of one school with the numbers behind it (server/domain/ranking/guidance.ts); guidance, not a promise. */
export const guidanceSchema = z
  .object({
    band: z.enum(['reach', 'match', 'safe']),
    rank: z.number().int(),
    cutoffRank: z.number().int(),
    cutoffScore: z.number().nullable(),
    rankPercent: z.number(),
    safeMaxPercent: z.number(),
    matchMaxPercent: z.number(),
  })
  .meta({ id: 'Guidance' });
export type Guidance = z.infer<typeof guidanceSchema>;

const eligibility = z.object({ eligible: z.boolean(), reasons: z.array(reasonSchema) });

export const schoolOptionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    batch: z.number().int(),
    ownership: z.enum(['public', 'private']),
    scope: z.enum(['city', 'region']),
    quality: z.boolean(),
    region: regionSchema,
    capacity: z.number().int(),
    previousCutoff: z.number().nullable(),
    previousCutoffRank: z.number().int().nullable().meta({ description: "Last year's cutoff as a city rank; null without a previous year's published round" }),
    guidance: guidanceSchema.nullable(),
    minScore: z.number().nullable(),
    minEvaluation: z.enum(['A', 'B', 'C', 'D']).nullable(),
    quotaSeats: z.number().int().meta({ description: "Quota seats for the student's junior school" }),
    seatsLeft: z.number().int().nullable().meta({ description: '补录: seats left; null in the main round' }),
    open: eligibility,
    quota: eligibility,
    canList: z.boolean(),
    refusal: z.array(reasonSchema).meta({ description: 'Why it cannot be listed (empty when it can)' }),
  })
  .meta({ id: 'SchoolOption' });
export type SchoolOption = z.infer<typeof schoolOptionSchema>;

export const batchOptionsSchema = z.object({ batch: z.number().int(), maxChoices: z.number().int(), schools: z.array(schoolOptionSchema) }).meta({ id: 'BatchOptions' });
export type BatchOptions = z.infer<typeof batchOptionsSchema>;

/** The cycle's two rules a student is told about before answering. */
export const studentPolicySchema = z
  .object({ silenceCountsAsDecline: z.boolean(), declinedMayJoinSupplementary: z.boolean().meta({ description: 'A student who declines a round-1 seat may take part in 补录' }) })
  .meta({ id: 'StudentPolicy' });
export type StudentPolicy = z.infer<typeof studentPolicySchema>;

const named = z.object({ id: z.string(), name: z.string() });

export const studentOverviewSchema = z
  .object({
    student: z.object({
      id: z.string(),
      examNo: z.string(),
      name: z.string(),
      juniorSchool: named,
      region: regionSchema,
      scores: z.record(z.string(), z.number().nullable()),
      total: z.number(),
      evaluation: z.enum(['A', 'B', 'C', 'D']),
      quotaEligible: z.boolean(),
    }),
    rank: studentRankSchema.nullable().meta({ description: '位次; null before scores are imported' }),
    cycle: z.object({
      year: z.number().int(),
      name: z.string(),
      phase: phaseSchema,
      phaseName: z.string(),
      phaseClosesAt: z.string().nullable(),
      applicationDeadline: z.string().nullable().meta({ description: "The deadline of the application the student can act on (补录's during 补录); null when none" }),
      applicationKind: z.enum(['main', 'supplementary']).nullable(),
      serverTime: z.string(),
    }),
    policy: studentPolicySchema,
    quotaSeats: z.array(z.object({ highSchool: named, batch: z.number().int(), seats: z.number().int(), eligible: z.boolean(), reasons: z.array(reasonSchema) })),
    batches: z.array(batchOptionsSchema),
    application: z.object({ version: z.number().int(), savedAt: z.string().nullable() }).nullable(),
    next: nextStepSchema,
  })
  .meta({ id: 'StudentOverview' });
export type StudentOverview = z.infer<typeof studentOverviewSchema>;

export const studentApplicationSchema = z
  .object({
    kind: z.enum(['main', 'supplementary']),
    version: z.number().int().meta({ description: '0 before the first save' }),
    status: z.enum(['draft', 'submitted', 'frozen']).nullable(),
    choices: z.record(z.string(), z.array(z.string())),
    savedAt: z.string().nullable(),
    editable: z.boolean(),
    phase: phaseSchema,
    deadline: z.string().nullable(),
    serverTime: z.string(),
    limits: z.record(z.string(), z.number().int()).meta({ description: 'Batch -> choices allowed' }),
    rank: studentRankSchema.nullable(),
    batches: z.array(batchOptionsSchema),
  })
  .meta({ id: 'StudentApplication' });
export type StudentApplication = z.infer<typeof studentApplicationSchema>;

export const applicationHistorySchema = z
  .object({
    kind: z.enum(['main', 'supplementary']),
    versions: z.array(z.object({ version: z.number().int(), choices: z.record(z.string(), z.array(z.string())), savedAt: z.string(), byMe: z.boolean() })),
    schools: z.record(z.string(), z.string()).meta({ description: 'School id -> name' }),
    receipt: receiptSchema.nullable().meta({ description: 'The signed receipt (回执) of the newest version; null before the first save' }),
  })
  .meta({ id: 'ApplicationHistory' });
export type ApplicationHistory = z.infer<typeof applicationHistorySchema>;
export type HistoryEntry = ApplicationHistory['versions'][number];

/** One published round's part of the result. */
export const resultSectionSchema = z
  .object({
    round: z.object({ id: z.string(), kind: z.enum(['main', 'supplementary']), publishedAt: z.string().nullable() }),
    placed: z.boolean(),
    school: named.nullable(),
    seat: z.enum(['open', 'quota', 'reverted']).nullable(),
    batch: z.number().int().nullable(),
    explanations: z.array(z.object({ school: named, batch: z.number().int(), reasons: z.array(reasonSchema) })).meta({ description: 'Each school listed above the one got, and why not' }),
  })
  .meta({ id: 'ResultSection' });
export type ResultSection = z.infer<typeof resultSectionSchema>;

const unpublishedResultSchema = z.object({ published: z.literal(false), phase: phaseSchema, next: nextStepSchema, policy: studentPolicySchema });
const publishedResultSchema = resultSectionSchema.extend({
  published: z.literal(true),
  phase: phaseSchema,
  next: nextStepSchema,
  policy: studentPolicySchema,
  total: z.number(),
  confirmation: z.object({ decision: z.enum(['confirmed', 'declined']), at: z.string() }).nullable(),
  seatStatus: z.enum(['held', 'givenUp']).nullable().meta({ description: 'The round-1 seat: held, or given up (declined, or silent where silence declines); null when unplaced' }),
  canConfirm: z.boolean(),
  confirmationDeadline: z.string().nullable(),
  supplementary: resultSectionSchema.nullable().meta({ description: '补录, when the student took part and it is published' }),
  holds: z.object({ school: named, round: z.enum(['main', 'supplementary']) }).nullable().meta({ description: 'The seat held as the year stands' }),
  mayJoinSupplementary: z.boolean(),
});
/** Before round 1 is published only the phase and the next step; after, round 1 (top level) and 补录. */
export const studentResultSchema = z.union([unpublishedResultSchema, publishedResultSchema]).meta({ id: 'StudentResult' });
export type StudentResult = z.infer<typeof studentResultSchema>;

export const studentPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/student/overview',
    tags: ['student'],
    summary: 'Scores, rank (位次), phase and deadline (server time), quota seats, schools open per batch with eligibility, next step',
    description:
      '`rank: {city, region, total, regionTotal}` (null before scores are imported): 1 + the students strictly before by total and the published tie-break keys, so ties share a rank. Each school carries `previousCutoffRank` (last year\'s cutoff as a city rank, null without a previous year\'s published round) and `guidance` (冲/稳/保: `band` reach | match | safe with the numbers behind it; null without a previous year). GET /api/student/application carries the same.',
    security: bearer,
    responses: { 200: jsonResponse('The caller\'s overview', studentOverviewSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'NO_ACTIVE_CYCLE') },
  },
  {
    method: 'get',
    path: '/api/student/application',
    tags: ['student'],
    summary: 'The caller\'s choices (志愿) with version, limits per batch and the schools that may be listed',
    security: bearer,
    request: { query: applicationKindQuery },
    responses: { 200: jsonResponse('Application', studentApplicationSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'NO_ACTIVE_CYCLE') },
  },
  {
    method: 'put',
    path: '/api/student/application',
    tags: ['student'],
    summary: 'Saves a new version of the choices (only while applications are open); ineligible choices are refused with their reason',
    security: bearer,
    request: { body: jsonBody(saveApplicationBody) },
    responses: {
      200: jsonResponse('Saved version', savedApplicationSchema),
      ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'CHOICE_REFUSED', 'APPLICATION_VERSION_CONFLICT', 'PHASE_CLOSED', 'NOT_IN_SUPPLEMENTARY', 'NOT_FOUND'),
    },
  },
  {
    method: 'get',
    path: '/api/student/application/history',
    tags: ['student'],
    summary: 'Every saved version of the caller\'s choices, newest first',
    security: bearer,
    request: { query: applicationKindQuery },
    responses: { 200: jsonResponse('History', applicationHistorySchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND') },
  },
  {
    method: 'get',
    path: '/api/student/result',
    tags: ['student'],
    summary: 'The published result: school, seat, batch, and why not for each school listed above it',
    description: 'Answered with an ETag and `Cache-Control: private, no-cache`; with a matching If-None-Match, 304 and no body.',
    security: bearer,
    responses: {
      200: jsonResponse('Result', studentResultSchema),
      304: { description: 'Not modified: the result the caller holds (If-None-Match) is still the current one' },
      ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'NO_ACTIVE_CYCLE') },
  },
];
