/**
 * Every screen shows the year as it stands, after 补录 too (issue 13): on a
 * seeded 300-student city, round 1 is run, published and answered (one
 * confirms, two decline), 补录 is run and published, and then, in the
 * registration phase, the high school's list still shows round 1 (declines
 * marked) plus the 补录 rows labelled, the junior school and the dashboard
 * count both rounds, registration follows the seats held, and each student's
 * home and result pages give the same, right next step. All through HTTP,
 * with the worker in-process and a test clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { createUser } from '../support/factories';
import { apiClient } from '../support/http';
import { seedRoundCity, type RoundCity } from '../support/rounds-city';
import { startTestServer, type TestServer } from '../support/server';

const clock = createTestClock('2030-06-01T00:00:00Z');
let server: TestServer;
let city: RoundCity;
let api: ReturnType<typeof apiClient>;
let bureauToken: string;

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

async function tokenFor(overrides: Parameters<typeof createUser>[1]) {
  const user = await createUser(server.prisma, overrides);
  return api.login(user.username, user.password);
}

/** The next step as the home page and the result page give it: they must agree. */
async function nextSteps(token: string) {
  const [overview, result] = await Promise.all([api.get('/api/student/overview', { token }), api.get('/api/student/result', { token })]);
  expect(overview.status).toBe(200);
  expect(result.status).toBe(200);
  expect(result.body.next).toBe(overview.body.next);
  return { next: overview.body.next as string, overview: overview.body, result: result.body };
}

/** Opens a school to every student (city scope, no minimum), as the rounds test does, so a weak student may hold it. */
async function openToAll(highSchoolId: string) {
  await server.prisma.highSchool.update({ where: { id: highSchoolId }, data: { scope: 'city' } });
  await server.prisma.cycleHighSchool.updateMany({ where: { cycleId: city.cycleId, id: highSchoolId }, data: { scope: 'city' } });
  await server.prisma.highSchoolPlan.updateMany({ where: { cycleId: city.cycleId, highSchoolId }, data: { minScore: null, minEvaluation: null } });
}

beforeAll(async () => {
  // No read cache: the test changes plans and the policy between requests.
  server = await startTestServer({ worker: true, clock, env: { JWT_TTL: '30d', READ_CACHE_TTL_MS: '0' } });
  api = apiClient(server.url);
  // The rounds test's city: it leaves strong students unplaced, so 补录 has someone to place.
  city = await seedRoundCity(server.prisma, { students: 300, seed: 'rounds-integration' });
  const bureau = await createUser(server.prisma, { role: 'bureau' });
  bureauToken = await api.login(bureau.username, bureau.password);
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: city?.cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

describe('the year as it stands, after 补录', () => {
  /** Round-1 schools: the confirmer's, the first decliner's (H1) and the second's (H2); H3 takes the second decliner in 补录. */
  const who = {} as Record<'confirmer' | 'decliner' | 'rejoiner' | 'unplaced', { studentId: string; examNo: string; token: string; school: string | null; juniorSchoolId: string; regionCode: string }>;
  let h3: string;
  let mainRoundId: string;
  let mainRows: { studentId: string; highSchoolId: string | null }[];

  it('runs round 1, takes answers, runs and publishes 补录', async () => {
    clock.set(city.at('applications_closed'));
    const main = await startRound({ kind: 'main', name: '第一轮' });
    expect(main.status).toBe('succeeded');
    mainRoundId = main.id;
    clock.set(city.at('round1'));
    await publish(main.id);

    mainRows = await server.prisma.roundAssignment.findMany({ where: { roundId: main.id }, orderBy: { studentId: 'asc' }, select: { studentId: true, highSchoolId: true } });
    const students = new Map((await server.prisma.student.findMany({ where: { cycleId: city.cycleId } })).map((s) => [s.id, s]));
    const placed = mainRows.filter((r) => r.highSchoolId);
    const confirmer = placed[0];
    const decliner = placed.find((r) => r.highSchoolId !== confirmer.highSchoolId)!;
    const rejoiner = placed.find((r) => r.highSchoolId !== confirmer.highSchoolId && r.highSchoolId !== decliner.highSchoolId)!;
    const unplaced = mainRows.filter((r) => !r.highSchoolId).sort((a, b) => students.get(b.studentId)!.total - students.get(a.studentId)!.total)[0];
    for (const [key, row] of Object.entries({ confirmer, decliner, rejoiner, unplaced })) {
      const s = students.get(row.studentId)!;
      who[key as keyof typeof who] = {
        studentId: s.id,
        examNo: s.examNo,
        token: await tokenFor({ role: 'student', studentId: s.id }),
        school: row.highSchoolId,
        juniorSchoolId: s.juniorSchoolId,
        regionCode: s.regionCode,
      };
    }

    // Published, before the confirmation window: wait for it.
    expect((await nextSteps(who.confirmer.token)).next).toBe('waitForConfirmation');

    clock.set(city.at('confirmation'));
    expect((await api.post(`/api/rounds/${main.id}/confirmations`, { decision: 'confirmed' }, { token: who.confirmer.token })).status).toBe(200);
    expect((await api.post(`/api/rounds/${main.id}/confirmations`, { decision: 'declined' }, { token: who.decliner.token })).status).toBe(200);
    expect((await api.post(`/api/rounds/${main.id}/confirmations`, { decision: 'declined' }, { token: who.rejoiner.token })).status).toBe(200);
    const confirmed = await nextSteps(who.confirmer.token);
    expect(confirmed.next).toBe('confirmed');
    expect(confirmed.result).toMatchObject({ placed: true, seatStatus: 'held', confirmation: { decision: 'confirmed' }, supplementary: null });

    // Declined, and this year's policy keeps decliners out of 补录: the card says the seat was given up, and the policy is there for the dialog.
    clock.set(city.at('supplementary'));
    const declined = await nextSteps(who.decliner.token);
    expect(declined.next).toBe('declined');
    expect(declined.result).toMatchObject({ placed: true, school: { id: who.decliner.school }, seatStatus: 'givenUp', confirmation: { decision: 'declined' } });
    expect(declined.result.policy).toEqual({ silenceCountsAsDecline: false, declinedMayJoinSupplementary: false });
    expect(declined.overview.policy.declinedMayJoinSupplementary).toBe(false);

    // During 补录 the deadline shown is 补录's, not the main application's.
    const unplacedBefore = await nextSteps(who.unplaced.token);
    expect(unplacedBefore.next).toBe('supplementary');
    const supplementaryWindow = await server.prisma.cyclePhase.findFirstOrThrow({ where: { cycleId: city.cycleId, phase: 'supplementary' } });
    expect(unplacedBefore.overview.cycle).toMatchObject({ applicationKind: 'supplementary', applicationDeadline: supplementaryWindow.closesAt.toISOString() });
    expect(unplacedBefore.overview.cycle.phaseClosesAt).toBe(supplementaryWindow.closesAt.toISOString());

    // The bureau lets decliners into 补录 after all (the second decliner takes part; the first does not apply).
    const cycle = await server.prisma.cycle.findUniqueOrThrow({ where: { id: city.cycleId } });
    await server.prisma.cycle.update({ where: { id: city.cycleId }, data: { policy: { ...(cycle.policy as object), declinedMayJoinSupplementary: true } } });
    const seats = await api.get('/api/rounds/supplementary/seats', { token: bureauToken });
    expect(seats.status).toBe(200);
    const left = new Map<string, { seatsLeft: number; batch: number }>(seats.body.schools.map((s: any) => [s.school, s]));
    expect(left.get(who.decliner.school!)?.seatsLeft).toBeGreaterThanOrEqual(1);
    h3 = [...left.keys()].find((id) => id !== who.decliner.school && id !== who.rejoiner.school && id !== who.confirmer.school)!;
    expect(h3).toBeTruthy();
    await openToAll(who.decliner.school!);
    await openToAll(h3);

    const applyTo = async (token: string, school: string) => {
      const res = await api.put('/api/student/application', { kind: 'supplementary', baseVersion: 0, choices: { [left.get(school)!.batch]: [school] } }, { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    // The unplaced student takes the seat the first decliner gave up; the second decliner goes to H3.
    await applyTo(who.unplaced.token, who.decliner.school!);
    await applyTo(who.rejoiner.token, h3);
    expect((await nextSteps(who.unplaced.token)).next).toBe('waitForSupplementaryResult');

    const supplementary = await startRound({ kind: 'supplementary', name: '补录' });
    expect(supplementary.status).toBe('succeeded');
    await publish(supplementary.id);
    const placedBySupplementary = await server.prisma.roundAssignment.findMany({ where: { roundId: supplementary.id }, select: { studentId: true, highSchoolId: true } });
    expect(Object.fromEntries(placedBySupplementary.map((r) => [r.studentId, r.highSchoolId]))).toEqual({
      [who.unplaced.studentId]: who.decliner.school,
      [who.rejoiner.studentId]: h3,
    });

    // Unplaced in round 1, placed by 补录: admitted, with round 1 and 补录 as separate sections.
    const admitted = await nextSteps(who.unplaced.token);
    expect(admitted.next).toBe('supplementaryAdmitted');
    expect(admitted.result).toMatchObject({
      placed: false,
      supplementary: { placed: true, school: { id: who.decliner.school }, round: { kind: 'supplementary' } },
      holds: { school: { id: who.decliner.school }, round: 'supplementary' },
    });
    // Declined round 1, then placed by 补录: not "you confirmed".
    const rejoined = await nextSteps(who.rejoiner.token);
    expect(rejoined.next).toBe('supplementaryAdmitted');
    expect(rejoined.result).toMatchObject({ seatStatus: 'givenUp', supplementary: { placed: true, school: { id: h3 } } });
  });

  it('shows a high school round 1 with declines marked plus its 补录 rows, labelled, in the registration phase', async () => {
    clock.set(city.at('registration'));
    const h1 = who.decliner.school!;
    const token = await tokenFor({ role: 'high', highSchoolId: h1 });
    const list = await api.get(`/api/high-schools/${h1}/admissions?limit=200`, { token });
    expect(list.status).toBe(200);
    const roundOne = mainRows.filter((r) => r.highSchoolId === h1);
    expect(list.body.items).toHaveLength(roundOne.length + 1);
    expect(list.body.total).toBe(roundOne.length + 1);
    const rowOf = (examNo: string, round: string) => list.body.items.find((r: any) => r.examNo === examNo && r.round === round);
    expect(rowOf(who.decliner.examNo, 'main')).toMatchObject({ confirmation: 'declined', holdsSeat: false });
    expect(rowOf(who.unplaced.examNo, 'supplementary')).toMatchObject({ confirmation: null, holdsSeat: true, key: `supplementary:${who.unplaced.examNo}` });
    // 录取人数: round-1 seats kept plus 补录 placements.
    expect(list.body.summary).toMatchObject({ total: roundOne.length - 1 + 1, main: roundOne.length, supplementary: 1, declined: 1 });
    expect(list.body.summary.cutoffs.admitted).toBe(roundOne.length);
    expect(list.body.rounds.map((r: any) => r.kind)).toEqual(['main', 'supplementary']);
    // Silence keeps the seat under this policy, now that the window is over.
    expect(list.body.silence).toBe('confirmed');
    // The filter by answer still finds the decline; the export labels the rounds.
    const declinedOnly = await api.get(`/api/high-schools/${h1}/admissions?confirmation=declined`, { token });
    expect(declinedOnly.body.items.map((r: any) => r.examNo)).toEqual([who.decliner.examNo]);
    const exported = await fetch(`${server.url}/api/high-schools/${h1}/admissions/export`, { headers: { authorization: `Bearer ${token}` } });
    expect(exported.status).toBe(200);

    // The second decliner: declined at the round-1 school, 补录 at H3.
    const h2 = who.rejoiner.school!;
    const h2List = await api.get(`/api/high-schools/${h2}/admissions?limit=200`, { token: await tokenFor({ role: 'high', highSchoolId: h2 }) });
    expect(h2List.body.items.filter((r: any) => r.examNo === who.rejoiner.examNo).map((r: any) => [r.round, r.confirmation])).toEqual([['main', 'declined']]);
    const h3Token = await tokenFor({ role: 'high', highSchoolId: h3 });
    const h3List = await api.get(`/api/high-schools/${h3}/admissions?limit=200`, { token: h3Token });
    expect(h3List.body.items.filter((r: any) => r.examNo === who.rejoiner.examNo).map((r: any) => [r.round, r.holdsSeat])).toEqual([['supplementary', true]]);

    // Registration follows the seats held: a 补录 placement is accepted, a round-1 decliner refused.
    const reg = await api.post(`/api/high-schools/${h1}/registrations`, { examNos: [who.unplaced.examNo, who.decliner.examNo] }, { token });
    expect(reg.status).toBe(200);
    expect(Object.fromEntries(reg.body.results.map((r: any) => [r.examNo, r.reason ?? r.status]))).toEqual({ [who.unplaced.examNo]: 'registered', [who.decliner.examNo]: 'declined' });
    const rejoinerAtH3 = await api.post(`/api/high-schools/${h3}/registrations`, { examNos: [who.rejoiner.examNo] }, { token: h3Token });
    expect(rejoinerAtH3.body.results[0].status).toBe('registered');
    const registrationPage = await api.get(`/api/high-schools/${h1}/admissions`, { token });
    expect(registrationPage.body.summary.registered).toBe(1);
  });

  it('counts both rounds for the junior school and on the dashboard', async () => {
    clock.set(city.at('registration'));
    const junior = who.unplaced.juniorSchoolId;
    const juniorToken = await tokenFor({ role: 'junior', juniorSchoolId: junior, regionCode: who.unplaced.regionCode });
    const results = await api.get(`/api/junior-schools/${junior}/results`, { token: juniorToken });
    expect(results.status).toBe(200);
    const mine = results.body.results.find((r: any) => r.examNo === who.unplaced.examNo);
    expect(mine).toMatchObject({ highSchool: { id: who.decliner.school }, round: 'supplementary', supplementary: { highSchool: { id: who.decliner.school } } });
    const students = await server.prisma.student.findMany({ where: { cycleId: city.cycleId, juniorSchoolId: junior }, select: { id: true } });
    const ids = new Set(students.map((s) => s.id));
    const declinedHere = [who.decliner, who.rejoiner].filter((w) => ids.has(w.studentId)).length;
    const rejoinedHere = ids.has(who.rejoiner.studentId) ? 1 : 0;
    const keptRoundOne = mainRows.filter((r) => ids.has(r.studentId) && r.highSchoolId).length - declinedHere;
    expect(results.body.counts).toMatchObject({ placed: keptRoundOne + 1 + rejoinedHere, supplementary: 1 + rejoinedHere, declined: declinedHere });

    const dashboard = await api.get('/api/dashboard', { token: bureauToken });
    expect(dashboard.status).toBe(200);
    const admitted = new Map<string, number>(dashboard.body.cutoffs.map((c: any) => [c.highSchoolId, c.admitted]));
    // Every school that holds a seat, not only those 补录 placed students at.
    const held = new Map<string, number>();
    for (const r of mainRows) {
      if (r.highSchoolId && r.studentId !== who.decliner.studentId && r.studentId !== who.rejoiner.studentId) held.set(r.highSchoolId, (held.get(r.highSchoolId) ?? 0) + 1);
    }
    held.set(who.decliner.school!, (held.get(who.decliner.school!) ?? 0) + 1);
    held.set(h3, (held.get(h3) ?? 0) + 1);
    expect([...admitted.entries()].filter(([, n]) => n > 0).length).toBe(held.size);
    for (const [school, n] of held) expect(admitted.get(school), school).toBe(n);
  });

  it('gives each student the step of the registration phase', async () => {
    clock.set(city.at('registration'));
    expect((await nextSteps(who.confirmer.token)).next).toBe('register');
    expect((await nextSteps(who.unplaced.token)).next).toBe('register');
    expect((await nextSteps(who.rejoiner.token)).next).toBe('register');
    expect((await nextSteps(who.decliner.token)).next).toBe('done');
    // The round-1 answers are kept as given.
    expect(await server.prisma.confirmation.count({ where: { roundId: mainRoundId } })).toBe(3);
  });
});
