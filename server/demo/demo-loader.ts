/**
 * Loads the generated demo city (server/demo/generate.ts) into an empty
 * database: regions, schools, this year's plans and quota seats, 45,000
 * students with their 学籍 history and choices, and an account for every role.
 *
 * A bulk loader, not a use case: it writes in large JSON chunks inside one
 * transaction, so a load cut short leaves nothing behind and the next start
 * loads again. Every demo account shares one password, hashed once (argon2id
 * costs ~50 ms a hash; 45,000 of them would take minutes).
 */
import { randomUUID } from 'node:crypto';
import type { Phase, Prisma, PrismaClient } from '../db';
import { DEFAULT_DEMO_POLICY, DEMO_PASSWORD, toQuotaInstance, type DemoCity } from './generate';
import { distributeQuotas } from '../domain/quotas/distribute';
import { generateKindergartens } from './kindergartens';
import { recordAudit } from '../services/audit.service';
import { hashPassword } from '../services/passwords';

/** AuditLog action that marks a database as holding the demo city. */
export const DEMO_LOAD_ACTION = 'demo.load';
const ROWS_PER_STATEMENT = 5_000;

export interface DemoLoadSummary {
  cycleId: string;
  students: number;
  users: number;
  quotaAllocations: number;
  milliseconds: number;
}

/** True when the database holds no cycle yet: the only case where the demo is loaded. */
export async function isDatabaseEmpty(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.cycle.count()) === 0;
}

/**
 * The demo schedule, relative to `now`: applications have been open for a
 * week and close in two, so every role has something to do right away.
 */
export function demoSchedule(now: Date): { phase: Phase; opensAt: Date; closesAt: Date }[] {
  const day = 86_400_000;
  const boundaries: [Phase, number][] = [
    ['setup', -30],
    ['plans_published', -20],
    ['applications_open', -7],
    ['applications_closed', 14],
    ['round1', 21],
    ['confirmation', 24],
    ['supplementary', 31],
    ['registration', 38],
    ['closed', 52],
  ];
  return boundaries.map(([phase, startDay], i) => ({
    phase,
    opensAt: new Date(now.getTime() + startDay * day),
    closesAt: new Date(now.getTime() + (boundaries[i + 1]?.[1] ?? 365) * day),
  }));
}

/** Inserts `city` into an empty database; see the module comment. */
export async function loadDemoCity(prisma: PrismaClient, city: DemoCity, now = new Date()): Promise<DemoLoadSummary> {
  const started = performance.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const quota = distributeQuotas(toQuotaInstance(city)).quota;
  const cycleId = randomUUID();
  const studentIds = new Map(city.students.map((s) => [s.examNo, randomUUID()]));
  const studentId = (examNo: string) => studentIds.get(examNo)!;
  const date = (iso: string) => new Date(`${iso}T00:00:00Z`);

  const regions: Prisma.RegionCreateManyInput[] = city.regions.map((r) => ({
    code: r.code,
    name: r.name,
    nameEn: r.nameEn,
    adminCode: r.adminCode,
    rural: r.rural,
  }));
  const juniorSchools: Prisma.JuniorSchoolCreateManyInput[] = city.juniorSchools.map((j) => ({ ...j }));
  const highSchools: Prisma.HighSchoolCreateManyInput[] = city.highSchools.map((h) => ({
    id: h.id,
    name: h.name,
    regionCode: h.regionCode,
    ownership: h.ownership,
    scope: h.scope,
    quality: h.quality,
  }));
  const cycle: Prisma.CycleCreateManyInput = {
    id: cycleId,
    year: city.year,
    name: `${city.year}年${city.city.name}高中阶段学校招生`,
    seed: city.seed,
    status: 'active',
    policy: {
      quotaPercent: 50,
      quotaEligibilityCutoff: city.quotaEligibilityCutoff,
      controlLines: city.controlLines,
      allocation: { ...DEFAULT_DEMO_POLICY, tieBreak: [...DEFAULT_DEMO_POLICY.tieBreak] },
      silenceCountsAsDecline: false,
      subjects: city.subjects.map((s) => ({ ...s })),
    },
    createdAt: now,
  };
  const phases: Prisma.CyclePhaseCreateManyInput[] = demoSchedule(now).map((p) => ({ id: randomUUID(), cycleId, ...p }));
  const plans: Prisma.HighSchoolPlanCreateManyInput[] = city.highSchools.map((h) => ({
    id: randomUUID(),
    cycleId,
    highSchoolId: h.id,
    capacity: h.capacity,
    classes: h.classes,
    batch: h.batch,
    minScore: h.minScore ?? null,
    minEvaluation: h.minEvaluation ?? null,
    quotaPercent: h.quotaPercent ?? null,
    quotaMinScore: h.quotaMinScore ?? null,
    quotaMinEvaluation: h.quotaMinEvaluation ?? null,
    minPerSchool: h.minPerSchool ?? 0,
    status: 'approved',
    approvedAt: now,
    previousCutoff: h.lastYearCutoff ?? null,
    updatedAt: now,
  }));
  const quotaAllocations: Prisma.QuotaAllocationCreateManyInput[] = Object.entries(quota).flatMap(([highSchoolId, byJunior]) =>
    Object.entries(byJunior).map(([juniorSchoolId, seats]) => ({ id: randomUUID(), cycleId, highSchoolId, juniorSchoolId, seats })),
  );
  const students: Prisma.StudentCreateManyInput[] = city.students.map((s) => ({
    id: studentId(s.examNo),
    cycleId,
    examNo: s.examNo,
    name: s.name,
    idCardNo: s.idCardNo,
    gender: s.gender,
    birthDate: date(s.birthDate),
    juniorSchoolId: s.juniorSchoolId,
    regionCode: s.regionCode,
    scores: s.scores,
    total: s.total,
    evaluation: s.evaluation,
    quotaEligible: s.quotaEligible,
    enrolledSince: date(s.enrolledSince),
    createdAt: now,
  }));
  const history: Prisma.StudentJuniorHistoryCreateManyInput[] = city.students.flatMap((s) =>
    (s.history ?? []).map((h) => ({
      id: randomUUID(),
      studentId: studentId(s.examNo),
      juniorSchoolId: h.juniorSchoolId,
      from: date(h.from),
      to: h.to === null ? null : date(h.to),
    })),
  );
  const applications = city.students.map((s) => ({
    id: randomUUID(),
    studentId: studentId(s.examNo),
    cycleId,
    kind: 'main',
    version: 1,
    status: 'submitted',
    choices: s.choices,
    submittedAt: now,
    updatedAt: now,
  })) satisfies Prisma.ApplicationCreateManyInput[];
  const versions: Prisma.ApplicationVersionCreateManyInput[] = applications.map((a) => ({
    id: randomUUID(),
    applicationId: a.id,
    version: 1,
    choices: a.choices,
    savedAt: now,
  }));
  const users: Prisma.UserCreateManyInput[] = city.accounts.map((a) => ({
    id: randomUUID(),
    username: a.username,
    passwordHash,
    role: a.role,
    displayName: a.displayName,
    highSchoolId: a.highSchoolId ?? null,
    juniorSchoolId: a.juniorSchoolId ?? null,
    studentId: a.studentId === undefined ? null : studentId(a.studentId),
    regionCode: a.regionCode ?? null,
    createdAt: now,
  }));

  await prisma.$transaction(
    async (tx) => {
      await insertRows(tx, 'Region', regions);
      await insertRows(tx, 'JuniorSchool', juniorSchools);
      await insertRows(tx, 'HighSchool', highSchools);
      await insertRows(tx, 'Cycle', [cycle]);
      // The year's own copy of the directory: later imports never rename what this year shows.
      await insertRows(tx, 'CycleRegion', regions.map((r) => ({ cycleId, ...r })));
      await insertRows(tx, 'CycleJuniorSchool', juniorSchools.map((j) => ({ cycleId, ...j })));
      await insertRows(tx, 'CycleHighSchool', highSchools.map((h) => ({ cycleId, ...h })));
      await insertRows(tx, 'CyclePhase', phases);
      await insertRows(tx, 'HighSchoolPlan', plans);
      await insertRows(tx, 'QuotaAllocation', quotaAllocations);
      await insertRows(tx, 'Student', students);
      await insertRows(tx, 'StudentJuniorHistory', history);
      await insertRows(tx, 'Application', applications);
      await insertRows(tx, 'ApplicationVersion', versions);
      await insertRows(tx, 'User', users);
      await loadDemoKindergartens(tx, city, now, passwordHash);
      await recordAudit(tx, {
        actor: null,
        action: DEMO_LOAD_ACTION,
        entity: 'Cycle',
        entityId: cycleId,
        after: { seed: city.seed, year: city.year, students: students.length, accounts: users.length },
      });
    },
    { timeout: 300_000, maxWait: 10_000 },
  );

  return {
    cycleId,
    students: students.length,
    users: users.length,
    quotaAllocations: quotaAllocations.length,
    milliseconds: Math.round(performance.now() - started),
  };
}

/** The demo kindergartens (issue 18), their first versions, the 3-5 population and the accounts k0001…. */
async function loadDemoKindergartens(tx: Prisma.TransactionClient, city: DemoCity, now: Date, passwordHash: string): Promise<void> {
  const preschool = generateKindergartens({ seed: city.seed, year: city.year, regionCodes: city.regions.map((r) => r.code) });
  const date = (iso: string | null) => (iso === null ? null : new Date(`${iso}T00:00:00Z`));
  const rows: Prisma.KindergartenCreateManyInput[] = preschool.kindergartens.map((k) => ({
    ...k,
    openedOn: date(k.openedOn),
    rectifyBy: date(k.rectifyBy),
    staff: k.staff as object[],
    fees: k.fees as object[],
    evaluations: k.evaluations as object[],
    inspections: k.inspections as object[],
    version: 1,
    updatedAt: now,
    createdAt: now,
  }));
  await insertRows(tx, 'Kindergarten', rows);
  await insertRows(tx, 'KindergartenVersion', preschool.kindergartens.map((k) => ({ id: randomUUID(), kindergartenId: k.id, version: 1, record: k, source: 'demo', createdAt: now })));
  await insertRows(tx, 'PreschoolPopulation', preschool.population.map((p) => ({ ...p, updatedAt: now })));
  await insertRows(
    tx,
    'User',
    preschool.accounts.map((a) => ({ id: randomUUID(), username: a.username, passwordHash, role: 'kindergarten', displayName: a.displayName, kindergartenId: a.kindergartenId, regionCode: a.regionCode, createdAt: now })),
  );
}

/**
 * Bulk insert: each chunk travels as one JSON parameter and PostgreSQL turns it
 * into rows (jsonb_populate_recordset): the demo city loads in about a fifth of
 * the time createMany takes.
 * Every row must have the same keys (the columns written; absent ones take
 * their database default). Rows are typed with Prisma's CreateManyInput types
 * and the table names are the model names, so the SQL is built from code only.
 */
async function insertRows(tx: Prisma.TransactionClient, table: Prisma.ModelName, rows: object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]).map((column) => `"${column}"`).join(', ');
  const sql = `INSERT INTO "${table}" (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::"${table}", $1::jsonb)`;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await tx.$executeRawUnsafe(sql, JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT)));
  }
}

export interface DemoAccount {
  role: string;
  username: string;
  displayName: string;
}

/**
 * One demo account per role (the first by username), to print at start; empty
 * when the database does not hold the demo city.
 */
export async function listDemoAccounts(prisma: PrismaClient): Promise<DemoAccount[]> {
  const demo = await prisma.auditLog.findFirst({ where: { action: DEMO_LOAD_ACTION }, select: { id: true } });
  if (!demo) return [];
  const roles = ['bureau', 'auditor', 'high', 'junior', 'student', 'kindergarten'] as const;
  const users = await Promise.all(
    roles.map((role) =>
      prisma.user.findFirst({ where: { role }, orderBy: { username: 'asc' }, select: { role: true, username: true, displayName: true } }),
    ),
  );
  return users.filter((user) => user !== null);
}

export { DEMO_PASSWORD };
