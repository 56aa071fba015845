/**
 * `npm run bench:load [-- --students 45000 --savers 5000 --seconds 20 --connections 64 --readers 16 --api 1]`
 *
 * Deadline night on this machine: the real API process(es) (`server/main.ts`)
 * on a throwaway PostgreSQL (default durability: fsync and synchronous commit
 * on) and Redis holding the demo city, while autocannon, on loopback, has
 * - `connections` connections saving choices (PUT /api/student/application),
 *   each request as one of `savers` distinct students with their own token,
 *   with the base version of that student's last acknowledged save; and
 * - `readers` connections of other students reading their result
 *   (GET /api/student/result) and their application page
 *   (GET /api/student/application).
 *
 * Prints throughput and latency percentiles of each, then checks that every
 * save the server acknowledged (200 with a version) is in the database with
 * the choices it sent: "lost" must be 0. Exits 1 if any is lost or a request
 * answered 5xx.
 *
 * A student is never saved twice at once (a saver takes the next idle
 * student), so every 409 here would be a bug, and is reported as such.
 *
 * `--floor` then runs, each alone on the same connections: GET /api/health,
 * GET /api/auth/me (a token and one account read: the ceiling of any signed-in
 * request), the result read alone (results night) and the saves alone
 * (deadline night), each with its CPU per request; and prints as its last line
 *
 *     ratios: reads/me=<r> saves/me=<s> cpu_per_save_ms=<c> lost=<n>
 *
 * result reads/s ÷ me/s, saves/s ÷ me/s, API + PostgreSQL CPU per save (ms),
 * and the saves lost over the whole run (must be 0).
 */
import { generateKeyPairSync } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { applyMigrations } from '../../prisma/migrate';
import { createPrisma } from '../../server/db';
import { generateCity } from '../../server/demo/generate';
import { startPostgres } from '../../server/infra/postgres';
import { freePort } from '../../server/infra/process';
import { startRedis } from '../../server/infra/redis';
import { maxChoicesFor, maxChoicesPerBatch } from '../../server/domain/cycle-policy';
import { createUnitOfWork } from '../../server/repositories';
import { createReadCache } from '../../server/repositories/read-cache';
import { loadSchoolOptions } from '../../server/services/application.service';
import { loadDemoCity } from '../../server/demo/demo-loader';
import { runRound } from '../../server/services/round.service';
import { systemClock } from '../../server/clock';
import { createTokenService } from '../../server/infra/tokens';

type Choices = Record<string, string[]>;

interface Saver {
  token: string;
  studentId: string;
  version: number;
  choices: Choices;
  /** Every version the server acknowledged, with the choices sent for it. */
  acknowledged: Map<number, string>;
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** The same schools in another order: rotate each batch's list by `turn` (stays eligible, stays valid). */
function reorder(choices: Choices, turn: number): Choices {
  const out: Choices = {};
  for (const [batch, list] of Object.entries(choices)) {
    const k = list.length === 0 ? 0 : turn % list.length;
    out[batch] = [...list.slice(k), ...list.slice(0, k)];
  }
  return out;
}

const JWT_SECRET = 'bench-load-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

async function main(): Promise<void> {
  const studentCount = option('students', 45_000);
  const saverCount = option('savers', 5_000);
  const seconds = option('seconds', 20);
  const connections = option('connections', 64);
  const readerConnections = option('readers', 16);
  const apiProcesses = option('api', 1);

  const dir = await mkdtemp(path.join(tmpdir(), 'load-bench-'));
  await chmod(dir, 0o755);
  const children: ChildProcess[] = [];
  // --log-statements FILE: PostgreSQL logs every statement there (to count round trips per request).
  const logAt = process.argv.indexOf('--log-statements');
  const statementLog: Record<string, string> = logAt >= 0 ? { log_min_duration_statement: '0' } : {};
  const postgres = await startPostgres({
    dataDir: path.join(dir, 'pg'),
    database: 'bench',
    settings: { max_connections: '200', ...statementLog },
    ...(logAt >= 0 ? { logFile: path.resolve(process.argv[logAt + 1]) } : {}),
  });
  const redis = await startRedis({ dataDir: path.join(dir, 'redis'), appendOnly: true });
  const prisma = createPrisma(postgres.url);
  try {
    await applyMigrations(postgres.url);
    const loaded = await loadDemoCity(prisma, generateCity({ seed: 'bench-load', students: studentCount }));
    console.log(`demo city: ${loaded.students} students loaded in ${loaded.milliseconds} ms`);

    // Results to read: round 1 run by the engine on the city's applications and published.
    {
      const cycle = await prisma.cycle.findFirstOrThrow({ where: { id: loaded.cycleId } });
      const round = await prisma.round.create({
        data: { cycleId: cycle.id, kind: 'main', name: 'bench round 1', policy: (cycle.policy as { allocation: object }).allocation, seed: cycle.seed, createdBy: 'bench' },
      });
      const t0 = performance.now();
      await runRound({ uow: createUnitOfWork(prisma), clock: systemClock }, round.id);
      // As RoundService.publish does: the round, every student's stored result and every school's list summary in one transaction.
      await createUnitOfWork(prisma).transaction(
        async (repos) => {
          await repos.rounds.publish(round.id, new Date());
          await repos.resultViews.rewriteCycle(cycle.id);
          await repos.resultViews.rewriteSchoolSummaries({ ...cycle, phase: 'round1' });
        },
        { timeout: 300_000 },
      );
      console.log(`round 1 run and published in ${Math.round(performance.now() - t0)} ms`);
    }

    const accounts = await prisma.user.findMany({
      where: { role: 'student' },
      select: { id: true, tokenVersion: true, studentId: true },
      orderBy: { username: 'asc' },
    });
    const applications = await prisma.application.findMany({ where: { kind: 'main' }, select: { studentId: true, version: true, choices: true } });
    const byStudent = new Map(applications.map((a) => [a.studentId, a]));
    const tokens = createTokenService({ secret: JWT_SECRET, ttlSeconds: 3600 });
    const sign = (a: (typeof accounts)[number]) => tokens.sign({ userId: a.id, tokenVersion: a.tokenVersion }).token;
    // The generated choices may name schools a student's score does not reach: keep those the portal allows.
    // Cached reads (plans, quota seats): the setup reads them for every saver.
    const uow = createUnitOfWork(prisma, { readCache: createReadCache({ ttlMs: 3_600_000 }) });
    const cycle = await prisma.cycle.findFirstOrThrow({ where: { status: 'active' } });
    const limits = maxChoicesPerBatch(cycle.policy);
    const savers: Saver[] = [];
    for (const a of accounts.slice(0, saverCount)) {
      const application = byStudent.get(a.studentId!)!;
      const student = await uow.repos.applications.findStudent({ kind: 'all' }, a.studentId!);
      const allowed = new Set((await loadSchoolOptions(uow, student!, 'main')).filter((o) => o.eligibility.any).map((o) => o.school.id));
      const choices: Choices = {};
      for (const [batch, list] of Object.entries(application.choices as Choices)) {
        const kept = list.filter((id) => allowed.has(id)).slice(0, maxChoicesFor(limits, Number(batch)));
        if (kept.length > 0) choices[batch] = kept;
      }
      if (Object.keys(choices).length === 0) continue;
      savers.push({ token: sign(a), studentId: a.studentId!, version: application.version, choices, acknowledged: new Map() });
    }
    const readerTokens = accounts.slice(saverCount, saverCount + 5_000).map(sign);
    if (savers.length < connections || readerTokens.length === 0) throw new Error(`the city has only ${accounts.length} student accounts`);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      JWT_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      // As in production: one access-log line per request (written to /dev/null here, a pipe to the log collector there).
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: 'bench',
      API_PROCESSES: String(apiProcesses),
      // Millions of requests from one address: the per-IP sign-in limit is not what is measured.
      LOGIN_RATE_LIMIT: '1000000',
      // Production requires the receipt key; every API process gets the same one.
      RECEIPT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    // --profile DIR: the API writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
    const profileAt = process.argv.indexOf('--profile');
    const profile = profileAt >= 0 ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.argv[profileAt + 1])] : [];
    const api = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(api);
    await waitForHealth(url, api);

    // Warm up (JIT, pools, plan caches) with a few hundred reads, untimed.
    await autocannon({ url: `${url}/api/student/result`, connections: 8, amount: 400, headers: { authorization: `Bearer ${readerTokens[0]}` } });

    const idle: Saver[] = [...savers];
    let turn = 0;
    let conflicts = 0;
    let firstError = '';
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    /** Each request saves the next idle student's choices with their last acknowledged version. */
    const saveLoad = (duration: number) =>
      autocannon({
        url,
        connections,
        duration,
        requests: [
          {
            method: 'PUT',
            path: '/api/student/application',
            setupRequest: (request: any, context: any) => {
              const saver = idle.shift();
              if (!saver) throw new Error('more save connections than students');
              const choices = JSON.stringify(reorder(saver.choices, ++turn));
              context.saver = saver;
              context.choices = choices;
              request.headers = { ...request.headers, authorization: `Bearer ${saver.token}`, 'content-type': 'application/json' };
              request.body = `{"kind":"main","baseVersion":${saver.version},"choices":${choices}}`;
              return request;
            },
            onResponse: (status: number, body: string, context: any) => {
              const saver: Saver = context.saver;
              count(status);
              if (status === 200) {
                const saved = JSON.parse(body) as { version: number };
                saver.version = saved.version;
                saver.acknowledged.set(saved.version, context.choices);
              } else if (status === 409) conflicts++;
              else if (status >= 400 && !firstError) firstError = `${status} ${body.slice(0, 400)}`;
              idle.push(saver);
            },
          },
        ],
      });
    const saving = saveLoad(seconds);
    let readTurn = 0;
    const reading = autocannon({
      url,
      connections: readerConnections,
      duration: seconds,
      requests: [
        {
          method: 'GET',
          setupRequest: (request: any) => {
            const token = readerTokens[readTurn++ % readerTokens.length];
            request.path = readTurn % 4 === 0 ? '/api/student/application?kind=main' : '/api/student/result';
            request.headers = { ...request.headers, authorization: `Bearer ${token}` };
            return request;
          },
        },
      ],
    });
    const load = loadavg()[0];
    const postmaster = Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const cpuBefore = { api: processTreeCpuMs(api.pid!), postgres: processTreeCpuMs(postmaster) };
    const [saves, reads] = await Promise.all([saving, reading]);
    const cpu = { api: processTreeCpuMs(api.pid!) - cpuBefore.api, postgres: processTreeCpuMs(postmaster) - cpuBefore.postgres };

    console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; load average before the run ${load.toFixed(2)}; API processes ${apiProcesses}`);
    console.log(`city ${studentCount} students; ${savers.length} saving students over ${connections} connections; ${readerConnections} reading connections; ${seconds} s\n`);
    console.log('| traffic | requests | per second (mean) | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const [name, r] of [['saves (PUT application)', saves], ['reads (GET result / application)', reads]] as const) {
      console.log(
        `| ${name} | ${r.requests.total} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p90} | ${r.latency.p99} | ${r.latency.max} | ${r.non2xx} | ${r.errors + r.timeouts} |`,
      );
    }
    const served = saves.requests.total + reads.requests.total;
    console.log(
      `\nCPU per request (saves and reads together, a measure that other load on the machine does not change much): ` +
        `API ${(cpu.api / served).toFixed(2)} ms, PostgreSQL ${(cpu.postgres / served).toFixed(2)} ms ` +
        `(${Math.round(cpu.api)} and ${Math.round(cpu.postgres)} ms of CPU over ${served} requests)`,
    );
    let floorRatios: { readsPerMe: number; savesPerMe: number; cpuPerSaveMs: number } | undefined;
    // --floor: what the same connections get from requests that do (almost) nothing, to put the figures above in
    // scale: GET /api/health (no token, no query of ours) and GET /api/auth/me (a token and one account read).
    if (process.argv.includes('--floor')) {
      console.log('\n| floor | requests per second | p99 ms | API CPU ms per request | PostgreSQL CPU ms per request |');
      console.log('|---|---|---|---|---|');
      /** One kind of request alone on the same connections: its rate, p99 and CPU per request. */
      const alone = async (label: string, run: () => Promise<autocannon.Result>) => {
        const before = { api: processTreeCpuMs(api.pid!), postgres: processTreeCpuMs(postmaster) };
        const r = await run();
        const n = Math.max(1, r.requests.total);
        const apiMs = (processTreeCpuMs(api.pid!) - before.api) / n;
        const pgMs = (processTreeCpuMs(postmaster) - before.postgres) / n;
        console.log(`| ${label} | ${Math.round(r.requests.average)} | ${r.latency.p99} | ${apiMs.toFixed(2)} | ${pgMs.toFixed(2)} |`);
        return { perSecond: r.requests.average, cpuMs: apiMs + pgMs };
      };
      const probe = (probePath: string, tokens: readonly string[]) => {
        let next = 0;
        return autocannon({
          url: `${url}${probePath}`,
          connections,
          duration: Math.min(seconds, 10),
          requests: [
            {
              setupRequest: (request: any) => {
                request.headers = { ...request.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` };
                return request;
              },
            },
          ],
        });
      };
      const saverTokens = savers.map((x) => x.token);
      await alone('GET /api/health', () => probe('/api/health', saverTokens));
      const me = await alone('GET /api/auth/me', () => probe('/api/auth/me', saverTokens));
      const results = await alone('GET /api/student/result (alone)', () => probe('/api/student/result', readerTokens));
      const savesAlone = await alone('PUT /api/student/application (alone)', () => saveLoad(Math.min(seconds, 10)));
      floorRatios = {
        readsPerMe: results.perSecond / me.perSecond,
        savesPerMe: savesAlone.perSecond / me.perSecond,
        cpuPerSaveMs: savesAlone.cpuMs,
      };
    }

    await new Promise((resolve) => setTimeout(resolve, 500));
    const lost = await countLost(prisma, savers);
    const acknowledged = savers.reduce((n, s) => n + s.acknowledged.size, 0);
    console.log(`\nsave statuses: ${JSON.stringify(Object.fromEntries(statuses))}; 409 conflicts: ${conflicts}`);
    if (firstError) console.log(`first refused save: ${firstError}`);
    console.log(`acknowledged saves: ${acknowledged}; found in the database: ${acknowledged - lost}; lost: ${lost}`);
    const aim = saves.requests.average >= 1500 && saves.latency.p99 <= 100;
    console.log(`aim (>= 1,500 saves/s with p99 <= 100 ms): ${aim ? 'met' : 'missed'}`);
    const server5xx = [...statuses.keys()].some((s) => s >= 500) || reads['5xx'] > 0;
    if (lost > 0 || server5xx || conflicts > 0) process.exitCode = 1;

    if (floorRatios) {
      // The interface: exactly this last line (reads/me >= 0.8, saves/me >= 0.5, cpu_per_save_ms <= 2.5, lost = 0 are the aims).
      console.log(
        `ratios: reads/me=${floorRatios.readsPerMe.toFixed(2)} saves/me=${floorRatios.savesPerMe.toFixed(2)} cpu_per_save_ms=${floorRatios.cpuPerSaveMs.toFixed(2)} lost=${lost}`,
      );
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode === null ? c.once('exit', resolve) : resolve(null)))));
    await prisma.$disconnect();
    await redis.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Acknowledged saves missing from the database: a version row with other choices, or none. */
async function countLost(prisma: ReturnType<typeof createPrisma>, savers: Saver[]): Promise<number> {
  let lost = 0;
  const ids = savers.map((s) => s.studentId);
  const rows = await prisma.applicationVersion.findMany({
    where: { application: { studentId: { in: ids }, kind: 'main' } },
    select: { version: true, choices: true, application: { select: { studentId: true, version: true } } },
  });
  const stored = new Map<string, Map<number, string>>();
  const current = new Map<string, number>();
  for (const row of rows) {
    const id = row.application.studentId;
    if (!stored.has(id)) stored.set(id, new Map());
    stored.get(id)!.set(row.version, JSON.stringify(row.choices));
    current.set(id, row.application.version);
  }
  for (const saver of savers) {
    const versions = stored.get(saver.studentId) ?? new Map();
    for (const [version, choices] of saver.acknowledged) {
      if (!versions.has(version) || !sameChoices(versions.get(version)!, choices)) lost++;
    }
    // A save still in flight when the run stopped may be stored without an acknowledgement: only older is lost.
    if (saver.acknowledged.size > 0 && (current.get(saver.studentId) ?? 0) < saver.version) lost++;
  }
  return lost;
}

/** jsonb does not keep key order: compare parsed. */
function sameChoices(a: string, b: string): boolean {
  const x = JSON.parse(a) as Choices;
  const y = JSON.parse(b) as Choices;
  const keys = Object.keys(x).sort();
  return keys.join() === Object.keys(y).sort().join() && keys.every((k) => x[k].join() === y[k].join());
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU time (user + system, ms) of a process and its children still running (the API and its cluster workers; PostgreSQL's postmaster and backends). */
function processTreeCpuMs(rootPid: number): number {
  let total = 0;
  for (const { pid, ppid, ms, exitedChildrenMs } of processes()) {
    if (pid === rootPid) total += ms + exitedChildrenMs;
    else if (ppid === rootPid) total += ms;
  }
  return total;
}

/** CPU times from /proc/<pid>/stat; `exitedChildrenMs`: of children that ended (PostgreSQL backends that closed). */
function processes(): { pid: number; ppid: number; command: string; ms: number; exitedChildrenMs: number }[] {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const command = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const ticks = (i: number) => Number(fields[i]) * TICK_MS;
    out.push({ pid: Number(entry), ppid: Number(fields[1]), command, ms: ticks(11) + ticks(12), exitedChildrenMs: ticks(13) + ticks(14) });
  }
  return out;
}

async function waitForHealth(url: string, api: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (api.exitCode !== null) throw new Error(`the API exited with ${api.exitCode}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the API did not become healthy within 60 s');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
