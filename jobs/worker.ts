/**
 * Worker process entry point: `tsx jobs/worker.ts`. Reads the environment,
 * refuses to start when a registered job has no handler (or two), connects to
 * PostgreSQL and Redis, runs one BullMQ Worker per queue, schedules the
 * heartbeat, and on SIGTERM/SIGINT closes the workers (letting running jobs
 * finish), then Redis and Prisma.
 */
import { Redis } from 'ioredis';
import { systemClock } from '../server/clock';
import { createPrisma } from '../server/db';
import { loadEnv } from '../server/env';
import { createLogger } from '../server/middleware/logging';
import { keepRoundThreadReady } from '../server/infra/round-compute';
import { createUnitOfWork } from '../server/repositories';
import { handlers } from './handlers';
import { createJobQueues } from './queues';
import { checkHandlers, JOB_NAMES } from './registry';
import { startWorkers } from './runner';

const HEARTBEAT_EVERY_MS = 60_000;

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ level: env.LOG_LEVEL, service: 'worker' });

  const problems = checkHandlers(
    JOB_NAMES,
    handlers.map((h) => h.job),
  );
  if (problems.length > 0) {
    logger.fatal({ problems }, 'refusing to start: job handlers do not match the registry');
    process.stderr.write(`Refusing to start the worker:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }

  const prisma = createPrisma(env.DATABASE_URL);
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createJobQueues({ connection: redis, prefix: env.QUEUE_PREFIX });
  const running = startWorkers({
    connection: redis,
    prefix: env.QUEUE_PREFIX,
    uow: createUnitOfWork(prisma),
    clock: systemClock,
    logger,
    handlers,
    concurrency: env.WORKER_CONCURRENCY,
    lockDuration: env.WORKER_LOCK_MS,
    stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
  });
  await running.ready();
  // A round's computation thread booted ahead of the first round (and after each one).
  await keepRoundThreadReady().catch((error: unknown) => logger.warn({ err: error }, 'the round thread could not be booted ahead; rounds boot their own'));

  // The heartbeat: one scheduler shared by every worker replica (same id -> upsert, not duplicate).
  await queues.queue('system').upsertJobScheduler(
    'system.healthcheck.every-minute',
    { every: HEARTBEAT_EVERY_MS },
    { name: 'system.healthcheck', data: { payload: { reason: 'schedule' }, createdBy: null, requestId: null } },
  );
  logger.info({ queues: queues.names, prefix: env.QUEUE_PREFIX }, 'worker started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping');
    const force = setTimeout(() => {
      logger.error('worker did not stop within 30 s, exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      await running.close();
      await queues.close();
      await redis.quit();
      await prisma.$disconnect();
      logger.info('worker stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error while stopping the worker');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
