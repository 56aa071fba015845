/**
 * A small demo city (generateCity) seeded as the ONE active cycle of the test
 * database, for the round tests. Every id gets a unique prefix, so several
 * cities (and other tests' data) live side by side; the schedule is one day
 * per phase from a fixed date, and `at(phase)` is the middle of a phase's
 * window, for a test clock (test/support/clock.ts).
 */
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../server/db';
import { generateCity, toQuotaInstance } from '../../server/demo/generate';
import { distributeQuotas } from '../../server/domain/quotas/distribute';
import { PHASES, type Phase } from '../../server/domain/schedule/schedule';

const DAY = 86_400_000;

export interface RoundCity {
  cycleId: string;
  prefix: string;
  seed: string;
  /** Student row ids by (prefixed) exam number. */
  studentIds: Map<string, string>;
  examNos: string[];
  highSchoolIds: string[];
  /** The middle of a phase's window. */
  at(phase: Phase): Date;
}

export async function seedRoundCity(
  prisma: PrismaClient,
  options: { students?: number; seed?: string; policy?: Record<string, unknown>; start?: Date } = {},
): Promise<RoundCity> {
  const prefix = `R${randomBytes(3).toString('hex')}`;
  const seed = options.seed ?? `rounds-${prefix}`;
  const city = generateCity({ seed, students: options.students ?? 300 });
  const quota = distributeQuotas(toQuotaInstance(city)).quota;
  const p = (id: string) => `${prefix}${id}`;
  const start = options.start ?? new Date('2030-06-01T00:00:00Z');

  // Only one cycle is current: retire the others (test files run one after another).
  await prisma.cycle.updateMany({ where: { status: 'active' }, data: { status: 'archived' } });
  const cycle = await prisma.cycle.create({
    data: {
      year: 100_000 + Math.floor(Math.random() * 1_000_000_000),
      name: `测试年度 ${prefix}`,
      seed,
      status: 'active',
      policy: {
        allocation: { quotaPrecedence: 'openFirst', unusedQuota: 'revert', tieBreak: ['chinese+math+english', 'math', 'chinese', 'evaluation'] },
        ...options.policy,
      },
      phases: {
        create: PHASES.map((phase, i) => ({
          phase,
          opensAt: new Date(start.getTime() + i * DAY),
          closesAt: new Date(start.getTime() + (i + 1) * DAY),
        })),
      },
    },
  });
  await prisma.region.createMany({ data: city.regions.map((r) => ({ code: p(r.code), name: r.name, nameEn: r.nameEn, adminCode: r.adminCode, rural: r.rural })) });
  await prisma.juniorSchool.createMany({
    data: city.juniorSchools.map((j) => ({ id: p(j.id), name: j.name, regionCode: p(j.regionCode), graduates: j.graduates, rural: j.rural, weightPercent: j.weightPercent })),
  });
  await prisma.highSchool.createMany({
    data: city.highSchools.map((h) => ({ id: p(h.id), name: h.name, regionCode: p(h.regionCode), ownership: h.ownership, scope: h.scope, quality: h.quality })),
  });
  // The year's own directory rows, as the imports and the demo loader write them.
  await prisma.cycleRegion.createMany({ data: city.regions.map((r) => ({ cycleId: cycle.id, code: p(r.code), name: r.name, nameEn: r.nameEn, adminCode: r.adminCode, rural: r.rural })) });
  await prisma.cycleJuniorSchool.createMany({
    data: city.juniorSchools.map((j) => ({ cycleId: cycle.id, id: p(j.id), name: j.name, regionCode: p(j.regionCode), graduates: j.graduates, rural: j.rural, weightPercent: j.weightPercent })),
  });
  await prisma.cycleHighSchool.createMany({
    data: city.highSchools.map((h) => ({ cycleId: cycle.id, id: p(h.id), name: h.name, regionCode: p(h.regionCode), ownership: h.ownership, scope: h.scope, quality: h.quality })),
  });
  await prisma.highSchoolPlan.createMany({
    data: city.highSchools.map((h) => ({
      cycleId: cycle.id,
      highSchoolId: p(h.id),
      capacity: h.capacity,
      classes: h.classes,
      batch: h.batch,
      minScore: h.minScore ?? null,
      minEvaluation: h.minEvaluation ?? null,
      quotaPercent: h.quotaPercent ?? null,
      quotaMinScore: h.quotaMinScore ?? null,
      quotaMinEvaluation: h.quotaMinEvaluation ?? null,
      minPerSchool: h.minPerSchool ?? 0,
      status: 'approved' as const,
    })),
  });
  await prisma.quotaAllocation.createMany({
    data: Object.entries(quota).flatMap(([h, byJunior]) =>
      Object.entries(byJunior).map(([j, seats]) => ({ cycleId: cycle.id, highSchoolId: p(h), juniorSchoolId: p(j), seats })),
    ),
  });
  const students = city.students.map((s) => ({
    id: `${prefix}-${s.examNo}`,
    cycleId: cycle.id,
    examNo: p(s.examNo),
    name: s.name,
    idCardNo: s.idCardNo,
    gender: s.gender,
    juniorSchoolId: p(s.juniorSchoolId),
    regionCode: p(s.regionCode),
    scores: s.scores,
    total: s.total,
    evaluation: s.evaluation,
    quotaEligible: s.quotaEligible,
    enrolledSince: new Date(`${s.enrolledSince}T00:00:00Z`),
  }));
  await prisma.student.createMany({ data: students });
  const savedAt = new Date(start.getTime() + PHASES.indexOf('applications_open') * DAY + DAY / 2);
  for (const s of city.students) {
    const choices = Object.fromEntries(Object.entries(s.choices).map(([batch, list]) => [batch, list.map(p)]));
    await prisma.application.create({
      data: {
        id: `${prefix}-app-${s.examNo}`,
        cycleId: cycle.id,
        studentId: `${prefix}-${s.examNo}`,
        kind: 'main',
        status: 'submitted',
        version: 1,
        choices,
        submittedAt: savedAt,
        versions: { create: { version: 1, choices, savedAt } },
      },
    });
  }
  return {
    cycleId: cycle.id,
    prefix,
    seed,
    studentIds: new Map(students.map((s) => [s.examNo, s.id])),
    examNos: students.map((s) => s.examNo),
    highSchoolIds: city.highSchools.map((h) => p(h.id)),
    at: (phase) => new Date(start.getTime() + PHASES.indexOf(phase) * DAY + DAY / 2),
  };
}
