/**
 * Each high school's admission-list summary is written once at publication
 * (issue 14): the publishing transaction stores every school's summary
 * (counts by seat type and round, answers, registrations, round 1's cutoffs),
 * and GET /api/high-schools/:id/admissions reads its cutoffs from there
 * instead of the round's result. Through HTTP on a seeded city with the
 * worker in-process: after round 1 and after 补录 the stored summary equals
 * the one computed from the round's result (the read without a stored row),
 * school by school; answers move the counts of the list, not the stored
 * cutoffs; a row of another publication is not used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { createUser } from '../support/factories';
import { apiClient } from '../support/http';
import { seedRoundCity, type RoundCity } from '../support/rounds-city';
import { startTestServer, type TestServer } from '../support/server';

const clock = createTestClock('2030-06-01T00:00:00Z');
let server: TestServer;
let api: ReturnType<typeof apiClient>;
let bureauToken: string;
let city: RoundCity;

async function startRound(body: unknown) {
  const res = await api.post('/api/rounds', body, { token: bureauToken });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  for (let i = 0; i < 300; i++) {
    const round = await api.get(`/api/rounds/${res.body.id}`, { token: bureauToken });
    if (['succeeded', 'failed', 'published'].includes(round.body.status)) return round.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('round did not finish');
}

async function publish(roundId: string) {
  const res = await api.post(`/api/rounds/${roundId}/publish`, undefined, { token: bureauToken });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const storedOf = (cycleId: string) =>
  server.prisma.schoolListSummary.findMany({ where: { cycleId }, orderBy: { highSchoolId: 'asc' } });

async function listSummary(highSchoolId: string) {
  const res = await api.get(`/api/high-schools/${highSchoolId}/admissions?limit=1`, { token: bureauToken });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.summary;
}

/**
 * Every school's summary as the list answers it with the stored rows, and as
 * computed from the round's result with the stored rows taken away (then put back).
 */
async function servedAndComputed(cycleId: string) {
  const stored = await storedOf(cycleId);
  const served = new Map<string, unknown>();
  for (const row of stored) served.set(row.highSchoolId, await listSummary(row.highSchoolId));
  await server.prisma.schoolListSummary.deleteMany({ where: { cycleId } });
  const computed = new Map<string, unknown>();
  try {
    for (const row of stored) computed.set(row.highSchoolId, await listSummary(row.highSchoolId));
  } finally {
    await server.prisma.schoolListSummary.createMany({ data: stored.map((row) => ({ ...row, summary: row.summary as object })) });
  }
  return { stored, served, computed };
}

beforeAll(async () => {
  server = await startTestServer({ worker: true, clock, env: { JWT_TTL: '30d' } });
  api = apiClient(server.url);
  const bureau = await createUser(server.prisma, { role: 'bureau' });
  bureauToken = await api.login(bureau.username, bureau.password);
  city = await seedRoundCity(server.prisma, { students: 300, seed: 'school-list-summary' });
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: city?.cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

describe("each school's list summary, written at publication", () => {
  let mainRoundId: string;

  it('is written for every school with round 1, and equals the one computed from the round', async () => {
    clock.set(city.at('applications_closed'));
    const main = await startRound({ kind: 'main', name: '第一轮' });
    expect(main.status).toBe('succeeded');
    mainRoundId = main.id;
    expect(await storedOf(city.cycleId)).toHaveLength(0); // nothing before publication
    clock.set(city.at('round1'));
    await publish(main.id);

    const { stored, served, computed } = await servedAndComputed(city.cycleId);
    expect(stored.length).toBeGreaterThan(0);
    // Every school with a seat taken in round 1 has its row.
    const placedAt = await server.prisma.roundAssignment.findMany({ where: { roundId: mainRoundId, highSchoolId: { not: null } }, distinct: ['highSchoolId'], select: { highSchoolId: true } });
    expect(stored.map((s) => s.highSchoolId)).toEqual(expect.arrayContaining(placedAt.map((p) => p.highSchoolId!)));
    let withQuotaCutoffs = 0;
    for (const row of stored) {
      expect(row).toMatchObject({ mainRoundId, supplementaryRoundId: null });
      // Nothing has moved since publication: the stored summary is the list's, key for key.
      expect(served.get(row.highSchoolId)).toEqual(row.summary);
      expect(computed.get(row.highSchoolId)).toEqual(row.summary);
      const summary = row.summary as { total: number; cutoffs: { admitted: number; quota: unknown[] } };
      expect(summary.cutoffs.admitted).toBe(summary.total);
      if (summary.cutoffs.quota.length > 0) withQuotaCutoffs++;
    }
    // The city has quota seats: some school's cutoffs name junior schools.
    expect(withQuotaCutoffs).toBeGreaterThan(0);
    const admitted = stored.reduce((n, row) => n + (row.summary as { total: number }).total, 0);
    expect(admitted).toBe(await server.prisma.roundAssignment.count({ where: { roundId: mainRoundId, highSchoolId: { not: null } } }));
  });

  it('answers move the counts of the list, the stored cutoffs stay', async () => {
    clock.set(city.at('confirmation'));
    const placed = await server.prisma.roundAssignment.findMany({ where: { roundId: mainRoundId, highSchoolId: { not: null } }, orderBy: { studentId: 'asc' }, take: 2 });
    for (const [i, row] of placed.entries()) {
      const user = await createUser(server.prisma, { role: 'student', studentId: row.studentId });
      const token = await api.login(user.username, user.password);
      const answer = await api.post(`/api/rounds/${mainRoundId}/confirmations`, { decision: i === 0 ? 'declined' : 'confirmed' }, { token });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
    const school = placed[0].highSchoolId!;
    const row = await server.prisma.schoolListSummary.findUniqueOrThrow({ where: { cycleId_highSchoolId: { cycleId: city.cycleId, highSchoolId: school } } });
    const atPublication = row.summary as { declined: number; total: number; cutoffs: Record<string, unknown> };
    const now = await listSummary(school);
    expect(now.declined).toBe(atPublication.declined + 1);
    const { capacity, open, reverted, quota } = atPublication.cutoffs;
    expect(now.cutoffs).toMatchObject({ capacity, open, reverted, quota });
    // And still what the round's result gives.
    const { computed } = await servedAndComputed(city.cycleId);
    expect(computed.get(school)).toEqual(now);
  });

  it('is rewritten with 补录, and equals the one computed from the rounds', async () => {
    clock.set(city.at('supplementary'));
    // An unplaced student applies to a school with seats left, opened to everyone.
    const seats = await api.get('/api/rounds/supplementary/seats', { token: bureauToken });
    expect(seats.status).toBe(200);
    const school = (seats.body.schools as { school: string; seatsLeft: number }[]).find((s) => s.seatsLeft > 0)!.school;
    await server.prisma.highSchool.update({ where: { id: school }, data: { scope: 'city' } });
    await server.prisma.cycleHighSchool.updateMany({ where: { cycleId: city.cycleId, id: school }, data: { scope: 'city' } });
    await server.prisma.highSchoolPlan.updateMany({ where: { cycleId: city.cycleId, highSchoolId: school }, data: { minScore: null, minEvaluation: null } });
    const plan = await server.prisma.highSchoolPlan.findFirstOrThrow({ where: { cycleId: city.cycleId, highSchoolId: school } });
    const unplaced = await server.prisma.roundAssignment.findFirstOrThrow({ where: { roundId: mainRoundId, highSchoolId: null } });
    const user = await createUser(server.prisma, { role: 'student', studentId: unplaced.studentId });
    const token = await api.login(user.username, user.password);
    const applied = await api.put('/api/student/application', { kind: 'supplementary', baseVersion: 0, choices: { [plan.batch]: [school] } }, { token });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);

    const supplementary = await startRound({ kind: 'supplementary', name: '补录' });
    expect(supplementary.status).toBe('succeeded');
    await publish(supplementary.id);

    const { stored, served, computed } = await servedAndComputed(city.cycleId);
    expect(stored.length).toBeGreaterThan(0);
    for (const row of stored) {
      expect(row).toMatchObject({ mainRoundId, supplementaryRoundId: supplementary.id });
      expect(served.get(row.highSchoolId)).toEqual(row.summary);
      expect(computed.get(row.highSchoolId)).toEqual(row.summary);
    }
    const at = stored.find((row) => row.highSchoolId === school)!.summary as { supplementary: number };
    expect(at.supplementary).toBeGreaterThanOrEqual(1);
  });

  it('a stored row of another publication is not read', async () => {
    const [row] = await storedOf(city.cycleId);
    const before = await listSummary(row.highSchoolId);
    const wrong = { ...(row.summary as { cutoffs: object }), cutoffs: { ...(row.summary as { cutoffs: object }).cutoffs, capacity: 99_999 } };
    await server.prisma.schoolListSummary.update({
      where: { cycleId_highSchoolId: { cycleId: city.cycleId, highSchoolId: row.highSchoolId } },
      data: { supplementaryRoundId: null, summary: wrong },
    });
    try {
      expect(await listSummary(row.highSchoolId)).toEqual(before);
    } finally {
      await server.prisma.schoolListSummary.update({
        where: { cycleId_highSchoolId: { cycleId: city.cycleId, highSchoolId: row.highSchoolId } },
        data: { supplementaryRoundId: row.supplementaryRoundId, summary: row.summary as object },
      });
    }
  });
});
