import { z } from 'zod';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonBody, jsonResponse, type RouteConfig } from '../shared.schema';

const grade = z.enum(['A', 'B', 'C', 'D']);

export const planBodySchema = z
  .object({
    capacity: z.number().int().min(0).max(100_000),
    classes: z.number().int().min(0).max(2_000),
    batch: z.number().int().min(1).max(9),
    minScore: z.number().min(0).max(1000).nullable().optional(),
    minEvaluation: grade.nullable().optional(),
    quotaPercent: z.number().int().min(0).max(100).nullable().optional(),
    quotaSeats: z.number().int().min(0).max(100_000).nullable().optional(),
    quotaMinScore: z.number().min(0).max(1000).nullable().optional(),
    quotaMinEvaluation: grade.nullable().optional(),
    minPerSchool: z.number().int().min(0).max(1000).nullable().optional(),
    previousCutoff: z.number().min(0).max(1000).nullable().optional(),
    ownership: z.enum(['public', 'private']).optional(),
    scope: z.enum(['city', 'region']).optional(),
    quality: z.boolean().optional(),
  })
  .meta({ id: 'PlanUpdate' });

export const highSchoolParamsSchema = z.object({ highSchoolId: z.string().min(1).max(32) });
export const juniorParamsSchema = z.object({ id: z.string().min(1).max(32) });
export const weightBodySchema = z.object({ weightPercent: z.number().int().min(1).max(1000) }).meta({ id: 'JuniorWeight' });

const planSchema = z.record(z.string(), z.unknown()).meta({ id: 'Plan' });

export const planPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/plans',
    tags: ['plans'],
    summary: 'Plans of the current cycle (or ?cycleId=, a past year; not for students) with warnings (bureau and auditor always; others from plans_published on)',
    security: bearer,
    request: { query: cycleIdQuerySchema },
    responses: { 200: jsonResponse('Plans', z.object({ cycleId: z.string(), plans: z.array(planSchema) })), ...errorResponses(...AUTHENTICATED_ERRORS, 'PHASE_CLOSED', 'NO_ACTIVE_CYCLE', 'NOT_FOUND') },
  },
  {
    method: 'put',
    path: '/api/plans/{highSchoolId}',
    tags: ['plans'],
    summary: 'Set a high school\'s plan in setup (city bureau): capacity <= 55 x classes, quality schools keep the policy quota share',
    security: bearer,
    request: { params: highSchoolParamsSchema, body: jsonBody(planBodySchema) },
    responses: { 200: jsonResponse('The plan', planSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND', 'PHASE_CLOSED') },
  },
  {
    method: 'put',
    path: '/api/junior-schools/{id}/weight',
    tags: ['plans'],
    summary: 'A junior school\'s weight in the quota split, 1..1000 percent (向农村初中倾斜; city bureau, setup)',
    security: bearer,
    request: { params: juniorParamsSchema, body: jsonBody(weightBodySchema) },
    responses: { 200: jsonResponse('Updated', z.object({ id: z.string(), name: z.string(), weightPercent: z.number().int() })), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND', 'PHASE_CLOSED') },
  },
];
