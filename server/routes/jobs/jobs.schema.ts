import { z } from 'zod';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonResponse, type RouteConfig } from '../shared.schema';

export const jobParamsSchema = z.object({
  queue: z.string().min(1).max(64).meta({ description: 'Queue name, e.g. `system`' }),
  id: z.string().min(1).max(200),
});
export type JobParams = z.infer<typeof jobParamsSchema>;

export const jobSchema = z
  .object({
    id: z.string(),
    queue: z.string(),
    name: z.string().meta({ description: 'Job name from jobs/registry.ts, e.g. `system.healthcheck`' }),
    state: z
      .string()
      .meta({ description: 'waiting | delayed | prioritized | waiting-children | active | completed | failed | unknown' }),
    progress: z.union([z.number(), z.string(), z.boolean(), z.record(z.string(), z.unknown())]).meta({ description: 'Usually 0..100' }),
    result: z.unknown().meta({ description: 'The handler\'s return value once completed, else null' }),
    failedReason: z.string().nullable(),
    attemptsMade: z.number().int(),
    createdAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Job' });
export type JobBody = z.infer<typeof jobSchema>;

export const jobPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/jobs/{queue}/{id}',
    tags: ['jobs'],
    summary: 'Progress of a background job (bureau and auditor: any job; others: jobs they started)',
    description: 'A job the caller may not see answers 404 NOT_FOUND, like one that does not exist.',
    security: bearer,
    request: { params: jobParamsSchema },
    responses: { 200: jsonResponse('The job', jobSchema), ...errorResponses(...AUTHENTICATED_ERRORS, 'NOT_FOUND') },
  },
  {
    method: 'post',
    path: '/api/system/healthcheck',
    tags: ['jobs'],
    summary: 'Queue a worker heartbeat job (bureau only); poll it with GET /api/jobs/{queue}/{id}',
    security: bearer,
    responses: { 202: jsonResponse('Queued', jobSchema), ...errorResponses(...AUTHENTICATED_ERRORS) },
  },
];
