import type { PrismaClient } from '../../server/db';
import { scheduleFrom, type Phase, PHASES } from '../../server/domain/schedule/schedule';
import { createAccount, createCycle, createHighSchool, createJuniorSchool, createRegion, createStudent, createUser } from './factories';

/**
 * A small published city for the school-portal tests (issue 6): one active
 * cycle whose schedule the test clock moves through, two high schools and two
 * junior schools with an account each, students placed by a published round
 * (seeded directly, as the rounds pipeline would store it), confirmations,
 * applications and quota seats.
 */
export async function seedSchoolPortalCity(prisma: PrismaClient, options: { start?: Date } = {}) {
  const start = options.start ?? new Date('2031-03-01T00:00:00Z');
  const windows = scheduleFrom(start, Object.fromEntries(PHASES.map((p) => [p, 10])) as Record<Phase, number>);
  // The newest active cycle is the current one: make this one the newest.
  const newest = await prisma.cycle.aggregate({ _max: { year: true } });
  const cycle = await createCycle(prisma, { year: (newest._max.year ?? 3000) + 1, status: 'active' });
  await prisma.cyclePhase.createMany({ data: windows.map((w) => ({ cycleId: cycle.id, ...w })) });

  const region = await createRegion(prisma);
  const otherRegion = await createRegion(prisma);
  const h1 = await createHighSchool(prisma, { regionCode: region.code, quality: true });
  const h2 = await createHighSchool(prisma, { regionCode: otherRegion.code });
  const j1 = await createJuniorSchool(prisma, { regionCode: region.code });
  const j2 = await createJuniorSchool(prisma, { regionCode: region.code });
  const j3 = await createJuniorSchool(prisma, { regionCode: otherRegion.code });

  const highUser = await createUser(prisma, { role: 'high', highSchoolId: h1.id, regionCode: region.code });
  const otherHighUser = await createUser(prisma, { role: 'high', highSchoolId: h2.id, regionCode: otherRegion.code });
  const juniorUser = await createUser(prisma, { role: 'junior', juniorSchoolId: j1.id, regionCode: region.code });
  const otherJuniorUser = await createUser(prisma, { role: 'junior', juniorSchoolId: j3.id, regionCode: otherRegion.code });
  const bureau = await createAccount(prisma, 'bureau');
  const otherCountyBureau = await createUser(prisma, { role: 'bureau', regionCode: otherRegion.code });

  const mk = (juniorSchoolId: string, name: string, total: number, scores: Record<string, number>) =>
    createStudent(prisma, { cycleId: cycle.id, juniorSchoolId, name, total, scores, idCardNo: `43020220090101${String(Math.floor(total)).padStart(4, '0')}` });
  const open = await mk(j1.id, '张晓明', 640, { chinese: 110, math: 115, english: 112 });
  const quota = await mk(j2.id, '李小红', 600, { chinese: 100, math: 105, english: 101 });
  const reverted = await mk(j1.id, '=HYPERLINK("http://evil.example","点我")', 590, { chinese: 98, math: 99, english: 97 });
  const elsewhere = await mk(j1.id, '王大力', 620, { chinese: 104, math: 108, english: 106 });
  const unplaced = await mk(j1.id, '赵一', 450, { chinese: 80, math: 70, english: 75 });
  const other = await mk(j3.id, '钱二', 610, { chinese: 100, math: 100, english: 100 });

  await prisma.highSchoolPlan.create({ data: { cycleId: cycle.id, highSchoolId: h1.id, capacity: 550, classes: 10, batch: 1, quotaPercent: 50, status: 'approved' } });
  await prisma.quotaAllocation.createMany({
    data: [
      { cycleId: cycle.id, highSchoolId: h1.id, juniorSchoolId: j1.id, seats: 3 },
      { cycleId: cycle.id, highSchoolId: h1.id, juniorSchoolId: j2.id, seats: 2 },
      { cycleId: cycle.id, highSchoolId: h2.id, juniorSchoolId: j1.id, seats: 1 },
    ],
  });
  await prisma.application.create({ data: { studentId: open.id, cycleId: cycle.id, status: 'frozen', version: 3, choices: { '1': [h1.id] } } });
  await prisma.application.create({ data: { studentId: elsewhere.id, cycleId: cycle.id, status: 'draft', choices: { '1': [h2.id] } } });

  const view = (s: { examNo: string; total: number }, rank: number) => ({ student: s.examNo, total: s.total, tieBreak: [], rank });
  const round = await prisma.round.create({
    data: {
      cycleId: cycle.id,
      kind: 'main',
      policy: {},
      seed: cycle.seed,
      status: 'published',
      progress: 100,
      createdBy: bureau.id,
      publishedAt: windows[4].opensAt,
      result: {
        format: 'zz-admissions/allocation-result@1',
        assignments: {},
        unassigned: [unplaced.examNo],
        schools: {
          [h1.id]: {
            capacity: 3,
            admitted: 3,
            open: 1,
            quota: 1,
            reverted: 1,
            lastAdmitted: reverted.examNo,
            quotaUsed: { [j2.id]: 1 },
            cutoffs: { open: view(open, 1), quota: { [j2.id]: view(quota, 4) }, reverted: view(reverted, 5) },
          },
          [h2.id]: { capacity: 2, admitted: 2, open: 1, quota: 1, reverted: 0, quotaUsed: { [j1.id]: 1 }, cutoffs: { open: view(other, 3) } },
        },
      },
    },
  });
  await prisma.roundAssignment.createMany({
    data: [
      { roundId: round.id, studentId: open.id, highSchoolId: h1.id, seat: 'open', batch: 1 },
      { roundId: round.id, studentId: quota.id, highSchoolId: h1.id, seat: 'quota', batch: 1 },
      { roundId: round.id, studentId: reverted.id, highSchoolId: h1.id, seat: 'reverted', batch: 1 },
      { roundId: round.id, studentId: elsewhere.id, highSchoolId: h2.id, seat: 'quota', batch: 1 },
      { roundId: round.id, studentId: other.id, highSchoolId: h2.id, seat: 'open', batch: 1 },
      { roundId: round.id, studentId: unplaced.id, highSchoolId: null, seat: null, batch: null },
    ],
  });
  await prisma.confirmation.create({ data: { roundId: round.id, studentId: open.id, decision: 'confirmed' } });
  await prisma.confirmation.create({ data: { roundId: round.id, studentId: quota.id, decision: 'declined' } });

  /** A moment inside a phase's window. */
  const during = (phase: Phase) => new Date(windows.find((w) => w.phase === phase)!.opensAt.getTime() + 3_600_000);

  return {
    cycle,
    windows,
    during,
    round,
    region,
    otherRegion,
    schools: { h1, h2, j1, j2, j3 },
    users: { highUser, otherHighUser, juniorUser, otherJuniorUser, bureau, otherCountyBureau },
    students: { open, quota, reverted, elsewhere, unplaced, other },
  };
}

export type SchoolPortalCity = Awaited<ReturnType<typeof seedSchoolPortalCity>>;
