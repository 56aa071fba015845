import type { PrismaClient } from '../../server/db';
import { createHighSchool, createJuniorSchool, createRegion, createStudent, uniqueSuffix } from './factories';

/**
 * A small city for the oversight tests (issue 7): a city region and a county,
 * three high schools (a quality public city school, a county school, a
 * private region-scope city school), three junior schools, 20 students per
 * region and a published round. With `irregular`, four events happen: the
 * city school registers a county student admitted elsewhere, the private
 * school registers a county student, a 学籍 moved after the cut-off to a
 * junior school with more quota seats. (The complaint is filed by the test.)
 */
export interface City {
  cycleId: string;
  regions: { city: string; county: string };
  schools: { cityPublic: string; countyPublic: string; cityPrivate: string };
  juniors: { city: string; county: string; countySmall: string };
  /** Students by label: c0..c19 (city), k0..k19 (county), totals 700 down by 5. */
  students: Record<string, { id: string; examNo: string; idCardNo: string }>;
}

export async function seedCity(prisma: PrismaClient, opts: { irregular: boolean; active?: boolean }): Promise<City> {
  const city = await createRegion(prisma);
  const county = await createRegion(prisma, { rural: true });
  // The active one must be the current cycle (the newest active): take a year above every other.
  const newest = (await prisma.cycle.aggregate({ _max: { year: true } }))._max.year ?? 0;
  const year = opts.active ? Math.max(newest, 2_000_000_000) + 1 : 1_100_000_000 + Math.floor(Math.random() * 800_000_000);
  const cycle = await prisma.cycle.create({
    data: { year, name: `监测年度 ${year}`, seed: uniqueSuffix(), policy: { quotaEligibilityCutoff: '2023-09-30' }, status: opts.active ? 'active' : 'draft' },
  });
  const cityPublic = await createHighSchool(prisma, { regionCode: city.code, ownership: 'public', scope: 'city', quality: true, name: `株洲市一中${uniqueSuffix()}` });
  const countyPublic = await createHighSchool(prisma, { regionCode: county.code, ownership: 'public', scope: 'city' });
  const cityPrivate = await createHighSchool(prisma, { regionCode: city.code, ownership: 'private', scope: 'region', name: `民办英才${uniqueSuffix()}` });
  const jCity = await createJuniorSchool(prisma, { regionCode: city.code });
  const jCounty = await createJuniorSchool(prisma, { regionCode: county.code });
  const jCountySmall = await createJuniorSchool(prisma, { regionCode: county.code });
  await prisma.highSchoolPlan.createMany({
    data: [
      { cycleId: cycle.id, highSchoolId: cityPublic.id, capacity: 560, classes: 10, batch: 1, status: 'approved' },
      { cycleId: cycle.id, highSchoolId: countyPublic.id, capacity: 500, classes: 10, batch: 1, status: 'approved' },
      { cycleId: cycle.id, highSchoolId: cityPrivate.id, capacity: 200, classes: 4, batch: 1, status: 'approved' },
    ],
  });
  // The county junior school holds more quota seats at the city school than the small one.
  await prisma.quotaAllocation.createMany({
    data: [
      { cycleId: cycle.id, highSchoolId: cityPublic.id, juniorSchoolId: jCounty.id, seats: 10 },
      { cycleId: cycle.id, highSchoolId: cityPublic.id, juniorSchoolId: jCountySmall.id, seats: 2 },
      { cycleId: cycle.id, highSchoolId: cityPublic.id, juniorSchoolId: jCity.id, seats: 100 },
    ],
  });

  const students: City['students'] = {};
  for (const [prefix, junior] of [['c', jCity], ['k', jCounty]] as const) {
    for (let i = 0; i < 20; i++) {
      const s = await createStudent(prisma, { cycleId: cycle.id, juniorSchoolId: junior.id, total: 700 - i * 5, enrolledSince: new Date('2023-09-01') });
      students[`${prefix}${i}`] = { id: s.id, examNo: s.examNo, idCardNo: s.idCardNo };
    }
  }
  // 学籍 history: everyone at their school since the first year; in the clean cycle k3 moved before the cut-off.
  const k3Moved = opts.irregular ? new Date('2025-03-01') : new Date('2023-09-15');
  await prisma.studentJuniorHistory.createMany({
    data: Object.entries(students).flatMap(([label, s]) =>
      label === 'k3'
        ? [
            { studentId: s.id, juniorSchoolId: jCountySmall.id, from: new Date('2023-09-01'), to: k3Moved },
            { studentId: s.id, juniorSchoolId: jCounty.id, from: k3Moved, to: null },
          ]
        : [{ studentId: s.id, juniorSchoolId: label.startsWith('c') ? jCity.id : jCounty.id, from: new Date('2023-09-01'), to: null }],
    ),
  });

  const round = await prisma.round.create({
    data: { cycleId: cycle.id, kind: 'main', policy: {}, seed: 'seed', status: 'published', publishedAt: new Date('2026-07-10'), createdBy: 'test' },
  });
  const placed: [string, string, 'open' | 'quota'][] = [
    ['c0', cityPublic.id, 'open'],
    ['c1', cityPublic.id, 'open'],
    ['k0', countyPublic.id, 'open'],
    ['k1', cityPublic.id, 'quota'],
    ['k2', countyPublic.id, 'open'],
    ['c5', cityPrivate.id, 'open'],
  ];
  await prisma.roundAssignment.createMany({
    data: placed.map(([label, highSchoolId, seat]) => ({ roundId: round.id, studentId: students[label].id, highSchoolId, seat, batch: 1 })),
  });
  await prisma.confirmation.createMany({ data: placed.map(([label]) => ({ roundId: round.id, studentId: students[label].id, decision: 'confirmed' as const })) });
  const registrations = placed.map(([label, highSchoolId]) => ({ label, highSchoolId }));
  if (opts.irregular) {
    registrations.push({ label: 'k0', highSchoolId: cityPublic.id }, { label: 'k7', highSchoolId: cityPrivate.id });
  }
  await prisma.enrollmentRegistration.createMany({
    data: registrations.map(({ label, highSchoolId }) => ({
      cycleId: cycle.id,
      highSchoolId,
      examNo: students[label].examNo,
      studentId: students[label].id,
      source: 'manual' as const,
      accepted: true,
      registeredAt: new Date('2026-08-25'),
    })),
  });
  return {
    cycleId: cycle.id,
    regions: { city: city.code, county: county.code },
    schools: { cityPublic: cityPublic.id, countyPublic: countyPublic.id, cityPrivate: cityPrivate.id },
    juniors: { city: jCity.id, county: jCounty.id, countySmall: jCountySmall.id },
    students,
  };
}

