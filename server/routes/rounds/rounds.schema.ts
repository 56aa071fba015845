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

export const roundSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['main', 'supplementary', 'simulation']),
    name: z.string().nullable(),
    policy: z.unknown(),
    seed: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'published']),
    progress: z.number().int(),
    invariantsOk: z.boolean().nullable(),
    error: z.string().nullable(),
    sha256: z.object({ input: z.string().nullable(), result: z.string().nullable() }),
    jobId: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    publishedAt: z.string().nullable(),
    counts: z.object({ students: z.number(), assigned: z.number(), unassigned: z.number() }).optional(),
  })
  .meta({ id: 'Round' });

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
    responses: { 200: jsonResponse('Comparison', z.object({ moved: z.array(z.unknown()), quotaUsed: z.unknown(), cutoffs: z.unknown() })), ...errs('NOT_FOUND', 'ROUND_NOT_FINISHED') },
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
    summary: 'Publish a checked main or supplementary round: results and cutoffs to students and schools at once (city bureau)',
    security: bearer,
    request: id,
    responses: { 200: jsonResponse('Published', roundSchema), ...errs('NOT_FOUND', 'PHASE_CLOSED', 'ROUND_NOT_PUBLISHABLE', 'ROUND_NOT_FINISHED', 'ROUND_ALREADY_PUBLISHED') },
  },
  {
    method: 'get',
    path: '/api/rounds/{id}/bundle',
    tags: ['rounds'],
    summary: 'The round bundle {input, result, sha256} as a download; re-run it with `npm run -s allocate`',
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
