/**
 * Rounds through the HTTP API on a seeded 300-student city, with the BullMQ
 * worker running in-process: start (phase-bound), progress, idempotency,
 * compare, bundle re-run through the CLI, publication, confirmation with the
 * silence rule, and the supplementary round (补录).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../server/domain/rounds/canonical';
import { createUnitOfWork } from '../../server/repositories';
import { runRound } from '../../server/services/round.service';
import { createTestClock } from '../support/clock';
import { createUser } from '../support/factories';
import { apiClient } from '../support/http';
import { seedRoundCity, type RoundCity } from '../support/rounds-city';
import { startTestServer, type TestServer } from '../support/server';

const run = promisify(execFile);
const clock = createTestClock('2030-06-01T00:00:00Z');
let server: TestServer;
let city: RoundCity;
let api: ReturnType<typeof apiClient>;
let bureau: { id: string; username: string; password: string };
let bureauToken: string;

async function waitForRound(id: string, token = bureauToken) {
  const seen: number[] = [];
  for (let i = 0; i < 300; i++) {
    const res = await api.get(`/api/rounds/${id}`, { token });
    expect(res.status).toBe(200);
    seen.push(res.body.progress);
    if (['succeeded', 'failed', 'published'].includes(res.body.status)) return { round: res.body, seen };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`round ${id} did not finish`);
}

async function startRound(body: unknown) {
  const res = await api.post('/api/rounds', body, { token: bureauToken });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body.status).toBe('queued');
  return (await waitForRound(res.body.id)).round;
}

beforeAll(async () => {
  server = await startTestServer({ worker: true, clock, env: { JWT_TTL: '30d' } });
  api = apiClient(server.url, { checkResponses: true });
  // A fixed city: a random one sometimes places everybody, and the 补录 test needs someone unplaced.
  city = await seedRoundCity(server.prisma, { students: 300, seed: 'rounds-integration' });
  bureau = await createUser(server.prisma, { role: 'bureau' });
  bureauToken = await api.login(bureau.username, bureau.password);
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: city?.cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

describe('rounds', () => {
  let simA: any;
  let simB: any;
  let main: any;

  it('refuses to start a round before applications close, in Chinese and in English', async () => {
    clock.set(city.at('applications_open'));
    const zh = await api.post('/api/rounds', { kind: 'simulation' }, { token: bureauToken });
    expect(zh.status).toBe(409);
    expect(zh.body.error.code).toBe('PHASE_CLOSED');
    expect(zh.body.error.message).toContain('志愿填报');
    const en = await api.post('/api/rounds', { kind: 'main' }, { token: bureauToken, headers: { 'accept-language': 'en' } });
    expect(en.body.error.message).toBe('Running the main round is not allowed in the current phase (Applications open); it is allowed in: Applications closed, Round 1');
    const bad = await api.post('/api/rounds', { kind: 'simulation', policy: { quotaPrecedence: 'sideways' } }, { token: bureauToken });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('policy.quotaPrecedence');
    const county = await createUser(server.prisma, { role: 'bureau', regionCode: `${city.prefix}HT` });
    clock.set(city.at('applications_closed'));
    const forbidden = await api.post('/api/rounds', { kind: 'simulation' }, { token: await api.login(county.username, county.password) });
    expect(forbidden.status).toBe(403);
  });

  it('runs two simulations as jobs, with progress, counts and the invariant check', async () => {
    clock.set(city.at('applications_closed'));
    simA = await startRound({ kind: 'simulation', name: 'openFirst', policy: { quotaPrecedence: 'openFirst' } });
    simB = await startRound({ kind: 'simulation', name: 'quotaFirst', policy: { quotaPrecedence: 'quotaFirst' } });
    for (const round of [simA, simB]) {
      expect(round.status).toBe('succeeded');
      expect(round.invariantsOk).toBe(true);
      expect(round.progress).toBe(100);
      expect(round.counts.students).toBe(300);
      expect(round.counts.assigned).toBeGreaterThan(100);
      expect(round.counts.assigned + round.counts.unassigned).toBe(300);
      expect(round.sha256.input).toMatch(/^[0-9a-f]{64}$/);
      const job = await api.get(`/api/jobs/rounds/round-${round.id}`, { token: bureauToken });
      expect(job.body.state).toBe('completed');
      expect(job.body.progress).toBe(100);
    }
    expect(simA.policy.quotaPrecedence).toBe('openFirst');
    expect(simB.policy.quotaPrecedence).toBe('quotaFirst');
    // Same students and lotteries, different policy.
    expect(simA.sha256.input).not.toBe(simB.sha256.input);
    const rows = await server.prisma.roundAssignment.count({ where: { roundId: simA.id } });
    expect(rows).toBe(300);
    const audit = await server.prisma.auditLog.findFirst({ where: { action: 'round.start', entityId: simA.id } });
    expect(audit?.actorId).toBe(bureau.id);
  });

  it('is idempotent: a duplicate job or a re-run handler leaves one stored result', async () => {
    const before = await server.prisma.round.findUniqueOrThrow({ where: { id: simA.id } });
    await server.queues.enqueue('round.run', { roundId: simA.id }, { jobId: `round-${simA.id}` });
    const uow = createUnitOfWork(server.prisma);
    expect((await runRound({ uow, clock }, simA.id)).skipped).toBe(true);
    // A crash after the store began: the round is back to running; the retry replaces the rows.
    await server.prisma.round.update({ where: { id: simA.id }, data: { status: 'running', result: undefined } });
    const again = await runRound({ uow, clock }, simA.id);
    expect(again.skipped).toBe(false);
    expect(again.status).toBe('succeeded');
    const after = await server.prisma.round.findUniqueOrThrow({ where: { id: simA.id } });
    expect(after.resultSha256).toBe(before.resultSha256);
    expect(after.inputSha256).toBe(before.inputSha256);
    expect(await server.prisma.roundAssignment.count({ where: { roundId: simA.id } })).toBe(300);
    const jobs = await server.queues.queue('rounds').getJobs(['completed', 'waiting', 'active', 'delayed']);
    expect(jobs.filter((j) => j.id === `round-${simA.id}`)).toHaveLength(1);
  });

  it('compares two rounds: moves, quota seats per junior school, cutoffs', async () => {
    const res = await api.get(`/api/rounds/compare?a=${simA.id}&b=${simB.id}`, { token: bureauToken });
    expect(res.status).toBe(200);
    const [ra, rb] = await Promise.all(
      [simA.id, simB.id].map((id) => server.prisma.roundAssignment.findMany({ where: { roundId: id }, include: { student: true } })),
    );
    const school = (rows: typeof ra) => new Map(rows.map((r) => [r.student.examNo, r.highSchoolId]));
    const sa = school(ra);
    const sb = school(rb);
    const expectedMoves = [...sa.keys()].filter((k) => sa.get(k) !== sb.get(k)).sort();
    expect(res.body.moved.map((m: any) => m.student).sort()).toEqual(expectedMoves);
    for (const m of res.body.moved) {
      expect(m.from).toBe(sa.get(m.student));
      expect(m.to).toBe(sb.get(m.student));
    }
    const quotaA = ra.filter((r) => r.seat === 'quota').length;
    const sumA = Object.values(res.body.quotaUsed as Record<string, { a: number }>).reduce((n, q) => n + q.a, 0);
    expect(sumA).toBe(quotaA);
    expect(Object.keys(res.body.cutoffs).sort()).toEqual([...city.highSchoolIds].sort());
    // A cutoff is the lowest total among the school's admitted students.
    const h = city.highSchoolIds.find((id) => ra.some((r) => r.highSchoolId === id))!;
    const lowest = Math.min(...ra.filter((r) => r.highSchoolId === h).map((r) => r.student.total));
    expect(res.body.cutoffs[h].a).toBe(lowest);
    const missing = await api.get(`/api/rounds/compare?a=${simA.id}`, { token: bureauToken });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('b');
  });

  it('serves the bundle; the CLI re-run on its input gives the stored result', async () => {
    const res = await fetch(`${server.url}/api/rounds/${simA.id}/bundle`, { headers: { authorization: `Bearer ${bureauToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const bundle = JSON.parse(await res.text());
    expect(sha256Hex(canonicalJson(bundle.input))).toBe(bundle.sha256.input);
    expect(sha256Hex(canonicalJson(bundle.result))).toBe(bundle.sha256.result);
    const row = await server.prisma.round.findUniqueOrThrow({ where: { id: simA.id } });
    expect(bundle.sha256).toEqual({ input: row.inputSha256, result: row.resultSha256 });
    expect(bundle.input.seed).toBe(city.seed);
    const dir = await mkdtemp(path.join(tmpdir(), 'round-bundle-'));
    try {
      await writeFile(path.join(dir, 'in.json'), JSON.stringify(bundle.input));
      await run('npm', ['run', '-s', 'allocate', '--', path.join(dir, 'in.json'), path.join(dir, 'out.json')], { cwd: process.cwd() });
      const cli = JSON.parse(await readFile(path.join(dir, 'out.json'), 'utf8'));
      expect(cli.assignments).toEqual(bundle.result.assignments);
      expect(cli.unassigned).toEqual(bundle.result.unassigned);
      const must = (schools: Record<string, any>) =>
        Object.fromEntries(Object.entries(schools).map(([id, s]) => [id, { capacity: s.capacity, admitted: s.admitted, open: s.open, quota: s.quota, reverted: s.reverted, lastAdmitted: s.lastAdmitted }]));
      expect(must(cli.schools)).toEqual(must(bundle.result.schools));
      expect(sha256Hex(canonicalJson(cli))).toBe(bundle.sha256.result);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('publishes only a checked main round in round 1, once', async () => {
    clock.set(city.at('applications_closed'));
    main = await startRound({ kind: 'main', name: '第一轮' });
    expect(main.invariantsOk).toBe(true);
    const early = await api.post(`/api/rounds/${main.id}/publish`, undefined, { token: bureauToken });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('PHASE_CLOSED');
    clock.set(city.at('round1'));
    const sim = await api.post(`/api/rounds/${simA.id}/publish`, undefined, { token: bureauToken });
    expect(sim.body.error.code).toBe('ROUND_NOT_PUBLISHABLE');
    // A main round whose result failed the invariant check cannot be published.
    const broken = await server.prisma.round.create({
      data: { cycleId: city.cycleId, kind: 'main', policy: {}, seed: 's', status: 'failed', invariantsOk: false, createdBy: bureau.id, error: 'invariants violated' },
    });
    const refused = await api.post(`/api/rounds/${broken.id}/publish`, undefined, { token: bureauToken });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('ROUND_NOT_PUBLISHABLE');
    expect(refused.body.error.message).toContain('校验');
    const ok = await api.post(`/api/rounds/${main.id}/publish`, undefined, { token: bureauToken });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('published');
    expect(ok.body.publishedAt).toBeTruthy();
    const twice = await api.post(`/api/rounds/${main.id}/publish`, undefined, { token: bureauToken });
    expect(twice.body.error.code).toBe('ROUND_ALREADY_PUBLISHED');
    expect(await server.prisma.auditLog.count({ where: { action: 'round.publish', entityId: main.id } })).toBe(1);
    const cutoffs = await api.get(`/api/rounds/${main.id}/cutoffs`, { token: bureauToken });
    expect(cutoffs.body.schools).toHaveLength(city.highSchoolIds.length);
  });

  it('takes confirmations in the confirmation window; silence keeps the seat under this policy; then runs 补录', async () => {
    const rows = await server.prisma.roundAssignment.findMany({ where: { roundId: main.id }, orderBy: { studentId: 'asc' } });
    const placed = rows.filter((r) => r.highSchoolId);
    // The strongest unplaced students: the ones most likely to be eligible for a seat left in 补录.
    const totals = new Map((await server.prisma.student.findMany({ select: { id: true, total: true } })).map((x) => [x.id, x.total]));
    const unplaced = rows.filter((r) => !r.highSchoolId).sort((a, b) => (totals.get(b.studentId) ?? 0) - (totals.get(a.studentId) ?? 0));
    const [confirmer, decliner] = placed;
    const studentToken = async (studentId: string) => {
      const user = await createUser(server.prisma, { role: 'student', studentId });
      return api.login(user.username, user.password);
    };
    const tConfirm = await studentToken(confirmer.studentId);
    const tDecline = await studentToken(decliner.studentId);
    const tUnplaced = await studentToken(unplaced[0].studentId);

    clock.set(city.at('round1'));
    const tooEarly = await api.post(`/api/rounds/${main.id}/confirmations`, { decision: 'confirmed' }, { token: tConfirm });
    expect(tooEarly.body.error.code).toBe('PHASE_CLOSED');
    clock.set(city.at('confirmation'));
    expect((await api.post(`/api/rounds/${main.id}/confirmations`, { decision: 'confirmed' }, { token: tConfirm })).status).toBe(200);
    const declined = await api.post(`/api/rounds/${main.id}/confirmations`, { decision: 'declined' }, { token: tDecline });
    expect(declined.body).toMatchObject({ decision: 'declined', school: decliner.highSchoolId });
    expect((await api.post(`/api/rounds/${main.id}/confirmations`, { decision: 'declined' }, { token: tConfirm })).body.error.code).toBe('ALREADY_CONFIRMED');
    expect((await api.post(`/api/rounds/${main.id}/confirmations`, { decision: 'confirmed' }, { token: tUnplaced })).body.error.code).toBe('NOT_ADMITTED');
    const bad = await api.post(`/api/rounds/${main.id}/confirmations`, { decision: 'maybe' }, { token: tConfirm });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('decision');
    const summary = await api.get(`/api/rounds/${main.id}/confirmations`, { token: bureauToken });
    expect(summary.body).toMatchObject({ admitted: placed.length, confirmed: 1, declined: 1, silent: placed.length - 2, silenceMeansDecline: false });

    clock.set(city.at('supplementary'));
    const seats = await api.get('/api/rounds/supplementary/seats', { token: tUnplaced });
    expect(seats.status).toBe(200);
    const plans = await server.prisma.highSchoolPlan.findMany({ where: { cycleId: city.cycleId } });
    for (const s of seats.body.schools) {
      const capacity = plans.find((p) => p.highSchoolId === s.school)!.capacity;
      const kept = placed.filter((r) => r.highSchoolId === s.school && r.studentId !== decliner.studentId).length;
      expect(s.seatsLeft).toBe(capacity - kept); // silence keeps the seat: only the decline frees one
    }
    const declinedSchool = seats.body.schools.find((s: any) => s.school === decliner.highSchoolId);
    expect(declinedSchool?.seatsLeft).toBeGreaterThanOrEqual(1);
    const full = plans.find((p) => !seats.body.schools.some((s: any) => s.school === p.highSchoolId));

    if (full) {
      const refused = await api.put('/api/student/application', { kind: 'supplementary', baseVersion: 0, choices: { [full.batch]: [full.highSchoolId] } }, { token: tUnplaced });
      expect(refused.status).toBe(400);
      expect(refused.body.error.field).toBe(`choices.${full.batch}.0`);
    }
    // Open one school with seats left to everyone (city scope, no minimum), so the weak unplaced student has a choice.
    const openToAll = seats.body.schools[seats.body.schools.length - 1];
    await server.prisma.highSchool.update({ where: { id: openToAll.school }, data: { scope: 'city' } });
    await server.prisma.highSchoolPlan.updateMany({ where: { cycleId: city.cycleId, highSchoolId: openToAll.school }, data: { minScore: null, minEvaluation: null } });
    // The student's own form lists only schools with seats left; take one the student may hold.
    const form = await api.get('/api/student/application?kind=supplementary', { token: tUnplaced });
    const listable = form.body.batches.flatMap((b: any) => b.schools).filter((x: any) => x.canList);
    expect(listable.length, JSON.stringify({ seats: seats.body.schools, form: form.body.batches.map((b: any) => b.schools.map((x: any) => [x.id, x.seatsLeft, x.refusal])) })).toBeGreaterThan(0);
    for (const x of listable) expect(seats.body.schools.some((s: any) => s.school === x.id && s.seatsLeft === x.seatsLeft)).toBe(true);
    const open = { batch: listable[0].batch, school: listable[0].id };
    const saved = await api.put('/api/student/application', { kind: 'supplementary', baseVersion: 0, choices: { [open.batch]: [open.school] } }, { token: tUnplaced });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // By default a student who declined a round-1 seat takes no part in 补录 (declinedMayJoinSupplementary false):
    // they cannot win back the seat they declined ahead of students never placed.
    const refusedDecliner = await api.put('/api/student/application', { kind: 'supplementary', baseVersion: 0, choices: { [declinedSchool.batch]: [declinedSchool.school] } }, { token: tDecline });
    expect(refusedDecliner.status).toBe(409);
    expect(refusedDecliner.body.error.code).toBe('NOT_IN_SUPPLEMENTARY');
    const notAllowed = await api.put('/api/student/application', { kind: 'supplementary', baseVersion: 0, choices: { [open.batch]: [open.school] } }, { token: tConfirm });
    expect(notAllowed.body.error.code).toBe('NOT_IN_SUPPLEMENTARY');

    const supp = await startRound({ kind: 'supplementary', name: '补录' });
    expect(supp.status).toBe('succeeded');
    expect(supp.invariantsOk).toBe(true);
    expect(supp.counts.students).toBe(1);
    const input = (await server.prisma.round.findUniqueOrThrow({ where: { id: supp.id } })).input as any;
    for (const h of input.highSchools) {
      expect(h.quota ?? {}).toEqual({});
      const left = seats.body.schools.find((s: any) => s.school === h.id)?.seatsLeft ?? 0;
      expect(h.capacity).toBe(left);
    }
    const suppRows = await server.prisma.roundAssignment.findMany({ where: { roundId: supp.id } });
    // The unplaced student takes part with the one school chosen: placed there, or the explanation says why not.
    const row = suppRows.find((r) => r.studentId === unplaced[0].studentId)!;
    if (row.highSchoolId) expect(row.highSchoolId).toBe(open.school);
    else expect((row.explanation as any[])[0]).toMatchObject({ school: open.school, reasons: expect.any(Array) });
    expect(suppRows.some((r) => r.studentId === decliner.studentId)).toBe(false);
    const published = await api.post(`/api/rounds/${supp.id}/publish`, undefined, { token: bureauToken });
    expect(published.body.status).toBe('published');
  });
});
