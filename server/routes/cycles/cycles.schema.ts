import { z } from 'zod';
import { cyclePolicyInputSchema } from '../../domain/cycle-policy';
import { ACTIONS, type PhaseAction } from '../../domain/schedule/actions';
import { PHASES } from '../../domain/schedule/schedule';
import { SEED_MIN_LENGTH } from '../../domain/rounds/seed';
import { AUTHENTICATED_ERRORS, bearer, boundedDateSchema, errorResponses, jsonBody, jsonResponse, type RouteConfig } from '../shared.schema';

export const windowSchema = z.object({
  phase: z.enum(PHASES),
  opensAt: boundedDateSchema.meta({ description: 'ISO time the window opens (inclusive)' }),
  closesAt: boundedDateSchema.meta({ description: 'ISO time the window closes (exclusive)' }),
});

export const scheduleBodySchema = z.object({ windows: z.array(windowSchema).min(1).max(20) }).meta({ id: 'ScheduleUpdate' });

export const createCycleBodySchema = z
  .object({
    year: z.number().int().min(2000).max(9999),
    name: z.string().trim().min(1).max(100),
    seed: z.string().trim().min(1).max(100).optional(),
    policy: cyclePolicyInputSchema.optional(),
    windows: z.array(windowSchema).min(1).max(20),
  })
  .meta({ id: 'CycleCreate' });

export const cycleIdParamsSchema = z.object({ id: z.string().min(1).max(64) });

/** The bureau's own lottery seed (issue 17): long enough not to be guessed from its published hash. */
export const seedBodySchema = z
  .object({ seed: z.string().trim().min(SEED_MIN_LENGTH).max(100).meta({ description: `The lottery seed (ALLOCATION.md §2.1), ${SEED_MIN_LENGTH}-100 characters; secret until round 1 is published` }) })
  .strict()
  .meta({ id: 'CycleSeed' });

export const currentCycleSchema = z
  .object({
    cycle: z.object({ id: z.string(), year: z.number().int(), name: z.string() }),
    phases: z.array(z.object({ phase: z.enum(PHASES), opensAt: z.string(), closesAt: z.string() })),
    phase: z.enum(PHASES).meta({ description: 'The phase open now by the server clock' }),
    actions: z.array(z.enum(ACTIONS as [PhaseAction, ...PhaseAction[]])).meta({ description: 'The actions the phase open now allows (the table of server/domain/schedule/actions.ts); a page offers only these' }),
    serverTime: z.string(),
    seedCommitment: z
      .string()
      .nullable()
      .meta({ description: 'Hex SHA-256 of the lottery seed, published from applications_open on (null before); the seed is revealed with round 1, in its bundle' }),
  })
  .meta({ id: 'CurrentCycle' });

export const cycleListSchema = z
  .object({
    cycles: z.array(
      z.object({
        id: z.string(),
        year: z.number().int(),
        name: z.string(),
        status: z.enum(['draft', 'active', 'archived']),
        current: z.boolean().meta({ description: 'The cycle read routes default to' }),
      }),
    ),
  })
  .meta({ id: 'CycleList' });

/** `?cycleId=`: which year a read route shows; the current cycle when absent, 404 when unknown. */
export const cycleIdQuerySchema = z.object({
  cycleId: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).max(64).optional()).meta({ description: 'A past year (招生年度) to open; default: the current cycle' }),
});
export type CycleIdQuery = z.infer<typeof cycleIdQuerySchema>;
export type CurrentCycle = z.infer<typeof currentCycleSchema>;
export type CycleList = z.infer<typeof cycleListSchema>;
export type CycleSummary = CycleList['cycles'][number];

export const cyclePaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/cycles',
    tags: ['cycles'],
    summary: 'Every cycle (招生年度), newest first: the years a signed-in user may open with ?cycleId=',
    security: bearer,
    responses: { 200: jsonResponse('The cycles', cycleListSchema), ...errorResponses(...AUTHENTICATED_ERRORS) },
  },
  {
    method: 'get',
    path: '/api/cycles/current',
    tags: ['cycles'],
    summary: 'The current cycle, its nine windows and the phase open now (no sign-in needed)',
    responses: { 200: jsonResponse('The current cycle', currentCycleSchema), ...errorResponses('NO_ACTIVE_CYCLE') },
  },
  {
    method: 'post',
    path: '/api/cycles',
    tags: ['cycles'],
    summary: 'Create the year\'s cycle with its nine windows and make it current (city bureau)',
    security: bearer,
    request: { body: jsonBody(createCycleBodySchema) },
    responses: { 201: jsonResponse('Created', currentCycleSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'CYCLE_YEAR_TAKEN') },
  },
  {
    method: 'put',
    path: '/api/cycles/{id}/schedule',
    tags: ['cycles'],
    summary: 'Replace the windows of a cycle still in setup (city bureau; audited before/after)',
    security: bearer,
    request: { params: cycleIdParamsSchema, body: jsonBody(scheduleBodySchema) },
    responses: { 200: jsonResponse('Updated', currentCycleSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND', 'PHASE_CLOSED') },
  },
  {
    method: 'put',
    path: '/api/cycles/{id}/seed',
    tags: ['cycles'],
    summary: 'Set the lottery seed of a cycle before applications open (city bureau; audited without the seed). From applications_open on the seed is committed: 409 SEED_COMMITTED',
    security: bearer,
    request: { params: cycleIdParamsSchema, body: jsonBody(seedBodySchema) },
    responses: {
      200: jsonResponse('Set', z.object({ cycleId: z.string(), seedSet: z.literal(true), seedCommitment: z.null() })),
      ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND', 'SEED_COMMITTED'),
    },
  },
  {
    method: 'post',
    path: '/api/cycles/{id}/schedule/end-current',
    tags: ['cycles'],
    summary: 'End the window open now at the server\'s clock and open the next one then; nothing else moves (city bureau; audited)',
    security: bearer,
    request: { params: cycleIdParamsSchema },
    responses: { 200: jsonResponse('The schedule after', currentCycleSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND', 'PHASE_CLOSED') },
  },
];
