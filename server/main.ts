/**
 * API process entry point (composition root): `tsx server/main.ts`.
 * env -> logger -> Prisma -> Redis -> queues -> app -> listen. On SIGTERM or
 * SIGINT it stops accepting connections, lets requests in flight finish, then
 * closes the queues, Redis and Prisma.
 */
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createJobQueues } from '../jobs/queues';
import { buildApp } from './app';
import { guardHttpServer } from './http-server';
import { systemClock } from './clock';
import { createPrisma } from './db';
import { loadEnv } from './env';
import { createLogger } from './middleware/logging';

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ level: env.LOG_LEVEL, service: 'api' });

  const prisma = createPrisma(env.DATABASE_URL, { poolSize: env.DATABASE_POOL_SIZE });
  // While Redis is out of reach a command fails within about a second (two
  // reconnection attempts: 503 QUEUE_UNAVAILABLE, sign-in rate limit skipped)
  // instead of holding the request until Redis is back; the connection keeps
  // reconnecting. (Workers, which block on Redis, keep maxRetriesPerRequest: null.)
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, retryStrategy: (attempt) => Math.min(attempt * 50, 500) });
  redis.on('error', (error) => logger.error({ err: error }, 'redis error'));
  const queues = createJobQueues({ connection: redis, prefix: env.QUEUE_PREFIX });

  const app = buildApp({ env, prisma, redis, queues, clock: systemClock, logger });
  const server = app.listen(env.PORT, env.HOST);
  guardHttpServer(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port, host: env.HOST, env: env.NODE_ENV }, `API listening on http://localhost:${port}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'API stopping');
    const force = setTimeout(() => {
      logger.error('API did not stop within 10 s, exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close(async () => {
      try {
        await queues.close();
        await redis.quit();
        await prisma.$disconnect();
        logger.info('API stopped');
        process.exit(0);
      } catch (error) {
        logger.error({ err: error }, 'error while stopping the API');
        process.exit(1);
      }
    });
    // Idle keep-alive connections would hold server.close() open.
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * With API_PROCESSES > 1 this process only supervises: it forks that many
 * API processes sharing the port (node:cluster), starts a new one when one
 * dies unexpectedly, and passes SIGTERM/SIGINT on.
 */
function supervise(count: number): void {
  const logger = createLogger({ level: loadEnv().LOG_LEVEL, service: 'api' });
  let stopping = false;
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'an API process died; starting another');
    setTimeout(() => cluster.fork(), 500);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

const { API_PROCESSES } = loadEnv();
if (cluster.isPrimary && API_PROCESSES > 1) {
  supervise(API_PROCESSES);
} else {
  main().catch((error) => {
    process.stderr.write(`API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
