import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobEnvelopeSchema, prepareJob, QUEUE_NAMES, type JobName, type JobPayloadInput, type QueueName } from './registry';

/** A job as the API shows it: GET /api/jobs/:queue/:id. */
export interface JobView {
  id: string;
  queue: string;
  name: string;
  state: string;
  progress: number | string | boolean | object;
  result: unknown;
  failedReason: string | null;
  attemptsMade: number;
  createdAt: string | null;
  finishedAt: string | null;
  /** Who caused it (from the job envelope), for the read policy; not sent to clients. */
  createdBy: string | null;
}

export interface EnqueueOptions {
  /** Idempotency: adding a job whose id exists returns the existing job instead of a new one. */
  jobId?: string;
  createdBy?: string | null;
  requestId?: string | null;
  delay?: number;
  priority?: number;
}

/**
 * The queues of the API side: validated enqueue and job lookup. One BullMQ
 * Queue per registered queue name, all under `prefix` (QUEUE_PREFIX).
 */
export function createJobQueues(options: { connection: Redis; prefix: string }) {
  const queues = new Map<QueueName, Queue>(
    QUEUE_NAMES.map((name) => {
      const queue = new Queue(name, { connection: options.connection, prefix: options.prefix });
      // Connection errors (Redis down) are logged by the connection's owner (the API's
      // 'redis error', the worker's 'worker error'); unheard, BullMQ prints each one to stderr.
      queue.on('error', () => undefined);
      return [name, queue];
    }),
  );

  /** `state` read before `job` was: the job's fields are then at least as new as its state (a completed job has its result). */
  function view(queue: string, job: Job, state: string): JobView {
    const envelope = jobEnvelopeSchema.safeParse(job.data);
    return {
      id: String(job.id),
      queue,
      name: job.name,
      state,
      progress: job.progress,
      result: job.returnvalue ?? null,
      failedReason: job.failedReason || null,
      attemptsMade: job.attemptsMade,
      createdAt: job.timestamp ? new Date(job.timestamp).toISOString() : null,
      finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      createdBy: envelope.success ? envelope.data.createdBy : null,
    };
  }

  return {
    prefix: options.prefix,
    names: QUEUE_NAMES,

    /**
     * Validates the payload against the registry and adds the job. Call it
     * after the database transaction that caused the job has committed.
     */
    async enqueue<N extends JobName>(name: N, data: JobPayloadInput<N>, opts: EnqueueOptions = {}): Promise<JobView> {
      const prepared = prepareJob(name, data, opts);
      const queue = queues.get(prepared.queue)!;
      const job = await queue.add(name, prepared.envelope, prepared.options as JobsOptions);
      return view(prepared.queue, job, await job.getState());
    },

    /** A job by queue and id, or null when the queue or job does not exist. */
    async find(queue: string, id: string): Promise<JobView | null> {
      const bullQueue = queues.get(queue as QueueName);
      if (!bullQueue) return null;
      // The state first, then the job: read the other way round, a job finishing in between showed
      // as completed without its result.
      const state = await bullQueue.getJobState(id);
      const job = await bullQueue.getJob(id);
      return job ? view(queue, job, state === 'unknown' ? await job.getState() : state) : null;
    },

    queue(name: QueueName): Queue {
      return queues.get(name)!;
    },

    async close(): Promise<void> {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}

export type JobQueues = ReturnType<typeof createJobQueues>;
