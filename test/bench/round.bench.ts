/**
 * `node --import tsx test/bench/round.bench.ts [students=45000]`: the demo
 * city's round end to end — database -> engine input -> allocate (with
 * explanations) -> independent invariant check -> one transaction storing the
 * input, result and every assignment row — on a throwaway PostgreSQL in a
 * temporary folder, printing the time of each stage. Aim: <= 5 s for 45,000.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../prisma/migrate';
import { systemClock } from '../../server/clock';
import { createPrisma } from '../../server/db';
import { generateCity } from '../../server/domain/demo/generate';
import { startPostgres } from '../../server/infra/postgres';
import { createUnitOfWork } from '../../server/repositories';
import { loadDemoCity } from '../../server/services/demo-loader';
import { runRound } from '../../server/services/round.service';

async function main(): Promise<void> {
  const students = Number(process.argv[2] ?? 45_000);
  const dir = await mkdtemp(path.join(tmpdir(), 'round-bench-'));
  await chmod(dir, 0o755); // the postgres user must reach its data folder
  const postgres = await startPostgres({ dataDir: path.join(dir, 'pg'), database: 'bench', settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
  const prisma = createPrisma(postgres.url);
  try {
    await applyMigrations(postgres.url);
    const city = generateCity({ seed: 'bench', students });
    // The demo schedule puts "now" in applications_open; the round runs after that window's close.
    const loaded = await loadDemoCity(prisma, city);
    console.log(`loaded ${loaded.students} students in ${loaded.milliseconds} ms`);
    const uow = createUnitOfWork(prisma);
    const cycle = await prisma.cycle.findUniqueOrThrow({ where: { id: loaded.cycleId } });
    for (const attempt of [1, 2]) {
      const round = await prisma.round.create({
        data: { cycleId: cycle.id, kind: 'simulation', name: `bench ${attempt}`, policy: (cycle.policy as any).allocation, seed: cycle.seed, createdBy: 'bench' },
      });
      const t0 = performance.now();
      const outcome = await runRound({ uow, clock: systemClock }, round.id);
      const total = Math.round(performance.now() - t0);
      const rows = await prisma.roundAssignment.count({ where: { roundId: round.id } });
      console.log(
        `round ${attempt}: ${students} students, status ${outcome.status}, invariants ${outcome.invariantsOk}, ${rows} assignment rows; ` +
          `total ${total} ms; stages ${JSON.stringify(outcome.timings)}`,
      );
    }
  } finally {
    await prisma.$disconnect();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
