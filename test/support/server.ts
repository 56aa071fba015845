/**
 * The real API on a random port, for integration and browser tests.
 *
 *     import { startTestServer } from '../support/server';
 *     import { createAccount } from '../support/factories';
 *
 *     const server = await startTestServer();            // once per file (beforeAll)
 *     const user = await createAccount(server.prisma, 'bureau');
 *     const res = await fetch(`${server.url}/api/auth/login`, {
 *       method: 'POST',
 *       headers: { 'content-type': 'application/json' },
 *       body: JSON.stringify({ username: user.username, password: user.password }),
 *     });
 *     await server.stop();                               // afterAll
 *
 * It runs `buildApp` (server/app.ts) exactly as production does, against the
 * test PostgreSQL and Redis started by the vitest global setup
 * (test/setup/global.ts): nothing is mocked. Each server gets its own Redis key
 * prefix (QUEUE_PREFIX), so its queues and login rate limits never meet those
 * of another test; `stop()` deletes its keys. The database is shared: make
 * data with the factories (test/support/factories.ts), which use unique keys.
 *
 * Options:
 * - `env`: raw environment overrides, parsed by the real `parseEnv`
 *   (e.g. `{ LOGIN_RATE_LIMIT: '3' }` or `{ CLIENT_DIST: 'dist/client' }`).
 * - `clock`: a clock for the services (`createTestClock()` from ./clock) to
 *   move time, e.g. past a sign-in throttle's wait.
 * - `worker: true`: also run the BullMQ workers in this process, so queued
 *   jobs complete (GET /api/jobs/:queue/:id shows them finish).
 * - `throttle`: a different sign-in throttle policy (server/domain/auth/auth.rules.ts).
 * - `logger`: the pino logger of the API and workers (a test reading the logs passes its own).
 *
 * Where the services are: the global setup provides `databaseUrl` and
 * `redisUrl` (vitest `provide`/`inject`); outside vitest, or when it does not,
 * TEST_DATABASE_URL / TEST_REDIS_URL, then DATABASE_URL / REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { handlers } from '../../jobs/handlers';
import { createJobQueues, type JobQueues } from '../../jobs/queues';
import { startWorkers, type RunningWorkers } from '../../jobs/runner';
import { buildApp } from '../../server/app';
import { guardHttpServer } from '../../server/http-server';
import { systemClock, type Clock } from '../../server/clock';
import { createPrisma, type PrismaClient } from '../../server/db';
import { parseEnv, type Env } from '../../server/env';
import { createLogger } from '../../server/middleware/logging';
import { createUnitOfWork } from '../../server/repositories';
import type { SignInThrottlePolicy } from '../../server/domain/auth/auth.rules';

export interface TestServerOptions {
  /** Raw environment overrides (strings, as in process.env), validated by parseEnv. */
  env?: Partial<Record<keyof Env, string>>;
  clock?: Clock;
  /** Run the BullMQ workers in-process too. Default false. */
  worker?: boolean;
  throttle?: SignInThrottlePolicy;
  /** The logger of the API and workers (e.g. one writing to a stream the test reads); default: pino at LOG_LEVEL on stdout. */
  logger?: Logger;
}

export interface TestServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Prisma client on the test database, for factories and assertions. */
  prisma: PrismaClient;
  redis: Redis;
  queues: JobQueues;
  /** This server's Redis key prefix (unique per server). */
  queuePrefix: string;
  env: Env;
  clock: Clock;
  /** The Express app being served (e.g. to list its routes). */
  app: Express;
  /** Closes the server, workers, queues, Redis keys of this prefix and connections. */
  stop(): Promise<void>;
}

async function injected(key: string): Promise<string | undefined> {
  try {
    const { inject } = await import('vitest');
    const value = (inject as (key: string) => unknown)(key);
    return typeof value === 'string' && value ? value : undefined;
  } catch {
    return undefined; // not inside a vitest worker
  }
}

/** Where the test PostgreSQL and Redis are. */
export async function testServiceUrls(): Promise<{ databaseUrl: string; redisUrl: string }> {
  const databaseUrl = (await injected('databaseUrl')) ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  const redisUrl = (await injected('redisUrl')) ?? process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    throw new Error(
      'startTestServer: no test database or Redis. Run through vitest with the integration setup ' +
        '(test/setup/global.ts), or set TEST_DATABASE_URL and TEST_REDIS_URL.',
    );
  }
  return { databaseUrl, redisUrl };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { databaseUrl, redisUrl } = await testServiceUrls();
  const queuePrefix = `test-${randomBytes(6).toString('hex')}`;
  const env = parseEnv({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    QUEUE_PREFIX: queuePrefix,
    PORT: '0',
    // Many sign-ins come from 127.0.0.1 in tests; a test of the limiter sets its own.
    LOGIN_RATE_LIMIT: '100000',
    // Tests write fixtures straight to the database and read them back through the API at once.
    READ_CACHE_TTL_MS: '0',
    ...options.env,
  });
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: env.LOG_LEVEL, service: 'api' });

  const prisma = createPrisma(env.DATABASE_URL, { poolSize: 5 });
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createJobQueues({ connection: redis, prefix: env.QUEUE_PREFIX });

  let workers: RunningWorkers | undefined;
  if (options.worker) {
    workers = startWorkers({
      connection: redis,
      prefix: env.QUEUE_PREFIX,
      uow: createUnitOfWork(prisma),
      clock,
      logger,
      handlers,
    });
    await workers.ready();
  }

  const app = buildApp({ env, prisma, redis, queues, clock, logger, throttle: options.throttle });
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    guardHttpServer(listening);
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    prisma,
    redis,
    queues,
    queuePrefix,
    env,
    clock,
    app,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await workers?.close();
      await queues.close();
      await deleteKeys(redis, `${queuePrefix}:*`);
      await redis.quit();
      await prisma.$disconnect();
    },
  };
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
