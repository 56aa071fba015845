import { z } from 'zod';
import { cycleIdQuerySchema } from '../cycles/cycles.schema';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonResponse, type RouteConfig } from '../shared.schema';

const seatsRef = z.object({ id: z.string(), name: z.string(), seats: z.number().int() });

export const quotaTableSchema = z
  .object({
    cycleId: z.string(),
    total: z.number().int(),
    byHighSchool: z.array(z.object({ id: z.string(), name: z.string(), total: z.number().int(), juniorSchools: z.array(seatsRef) })),
    byJuniorSchool: z.array(z.object({ id: z.string(), name: z.string(), graduates: z.number().int(), total: z.number().int(), highSchools: z.array(seatsRef) })),
  })
  .meta({ id: 'QuotaTable' });

export type QuotaTable = z.infer<typeof quotaTableSchema>;

export const quotaComputedSchema = z.object({ cycleId: z.string(), highSchools: z.number().int(), juniorSchools: z.number().int(), seats: z.number().int() }).meta({ id: 'QuotaComputed' });
export type QuotaComputed = z.infer<typeof quotaComputedSchema>;

export const quotaPaths: RouteConfig[] = [
  {
    method: 'post',
    path: '/api/quotas/compute',
    tags: ['quotas'],
    summary: 'Compute the quota distribution (ALLOCATION.md §1) from the plans and junior schools and replace the cycle\'s quota rows (city bureau, setup)',
    security: bearer,
    responses: {
      200: jsonResponse('Summary', quotaComputedSchema),
      ...errorResponses(...AUTHENTICATED_ERRORS, 'PHASE_CLOSED', 'NO_ACTIVE_CYCLE'),
    },
  },
  {
    method: 'get',
    path: '/api/quotas',
    tags: ['quotas'],
    summary: 'The quota table per high school and per junior school (bureau and auditor always; everyone from plans_published on)',
    security: bearer,
    request: { query: cycleIdQuerySchema },
    responses: { 200: jsonResponse('The table', quotaTableSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'PHASE_CLOSED', 'NO_ACTIVE_CYCLE', 'NOT_FOUND') },
  },
  {
    method: 'get',
    path: '/api/quotas/export',
    tags: ['quotas'],
    summary: 'The quota table as .xlsx (two sheets: 按高中, 按初中)',
    security: bearer,
    request: { query: cycleIdQuerySchema },
    responses: {
      200: { description: 'The workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().meta({ format: 'binary' }) } } },
      ...errorResponses(...AUTHENTICATED_ERRORS, 'PHASE_CLOSED', 'NO_ACTIVE_CYCLE'),
    },
  },
];
