/**
 * Shared helpers of the `faults` project: tests that stop, kill and restart
 * PostgreSQL, Redis and the worker under a running platform.
 *
 * Each test file starts its own PostgreSQL and Redis (`startFaultServices`,
 * files in .test-data/faults-<label>-<pid>, removed at the end) rather than
 * the global ones of the integration project, because it stops them. The API
 * and the worker run as real processes (`node --import tsx server/main.ts`,
 * `jobs/worker.ts`), configured only through their environment, so a kill -9
 * is a real one and "recovers by itself" means no restart of the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { applyMigrations } from '../../prisma/migrate';
import { createPrisma, type PrismaClient } from '../../server/db';
import { DEMO_PASSWORD, generateCity } from '../../server/demo/generate';
import { startPostgres } from '../../server/infra/postgres';
import { freePort, isAlive } from '../../server/infra/process';
import { startRedis } from '../../server/infra/redis';
import { loadDemoCity } from '../../server/demo/demo-loader';

const root = path.resolve(import.meta.dirname, '../..');
const DAY = 86_400_000;

export { DEMO_PASSWORD };

/** Polls `check` until it returns a value other than undefined/false; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await sleep(options.intervalMs ?? 100);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FaultServices {
  dir: string;
  databaseUrl: string;
  redisUrl: string;
  /** A Prisma client of the test itself (for data and assertions); it reconnects after a restart. */
  prisma: PrismaClient;
  /** Fast shutdown of PostgreSQL (SIGINT: clients are disconnected). */
  stopPostgres(): Promise<void>;
  /** Starts PostgreSQL again on the same data folder and port. */
  startPostgres(): Promise<void>;
  /** kill -9 of redis-server: nothing is flushed at exit, only what the append-only file already holds survives. */
  killRedis(): Promise<void>;
  /** Starts redis-server again on the same data folder and port (append-only file reloaded). */
  startRedis(): Promise<void>;
  /** Stops everything started here and removes the folder. */
  stop(): Promise<void>;
}

/**
 * A PostgreSQL (migrated) and a Redis (append-only, as in production) of this
 * test file, on fixed ports so that they can be restarted where clients expect them.
 */
export async function startFaultServices(label: string): Promise<FaultServices> {
  const dir = path.join(root, '.test-data', `faults-${label}-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const pgDir = path.join(dir, 'postgres');
  const redisDir = path.join(dir, 'redis');
  const pgOptions = {
    dataDir: pgDir,
    database: 'zz_faults',
    // Throwaway data; restarts are clean shutdowns, so durability settings do not matter here.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    logFile: path.join(dir, 'postgres.log'),
  };
  const [pgStart, redisStart] = await Promise.allSettled([startPostgres(pgOptions), startRedis({ dataDir: redisDir, appendOnly: true })]);
  let postgres = pgStart.status === 'fulfilled' ? pgStart.value : undefined;
  let redis = redisStart.status === 'fulfilled' ? redisStart.value : undefined;
  try {
    if (pgStart.status === 'rejected') throw pgStart.reason;
    if (redisStart.status === 'rejected') throw redisStart.reason;
    await applyMigrations(postgres!.url);
  } catch (error) {
    await redis?.stop();
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const { port: pgPort, url: databaseUrl } = postgres!;
  const { port: redisPort, url: redisUrl } = redis!;
  const prisma = createPrisma(databaseUrl, { poolSize: 4 });

  return {
    dir,
    databaseUrl,
    redisUrl,
    prisma,
    async stopPostgres() {
      await postgres?.stop();
      postgres = undefined;
    },
    async startPostgres() {
      postgres = await startPostgres({ ...pgOptions, port: pgPort });
    },
    async killRedis() {
      const pid = Number.parseInt(readFileSync(path.join(redisDir, 'redis.pid'), 'utf8'), 10);
      process.kill(pid, 'SIGKILL');
      await waitFor('redis-server to die', async () => !isAlive(pid), { timeoutMs: 10_000, intervalMs: 20 });
      await redis?.stop(); // reaps the child; it is already gone
      redis = undefined;
    },
    async startRedis() {
      redis = await startRedis({ dataDir: redisDir, port: redisPort, appendOnly: true });
    },
    async stop() {
      await prisma.$disconnect().catch(() => undefined);
      await redis?.stop();
      await postgres?.stop();
      // FAULTS_KEEP=1 keeps the folder (the API, worker and PostgreSQL logs) to look into a failure.
      if (!process.env.FAULTS_KEEP) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The environment of the API and worker processes of a test (every value validated by server/env.ts). */
export function platformEnv(services: FaultServices, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    JWT_TTL: '2h',
    QUEUE_PREFIX: `faults-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'info',
    LOGIN_RATE_LIMIT: '100000',
    CLIENT_DIST: path.join(services.dir, 'no-client'),
    ...extra,
  };
}

export interface PlatformProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  /** True while the process runs. */
  alive(): boolean;
  /** The last lines it printed (pino JSON), to explain a failure. */
  logTail(lines?: number): string;
  /** Lines of its log that parse as JSON and match `predicate`. */
  logEntries(predicate?: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Spawns `node --import tsx <entry>` in the repository with `env` (and PATH); its output goes to <dir>/<name>.log. */
async function spawnPlatform(name: string, entry: string, env: Record<string, string>, dir: string, ready: (text: string) => boolean): Promise<PlatformProcess> {
  const logFile = path.join(dir, `${name}.log`);
  const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let recent = '';
  const onOutput = (chunk: Buffer) => {
    log.write(chunk);
    recent = (recent + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      log.end();
      resolve();
    }),
  );
  const tail = (lines = 30) => recent.split('\n').slice(-lines - 1).join('\n');
  const processHandle: PlatformProcess = {
    name,
    pid: child.pid!,
    child,
    alive: () => child.exitCode === null && child.signalCode === null,
    logTail: tail,
    async logEntries(predicate = () => true) {
      const text = await readFile(logFile, 'utf8').catch(() => recent);
      return text
        .split('\n')
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        })
        .filter(predicate);
    },
    async kill(signal) {
      if (!processHandle.alive()) return;
      child.kill(signal);
      await exited;
    },
  };
  try {
    await waitFor(`${name} to start`, async () => {
      if (!processHandle.alive()) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${tail()}`);
      return ready(recent);
    }, { timeoutMs: 90_000, intervalMs: 50 });
  } catch (error) {
    await processHandle.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${tail()}`);
  }
  return processHandle;
}

/** The API (server/main.ts) on a free port; resolves once it listens. */
export async function spawnApi(services: FaultServices, env: Record<string, string>): Promise<PlatformProcess & { url: string }> {
  const port = await freePort();
  const api = await spawnPlatform('api', 'server/main.ts', { ...env, PORT: String(port), HOST: '127.0.0.1' }, services.dir, (text) =>
    text.includes('API listening'),
  );
  return Object.assign(api, { url: `http://127.0.0.1:${port}` });
}

/** A worker process (jobs/worker.ts); resolves once its queues listen. `name` tells two workers' logs apart. */
export function spawnWorker(services: FaultServices, env: Record<string, string>, name = 'worker'): Promise<PlatformProcess> {
  return spawnPlatform(name, 'jobs/worker.ts', env, services.dir, (text) => text.includes('worker started'));
}

export interface LoadedCity {
  cycleId: string;
  students: number;
}

/**
 * Loads the generated demo city (every account's password is DEMO_PASSWORD;
 * the city bureau is `bureau`, students sign in with their exam number).
 * `phase: 'applications_closed'` dates the schedule so that the application
 * window closed a day ago: rounds may start on the real clock of the processes.
 */
export async function loadCity(prisma: PrismaClient, options: { students: number; seed: string; phase: 'applications_open' | 'applications_closed' }): Promise<LoadedCity> {
  const city = generateCity({ seed: options.seed, students: options.students });
  // demoSchedule(now): applications open from now-7d to now+14d, closed until now+21d.
  const loadedAt = options.phase === 'applications_open' ? new Date() : new Date(Date.now() - 15 * DAY);
  const summary = await loadDemoCity(prisma, city, loadedAt);
  return { cycleId: summary.cycleId, students: summary.students };
}

/** Milliseconds since `start` (performance.now()), rounded. */
export const since = (start: number) => Math.round(performance.now() - start);
