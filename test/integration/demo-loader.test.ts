import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations } from '../../prisma/migrate';
import { createPrisma, type PrismaClient } from '../../server/db';
import { generateCity, toQuotaInstance, type DemoCity } from '../../server/domain/demo/generate';
import { distributeQuotas } from '../../server/domain/quotas/distribute';
import {
  DEMO_PASSWORD,
  demoSchedule,
  isDatabaseEmpty,
  listDemoAccounts,
  loadDemoCity,
} from '../../server/services/demo-loader';
import { verifyPassword } from '../../server/services/passwords';

/**
 * The demo loader against a database of its own on the test server (the demo
 * city's fixed ids would collide with other files' data in the shared one).
 */
describe('loadDemoCity', () => {
  const serverUrl = new URL(inject('databaseUrl'));
  const databaseName = `demo_${process.pid}_${Date.now()}`;
  const now = new Date('2026-06-01T08:00:00Z');
  let prisma: PrismaClient;
  let city: DemoCity;

  async function admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: serverUrl.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    await admin(`CREATE DATABASE "${databaseName}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${databaseName}`;
    await applyMigrations(url.toString());
    prisma = createPrisma(url.toString());
    city = generateCity({ seed: 'loader-test', students: 1_500 });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await admin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  });

  it('loads every part of the city into an empty database', async () => {
    expect(await isDatabaseEmpty(prisma)).toBe(true);

    const summary = await loadDemoCity(prisma, city, now);

    expect(summary.students).toBe(1_500);
    expect(await isDatabaseEmpty(prisma)).toBe(false);
    expect(await prisma.student.count()).toBe(1_500);
    expect(await prisma.application.count({ where: { status: 'submitted', kind: 'main' } })).toBe(1_500);
    expect(await prisma.applicationVersion.count()).toBe(1_500);
    expect(await prisma.user.count()).toBe(city.accounts.length);
    expect(await prisma.highSchoolPlan.count({ where: { status: 'approved' } })).toBe(city.highSchools.length);
    expect(await prisma.juniorSchool.count()).toBe(city.juniorSchools.length);
    expect(await prisma.region.count()).toBe(9);
    const transferred = city.students.filter((s) => s.history).flatMap((s) => s.history!);
    expect(await prisma.studentJuniorHistory.count()).toBe(transferred.length);
  });

  it('stores the quota seats of ALLOCATION.md §1 for each quality school', async () => {
    const expected = distributeQuotas(toQuotaInstance(city)).quota;
    const rows = await prisma.quotaAllocation.findMany();
    const stored: Record<string, Record<string, number>> = {};
    for (const row of rows) (stored[row.highSchoolId] ??= {})[row.juniorSchoolId] = row.seats;

    expect(rows.length).toBeGreaterThan(0);
    expect(stored).toEqual(expected);
  });

  it('links a student account to its student, scores and choices', async () => {
    const source = city.students[42];
    const user = await prisma.user.findUniqueOrThrow({ where: { username: source.examNo } });
    const student = await prisma.student.findUniqueOrThrow({
      where: { id: user.studentId! },
      include: { applications: true },
    });

    expect(user.role).toBe('student');
    expect(student.examNo).toBe(source.examNo);
    expect(student.total).toBe(source.total);
    expect(student.scores).toEqual(source.scores);
    expect(student.enrolledSince.toISOString().slice(0, 10)).toBe(source.enrolledSince);
    expect(student.applications[0].choices).toEqual(source.choices);
    expect(await verifyPassword(user.passwordHash, DEMO_PASSWORD)).toBe(true);
  });

  it('opens applications at load time and lists one account per role', async () => {
    const open = await prisma.cyclePhase.findFirstOrThrow({ where: { opensAt: { lte: now }, closesAt: { gt: now } } });
    const accounts = await listDemoAccounts(prisma);

    expect(open.phase).toBe('applications_open');
    expect(demoSchedule(now)).toHaveLength(9);
    expect(accounts.map((a) => a.role).sort()).toEqual(['auditor', 'bureau', 'high', 'junior', 'student']);
  });

  it('is all or nothing: a second load fails and leaves the first intact', async () => {
    await expect(loadDemoCity(prisma, city, now)).rejects.toThrow();

    expect(await prisma.cycle.count()).toBe(1);
    expect(await prisma.student.count()).toBe(1_500);
  });
});
