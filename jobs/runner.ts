import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../server/clock';
import type { UnitOfWork } from '../server/repositories';
import type { JobHandler } from './handler';
import { checkHandlers, JOB_NAMES, jobDefinitions, jobEnvelopeSchema, QUEUE_NAMES, isJobName, type JobDefinition } from './registry';

export class HandlerSetupError extends Error {
  constructor(readonly problems: string[]) {
    super(`Refusing to start the worker:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'HandlerSetupError';
  }
}

export interface WorkerDeps {
  connection: Redis;
  prefix: string;
  uow: UnitOfWork;
  clock: Clock;
  logger: Logger;
  handlers: readonly JobHandler<any>[];
  concurrency?: number;
  /** BullMQ lockDuration (ms): how long a dead worker's job stays locked before another worker retakes it. */
  lockDuration?: number;
  /** BullMQ stalledInterval (ms): how often to look for jobs whose worker died. */
  stalledInterval?: number;
}

/**
 * Starts one BullMQ Worker per registered queue, dispatching each job to its
 * handler with a validated payload. Throws HandlerSetupError (and starts
 * nothing) when a registered job has no handler or two.
 */
export function startWorkers(deps: WorkerDeps) {
  const problems = checkHandlers(
    JOB_NAMES,
    deps.handlers.map((h) => h.job),
  );
  if (problems.length > 0) throw new HandlerSetupError(problems);
  const byName = new Map(deps.handlers.map((h) => [h.job as string, h]));

  async function process(job: Job): Promise<unknown> {
    const log = deps.logger.child({ queue: job.queueName, jobId: job.id, job: job.name });
    const handler = byName.get(job.name);
    if (!handler || !isJobName(job.name)) throw new UnrecoverableError(`no handler for job "${job.name}"`);
    const envelope = jobEnvelopeSchema.safeParse(job.data);
    const payload = envelope.success ? jobDefinitions[job.name].payload.safeParse(envelope.data.payload) : null;
    if (!payload?.success) throw new UnrecoverableError(`invalid payload for job "${job.name}"`);
    const definition: JobDefinition = jobDefinitions[job.name];
    const level = definition.quiet ? 'debug' : 'info';
    log[level]({ attempt: job.attemptsMade + 1 }, 'job started');
    const result = await handler.handle(payload.data as never, {
      job,
      logger: log,
      uow: deps.uow,
      redis: deps.connection,
      clock: deps.clock,
      keyPrefix: deps.prefix,
      progress: (percent) => job.updateProgress(Math.max(0, Math.min(100, Math.round(percent)))),
    });
    log[level]('job completed');
    return result;
  }

  const workers = QUEUE_NAMES.map((queue) => {
    const worker = new Worker(queue, process, {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency ?? 1,
      ...(deps.lockDuration !== undefined ? { lockDuration: deps.lockDuration } : {}),
      ...(deps.stalledInterval !== undefined ? { stalledInterval: deps.stalledInterval } : {}),
    });
    worker.on('failed', (job, error) =>
      deps.logger.warn({ queue, jobId: job?.id, job: job?.name, err: error }, 'job failed'),
    );
    worker.on('error', (error) => deps.logger.error({ queue, err: error }, 'worker error'));
    return worker;
  });

  return {
    workers,
    /** Waits until every worker is connected and listening. */
    ready: () => Promise.all(workers.map((w) => w.waitUntilReady())),
    /** Lets running jobs finish, then stops taking new ones. */
    close: () => Promise.all(workers.map((w) => w.close())).then(() => undefined),
  };
}

export type RunningWorkers = ReturnType<typeof startWorkers>;
