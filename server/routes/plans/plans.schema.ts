import { z } from 'zod';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonBody, jsonResponse, type RouteConfig } from '../shared.schema';

const grade = z.enum(['A', 'B', 'C', 'D']);

/** The fields of a plan (招生计划) every plan response carries. */
export const planFieldsShape = {
    capacity: z.number().int(),
    classes: z.number().int(),
    batch: z.number().int(),
    minScore: z.number().nullable(),
    minEvaluation: grade.nullable(),
    quotaPercent: z.number().int().nullable(),
    quotaSeats: z.number().int().nullable(),
    quotaMinScore: z.number().nullable(),
    quotaMinEvaluation: grade.nullable(),
    minPerSchool: z.number().int(),
    previousCutoff: z.number().nullable(),
    status: z.enum(['draft', 'submitted', 'approved', 'rejected']),
};

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

export type PlanUpdate = z.infer<typeof planBodySchema>;

/** A plan as the bureau's and the public lists show it (server/services/plan.service.ts PlanView). */
export const planSchema = z
  .object({
    highSchool: z.object({ id: z.string(), name: z.string(), regionCode: z.string(), ownership: z.enum(['public', 'private']), scope: z.enum(['city', 'region']), quality: z.boolean() }),
    ...planFieldsShape,
    effectiveQuotaSeats: z.number().int().meta({ description: '指标生名额 the distribution will use (the policy share for a quality school without its own figure)' }),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })).meta({ description: 'Plan rules the plan breaks or comes near, in the caller\'s language' }),
  })
  .meta({ id: 'Plan' });
export type Plan = z.infer<typeof planSchema>;

export const planListSchema = z.object({ cycleId: z.string(), plans: z.array(planSchema) }).meta({ id: 'PlanList' });
export type PlanList = z.infer<typeof planListSchema>;

export const juniorWeightSchema = z.object({ id: z.string(), name: z.string(), weightPercent: z.number().int() }).meta({ id: 'JuniorWeightSaved' });

export const planPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/plans',
    tags: ['plans'],
    summary: 'Plans of the current cycle (or ?cycleId=, a past year; not for students) with warnings (bureau and auditor always; others from plans_published on)',
    security: bearer,
    request: { query: cycleIdQuerySchema },
    responses: { 200: jsonResponse('Plans', planListSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'PHASE_CLOSED', 'NO_ACTIVE_CYCLE', 'NOT_FOUND') },
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
    responses: { 200: jsonResponse('Updated', juniorWeightSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'VALIDATION_FAILED', 'NOT_FOUND', 'PHASE_CLOSED') },
  },
];
