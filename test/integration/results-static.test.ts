/**
 * Results night (issue 14): each student's result is written once at
 * publication, and GET /api/student/result serves that stored view with an
 * ETag (304 when unchanged). Through HTTP on a seeded city with the worker
 * in-process: the served body equals the one built from the rounds, a hand
 * edit of the assignment row does not reach the reader (the view is what is
 * read), an answer changes the ETag and the body, 补录's publication rewrites
 * the views it touches, and another cycle's views are left alone.
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
let other: RoundCity;
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

async function studentToken(studentId: string) {
  const user = await createUser(server.prisma, { role: 'student', studentId });
  return api.login(user.username, user.password);
}

const result = (token: string, headers?: Record<string, string>) => api.get('/api/student/result', { token, headers });

/** Round 1 of a city run and published through the API. */
async function publishRoundOne(c: RoundCity) {
  clock.set(c.at('applications_closed'));
  const main = await startRound({ kind: 'main', name: '第一轮' });
  expect(main.status).toBe('succeeded');
  clock.set(c.at('round1'));
  await publish(main.id);
  return main.id as string;
}

const viewsOf = (cycleId: string) =>
  server.prisma.studentResultView.findMany({ where: { cycleId }, orderBy: { studentId: 'asc' }, select: { studentId: true, version: true, writtenAt: true } });

beforeAll(async () => {
  server = await startTestServer({ worker: true, clock, env: { JWT_TTL: '30d' } });
  api = apiClient(server.url);
  const bureau = await createUser(server.prisma, { role: 'bureau' });
  bureauToken = await api.login(bureau.username, bureau.password);
  // Another year, published first; seeding the second archives it.
  other = await seedRoundCity(server.prisma, { students: 120, seed: 'results-static-other' });
  await publishRoundOne(other);
  city = await seedRoundCity(server.prisma, { students: 300, seed: 'rounds-integration' });
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: { in: [city?.cycleId, other?.cycleId].filter(Boolean) as string[] } }, data: { status: 'archived' } });
  await server?.stop();
});

describe('results served like static content', () => {
  const who = {} as Record<'placed' | 'unplaced' | 'absent', { studentId: string; token: string; school: string | null }>;
  let mainRoundId: string;
  let otherViews: Awaited<ReturnType<typeof viewsOf>>;

  it('writes every student view with the publication, and serves the same body as the rounds give', async () => {
    otherViews = await viewsOf(other.cycleId);
    expect(otherViews).toHaveLength(120);

    // One student does not apply: no row in round 1, still a published result.
    const absentId = city.studentIds.get(city.examNos[0])!;
    await server.prisma.application.deleteMany({ where: { studentId: absentId } });
    expect(await viewsOf(city.cycleId)).toHaveLength(0); // nothing before publication
    mainRoundId = await publishRoundOne(city);
    expect(await viewsOf(city.cycleId)).toHaveLength(300);

    const rows = await server.prisma.roundAssignment.findMany({ where: { roundId: mainRoundId }, orderBy: { studentId: 'asc' } });
    expect(rows.some((r) => r.studentId === absentId)).toBe(false);
    const placed = rows.find((r) => r.highSchoolId !== null && Array.isArray(r.explanation) && r.explanation.length > 0) ?? rows.find((r) => r.highSchoolId)!;
    const unplaced = rows.find((r) => r.highSchoolId === null)!;
    for (const [key, row] of Object.entries({ placed, unplaced, absent: { studentId: absentId, highSchoolId: null } })) {
      who[key as keyof typeof who] = { studentId: row.studentId, token: await studentToken(row.studentId), school: row.highSchoolId };
    }

    const served: Record<string, { etag: string | null; body: unknown }> = {};
    for (const [key, s] of Object.entries(who)) {
      for (const lang of ['zh-CN', 'en']) {
        const res = await result(s.token, { 'accept-language': lang });
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('private, no-cache');
        expect(res.headers.get('etag')).toMatch(/^W\/"r-/);
        served[`${key}:${lang}`] = { etag: res.headers.get('etag'), body: res.body };
      }
      expect(served[`${key}:zh-CN`].etag).not.toBe(served[`${key}:en`].etag);
    }
    expect(served['placed:zh-CN'].body).toMatchObject({ published: true, placed: true, school: { id: who.placed.school }, confirmation: null });
    expect(served['unplaced:en'].body).toMatchObject({ published: true, placed: false, school: null });
    expect(served['absent:en'].body).toMatchObject({ published: true, placed: false, explanations: [] });

    // Without the stored views the result is built from the rounds: the same bodies, key for key.
    const stored = await server.prisma.studentResultView.findMany({ where: { studentId: { in: Object.values(who).map((s) => s.studentId) } } });
    await server.prisma.studentResultView.deleteMany({ where: { studentId: { in: stored.map((s) => s.studentId) } } });
    for (const [key, s] of Object.entries(who)) {
      for (const lang of ['zh-CN', 'en']) {
        const built = await result(s.token, { 'accept-language': lang });
        expect(built.status).toBe(200);
        expect(JSON.stringify(built.body)).toBe(JSON.stringify(served[`${key}:${lang}`].body));
        expect(built.headers.get('etag')).not.toMatch(/^W\/"r-/);
      }
    }
    await server.prisma.studentResultView.createMany({ data: stored.map((s) => ({ ...s, view: s.view as object })) });
  });

  it('reads the stored view, not the assignment rows', async () => {
    const elsewhere = city.highSchoolIds.find((id) => id !== who.placed.school)!;
    await server.prisma.roundAssignment.update({ where: { roundId_studentId: { roundId: mainRoundId, studentId: who.placed.studentId } }, data: { highSchoolId: elsewhere } });
    try {
      const res = await result(who.placed.token);
      expect(res.body.school.id).toBe(who.placed.school);
    } finally {
      await server.prisma.roundAssignment.update({ where: { roundId_studentId: { roundId: mainRoundId, studentId: who.placed.studentId } }, data: { highSchoolId: who.placed.school } });
    }
  });

  it('answers 304 to a matching If-None-Match, and an answer changes the ETag and the body', async () => {
    clock.set(city.at('confirmation'));
    const first = await result(who.placed.token);
    const etag = first.headers.get('etag')!;
    expect(first.body).toMatchObject({ canConfirm: true, confirmation: null, next: 'confirm' });
    const again = await result(who.placed.token, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    expect((await result(who.placed.token, { 'if-none-match': 'W/"r-other"' })).status).toBe(200);

    const answer = await api.post(`/api/rounds/${mainRoundId}/confirmations`, { decision: 'declined' }, { token: who.placed.token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const after = await result(who.placed.token, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.body).toMatchObject({ canConfirm: false, confirmation: { decision: 'declined' }, seatStatus: 'givenUp' });
    expect((await result(who.placed.token, { 'if-none-match': after.headers.get('etag')! })).status).toBe(304);
  });

  it('rewrites the views with the publication of 补录, and leaves another cycle alone', async () => {
    clock.set(city.at('supplementary'));
    const before = new Map((await viewsOf(city.cycleId)).map((v) => [v.studentId, v.version]));
    const unplacedBefore = await result(who.unplaced.token);
    expect(unplacedBefore.body.supplementary).toBeNull();

    // The unplaced student applies to a school with seats left, opened to everyone.
    const seats = await api.get('/api/rounds/supplementary/seats', { token: bureauToken });
    expect(seats.status).toBe(200);
    const school = (seats.body.schools as { school: string; seatsLeft: number }[]).find((s) => s.seatsLeft > 0)!.school;
    await server.prisma.highSchool.update({ where: { id: school }, data: { scope: 'city' } });
    await server.prisma.cycleHighSchool.updateMany({ where: { cycleId: city.cycleId, id: school }, data: { scope: 'city' } });
    await server.prisma.highSchoolPlan.updateMany({ where: { cycleId: city.cycleId, highSchoolId: school }, data: { minScore: null, minEvaluation: null } });
    const plan = await server.prisma.highSchoolPlan.findFirstOrThrow({ where: { cycleId: city.cycleId, highSchoolId: school } });
    const applied = await api.put('/api/student/application', { kind: 'supplementary', baseVersion: 0, choices: { [plan.batch]: [school] } }, { token: who.unplaced.token });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    // Applying changes what the page says next: a new ETag, though the view is the same.
    const waiting = await result(who.unplaced.token, { 'if-none-match': unplacedBefore.headers.get('etag')! });
    expect(waiting.status).toBe(200);
    expect(waiting.body.next).toBe('waitForSupplementaryResult');

    const supplementary = await startRound({ kind: 'supplementary', name: '补录' });
    expect(supplementary.status).toBe('succeeded');
    await publish(supplementary.id);

    const after = await viewsOf(city.cycleId);
    expect(after).toHaveLength(300);
    const changed = after.filter((v) => v.version !== before.get(v.studentId)).map((v) => v.studentId);
    expect(changed).toContain(who.unplaced.studentId);
    const admitted = await result(who.unplaced.token, { 'if-none-match': waiting.headers.get('etag')! });
    expect(admitted.status).toBe(200);
    expect(admitted.body).toMatchObject({
      placed: false,
      next: 'supplementaryAdmitted',
      supplementary: { placed: true, school: { id: school }, round: { id: supplementary.id, kind: 'supplementary' } },
      holds: { school: { id: school }, round: 'supplementary' },
    });
    const stored = await server.prisma.studentResultView.findUniqueOrThrow({ where: { studentId: who.unplaced.studentId } });
    expect(stored).toMatchObject({ mainRoundId, supplementaryRoundId: supplementary.id });

    // The other year's views were written once, with its own publication, and never since.
    expect(await viewsOf(other.cycleId)).toEqual(otherViews);
  });
});
