import { z } from 'zod';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonResponse, type RouteConfig } from '../shared.schema';

/** The junior-school portal (初中): application status, quota seats and their use, results. */

export const juniorSchoolParamsSchema = z.object({ juniorSchoolId: z.string().min(1).max(64).meta({ description: 'Junior school id, e.g. `J0101`' }) });

export const juniorStatusSchema = z
  .object({
    school: z.object({ id: z.string(), name: z.string() }),
    cycle: z.object({ id: z.string(), year: z.number().int(), name: z.string(), phase: z.string(), applicationDeadline: z.string().nullable() }),
    counts: z.object({ total: z.number().int(), not_started: z.number().int(), saved: z.number().int(), final: z.number().int() }),
    students: z.array(
      z.object({
        examNo: z.string(),
        name: z.string(),
        activated: z.boolean().meta({ description: "The student's account has a password (activated with a code)" }),
        state: z.enum(['not_started', 'saved', 'final']).meta({ description: 'not_started: no application; saved: a draft; final: submitted or frozen' }),
        version: z.number().int(),
        updatedAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'JuniorStatus' });

export const juniorQuotasSchema = z
  .object({
    school: z.object({ id: z.string(), name: z.string() }),
    published: z.boolean(),
    totalSeats: z.number().int(),
    totalUsed: z.number().int().nullable(),
    quotas: z.array(z.object({ highSchool: z.object({ id: z.string(), name: z.string() }), seats: z.number().int(), used: z.number().int().nullable() })),
  })
  .meta({ id: 'JuniorQuotas' });

export type JuniorStatus = z.infer<typeof juniorStatusSchema>;
export type JuniorQuotas = z.infer<typeof juniorQuotasSchema>;

const named = z.object({ id: z.string(), name: z.string() });
const seat = z.enum(['open', 'quota', 'reverted']);
const answer = z.enum(['confirmed', 'declined', 'pending']);
const roundRef = z.object({ id: z.string(), kind: z.enum(['main', 'supplementary']), publishedAt: z.string().nullable() });

export const juniorResultsSchema = z
  .object({
    school: named,
    round: roundRef.nullable().meta({ description: 'The latest published round (补录 once published); null before publication' }),
    silence: answer.optional().meta({ description: 'What an unanswered round-1 seat counts as now (as on the high school\'s list); absent before round 1' }),
    rounds: z.array(roundRef),
    counts: z
      .object({
        placed: z.number().int().meta({ description: '已录取: students holding a seat (round-1 seats kept plus 补录 placements)' }),
        unplaced: z.number().int(),
        quota: z.number().int(),
        supplementary: z.number().int(),
        declined: z.number().int(),
      })
      .nullable(),
    results: z.array(
      z.object({
        examNo: z.string(),
        name: z.string(),
        total: z.number(),
        highSchool: named.nullable().meta({ description: 'The seat held as the year stands (round 1 kept, or 补录)' }),
        seat: seat.nullable(),
        batch: z.number().int().nullable(),
        round: z.enum(['main', 'supplementary']).nullable().meta({ description: 'The round that gave the seat held' }),
        participated: z.boolean(),
        main: z.object({ highSchool: named.nullable(), seat: seat.nullable(), confirmation: answer.nullable(), keeps: z.boolean() }).nullable(),
        supplementary: z.object({ highSchool: named.nullable(), seat: seat.nullable() }).nullable(),
        confirmation: answer.nullable(),
      }),
    ),
  })
  .meta({ id: 'JuniorResults' });
export type JuniorResults = z.infer<typeof juniorResultsSchema>;

const params = { params: juniorSchoolParamsSchema, query: cycleIdQuerySchema };
const errors = errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND', 'NO_ACTIVE_CYCLE');

export const juniorPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/junior-schools/{juniorSchoolId}/status',
    tags: ['junior schools'],
    summary: 'Application status of the school\'s students (not started / saved / final) and who still has to act',
    security: bearer,
    request: params,
    responses: { 200: jsonResponse('Status', juniorStatusSchema), ...errors },
  },
  {
    method: 'get',
    path: '/api/junior-schools/{juniorSchoolId}/quotas',
    tags: ['junior schools'],
    summary: 'Quota seats (指标生名额) at each high school; after publication, how many were used',
    security: bearer,
    request: params,
    responses: { 200: jsonResponse('Quota seats', juniorQuotasSchema), ...errors },
  },
  {
    method: 'get',
    path: '/api/junior-schools/{juniorSchoolId}/results',
    tags: ['junior schools'],
    summary: 'Results of the school\'s students in the latest published round',
    security: bearer,
    request: params,
    responses: { 200: jsonResponse('Results', juniorResultsSchema), ...errors },
  },
];
