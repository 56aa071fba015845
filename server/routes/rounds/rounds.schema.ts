import { z } from 'zod';
import type { RejectionReason } from '../../domain/allocation/types';
import { allocationPolicySchema } from '../../domain/cycle-policy';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonBody, jsonResponse, type RouteConfig } from '../shared.schema';

export const roundPolicySchema = allocationPolicySchema
  .meta({ id: 'RoundPolicy', description: 'ALLOCATION.md §2 policy; fields left out come from the cycle policy' });

export const startRoundSchema = z
  .object({
    kind: z.enum(['main', 'supplementary', 'simulation']),
    name: z.string().trim().min(1).max(80).optional(),
    policy: roundPolicySchema.optional(),
  })
  .strict()
  .meta({ id: 'StartRound' });
export type StartRoundBody = z.infer<typeof startRoundSchema>;

/** A policy as a round stored it (roundPolicy's output): the start request's keys, nulls from older rounds kept. */
export const storedRoundPolicySchema = z
  .object({
    quotaPrecedence: z.enum(['openFirst', 'quotaFirst']).nullable().optional(),
    unusedQuota: z.enum(['revert', 'keep']).nullable().optional(),
    tieBreak: z.array(z.string()).nullable().optional(),
  })
  .meta({ id: 'StoredRoundPolicy', description: 'ALLOCATION.md §2 policy the round ran with' });

export const roundIdParamsSchema = z.object({ id: z.string().min(1).max(64) });
export const compareQuerySchema = z.object({ a: z.string().min(1).max(64), b: z.string().min(1).max(64) });

export const confirmationSchema = z.object({ decision: z.enum(['confirmed', 'declined']) }).strict().meta({ id: 'ConfirmationRequest' });

/** Four eyes (PUBLISH_APPROVALS): who has approved so far. */
export const approvalsSchema = z
  .object({
    required: z.number().int().meta({ description: 'Different city-bureau accounts that must approve (PUBLISH_APPROVALS)' }),
    count: z.number().int(),
    approvedBy: z.array(z.object({ username: z.string(), displayName: z.string(), at: z.string() })),
  })
  .meta({ id: 'Approvals' });

export const roundSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['main', 'supplementary', 'simulation']),
    name: z.string().nullable(),
    policy: storedRoundPolicySchema,
    seed: z.string().optional().meta({ description: 'The lottery seed, present once round 1 of the cycle is published (secret before; its SHA-256 is the cycle\'s seedCommitment)' }),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'published']),
    progress: z.number().int(),
    stage: z.enum(['queued', 'load', 'allocate', 'check', 'store', 'done']).meta({ description: 'The part of the work the progress is in: load 5–29, allocate 30–59, check 60–74, store 75–99' }),
    invariantsOk: z.boolean().nullable(),
    error: z.string().nullable(),
    sha256: z.object({ input: z.string().nullable(), result: z.string().nullable() }),
    jobId: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    publishedAt: z.string().nullable(),
    counts: z.object({ students: z.number(), assigned: z.number(), unassigned: z.number() }).optional(),
    approvals: approvalsSchema,
  })
  .meta({ id: 'Round' });

export type Round = z.infer<typeof roundSchema>;
export type RoundKind = Round['kind'];
export type RoundStatus = Round['status'];
export type RoundPolicy = z.infer<typeof roundPolicySchema>;
export type Approvals = z.infer<typeof approvalsSchema>;

/** 202 of a four-eyes action: the first approval is recorded, another city-bureau account must approve. */
export const awaitingApprovalSchema = z
  .object({
    status: z.literal('awaiting_approval'),
    approvals: z.number().int(),
    required: z.number().int(),
    approvedBy: z.array(z.object({ username: z.string(), displayName: z.string(), at: z.string() })),
  })
  .meta({ id: 'AwaitingApproval' });
export type AwaitingApproval = z.infer<typeof awaitingApprovalSchema>;

const aAndB = <T extends z.ZodType>(value: T) => z.object({ a: value, b: value });

/** Two finished rounds side by side (server/domain/rounds/compare.ts). */
export const roundComparisonSchema = z
  .object({
    moved: z.array(
      z.object({
        student: z.string().meta({ description: 'Exam number' }),
        junior: z.string(),
        region: z.string(),
        total: z.number(),
        from: z.string().nullable().meta({ description: 'School in round a; null when unplaced there' }),
        to: z.string().nullable(),
      }),
    ).meta({ description: 'Students in both rounds whose school differs, highest total first (a county bureau: its own region only)' }),
    quotaUsed: z.record(z.string(), aAndB(z.number().int())).meta({ description: 'Junior school id -> quota seats its students hold in a and in b' }),
    cutoffs: z.record(z.string(), aAndB(z.number().nullable())).meta({ description: 'High school id -> cutoff (total of the last admitted) in a and b; null when nobody was admitted' }),
    assigned: aAndB(z.number().int()).meta({ description: 'Students placed in each round' }),
    studentsOnlyInOne: z.number().int(),
    a: roundSchema,
    b: roundSchema,
    names: z
      .object({ highSchools: z.record(z.string(), z.string()), juniorSchools: z.record(z.string(), z.string()), students: z.record(z.string(), z.string()) })
      .meta({ description: 'Names (as they stood in the cycle) of the high schools and junior schools by id and the moved students by exam number' }),
  })
  .meta({ id: 'RoundComparison' });
export type RoundComparison = z.infer<typeof roundComparisonSchema>;

export const supplementarySeatsSchema = z
  .object({
    mainRoundId: z.string(),
    silenceMeansDecline: z.boolean(),
    declinedMayJoinSupplementary: z.boolean(),
    schools: z.array(z.object({ school: z.string(), batch: z.number().int(), capacity: z.number().int(), seatsLeft: z.number().int() })).meta({ description: 'Schools with seats left, by batch then id' }),
  })
  .meta({ id: 'SupplementarySeats' });
export type SupplementarySeats = z.infer<typeof supplementarySeatsSchema>;

export const roundCutoffsSchema = z
  .object({
    roundId: z.string(),
    schools: z.array(
      z.object({ school: z.string(), capacity: z.number().int(), admitted: z.number().int(), cutoff: z.number().nullable().meta({ description: 'Total of the last admitted; null when nobody was' }) }),
    ),
  })
  .meta({ id: 'RoundCutoffs' });
export type RoundCutoffs = z.infer<typeof roundCutoffsSchema>;

export const confirmationSavedSchema = z
  .object({ roundId: z.string(), school: z.string(), decision: z.enum(['confirmed', 'declined']), at: z.string() })
  .meta({ id: 'ConfirmationSaved' });
export type ConfirmationSaved = z.infer<typeof confirmationSavedSchema>;

export const confirmationSummarySchema = z
  .object({
    roundId: z.string(),
    admitted: z.number().int(),
    confirmed: z.number().int(),
    declined: z.number().int(),
    silent: z.number().int(),
    silenceMeansDecline: z.boolean(),
  })
  .meta({ id: 'ConfirmationSummary' });
export type ConfirmationSummary = z.infer<typeof confirmationSummarySchema>;

/*
 * The round bundle: ALLOCATION.md's instance and result formats
 * (server/domain/allocation/types.ts), as the engine reads and writes them.
 * Maps keyed by exam number or school id are records; `scores` keys are the
 * cycle's subjects, which the format leaves open.
 */
const grade = z.enum(['A', 'B', 'C', 'D']);
const seatKind = z.enum(['open', 'quota', 'reverted']);
const REJECTION_REASONS = ['outOfRegion', 'belowMinScore', 'belowMinEvaluation', 'notQuotaEligible', 'noQuotaForJunior', 'belowQuotaMinScore', 'belowQuotaMinEvaluation', 'openFull', 'noOpenSeats', 'quotaFull', 'revertedFull'] as const;
/** Both ways equal to the engine's RejectionReason: a new reason there fails to compile here. */
const rejectionReasonsComplete: [RejectionReason] extends [(typeof REJECTION_REASONS)[number]] ? true : false = true;
void rejectionReasonsComplete;
export const rejectionReasonSchema = z.enum(REJECTION_REASONS satisfies readonly RejectionReason[]).meta({ id: 'RejectionReason' });
const priorityView = z.object({ student: z.string(), total: z.number(), tieBreak: z.array(z.union([z.number(), z.string(), z.null()])), rank: z.number().int() });
export const allocationInstanceSchema = z
  .object({
    format: z.literal('zz-admissions/allocation-instance@1'),
    seed: z.string(),
    policy: storedRoundPolicySchema.nullable().optional(),
    highSchools: z.array(
      z.object({
        id: z.string(),
        region: z.string(),
        ownership: z.string().nullable().optional(),
        batch: z.number().int(),
        scope: z.enum(['city', 'region']),
        capacity: z.number().int(),
        minScore: z.number().nullable().optional(),
        minEvaluation: grade.nullable().optional(),
        quota: z.record(z.string(), z.number().int()).nullable().optional().meta({ description: '指标生名额 per junior school id' }),
        quotaMinScore: z.number().nullable().optional(),
        quotaMinEvaluation: grade.nullable().optional(),
      }),
    ),
    students: z.array(
      z.object({
        id: z.string(),
        junior: z.string(),
        region: z.string(),
        total: z.number(),
        scores: z.record(z.string(), z.number().nullable()).nullable().optional(),
        evaluation: grade,
        quotaEligible: z.boolean(),
        choices: z.record(z.string(), z.array(z.string())).meta({ description: 'Batch number -> school ids in order of preference' }),
      }),
    ),
  })
  .meta({ id: 'AllocationInstance', description: 'ALLOCATION.md §2 instance format' });

export const allocationResultSchema = z
  .object({
    format: z.literal('zz-admissions/allocation-result@1'),
    assignments: z.record(z.string(), z.object({ school: z.string(), seat: seatKind, batch: z.number().int() })),
    unassigned: z.array(z.string()),
    schools: z.record(
      z.string(),
      z.object({
        capacity: z.number().int(),
        admitted: z.number().int(),
        open: z.number().int(),
        quota: z.number().int(),
        reverted: z.number().int(),
        lastAdmitted: z.string().optional(),
        quotaUsed: z.record(z.string(), z.number().int()).optional(),
        cutoffs: z.object({ open: priorityView.optional(), quota: z.record(z.string(), priorityView).optional(), reverted: priorityView.optional() }).optional(),
      }),
    ),
    explanations: z.record(z.string(), z.array(z.object({ school: z.string(), batch: z.number().int(), reasons: z.array(rejectionReasonSchema) }))).optional(),
    stats: z.object({ proposals: z.number().int(), batches: z.array(z.number().int()) }).optional(),
  })
  .meta({ id: 'AllocationResult', description: 'ALLOCATION.md §2 result format' });

export const roundBundleSchema = z
  .object({
    input: allocationInstanceSchema,
    result: allocationResultSchema,
    seed: z.string().nullable(),
    seedCommitment: z.string().nullable().meta({ description: 'SHA-256 of the seed, published when applications opened' }),
    sha256: z.object({ input: z.string(), result: z.string() }).meta({ description: 'Of the canonical JSON text of input and result' }),
  })
  .meta({ id: 'RoundBundle', description: 'Check with `npm run -s bundle:verify -- bundle.json`' });
export type RoundBundle = z.infer<typeof roundBundleSchema>;

export const roundListSchema = z.object({ rounds: z.array(roundSchema) }).meta({ id: 'RoundList' });

const id = { params: roundIdParamsSchema };
const errs = (...codes: Parameters<typeof errorResponses>) => errorResponses(...AUTHENTICATED_ERRORS, ...codes);

export const roundPaths: RouteConfig[] = [
  {
    method: 'post',
    path: '/api/rounds',
    tags: ['rounds'],
    summary: 'Start a round (city bureau): main (applications closed / round 1), simulation (after applications close), supplementary (补录 phase); runs as job `round-<id>`',
    security: bearer,
    request: { body: jsonBody(startRoundSchema) },
    responses: { 202: jsonResponse('Queued', roundSchema), ...errs('VALIDATION_FAILED', 'PHASE_CLOSED', 'NO_ACTIVE_CYCLE', 'NO_PUBLISHED_ROUND', 'NO_APPLICATIONS') },
  },
  {
    method: 'get',
    path: '/api/rounds',
    tags: ['rounds'],
    summary: 'Rounds of the current cycle, or of ?cycleId= (a past year) (bureau, auditor)',
    security: bearer,
    request: { query: cycleIdQuerySchema },
    responses: { 200: jsonResponse('Rounds, newest first', roundListSchema), ...errs('NO_ACTIVE_CYCLE', 'NOT_FOUND') },
  },
  {
    method: 'get',
    path: '/api/rounds/compare',
    tags: ['rounds'],
    summary: 'Compare two finished rounds: students who move, quota seats used per junior school, cutoffs per school',
    security: bearer,
    request: { query: compareQuerySchema },
    responses: { 200: jsonResponse('Comparison', roundComparisonSchema), ...errs('NOT_FOUND', 'ROUND_NOT_FINISHED') },
  },
  {
    method: 'get',
    path: '/api/rounds/supplementary/seats',
    tags: ['rounds'],
    summary: 'Schools with seats left for the supplementary round (补录)',
    security: bearer,
    responses: { 200: jsonResponse('Seats left', supplementarySeatsSchema), ...errs('NO_PUBLISHED_ROUND') },
  },
  {
    method: 'get',
    path: '/api/rounds/{id}',
    tags: ['rounds'],
    summary: 'A round: status, progress (poll while it runs), counts, invariant check',
    security: bearer,
    request: id,
    responses: { 200: jsonResponse('The round', roundSchema), ...errs('NOT_FOUND') },
  },
  {
    method: 'post',
    path: '/api/rounds/{id}/publish',
    tags: ['rounds'],
    summary:
      'Publish a checked main or supplementary round: results and cutoffs to students and schools at once (city bureau). ' +
      'Four eyes: with PUBLISH_APPROVALS=2 (production default) the first city-bureau account\'s call records an approval and answers 202 awaiting_approval; ' +
      'the same call by a different city-bureau account publishes; the same account again is 409 ALREADY_APPROVED',
    security: bearer,
    request: id,
    responses: {
      200: jsonResponse('Published', roundSchema),
      202: jsonResponse('Approval recorded; another city-bureau account must approve', awaitingApprovalSchema),
      ...errs('NOT_FOUND', 'PHASE_CLOSED', 'ROUND_NOT_PUBLISHABLE', 'ROUND_NOT_FINISHED', 'ROUND_ALREADY_PUBLISHED', 'ALREADY_APPROVED'),
    },
  },
  {
    method: 'get',
    path: '/api/rounds/{id}/bundle',
    tags: ['rounds'],
    summary:
      'The round bundle {input, result, seed, seedCommitment, sha256} as a download; check it with `npm run -s bundle:verify -- bundle.json` ' +
      '(seed against the commitment published when applications opened, the hashes, and a re-run of the allocation)',
    security: bearer,
    request: id,
    responses: { 200: jsonResponse('Bundle (a download: Content-Disposition attachment)', roundBundleSchema), ...errs('NOT_FOUND', 'ROUND_NOT_FINISHED') },
  },
  {
    method: 'get',
    path: '/api/rounds/{id}/cutoffs',
    tags: ['rounds'],
    summary: 'Cutoff per school (total of the last admitted); everyone once published',
    security: bearer,
    request: id,
    responses: { 200: jsonResponse('Cutoffs', roundCutoffsSchema), ...errs('NOT_FOUND', 'ROUND_NOT_FINISHED') },
  },
  {
    method: 'post',
    path: '/api/rounds/{id}/confirmations',
    tags: ['rounds'],
    summary: 'A student confirms or declines the seat of the published main round (confirmation phase, once)',
    security: bearer,
    request: { ...id, body: jsonBody(confirmationSchema) },
    responses: { 200: jsonResponse('Saved', confirmationSavedSchema), ...errs('VALIDATION_FAILED', 'PHASE_CLOSED', 'NOT_FOUND', 'NOT_ADMITTED', 'ALREADY_CONFIRMED') },
  },
  {
    method: 'get',
    path: '/api/rounds/{id}/confirmations',
    tags: ['rounds'],
    summary: 'Confirmation figures of a round (bureau, auditor), silence counted per the cycle policy',
    security: bearer,
    request: id,
    responses: { 200: jsonResponse('Figures', confirmationSummarySchema), ...errs('NOT_FOUND') },
  },
];
