/**
 * A small admissions city for the student portal's tests: one active cycle
 * (made the current one), a schedule of 10-day phases from `start`, two
 * regions, a junior school with quota seats, five high schools covering each
 * eligibility rule, and two students with accounts (username = 准考证号).
 */
import type { Prisma, PrismaClient } from '../../server/db';
import { PHASES, scheduleFrom, type Phase } from '../../server/domain/schedule/schedule';
import { createHighSchool, createJuniorSchool, createRegion, createStudent, createUser, uniqueSuffix } from './factories';

const DAY = 86_400_000;

export async function createStudentWorld(prisma: PrismaClient, options: { start?: Date; policy?: Prisma.InputJsonValue } = {}) {
  const start = options.start ?? new Date('2030-05-01T00:00:00Z');
  // The newest active cycle is the current one: take a year above every other.
  const newest = await prisma.cycle.aggregate({ _max: { year: true } });
  const year = Math.max(newest._max.year ?? 0, 2_000_000_000) + 1;
  const cycle = await prisma.cycle.create({
    data: { year, name: `测试年度 ${year}`, seed: uniqueSuffix(), status: 'active', policy: options.policy ?? { maxChoicesPerBatch: { '1': 3, '2': 2, '3': 1 } } },
  });
  const windows = scheduleFrom(start, Object.fromEntries(PHASES.map((p) => [p, 10])) as Record<Phase, number>);
  await prisma.cyclePhase.createMany({ data: windows.map((w) => ({ cycleId: cycle.id, ...w })) });

  const home = await createRegion(prisma, { name: '荷塘区', nameEn: 'Hetang' });
  const other = await createRegion(prisma, { name: '醴陵市', nameEn: 'Liling' });
  const junior = await createJuniorSchool(prisma, { regionCode: home.code, name: '荷塘实验中学' });

  const school = async (name: string, plan: Partial<Prisma.HighSchoolPlanUncheckedCreateInput>, over: Partial<Prisma.HighSchoolUncheckedCreateInput> = {}) => {
    const h = await createHighSchool(prisma, { regionCode: home.code, name, ...over });
    await prisma.highSchoolPlan.create({
      data: { cycleId: cycle.id, highSchoolId: h.id, capacity: 110, classes: 2, batch: 1, status: 'approved', ...plan },
    });
    return h;
  };
  const first = await school('株洲市第一中学', { batch: 1, minScore: 500, previousCutoff: 612.5, capacity: 550, classes: 10 }, { quality: true });
  const second = await school('株洲市第二中学', { batch: 1, capacity: 1, classes: 1, previousCutoff: 580 });
  const liling = await school('醴陵私立中学', { batch: 2 }, { regionCode: other.code, ownership: 'private', scope: 'region' });
  const strict = await school('株洲市南方中学', { batch: 2, minScore: 700 });
  const vocational = await school('荷塘职业中专', { batch: 3 }, { ownership: 'private', scope: 'region' });
  await prisma.highSchoolPlan.create({
    data: { cycleId: cycle.id, highSchoolId: (await createHighSchool(prisma, { regionCode: home.code, name: '未批准计划中学' })).id, capacity: 50, classes: 1, batch: 1, status: 'draft' },
  });
  await prisma.quotaAllocation.create({ data: { cycleId: cycle.id, highSchoolId: first.id, juniorSchoolId: junior.id, seats: 3 } });

  const student = await createStudent(prisma, {
    cycleId: cycle.id,
    juniorSchoolId: junior.id,
    total: 600,
    evaluation: 'B',
    scores: { chinese: 110, math: 120, english: 115 },
  });
  const student2 = await createStudent(prisma, { cycleId: cycle.id, juniorSchoolId: junior.id, total: 520, evaluation: 'C' });
  const account = await createUser(prisma, { role: 'student', username: student.examNo, studentId: student.id, displayName: student.name });
  const account2 = await createUser(prisma, { role: 'student', username: student2.examNo, studentId: student2.id, displayName: student2.name });

  /** A moment in the middle of a phase. */
  const during = (phase: Phase) => new Date(windows.find((w) => w.phase === phase)!.opensAt.getTime() + 5 * DAY);

  return { cycle, windows, during, regions: { home, other }, junior, schools: { first, second, liling, strict, vocational }, student, student2, account, account2 };
}

export type StudentWorld = Awaited<ReturnType<typeof createStudentWorld>>;

/** A published main round placing `placed` at a school (open seat), with the engine's explanation and cutoffs. */
export async function publishRound(prisma: PrismaClient, world: StudentWorld, props: { at: Date }) {
  const { schools, student, student2 } = world;
  const round = await prisma.round.create({
    data: {
      cycleId: world.cycle.id,
      kind: 'main',
      policy: {},
      seed: world.cycle.seed,
      status: 'published',
      progress: 100,
      createdBy: 'test',
      publishedAt: props.at,
      result: {
        format: 'zz-admissions/allocation-result@1',
        assignments: { [student.examNo]: { school: schools.second.id, seat: 'open', batch: 1 } },
        unassigned: [student2.examNo],
        schools: {
          [schools.first.id]: {
            capacity: 550,
            admitted: 550,
            open: 547,
            quota: 3,
            reverted: 0,
            cutoffs: { open: { student: 'X1', total: 615.5, tieBreak: [], rank: 547 }, quota: { [world.junior.id]: { student: 'X2', total: 603, tieBreak: [], rank: 700 } } },
          },
          [schools.second.id]: { capacity: 1, admitted: 1, open: 1, quota: 0, reverted: 0 },
        },
      },
    },
  });
  await prisma.roundAssignment.createMany({
    data: [
      {
        roundId: round.id,
        studentId: student.id,
        highSchoolId: schools.second.id,
        seat: 'open',
        batch: 1,
        explanation: [{ school: schools.first.id, batch: 1, reasons: ['openFull', 'quotaFull'] }],
      },
      {
        roundId: round.id,
        studentId: student2.id,
        highSchoolId: null,
        seat: null,
        batch: null,
        explanation: [{ school: schools.first.id, batch: 1, reasons: ['openFull', 'quotaFull'] }, { school: schools.strict.id, batch: 2, reasons: ['belowMinScore'] }],
      },
    ],
  });
  return round;
}
