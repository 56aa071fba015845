/**
 * `npm run bench:round [-- --students N]`: the demo city's round end to end —
 * database -> engine input -> allocate (with explanations) -> independent
 * invariant check -> one transaction storing the input, result and every
 * assignment row (COPY), ready to publish — on a throwaway PostgreSQL in a
 * temporary folder, against the command line (`npm run -s allocate`) on the
 * same input in the same run. The round is a main round (its rows carry the
 * explanations families read). Without --students: 45,000 and then 800,000
 * students; `--students N` runs one size. From 400,000 students on, the city is
 * a province (server/demo/province.ts: Hunan's fourteen cities' regions, the
 * same rules); it is loaded with COPY (loadDemoCity's copyStudents), without
 * the students' accounts, which a round does not read.
 *
 * The round runs in a child process of its own (a worker's share of work:
 * connect, run the round, disconnect), so that its peak RSS is the round's,
 * not the generator's or the loader's. The last line for each size is exactly
 * `round: students=<n> end_to_end_s=<t> cli_s=<c> ratio=<t/c> worker_peak_rss_mb=<m>`.
 * The stages line also gives the longest wait between two progress reports of the run
 * (`progress_max_gap_ms`; the rounds page wants one at least every 2 s).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../prisma/migrate';
import { systemClock } from '../../server/clock';
import { createPrisma } from '../../server/db';
import { generateCity } from '../../server/demo/generate';
import { startPostgres } from '../../server/infra/postgres';
import { createUnitOfWork } from '../../server/repositories';
import { createRoundRepository } from '../../server/repositories/round.repository';
import { loadDemoCity } from '../../server/demo/demo-loader';
import { runRound } from '../../server/services/round.service';
import { keepRoundThreadReady } from '../../server/infra/round-compute';

/** In the child: runs one round and prints one JSON line (timings, peak RSS). */
async function child(url: string, roundId: string): Promise<void> {
  const prisma = createPrisma(url);
  try {
    const uow = createUnitOfWork(prisma);
    // As the worker process does at start (jobs/worker.ts): connected, and the round's thread booted ahead.
    await Promise.all([prisma.$connect(), keepRoundThreadReady()]);
    const t0 = performance.now();
    // The job's progress reports (as BullMQ would get them): the longest wait between two.
    let last = t0;
    let maxGapMs = 0;
    const progress = async () => {
      const now = performance.now();
      maxGapMs = Math.max(maxGapMs, now - last);
      last = now;
    };
    const outcome = await runRound({ uow, clock: systemClock, progress }, roundId);
    const ms = performance.now() - t0;
    console.log(
      JSON.stringify({ ms, status: outcome.status, invariantsOk: outcome.invariantsOk, timings: outcome.timings, maxGapMs, peakRssMB: process.resourceUsage().maxRSS / 1024 }),
    );
  } finally {
    await prisma.$disconnect();
  }
}

async function measure(students: number): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'round-bench-'));
  await chmod(dir, 0o755); // the postgres user must reach its data folder
  const postgres = await startPostgres({ dataDir: path.join(dir, 'pg'), database: 'bench', settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
  const prisma = createPrisma(postgres.url);
  try {
    await applyMigrations(postgres.url);
    let t = performance.now();
    const province = students >= PROVINCE_FROM;
    const city = generateCity({ seed: 'bench', students, province, studentAccounts: false });
    console.log(
      `generated ${students} students (${province ? 'a province' : 'a city'}: ${city.regions.length} regions, ${city.juniorSchools.length} junior and ${city.highSchools.length} high schools) in ${Math.round(performance.now() - t)} ms`,
    );
    // The demo schedule puts "now" in applications_open; the round runs after that window's close.
    const loaded = await loadDemoCity(prisma, city, new Date(), { copyStudents: true });
    console.log(`loaded ${loaded.students} students in ${loaded.milliseconds} ms`);
    // In a real year the students are imported in setup, weeks before the deadline, and autovacuum has visited
    // the tables by the time a round runs; a round right after a bulk load would read freshly written pages
    // (hint bits unset, no statistics): the applicants' query took 11.5 s instead of 5-6 s at 800k.
    t = performance.now();
    await prisma.$executeRawUnsafe('VACUUM (ANALYZE) "Student", "Application", "ApplicationVersion"');
    console.log(`vacuumed and analyzed the loaded tables (as autovacuum would have) in ${Math.round(performance.now() - t)} ms`);
    const cycle = await prisma.cycle.findUniqueOrThrow({ where: { id: loaded.cycleId } });
    const round = await prisma.round.create({
      data: { cycleId: cycle.id, kind: 'main', name: 'bench', policy: (cycle.policy as any).allocation, seed: cycle.seed, createdBy: 'bench' },
    });

    // End to end, in a process of its own.
    const run = spawnSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', 'test/bench/round.bench.ts'], {
      env: { ...process.env, ROUND_BENCH_CHILD: JSON.stringify({ url: postgres.url, roundId: round.id }) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`the round failed: ${run.stdout}`);
    const outcome = JSON.parse(run.stdout.trim().split('\n').pop() as string);
    const rows = await prisma.roundAssignment.count({ where: { roundId: round.id } });
    console.log(
      `round: status ${outcome.status}, invariants ${outcome.invariantsOk}, ${rows} assignment rows; stages (ms) ${JSON.stringify(outcome.timings)}; progress_max_gap_ms=${Math.round(outcome.maxGapMs)}`,
    );
    if (outcome.status !== 'succeeded' || rows !== loaded.students) throw new Error('the round did not store one row per student');

    // The command line on the same input (the round's stored input), streamed to a file (hundreds of MB for a province).
    t = performance.now();
    const inputPath = path.join(dir, 'input.json');
    await writeInputFile(prisma, round.id, inputPath);
    console.log(`bundle input written (${((await stat(inputPath)).size / 1e6).toFixed(1)} MB) in ${Math.round(performance.now() - t)} ms`);
    t = performance.now();
    execFileSync('npm', ['run', '-s', 'allocate', '--', inputPath, path.join(dir, 'result.json')], { stdio: 'inherit' });
    const cliS = (performance.now() - t) / 1000;

    const endToEndS = outcome.ms / 1000;
    console.log(
      `round: students=${loaded.students} end_to_end_s=${endToEndS.toFixed(2)} cli_s=${cliS.toFixed(2)} ratio=${(endToEndS / cliS).toFixed(2)} worker_peak_rss_mb=${Math.round(outcome.peakRssMB)}`,
    );
  } finally {
    await prisma.$disconnect();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** From this many students on, the bench generates a province rather than a city. */
const PROVINCE_FROM = 400_000;

/** The round's input (its stored canonical text, the bundle's input) into a file, piece by piece (hundreds of MB for a province). */
async function writeInputFile(prisma: ReturnType<typeof createPrisma>, roundId: string, file: string): Promise<void> {
  await pipeline(Readable.from(createRoundRepository(prisma).textPieces(roundId, 'input'), { objectMode: false }), createWriteStream(file));
}

async function main(): Promise<void> {
  if (process.env.ROUND_BENCH_CHILD) {
    const { url, roundId } = JSON.parse(process.env.ROUND_BENCH_CHILD);
    await child(url, roundId);
    return;
  }
  const args = process.argv.slice(2);
  const at = args.indexOf('--students');
  const given = at >= 0 ? Number(args[at + 1]) : args.find((a) => /^\d+$/.test(a)) ? Number(args.find((a) => /^\d+$/.test(a))) : undefined;
  if (given !== undefined && !(Number.isInteger(given) && given > 0)) throw new Error('--students must be a positive integer');
  for (const students of given ? [given] : [45_000, 800_000]) await measure(students);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
