/**
 * `npm run bench:import-latency [-- --mb 20 --students 50000]`: does a big import stall the API?
 *
 * Starts a throwaway PostgreSQL and Redis, the real API (`server/main.ts`,
 * NODE_ENV=production) and the real job worker (`jobs/worker.ts`) as child
 * processes, builds a student .xlsx of `--students` rows (default 50,000, the
 * city's size) and about `--mb` megabytes (default 20; a 备注 column the
 * import ignores makes up the size, as offices' files carry one), and uploads it as the city bureau while a prober, on another connection,
 * calls GET /api/auth/me (token check and a database read) every 20 ms.
 * Prints the probe latencies (p50, p95, p99, max) at rest, while the API
 * reads the upload (in its worker thread), and while the job worker imports
 * it, and for comparison how long reading the same file takes on one event
 * loop: the stall every request suffered when the API parsed uploads itself.
 * The goal: p99 under 200 ms in every phase. Exits 1 on a failed import.
 */
import { generateKeyPairSync } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { applyMigrations } from '../../prisma/migrate';
import { createPrisma } from '../../server/db';
import { SUBJECTS } from '../../server/demo/types';
import { IMPORT_COLUMNS } from '../../server/domain/imports/columns';
import { readSheet } from '../../server/infra/read-file';
import { scheduleFrom, type Phase } from '../../server/domain/schedule/schedule';
import { startPostgres } from '../../server/infra/postgres';
import { freePort } from '../../server/infra/process';
import { startRedis } from '../../server/infra/redis';
import { createTokenService } from '../../server/infra/tokens';

const arg = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const MB = arg('--mb', 20);
const STUDENTS = arg('--students', 50_000);
const JWT_SECRET = 'bench-import-latency-0123456789-abcdefghijklmnop';
const JUNIORS = 150;
const DAYS: Record<Phase, number> = { setup: 30, plans_published: 10, applications_open: 10, applications_closed: 5, round1: 3, confirmation: 5, supplementary: 5, registration: 10, closed: 30 };

function idCard(n: number): string {
  const body = `43020220${String(n).padStart(9, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

function studentRow(i: number): Record<string, string | number> {
  return {
    examNo: `2032${String(i).padStart(8, '0')}`,
    name: `考生${i}`,
    idCardNo: idCard(i),
    gender: i % 2 ? '男' : '女',
    birthDate: '2017-03-01',
    juniorSchoolId: `J${String(i % JUNIORS).padStart(4, '0')}`,
    enrolledSince: '2029-09-01',
    evaluation: 'ABCD'[i % 4],
    ...Object.fromEntries(SUBJECTS.map((s) => [`score.${s.key}`, (i * 7 + s.max) % (s.max + 1)])),
  };
}

/** Pseudo-random common hanzi: an office's 备注 (remarks) column, which the import ignores but exceljs must read. */
function remark(i: number, length: number): string {
  let x = (i + 1) | 0;
  let out = '';
  for (let k = 0; k < length; k++) {
    // xorshift32: 32-bit integer arithmetic, so the sequence never degenerates.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += String.fromCharCode(0x4e00 + ((x >>> 0) % 3000));
  }
  return out;
}

/** An .xlsx of `rows` students with a remarks column, written by exceljs's streaming writer (the in-memory one needs minutes and gigabytes here). */
async function workbook(rows: number, remarkLength: number): Promise<Buffer> {
  const cols = IMPORT_COLUMNS.students;
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: true });
  const ws = wb.addWorksheet('数据');
  ws.addRow([...cols.map((c) => c.zh), '备注']).commit();
  for (let i = 0; i < rows; i++) {
    const values = studentRow(i);
    ws.addRow([...cols.map((c) => values[c.key] ?? null), remarkLength > 0 ? remark(i, remarkLength) : null]).commit();
  }
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

/** A file of `students` rows and about `mb` MB: the remarks length is solved from two 2,000-row samples (size is linear in it). */
async function bigWorkbook(students: number, mb: number): Promise<Buffer> {
  const bare = (await workbook(2_000, 0)).length / 2_000;
  const perChar = ((await workbook(2_000, 100)).length / 2_000 - bare) / 100;
  const length = Math.max(0, Math.round(((mb * 1024 * 1024) / students - bare) / perChar));
  return workbook(students, length);
}

function percentiles(samples: number[]): string {
  if (samples.length === 0) return 'no samples';
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const f = (n: number) => `${n.toFixed(1)} ms`;
  return `n=${sorted.length}  p50 ${f(at(50))}  p95 ${f(at(95))}  p99 ${f(at(99))}  max ${f(sorted[sorted.length - 1])}`;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the API did not become healthy within 60 s');
}

async function main(): Promise<void> {
  console.log(`building a .xlsx of ${STUDENTS} students and about ${MB} MB...`);
  const bytes = await bigWorkbook(STUDENTS, MB);
  console.log(`file: ${STUDENTS} students, ${(bytes.length / 1024 / 1024).toFixed(1)} MB`);
  {
    const t0 = performance.now();
    await readSheet(bytes);
    console.log(`reading it on one event loop takes ${Math.round(performance.now() - t0)} ms: the stall of every request when the API parsed uploads itself`);
  }

  const dir = await mkdtemp(path.join(tmpdir(), 'import-latency-bench-'));
  await chmod(dir, 0o755);
  const children: ChildProcess[] = [];
  const postgres = await startPostgres({ dataDir: path.join(dir, 'pg'), database: 'bench' });
  const redis = await startRedis({ dataDir: path.join(dir, 'redis'), appendOnly: true });
  const prisma = createPrisma(postgres.url);
  let failed = false;
  try {
    await applyMigrations(postgres.url);
    await prisma.region.create({ data: { code: 'HT', name: '荷塘区', nameEn: 'Hetang' } });
    await prisma.juniorSchool.createMany({ data: Array.from({ length: JUNIORS }, (_, j) => ({ id: `J${String(j).padStart(4, '0')}`, name: `初中${j}`, regionCode: 'HT', graduates: 300 })) });
    const bureau = await prisma.user.create({ data: { username: 'bench-bureau', displayName: '市教育局', role: 'bureau', passwordHash: 'x', activatedAt: new Date() } });
    const token = createTokenService({ secret: JWT_SECRET, ttlSeconds: 3600 }).sign({ userId: bureau.id, tokenVersion: bureau.tokenVersion }).token;

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
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: 'bench',
      BUREAU_TOTP_REQUIRED: 'false',
      // Production requires the receipt key (server/infra/receipt-key.ts).
      RECEIPT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    const api = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const worker = spawn(process.execPath, ['--import', 'tsx', 'jobs/worker.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(api, worker);
    await waitForHealth(url, api);
    const auth = { authorization: `Bearer ${token}` };
    const start = new Date(Date.now() - 86_400_000);
    const created = await fetch(`${url}/api/cycles`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ year: 2032, name: 'bench 2032', windows: scheduleFrom(start, DAYS), policy: { quotaEligibilityCutoff: '2031-09-01' } }),
    });
    if (created.status !== 201) throw new Error(`creating the cycle: ${created.status} ${await created.text()}`);

    // The prober: one keep-alive connection, a request every 20 ms, each latency tagged with the phase it started in.
    let phase = 'rest';
    let probing = true;
    const samples = new Map<string, number[]>();
    const probe = (async () => {
      while (probing) {
        const t0 = performance.now();
        const tag = phase;
        const res = await fetch(`${url}/api/auth/me`, { headers: auth });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`probe: ${res.status}`);
        samples.set(tag, [...(samples.get(tag) ?? []), performance.now() - t0]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    phase = 'upload';
    const t0 = performance.now();
    const uploaded = await fetch(`${url}/api/imports/students`, { method: 'POST', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) });
    const outcome = (await uploaded.json()) as { status?: string; job?: { id: string } };
    console.log(`upload answered ${uploaded.status} ${outcome.status ?? JSON.stringify(outcome)} in ${Math.round(performance.now() - t0)} ms`);

    if (uploaded.status === 202 && outcome.job) {
      phase = 'job';
      const t1 = performance.now();
      let job: { state?: string; result?: { ok: boolean; imported: number; count: number }; failedReason?: string } = {};
      while (performance.now() - t1 < 600_000) {
        job = (await (await fetch(`${url}/api/jobs/imports/${outcome.job.id}`, { headers: auth })).json()) as typeof job;
        if (job.state === 'completed' || job.state === 'failed') break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      console.log(`job ${job.state} in ${Math.round(performance.now() - t1)} ms: ${JSON.stringify(job.result ?? job.failedReason)}`);
      failed = job.state !== 'completed' || !job.result?.ok;
    } else failed = true;
    phase = 'after';
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    probing = false;
    await probe;

    console.log('\nGET /api/auth/me latency while:');
    for (const [tag, label] of [
      ['rest', 'at rest'],
      ['upload', 'the API reads the upload'],
      ['job', 'the job worker imports it'],
      ['after', 'after'],
    ]) {
      console.log(`  ${label.padEnd(28)} ${percentiles(samples.get(tag) ?? [])}`);
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((resolve) => c.once('exit', resolve)) : null)));
    await prisma.$disconnect();
    await redis.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
  if (failed) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
