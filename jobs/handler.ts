import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../server/clock';
import type { UnitOfWork } from '../server/repositories';
import type { JobName, JobPayload } from './registry';

/** What a handler may use. Handlers parse nothing themselves: the payload arrives validated. */
export interface JobContext {
  job: Job;
  logger: Logger;
  /** Repositories and transactions (the database). */
  uow: UnitOfWork;
  redis: Redis;
  clock: Clock;
  /** Prefix for Redis keys the job writes (QUEUE_PREFIX). */
  keyPrefix: string;
  /** Reports progress (0..100) readable through GET /api/jobs/:queue/:id. */
  progress(percent: number): Promise<void>;
}

/**
 * A job's handler. It must be idempotent: a retry after a crash reaches the
 * same end state. Throw bullmq's UnrecoverableError for failures a retry cannot fix.
 */
export interface JobHandler<N extends JobName = JobName> {
  job: N;
  handle(payload: JobPayload<N>, ctx: JobContext): Promise<unknown>;
}

export function defineHandler<N extends JobName>(job: N, handle: JobHandler<N>['handle']): JobHandler<N> {
  return { job, handle };
}
