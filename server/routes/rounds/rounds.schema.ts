import { z } from 'zod';
import { allocationPolicySchema } from '../../domain/cycle-policy';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonBody, jsonResponse, type RouteConfig } from '../shared.schema';

const schoolId = z.string().min(1).max(64);

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
    policy: z.unknown(),
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

/** 202 of a four-eyes action: the first approval is recorded, another city-bureau account must approve. */
export const awaitingApprovalSchema = z
  .object({
    status: z.literal('awaiting_approval'),
    approvals: z.number().int(),
    required: z.number().int(),
    approvedBy: z.array(z.object({ username: z.string(), displayName: z.string(), at: z.string() })),
  })
  .meta({ id: 'AwaitingApproval' });

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
    responses: { 202: jsonResponse('Queued', roundSchema), ...errs('VALIDATION_FAILED', 'PHASE_CLOSED', 'NO_ACTIVE_CYCLE', 'NO_PUBLISHED_ROUND') },
  },
  {
    method: 'get',
    path: '/api/rounds',
    tags: ['rounds'],
    summary: 'Rounds of the current cycle, or of ?cycleId= (a past year) (bureau, auditor)',
    security: bearer,
    request: { query: cycleIdQuerySchema },
    responses: { 200: jsonResponse('Rounds, newest first', z.object({ rounds: z.array(roundSchema) })), ...errs('NO_ACTIVE_CYCLE', 'NOT_FOUND') },
  },
  {
    method: 'get',
    path: '/api/rounds/compare',
    tags: ['rounds'],
    summary: 'Compare two finished rounds: students who move, quota seats used per junior school, cutoffs per school',
    security: bearer,
    request: { query: compareQuerySchema },
    responses: { 200: jsonResponse(
        'Comparison',
        z.object({
          moved: z.array(z.unknown()),
          quotaUsed: z.unknown(),
          cutoffs: z.unknown(),
          names: z
            .object({ highSchools: z.record(z.string(), z.string()), juniorSchools: z.record(z.string(), z.string()), students: z.record(z.string(), z.string()) })
            .meta({ description: 'Names (as they stood in the cycle) of the high schools and junior schools by id and the moved students by exam number' }),
        }),
      ), ...errs('NOT_FOUND', 'ROUND_NOT_FINISHED') },
  },
  {
    method: 'get',
    path: '/api/rounds/supplementary/seats',
    tags: ['rounds'],
    summary: 'Schools with seats left for the supplementary round (补录)',
    security: bearer,
    responses: { 200: jsonResponse('Seats left', z.unknown()), ...errs('NO_PUBLISHED_ROUND') },
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
    responses: { 200: jsonResponse('Bundle', z.unknown()), ...errs('NOT_FOUND', 'ROUND_NOT_FINISHED') },
  },
  {
    method: 'get',
    path: '/api/rounds/{id}/cutoffs',
    tags: ['rounds'],
    summary: 'Cutoff per school (total of the last admitted); everyone once published',
    security: bearer,
    request: id,
    responses: { 200: jsonResponse('Cutoffs', z.unknown()), ...errs('NOT_FOUND', 'ROUND_NOT_FINISHED') },
  },
  {
    method: 'post',
    path: '/api/rounds/{id}/confirmations',
    tags: ['rounds'],
    summary: 'A student confirms or declines the seat of the published main round (confirmation phase, once)',
    security: bearer,
    request: { ...id, body: jsonBody(confirmationSchema) },
    responses: { 200: jsonResponse('Saved', z.unknown()), ...errs('VALIDATION_FAILED', 'PHASE_CLOSED', 'NOT_FOUND', 'NOT_ADMITTED', 'ALREADY_CONFIRMED') },
  },
  {
    method: 'get',
    path: '/api/rounds/{id}/confirmations',
    tags: ['rounds'],
    summary: 'Confirmation figures of a round (bureau, auditor), silence counted per the cycle policy',
    security: bearer,
    request: id,
    responses: { 200: jsonResponse('Figures', z.unknown()), ...errs('NOT_FOUND') },
  },
];
