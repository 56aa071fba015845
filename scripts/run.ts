/**
 * The local launcher behind `npm start`: everything the platform needs, in
 * one process tree that Ctrl-C (or SIGTERM) takes down completely.
 *
 * 1. PostgreSQL: DATABASE_URL if set, else an embedded server on .data/postgres.
 * 2. Redis: REDIS_URL if set, else redis-server on .data/redis (append-only).
 * 3. Migrations; the demo city when the database holds no cycle yet (not with DEMO=off).
 * 4. The web client, rebuilt when dist/client is missing or older than client/.
 * 5. The API (server/main.ts) and the worker (jobs/worker.ts) as child processes.
 *
 * Everything already done is skipped, so a second start takes seconds.
 * Shutdown runs in reverse: API and worker first (they drain their work), then
 * Redis, then PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { applyMigrations } from '../prisma/migrate';
import { createPrisma } from '../server/db';
import { generateCity } from '../server/demo/generate';
import { freePort, stopStaleServer, waitForExit } from '../server/infra/process';
import { startPostgres, type RunningPostgres } from '../server/infra/postgres';
import { startRedis, type RunningRedis } from '../server/infra/redis';
import { DEMO_PASSWORD, isDatabaseEmpty, listDemoAccounts, loadDemoCity } from '../server/demo/demo-loader';
import { clientBuildExists, ensureClientBuilt } from './client-build';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.data');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

const childEntries = { api: 'server/main.ts', worker: 'jobs/worker.ts' } as const;
type ChildName = keyof typeof childEntries;

interface Child {
  name: ChildName;
  process: ChildProcess;
}

const childPidFile = (name: ChildName) => path.join(dataDir, `${name}.pid`);

const stack: { postgres?: RunningPostgres; redis?: RunningRedis; children: Child[] } = { children: [] };
let shuttingDown = false;

function log(message: string): void {
  console.log(`[start] ${message}`);
}

async function seconds<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  log(`${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

/** A development JWT secret, generated once and kept in .data so logins survive restarts. */
function devJwtSecret(): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * A failed client build does not stop the launcher: the API and the worker are
 * still useful, and the previous build (if any) is still served.
 */
function buildClientIfStale(): void {
  const started = performance.now();
  const outcome = ensureClientBuilt();
  if (outcome === 'built') log(`web client built (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (outcome === 'failed') {
    const fallback = clientBuildExists() ? 'serving the previous build' : 'no web pages until it builds';
    console.error(`[start] WARNING: the web client did not build (npm run build:client, see above); ${fallback}.`);
  }
}

async function loadDemoIfEmpty(databaseUrl: string): Promise<void> {
  const prisma = createPrisma(databaseUrl);
  try {
    if (!(await isDatabaseEmpty(prisma))) return;
    if (process.env.DEMO === 'off') {
      log('DEMO=off: an empty platform, no demo city. Create the first city-bureau account with');
      log('  npm run -s accounts:bootstrap -- <username>');
      log('and enter the activation code it prints at /activate (首次登录 / 激活账号), then import regions, schools and students.');
      return;
    }
    const seed = process.env.DEMO_SEED ?? 'zhuzhou-demo';
    const students = process.env.DEMO_STUDENTS ? Number(process.env.DEMO_STUDENTS) : undefined;
    const summary = await seconds('demo city generated and loaded', async () =>
      loadDemoCity(prisma, generateCity({ seed, students })),
    );
    log(`demo city: ${summary.students} students, ${summary.users} accounts, ${summary.quotaAllocations} quota allocations`);
  } finally {
    await prisma.$disconnect();
  }
}

async function printWelcome(databaseUrl: string, port: number): Promise<void> {
  const prisma = createPrisma(databaseUrl);
  try {
    const accounts = await listDemoAccounts(prisma);
    const lines = [``, `  株洲市高中阶段学校招生平台 is running:  http://localhost:${port}`, ``];
    if (accounts.length > 0) {
      lines.push(`  Demo accounts (password ${DEMO_PASSWORD} for all):`);
      for (const a of accounts) lines.push(`    ${a.role.padEnd(8)} ${a.username.padEnd(18)} ${a.displayName}`);
      lines.push(`    (every school and student has one: h01..., j0101..., each 准考证号)`, ``);
    }
    lines.push(`  Ctrl-C stops everything.`, ``);
    console.log(lines.join('\n'));
  } finally {
    await prisma.$disconnect();
  }
}

/**
 * Spawns `tsx <entry>` with its output prefixed, in its own process group so
 * that only we signal it. Its pid is kept in .data: should this launcher be
 * killed outright (kill -9), the next start stops the orphan first.
 */
function spawnChild(name: ChildName, env: NodeJS.ProcessEnv): Child {
  const child = spawn(tsx, [childEntries[name]], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(childPidFile(name), String(child.pid));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`${name.padEnd(6)}| ${line}`));
  }
  child.once('exit', (code, signal) => {
    if (!shuttingDown) {
      console.error(`[start] ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything.`);
      void shutdown(1);
    }
  });
  return { name, process: child };
}

/** Resolves once something accepts TCP connections on the port; rejects if `child` exits first. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('the API exited while starting');
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API did not listen on port ${port} within ${timeoutMs / 1000} s`);
}

/**
 * Stops children, then Redis, then PostgreSQL. Repeated signals are ignored:
 * one Ctrl-C reaches us several times (from the terminal, relayed by npm and
 * by tsx), and the children have their own deadlines.
 */
async function shutdown(exitCode: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log('stopping...');
  await Promise.all(
    stack.children.map(async ({ process: child }) => {
      child.kill('SIGTERM'); // tsx passes it on to the server, which drains and exits
      await waitForExit(child, 35_000);
      killGroup(child, 'SIGKILL'); // anything the child left in its group
    }),
  );
  await stack.redis?.stop().catch((error: unknown) => console.error(error));
  await stack.postgres?.stop().catch((error: unknown) => console.error(error));
  log('stopped.');
  process.exit(exitCode);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  mkdirSync(dataDir, { recursive: true });
  for (const name of Object.keys(childEntries) as ChildName[]) {
    await stopStaleServer(childPidFile(name), childEntries[name], 'SIGTERM', 35_000);
  }

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    stack.postgres = await seconds('PostgreSQL started', async () =>
      startPostgres({
        dataDir: path.join(dataDir, 'postgres'),
        database: 'zz_admissions',
        port: Number(process.env.PG_PORT) || undefined,
        preferredPort: 5432,
        logFile: path.join(dataDir, 'postgres.log'),
      }),
    );
    databaseUrl = stack.postgres.url;
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    stack.redis = await seconds('Redis started', async () =>
      startRedis({
        dataDir: path.join(dataDir, 'redis'),
        port: Number(process.env.REDIS_PORT) || undefined,
        preferredPort: 6379,
        appendOnly: true,
      }),
    );
    redisUrl = stack.redis.url;
  }

  const applied = await seconds('migrations checked', () => applyMigrations(databaseUrl));
  if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
  await loadDemoIfEmpty(databaseUrl);
  buildClientIfStale();

  const port = process.env.PORT ? Number(process.env.PORT) : await freePort(3000);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PORT: String(port),
    JWT_SECRET: process.env.JWT_SECRET ?? devJwtSecret(),
  };
  if (shuttingDown) return; // a signal arrived during the synchronous client build
  const api = spawnChild('api', env);
  stack.children.push(api, spawnChild('worker', env));
  await seconds('API listening', () => waitForPort(port, api.process, 90_000));
  await printWelcome(databaseUrl, port);
}

main().catch(async (error: unknown) => {
  console.error(`[start] failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!shuttingDown) await shutdown(1);
});
