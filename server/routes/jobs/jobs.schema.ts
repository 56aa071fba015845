import { z } from 'zod';
import { IMPORT_KINDS } from '../../domain/imports/columns';
import { AUTHENTICATED_ERRORS, bearer, errorResponses, jsonResponse, type RouteConfig } from '../shared.schema';

export const jobParamsSchema = z.object({
  queue: z.string().min(1).max(64).meta({ description: 'Queue name, e.g. `system`' }),
  id: z.string().min(1).max(200),
});
export type JobParams = z.infer<typeof jobParamsSchema>;

/*
 * What each handler of jobs/handlers returns: GET /api/jobs/{queue}/{id}
 * answers one of these as `result` once the job completed.
 */
export const roundRunResultSchema = z
  .object({
    roundId: z.string(),
    status: z.string(),
    skipped: z.boolean().meta({ description: 'The round had already run: nothing was done' }),
    invariantsOk: z.boolean().optional(),
    timings: z.record(z.string(), z.number()).optional().meta({ description: 'Milliseconds per stage' }),
  })
  .meta({ id: 'RoundRunResult', description: 'round.run' });

export const importJobResultSchema = z
  .object({
    ok: z.boolean(),
    kind: z.enum(IMPORT_KINDS),
    imported: z.number().int(),
    count: z.number().int().meta({ description: 'Problems in all (the list may be cut short)' }),
    problems: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
  })
  .meta({ id: 'ImportJobResult', description: 'import.run: on problems nothing was written' });

export const flagDetectionResultSchema = z
  .object({ cycleId: z.string(), detected: z.number().int(), created: z.number().int(), updated: z.number().int(), byRule: z.record(z.string(), z.number().int()) })
  .meta({ id: 'FlagDetectionResult', description: 'flags.detect' });

export const heartbeatResultSchema = z
  .object({ at: z.string(), reason: z.string(), auditHead: z.object({ seq: z.string(), hash: z.string() }).nullable() })
  .meta({ id: 'HeartbeatResult', description: 'system.healthcheck' });

export const jobSchema = z
  .object({
    id: z.string(),
    queue: z.string(),
    name: z.string().meta({ description: 'Job name from jobs/registry.ts, e.g. `system.healthcheck`' }),
    state: z
      .string()
      .meta({ description: 'waiting | delayed | prioritized | waiting-children | active | completed | failed | unknown' }),
    progress: z.number().meta({ description: '0..100 (every handler reports a percentage)' }),
    result: z
      .union([roundRunResultSchema, importJobResultSchema, flagDetectionResultSchema, heartbeatResultSchema, z.null()])
      .meta({ description: 'The handler\'s return value once completed (by the job `name`), else null' }),
    failedReason: z.string().nullable(),
    attemptsMade: z.number().int(),
    createdAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Job' });
export type JobBody = z.infer<typeof jobSchema>;
export type ImportJobResult = z.infer<typeof importJobResultSchema>;

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
