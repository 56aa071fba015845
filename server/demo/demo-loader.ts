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
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pgPoolOf, type Phase, type Prisma, type PrismaClient } from '../db';
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

export interface DemoLoadOptions {
  /**
   * Benchmarks at province scale (bench:round): the students, their 学籍 history,
   * applications, versions and accounts go in with COPY on the client's
   * node-postgres pool, in a second transaction after the rest (a load cut short
   * between the two leaves a city without students). Needs a client made by createPrisma.
   */
  copyStudents?: boolean;
}

/** Inserts `city` into an empty database; see the module comment. */
export async function loadDemoCity(prisma: PrismaClient, city: DemoCity, now = new Date(), options: DemoLoadOptions = {}): Promise<DemoLoadSummary> {
  const started = performance.now();
  const pool = options.copyStudents ? pgPoolOf(prisma) : undefined;
  if (options.copyStudents && !pool) throw new Error('loadDemoCity: copyStudents needs a client made by createPrisma');
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
  // With copyStudents the per-student rows are written by copyDemoStudents instead (no arrays of a million objects).
  const perStudent = pool ? [] : city.students;
  const students: Prisma.StudentCreateManyInput[] = perStudent.map((s) => ({
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
  const history: Prisma.StudentJuniorHistoryCreateManyInput[] = perStudent.flatMap((s) =>
    (s.history ?? []).map((h) => ({
      id: randomUUID(),
      studentId: studentId(s.examNo),
      juniorSchoolId: h.juniorSchoolId,
      from: date(h.from),
      to: h.to === null ? null : date(h.to),
    })),
  );
  const applications = perStudent.map((s) => ({
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
  const users: Prisma.UserCreateManyInput[] = (pool ? city.accounts.filter((a) => a.studentId === undefined) : city.accounts).map((a) => ({
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
        after: { seed: city.seed, year: city.year, students: city.students.length, accounts: city.accounts.length },
      });
    },
    { timeout: 300_000, maxWait: 10_000 },
  );
  const studentUsers = pool ? await copyDemoStudents(pool, city, { cycleId, studentId, passwordHash, now }) : 0;

  return {
    cycleId,
    students: pool ? city.students.length : students.length,
    users: users.length + studentUsers,
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

/** COPY text format of one value: null as \N; dates as ISO text; objects as JSON; backslash, tab, newline and return escaped. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t')) : text;
}

const COPY_ROWS_PER_CHUNK = 2_000;

/** COPY of rows made one at a time by `rowsOf` (one array of values per row, in the order of `columns`). */
async function copyTable<T>(client: PoolClient, table: string, columns: readonly string[], items: readonly T[], rowsOf: (item: T) => unknown[][]): Promise<number> {
  let count = 0;
  function* chunks(): Generator<string> {
    for (let i = 0; i < items.length; i += COPY_ROWS_PER_CHUNK) {
      let text = '';
      for (let k = i; k < Math.min(items.length, i + COPY_ROWS_PER_CHUNK); k++) {
        for (const row of rowsOf(items[k])) {
          text += row.map(copyValue).join('\t') + '\n';
          count++;
        }
      }
      yield text;
    }
  }
  const sink = client.query(copyFrom(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks(), { objectMode: false }), sink);
  return count;
}

/**
 * The per-student rows of the city with COPY, in one transaction of their own
 * (see DemoLoadOptions.copyStudents); the same values loadDemoCity writes otherwise.
 * Returns the number of student accounts written.
 */
async function copyDemoStudents(
  pool: Pool,
  city: DemoCity,
  ctx: { cycleId: string; studentId: (examNo: string) => string; passwordHash: string; now: Date },
): Promise<number> {
  const { cycleId, studentId, passwordHash, now } = ctx;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await copyTable(
      client,
      'Student',
      ['id', 'cycleId', 'examNo', 'name', 'idCardNo', 'gender', 'birthDate', 'juniorSchoolId', 'regionCode', 'scores', 'total', 'evaluation', 'quotaEligible', 'enrolledSince', 'createdAt'],
      city.students,
      (s) => [[studentId(s.examNo), cycleId, s.examNo, s.name, s.idCardNo, s.gender, s.birthDate, s.juniorSchoolId, s.regionCode, s.scores, s.total, s.evaluation, s.quotaEligible, s.enrolledSince, now]],
    );
    await copyTable(client, 'StudentJuniorHistory', ['id', 'studentId', 'juniorSchoolId', 'from', 'to'], city.students, (s) =>
      (s.history ?? []).map((h) => [randomUUID(), studentId(s.examNo), h.juniorSchoolId, h.from, h.to]),
    );
    // The application's id is derived from the student's row id, so its version can name it without a map.
    const applicationId = (examNo: string) => `a-${studentId(examNo)}`;
    await copyTable(client, 'Application', ['id', 'studentId', 'cycleId', 'kind', 'version', 'status', 'choices', 'submittedAt', 'updatedAt'], city.students, (s) => [
      [applicationId(s.examNo), studentId(s.examNo), cycleId, 'main', 1, 'submitted', s.choices, now, now],
    ]);
    await copyTable(client, 'ApplicationVersion', ['id', 'applicationId', 'version', 'choices', 'savedAt'], city.students, (s) => [
      [randomUUID(), applicationId(s.examNo), 1, s.choices, now],
    ]);
    const accounts = city.accounts.filter((a) => a.studentId !== undefined);
    await copyTable(client, 'User', ['id', 'username', 'passwordHash', 'role', 'displayName', 'studentId', 'regionCode', 'createdAt'], accounts, (a) => [
      [randomUUID(), a.username, passwordHash, a.role, a.displayName, studentId(a.studentId!), a.regionCode ?? null, now],
    ]);
    await client.query('COMMIT');
    return accounts.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
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
