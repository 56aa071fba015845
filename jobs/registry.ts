import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

/**
 * Every background job of the platform: its name, the queue it runs on, the
 * zod schema of its payload and its BullMQ options. The handlers live in
 * jobs/handlers/ (one file per job); the worker refuses to start unless every
 * job here has exactly one handler (`checkHandlers`).
 *
 * To add a job: add an entry here, add `jobs/handlers/<name>.ts` exporting
 * `defineHandler('<name>', ...)`, list it in jobs/handlers/index.ts.
 */

export interface JobDefinition {
  queue: string;
  description: string;
  payload: z.ZodType;
  options?: JobsOptions;
  /** Frequent housekeeping: log start and end at debug level only. */
  quiet?: boolean;
}

const keepFinished: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  // Finished jobs stay readable through GET /api/jobs/:queue/:id for a while.
  removeOnComplete: { age: 7 * 86_400, count: 1_000 },
  removeOnFail: { age: 30 * 86_400 },
};

export const jobDefinitions = {
  'system.healthcheck': {
    queue: 'system',
    description: 'Writes the time a worker last ran (the worker heartbeat shown by GET /api/health).',
    payload: z.object({
      /** Why it runs: the worker's schedule or a bureau user's check. */
      reason: z.enum(['schedule', 'manual']).default('manual'),
    }),
    options: { ...keepFinished, attempts: 1, removeOnComplete: { age: 86_400, count: 100 } },
    quiet: true,
  },
  'round.run': {
    queue: 'rounds',
    description: 'Runs one allocation round: builds the engine input from the database, allocates, checks the invariants, stores the result.',
    payload: z.object({ roundId: z.string().min(1).max(64) }),
    // Idempotent (see jobs/handlers/round.run.ts): a retry after a crash stores one result.
    options: { ...keepFinished, attempts: 3 },
  },
  'flags.detect': {
    queue: 'flags',
    description: 'Runs the irregularity rules over a cycle (results, registrations, 学籍 history, complaints) and upserts the flags by dedupe key.',
    payload: z.object({
      cycleId: z.string().min(1).max(64),
      /** What caused it: a publication, a registration import, or a bureau user's request. */
      reason: z.enum(['publication', 'registration', 'manual']).default('manual'),
    }),
    // Idempotent: upsert by dedupe key, so a retry or a re-run adds no duplicate.
    options: { ...keepFinished, attempts: 3 },
  },
  'import.run': {
    queue: 'imports',
    description: 'Imports a large uploaded file (regions, schools and plans, students): validates every row, writes all or nothing, reports progress.',
    payload: z.object({
      kind: z.enum(['regions', 'junior-schools', 'high-schools', 'students']),
      /** Key of the uploaded file in Redis (never the file itself: it holds ID numbers). */
      uploadId: z.string().uuid(),
      cycleId: z.string().min(1).max(64),
      /** Language of the row problems in the result. */
      lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
    }),
    // Idempotent: one transaction that replaces the same records, so a retry after a crash ends the same.
    options: { ...keepFinished, attempts: 2 },
  },
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof jobDefinitions;
export type JobPayload<N extends JobName> = z.output<(typeof jobDefinitions)[N]['payload']>;
export type JobPayloadInput<N extends JobName> = z.input<(typeof jobDefinitions)[N]['payload']>;
export type QueueName = (typeof jobDefinitions)[JobName]['queue'];

export const JOB_NAMES = Object.keys(jobDefinitions) as JobName[];
/** The queues that have at least one job: one BullMQ Worker each. */
export const QUEUE_NAMES = [...new Set(JOB_NAMES.map((name) => jobDefinitions[name].queue))] as QueueName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobDefinitions, name);
}

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as string[]).includes(name);
}

/**
 * What is stored as a BullMQ job's data: the validated payload plus who asked
 * for it (for GET /api/jobs scoping and the audit trail).
 */
export interface JobEnvelope<P = unknown> {
  payload: P;
  /** User id of whoever caused the job; null for system jobs. */
  createdBy: string | null;
  requestId: string | null;
}

export const jobEnvelopeSchema = z.object({
  payload: z.unknown(),
  createdBy: z.string().nullable().default(null),
  requestId: z.string().nullable().default(null),
});

/** A custom job id: BullMQ refuses integers and `:`; the id makes re-enqueueing the same work a no-op. */
export const jobIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only')
  .refine((id) => !/^\d+$/.test(id), 'must not be a bare number');

/**
 * Pure: validates a payload and builds the job to add. Throws ZodError for a
 * bad payload or job id.
 */
export function prepareJob<N extends JobName>(
  name: N,
  data: JobPayloadInput<N>,
  opts: { jobId?: string; createdBy?: string | null; requestId?: string | null; delay?: number; priority?: number } = {},
): { queue: QueueName; name: N; envelope: JobEnvelope<JobPayload<N>>; options: JobsOptions } {
  const definition: JobDefinition = jobDefinitions[name];
  const payload = definition.payload.parse(data) as JobPayload<N>;
  const options: JobsOptions = { ...definition.options };
  if (opts.jobId !== undefined) options.jobId = jobIdSchema.parse(opts.jobId);
  if (opts.delay !== undefined) options.delay = opts.delay;
  if (opts.priority !== undefined) options.priority = opts.priority;
  return {
    queue: jobDefinitions[name].queue,
    name,
    envelope: { payload, createdBy: opts.createdBy ?? null, requestId: opts.requestId ?? null },
    options,
  };
}

/**
 * Pure: what is wrong with a set of handlers for the registered jobs: a job
 * with no handler, a job with two, a handler for a job that does not exist.
 * The worker refuses to start unless this is empty.
 */
export function checkHandlers(registered: readonly string[], handlerJobs: readonly string[]): string[] {
  const problems: string[] = [];
  const known = new Set(registered);
  const counts = new Map<string, number>();
  for (const job of handlerJobs) counts.set(job, (counts.get(job) ?? 0) + 1);
  for (const job of registered) {
    const count = counts.get(job) ?? 0;
    if (count === 0) problems.push(`job "${job}" has no handler`);
    if (count > 1) problems.push(`job "${job}" has ${count} handlers`);
  }
  for (const job of counts.keys()) if (!known.has(job)) problems.push(`handler for unknown job "${job}"`);
  return problems;
}
