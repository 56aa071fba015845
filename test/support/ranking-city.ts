/**
 * The demo city in a database of its own (its fixed ids would collide with
 * other files' data in the shared one), with a previous year behind it: a
 * finished cycle holding the same cohort and a published main round whose
 * cutoffs the test chooses, for 位次, the 一分一段表 and the 冲/稳/保 bands
 * (issue 17). Used by test/integration/score-table.test.ts and
 * test/browser/score-table.test.ts.
 *
 *     const city = await createRankingCity({ students: 3_000 });
 *     const server = await startTestServer({ clock, env: { DATABASE_URL: city.databaseUrl } });
 *     await city.publishLastYear({ H01: 'examNo of the last admitted', ... });
 *     ...
 *     await server.stop(); await city.drop();
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from '../../prisma/migrate';
import { createPrisma, type PrismaClient } from '../../server/db';
import { generateCity, type DemoCity } from '../../server/demo/generate';
import { ALLOCATION_RESULT_FORMAT } from '../../server/domain/allocation/types';
import { DEMO_PASSWORD, loadDemoCity } from '../../server/demo/demo-loader';
import { testServiceUrls } from './server';

export interface RankingCity {
  databaseUrl: string;
  prisma: PrismaClient;
  city: DemoCity;
  /** This year's cycle (the demo's, applications open at `now`). */
  cycleId: string;
  /** Last year's cycle: the same cohort under `P`-prefixed exam numbers. */
  previousCycleId: string;
  password: string;
  /** Last year's exam number of this year's student `examNo`. */
  lastYearExamNo(examNo: string): string;
  /** Publishes last year's main round, each school's last admitted student (last year's exam number) as given. */
  publishLastYear(lastAdmitted: Record<string, string>): Promise<void>;
  drop(): Promise<void>;
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createRankingCity(options: { students: number; now: Date; seed?: string }): Promise<RankingCity> {
  const { databaseUrl: serverUrl } = await testServiceUrls();
  const name = `ranking_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await applyMigrations(databaseUrl);
  const prisma = createPrisma(databaseUrl, { poolSize: 3 });
  const city = generateCity({ seed: options.seed ?? 'ranking-test', students: options.students });
  await loadDemoCity(prisma, city, options.now);
  const cycle = await prisma.cycle.findFirstOrThrow({ where: { year: city.year }, select: { id: true, policy: true } });

  // Last year: the same students (same scores), finished.
  const previousCycleId = randomUUID();
  const lastYearExamNo = (examNo: string) => `P${examNo}`;
  await prisma.cycle.create({
    data: { id: previousCycleId, year: city.year - 1, name: `${city.year - 1}年 往年`, seed: 'last-year', status: 'archived', policy: cycle.policy ?? {} },
  });
  const current = await prisma.student.findMany({ where: { cycleId: cycle.id } });
  await prisma.student.createMany({
    data: current.map(({ id: _id, cycleId: _cycle, createdAt: _at, examNo, scores, birthDate, ...rest }) => ({
      ...rest,
      id: randomUUID(),
      cycleId: previousCycleId,
      examNo: lastYearExamNo(examNo),
      scores: scores ?? {},
      birthDate,
    })),
  });

  return {
    databaseUrl,
    prisma,
    city,
    cycleId: cycle.id,
    previousCycleId,
    password: DEMO_PASSWORD,
    lastYearExamNo,
    async publishLastYear(lastAdmitted) {
      const students = await prisma.student.findMany({ where: { cycleId: previousCycleId, examNo: { in: Object.values(lastAdmitted) } }, select: { examNo: true, total: true } });
      const totals = new Map(students.map((s) => [s.examNo, s.total]));
      const schools = Object.fromEntries(
        Object.entries(lastAdmitted).map(([school, examNo]) => [
          school,
          {
            capacity: 1,
            admitted: 1,
            open: 1,
            quota: 0,
            reverted: 0,
            lastAdmitted: examNo,
            cutoffs: { open: { student: examNo, total: totals.get(examNo)!, tieBreak: [], rank: 1 } },
          },
        ]),
      );
      const policy = (cycle.policy as { allocation?: { tieBreak?: string[] } } | null)?.allocation ?? {};
      await prisma.round.create({
        data: {
          cycleId: previousCycleId,
          kind: 'main',
          policy: { quotaPrecedence: 'openFirst', unusedQuota: 'revert', tieBreak: policy.tieBreak ?? [] },
          seed: 'last-year',
          status: 'published',
          result: { format: ALLOCATION_RESULT_FORMAT, assignments: {}, unassigned: [], schools },
          createdBy: 'test',
          publishedAt: new Date(options.now.getTime() - 300 * 86_400_000),
        },
      });
    },
    async drop() {
      await prisma.$disconnect();
      await admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
