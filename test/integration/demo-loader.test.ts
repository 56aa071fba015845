import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations } from '../../prisma/migrate';
import { createPrisma, type PrismaClient } from '../../server/db';
import { generateCity, toQuotaInstance, type DemoCity } from '../../server/demo/generate';
import { checkChoices, normalizeChoices, type ChoiceSchool, type Choices } from '../../server/domain/applications/choices';
import { maxChoicesPerBatch } from '../../server/domain/cycle-policy';
import { distributeQuotas } from '../../server/domain/quotas/distribute';
import { AppError } from '../../server/errors';
import { createUnitOfWork } from '../../server/repositories';
import { createApplicationService, eligibilityStudent, loadSchoolOptions, loadStudent } from '../../server/services/application.service';
import { toPublicUser } from '../../server/services/auth.service';
import { createCycleService } from '../../server/services/cycle.service';
import {
  DEMO_PASSWORD,
  demoSchedule,
  isDatabaseEmpty,
  listDemoAccounts,
  loadDemoCity,
} from '../../server/demo/demo-loader';
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
    // The city's accounts and one per demo kindergarten (k0001…, issue 18).
    expect(await prisma.user.count({ where: { role: { not: 'kindergarten' } } })).toBe(city.accounts.length);
    expect(await prisma.user.count({ where: { role: 'kindergarten' } })).toBe(await prisma.kindergarten.count());
    expect(await prisma.kindergarten.count()).toBe(600);
    expect(await prisma.highSchoolPlan.count({ where: { status: 'approved' } })).toBe(city.highSchools.length);
    expect(await prisma.juniorSchool.count()).toBe(city.juniorSchools.length);
    expect(await prisma.region.count()).toBe(9);
    const transferred = city.students.filter((s) => s.history).flatMap((s) => s.history!);
    expect(await prisma.studentJuniorHistory.count()).toBe(transferred.length);
    // One candidate per 身份证号 in a cycle: the generator's numbers are unique, so the load passed the constraint.
    const idCards = await prisma.student.findMany({ select: { idCardNo: true } });
    expect(new Set(idCards.map((s) => s.idCardNo)).size).toBe(1_500);
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
    expect(accounts.map((a) => a.role).sort()).toEqual(['auditor', 'bureau', 'high', 'junior', 'kindergarten', 'student']);
  });

  it('is all or nothing: a second load fails and leaves the first intact', async () => {
    await expect(loadDemoCity(prisma, city, now)).rejects.toThrow();

    expect(await prisma.cycle.count()).toBe(1);
    expect(await prisma.student.count()).toBe(1_500);
  });

  it('stores only applications the portal accepts: every family can save its choices again unchanged', async () => {
    const uow = createUnitOfWork(prisma);
    const clock = { now: () => now };
    const cycles = createCycleService({ uow, clock });
    const applications = createApplicationService({ uow, cycles, clock });
    const limits = maxChoicesPerBatch((await cycles.current()).policy);
    const users = await prisma.user.findMany({ where: { role: 'student' }, orderBy: { username: 'asc' } });
    const storedBy = new Map((await prisma.application.findMany({ where: { kind: 'main' } })).map((a) => [a.studentId, a]));
    const actor = (user: (typeof users)[number]) => toPublicUser(user, { bureauTotpRequired: false });
    expect(users).toHaveLength(1_500);

    // The save rule on every stored application, with the student and schools loaded as a save loads them (schools once per junior school).
    const schoolsByJunior = new Map<string, Promise<Map<string, ChoiceSchool>>>();
    const refused: string[] = [];
    let checked = 0;
    for (let start = 0; start < users.length; start += 50) {
      await Promise.all(
        users.slice(start, start + 50).map(async (user) => {
          const { student } = await loadStudent(uow, actor(user));
          let schools = schoolsByJunior.get(student.juniorSchoolId);
          if (!schools) {
            schools = loadSchoolOptions(uow, student, 'main').then((options) => new Map(options.map((o) => [o.school.id, o.school])));
            schoolsByJunior.set(student.juniorSchoolId, schools);
          }
          const choices = normalizeChoices(storedBy.get(student.id)!.choices as Choices);
          const problems = checkChoices({ choices, student: eligibilityStudent(student), schools: await schools, limits });
          checked++;
          if (problems.length > 0) refused.push(`${user.username}: ${JSON.stringify(problems)}`);
        }),
      );
    }
    expect(refused.slice(0, 5)).toEqual([]);
    expect(checked).toBe(1_500);

    // And the save itself for every tenth family: the unchanged choices become a new version, not a refusal.
    const sample = users.filter((_, i) => i % 10 === 0);
    for (const user of sample) {
      const stored = storedBy.get(user.studentId!)!;
      const result = await applications
        .save(actor(user), { kind: 'main', baseVersion: stored.version, choices: stored.choices as Choices, lang: 'en' })
        .catch((error: unknown) => (error instanceof AppError ? `${user.username}: ${error.code} ${JSON.stringify(error.details)}` : Promise.reject(error)));
      expect(result).toMatchObject({ version: stored.version + 1 });
    }
    expect(await prisma.applicationVersion.count()).toBe(1_500 + sample.length);
  });
});
