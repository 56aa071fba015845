import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { createAccount, createUser } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';
import { createStudentWorld, publishRound, type StudentWorld } from '../support/student-world';

const clock = createTestClock();
let server: TestServer;
let api: ApiClient;
let world: StudentWorld;
let token: string;
let token2: string;
const EN = { headers: { 'accept-language': 'en' } };

beforeAll(async () => {
  server = await startTestServer({ clock });
  api = apiClient(server.url, { checkResponses: true });
  world = await createStudentWorld(server.prisma);
  clock.set(world.during('applications_open'));
  token = await api.login(world.account.username, world.account.password);
  token2 = await api.login(world.account2.username, world.account2.password);
});

afterAll(async () => {
  // Leave the current cycle to whoever runs next.
  if (world) await server.prisma.cycle.update({ where: { id: world.cycle.id }, data: { status: 'archived' } });
  await server?.stop();
});

/** Moves the server clock and signs both students in again (tokens expire with the clock). */
async function moveTo(at: Date) {
  clock.set(at);
  token = await api.login(world.account.username, world.account.password);
  token2 = await api.login(world.account2.username, world.account2.password);
}

const put = (body: unknown, tok = token, options: { headers?: Record<string, string> } = {}) =>
  api.request('PUT', '/api/student/application', body, { token: tok, ...options });

describe('student login (准考证号 + password)', () => {
  it('signs in with the exam number, forces a new password first, then opens the portal', async () => {
    const user = await createAccount(server.prisma, 'student', { mustChangePassword: true });
    const student = await server.prisma.student.findUniqueOrThrow({ where: { id: user.studentId! } });
    await server.prisma.user.update({ where: { id: user.id }, data: { username: student.examNo } });
    const first = await api.login(student.examNo, user.password);
    const blocked = await api.get('/api/student/overview', { token: first });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await api.post('/api/auth/password', { currentPassword: user.password, newPassword: 'Family-2030x' }, { token: first });
    expect(changed.status).toBe(200);
    const again = await api.login(student.examNo, 'Family-2030x');
    const overview = await api.get('/api/student/overview', { token: again });
    expect(overview.status).toBe(200);
    expect(overview.body.student.examNo).toBe(student.examNo);
  });

  it('throttles the address guessing a student password, without locking the account', async () => {
    const user = await createUser(server.prisma, { role: 'student', studentId: world.student.id });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.post('/api/auth/login', { username: user.username, password: `wrong-${i}` })).status);
    // Five are checked; the sixth, within the address's 1 s wait, is refused unchecked.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await server.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).lockedUntil).toBeNull();
  });
});

describe('GET /api/student/overview', () => {
  it('shows scores, phase and deadline on server time, quota seats, schools per batch with eligibility, the next step', async () => {
    const res = await api.get('/api/student/overview', { token });
    expect(res.status).toBe(200);
    const o = res.body;
    expect(o.student).toMatchObject({ examNo: world.student.examNo, total: 600, evaluation: 'B', scores: { chinese: 110, math: 120, english: 115 } });
    expect(JSON.stringify(o)).not.toContain(world.student.idCardNo);
    expect(o.cycle.phase).toBe('applications_open');
    expect(o.cycle.phaseName).toBe('志愿填报');
    expect(o.cycle.serverTime).toBe(clock.now().toISOString());
    const deadline = world.windows.find((w) => w.phase === 'applications_open')!.closesAt.toISOString();
    expect(o.cycle.phaseClosesAt).toBe(deadline);
    expect(o.cycle.applicationDeadline).toBe(deadline);
    expect(o.quotaSeats).toEqual([{ highSchool: { id: world.schools.first.id, name: '株洲市第一中学' }, batch: 1, seats: 3, eligible: true, reasons: [] }]);
    expect(o.next).toBe('fillChoices');

    expect(o.batches.map((b: { batch: number; maxChoices: number }) => [b.batch, b.maxChoices])).toEqual([[1, 3], [2, 2], [3, 1]]);
    const all = o.batches.flatMap((b: { schools: unknown[] }) => b.schools);
    const byId = (id: string) => all.find((s: { id: string }) => s.id === id);
    expect(all).toHaveLength(5); // the draft plan is not published
    expect(byId(world.schools.first.id)).toMatchObject({
      ownership: 'public', scope: 'city', capacity: 550, previousCutoff: 612.5, quotaSeats: 3,
      open: { eligible: true, reasons: [] }, quota: { eligible: true, reasons: [] }, canList: true,
    });
    const liling = byId(world.schools.liling.id);
    expect(liling.canList).toBe(false);
    expect(liling.ownership).toBe('private');
    expect(liling.refusal[0].code).toBe('outOfRegion');
    expect(liling.refusal[0].message).toBe('该校只招收本区域学生（属地招生）：限醴陵市');
    const strict = byId(world.schools.strict.id);
    expect(strict.refusal).toEqual([{ code: 'belowMinScore', message: '总分 600 低于该校最低分数线 700' }]);
    expect(byId(world.schools.vocational.id).canList).toBe(true); // region scope, own region
  });

  it('answers in English', async () => {
    const res = await api.get('/api/student/overview', { token, ...EN });
    expect(res.body.cycle.phaseName).toBe('Applications open');
    const strict = res.body.batches[1].schools.find((s: { id: string }) => s.id === world.schools.strict.id);
    expect(strict.refusal[0].message).toBe("Total 600 is below the school's minimum score 700");
  });
});

describe('PUT /api/student/application: refused choices', () => {
  const cases: [string, () => Record<string, string[]>, string, string][] = [
    ['region scope', () => ({ '2': [world.schools.liling.id] }), 'choices.2.0', 'outOfRegion'],
    ['below the minimum', () => ({ '2': [world.schools.strict.id] }), 'choices.2.0', 'belowMinScore'],
    ['unknown school', () => ({ '1': ['H-NOPE'] }), 'choices.1.0', 'unknownSchool'],
    ['wrong batch', () => ({ '1': [world.schools.vocational.id] }), 'choices.1.0', 'wrongBatch'],
    ['duplicate', () => ({ '1': [world.schools.first.id, world.schools.first.id] }), 'choices.1.1', 'duplicate'],
    ['too many for the batch (policy 3 = 1)', () => ({ '3': [world.schools.vocational.id, world.schools.first.id] }), 'choices.3', 'tooMany'],
  ];
  for (const [name, choices, field, code] of cases) {
    it(`refuses ${name} with the field and reason, saving nothing`, async () => {
      const res = await put({ baseVersion: 0, choices: choices() });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('CHOICE_REFUSED');
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.details[0].reasons[0].code).toBe(code);
      expect(await server.prisma.application.count({ where: { studentId: world.student.id } })).toBe(0);
    });
  }

  it('says why in Chinese by default and in English on request', async () => {
    const zh = await put({ baseVersion: 0, choices: { '2': [world.schools.strict.id] } });
    expect(zh.body.error.message).toBe('第 2 批次第 1 志愿（株洲市南方中学）：总分 600 低于该校最低分数线 700');
    const en = await put({ baseVersion: 0, choices: { '2': [world.schools.strict.id] } }, token, EN);
    expect(en.body.error.message).toBe("Batch 2, choice 1 (株洲市南方中学): Total 600 is below the school's minimum score 700");
  });

  it('rejects a malformed body with 400 naming the field', async () => {
    const res = await put({ choices: { '1': [] } });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('baseVersion');
    const badBatch = await put({ baseVersion: 0, choices: { x: ['A'] } });
    expect(badBatch.status).toBe(400);
  });
});

describe('versions, conflicts and history', () => {
  it('keeps every save; a stale save from another tab gets 409 and overwrites nothing', async () => {
    const tabB = await api.login(world.account.username, world.account.password);
    const loadA = await api.get('/api/student/application', { token });
    const loadB = await api.get('/api/student/application', { token: tabB });
    expect(loadA.body).toMatchObject({ version: 0, editable: true, choices: {} });
    expect(loadB.body.version).toBe(0);

    const a = await put({ baseVersion: 0, choices: { '1': [world.schools.first.id, world.schools.second.id], '3': [world.schools.vocational.id] } });
    expect(a.status).toBe(200);
    expect(a.body.version).toBe(1);

    const b = await put({ baseVersion: 0, choices: { '1': [world.schools.second.id] } }, tabB);
    expect(b.status).toBe(409);
    expect(b.body.error.code).toBe('APPLICATION_VERSION_CONFLICT');
    expect(b.body.error.message).toContain('第 1 版');
    expect(b.body.error.details.currentVersion).toBe(1);

    const stored = await api.get('/api/student/application', { token: tabB });
    expect(stored.body.version).toBe(1);
    expect(stored.body.choices).toEqual({ '1': [world.schools.first.id, world.schools.second.id], '3': [world.schools.vocational.id] });

    const b2 = await put({ baseVersion: 1, choices: { '1': [world.schools.second.id, world.schools.first.id], '3': [] } }, tabB);
    expect(b2.status).toBe(200);
    expect(b2.body.version).toBe(2);
    expect(b2.body.choices).toEqual({ '1': [world.schools.second.id, world.schools.first.id] });

    const history = await api.get('/api/student/application/history', { token });
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(history.body.versions[1].choices['3']).toEqual([world.schools.vocational.id]);
    expect(history.body.schools[world.schools.first.id]).toBe('株洲市第一中学');
    const rows = await server.prisma.applicationVersion.count({ where: { application: { studentId: world.student.id } } });
    expect(rows).toBe(2);
  });

  it('lets two simultaneous saves from the same version produce exactly one winner', async () => {
    const current = (await api.get('/api/student/application', { token })).body.version as number;
    const body = (ids: string[]) => ({ baseVersion: current, choices: { '1': ids } });
    const results = await Promise.all([put(body([world.schools.first.id])), put(body([world.schools.second.id]))]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await api.get('/api/student/application', { token })).body.version).toBe(current + 1);
  });

  it('the overview then says to review the choices', async () => {
    expect((await api.get('/api/student/overview', { token })).body.next).toBe('reviewChoices');
  });
});

describe('a student reaches only their own data', () => {
  it('shows the second student their own record, history and no one else\'s', async () => {
    const overview = await api.get('/api/student/overview', { token: token2 });
    expect(overview.body.student.examNo).toBe(world.student2.examNo);
    const app = await api.get('/api/student/application', { token: token2 });
    expect(app.body.version).toBe(0);
    const history = await api.get('/api/student/application/history', { token: token2 });
    expect(history.body.versions).toEqual([]);
    expect(history.body.schools).toEqual({});
  });

  it('refuses other roles (403) and an account whose student is missing (404)', async () => {
    const bureau = await createAccount(server.prisma, 'bureau');
    const bureauToken = await api.login(bureau.username, bureau.password);
    expect((await api.get('/api/student/overview', { token: bureauToken })).status).toBe(403);
    expect((await put({ baseVersion: 0, choices: {} }, bureauToken)).status).toBe(403);
    const orphan = await createUser(server.prisma, { role: 'student', studentId: 'no-such-student' });
    const orphanToken = await api.login(orphan.username, orphan.password);
    expect((await api.get('/api/student/overview', { token: orphanToken })).status).toBe(404);
    expect((await api.get('/api/student/result', { token: orphanToken })).status).toBe(404);
    expect((await api.get('/api/student/overview')).status).toBe(401);
  });
});

describe('the deadline', () => {
  it('is read-only after applications close, by the server clock', async () => {
    const before = (await api.get('/api/student/application', { token })).body.version as number;
    const deadline = world.windows.find((w) => w.phase === 'applications_open')!.closesAt;
    await moveTo(new Date(deadline.getTime() - 1000));
    expect((await put({ baseVersion: before, choices: { '1': [world.schools.first.id] } })).status).toBe(200);
    clock.set(deadline);
    const late = await put({ baseVersion: before + 1, choices: { '1': [world.schools.second.id] } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('PHASE_CLOSED');
    expect(late.body.error.message).toBe('当前阶段（志愿截止）不能保存志愿；保存志愿只能在「志愿填报」进行');
    const view = await api.get('/api/student/application', { token });
    expect(view.body.editable).toBe(false);
    expect(view.body.version).toBe(before + 1);
  });
});

describe('result, explanation and confirmation', () => {
  let roundId: string;

  it('has no result before publication', async () => {
    await moveTo(world.during('round1'));
    const res = await api.get('/api/student/result', { token });
    expect(res.body).toMatchObject({ published: false, phase: 'round1', next: 'waitForResult' });
    expect(res.body.school).toBeUndefined();
  });

  it('shows the school, seat and why not for each school above it, with the numbers', async () => {
    roundId = (await publishRound(server.prisma, world, { at: clock.now() })).id;
    const res = await api.get('/api/student/result', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ published: true, placed: true, school: { id: world.schools.second.id, name: '株洲市第二中学' }, seat: 'open', batch: 1, canConfirm: false });
    expect(res.body.explanations).toEqual([
      {
        school: { id: world.schools.first.id, name: '株洲市第一中学' },
        batch: 1,
        reasons: [
          { code: 'openFull', message: '统招名额已录满：录取最低分 615.5，你的总分 600' },
          { code: 'quotaFull', message: '你所在初中的指标生名额已录满：指标最低分 603，你的总分 600' },
        ],
      },
    ]);
    const en = await api.get('/api/student/result', { token, ...EN });
    expect(en.body.explanations[0].reasons[0].message).toBe('Open seats full: cutoff 615.5, your total 600');
    const other = await api.get('/api/student/result', { token: token2 });
    expect(other.body).toMatchObject({ placed: false, school: null });
    expect(other.body.explanations[1].reasons[0].message).toBe('总分 520 低于该校最低分数线 700');
  });

  it('confirms only in the confirmation phase, once, and only an admitted student', async () => {
    const early = await api.post(`/api/rounds/${roundId}/confirmations`, { decision: 'confirmed' }, { token });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('PHASE_CLOSED');

    await moveTo(world.during('confirmation'));
    expect((await api.get('/api/student/result', { token })).body.canConfirm).toBe(true);
    expect((await api.get('/api/student/overview', { token })).body.next).toBe('confirm');
    const bad = await api.post(`/api/rounds/${roundId}/confirmations`, { decision: 'maybe' }, { token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('decision');
    expect((await api.post('/api/rounds/other-round/confirmations', { decision: 'confirmed' }, { token })).status).toBe(404);

    const ok = await api.post(`/api/rounds/${roundId}/confirmations`, { decision: 'confirmed' }, { token });
    expect(ok.status).toBe(200);
    expect(ok.body.decision).toBe('confirmed');
    const twice = await api.post(`/api/rounds/${roundId}/confirmations`, { decision: 'declined' }, { token });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('ALREADY_CONFIRMED');
    const after = await api.get('/api/student/result', { token });
    expect(after.body).toMatchObject({ canConfirm: false, confirmation: { decision: 'confirmed' } });
    expect((await api.get('/api/student/overview', { token })).body.next).toBe('confirmed');

    const unplaced = await api.post(`/api/rounds/${roundId}/confirmations`, { decision: 'confirmed' }, { token: token2 });
    expect(unplaced.status).toBe(409);
    expect(unplaced.body.error.code).toBe('NOT_ADMITTED');
    expect(await server.prisma.confirmation.count({ where: { roundId } })).toBe(1);
  });
});

describe('supplementary round (补录)', () => {
  it('offers an unplaced student the schools with seats left and saves new choices', async () => {
    await moveTo(world.during('supplementary'));
    const res = await api.get('/api/student/application?kind=supplementary', { token: token2 });
    expect(res.status).toBe(200);
    expect(res.body.editable).toBe(true);
    const ids = res.body.batches.flatMap((b: { schools: { id: string }[] }) => b.schools.map((s) => s.id));
    expect(ids).not.toContain(world.schools.second.id); // its one seat is taken and confirmed
    const first = res.body.batches[0].schools.find((s: { id: string }) => s.id === world.schools.first.id);
    expect(first.seatsLeft).toBe(550);

    const full = await put({ kind: 'supplementary', baseVersion: 0, choices: { '1': [world.schools.second.id] } }, token2);
    expect(full.status).toBe(400);
    expect(full.body.error.details[0].reasons[0].code).toBe('noSeatsLeft');
    const saved = await put({ kind: 'supplementary', baseVersion: 0, choices: { '1': [world.schools.first.id] } }, token2);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ kind: 'supplementary', version: 1 });
    // The main application is untouched.
    expect((await api.get('/api/student/application', { token: token2 })).body.version).toBe(0);
  });

  it('keeps a student who confirmed a seat out of it', async () => {
    const res = await put({ kind: 'supplementary', baseVersion: 0, choices: { '1': [world.schools.first.id] } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NOT_IN_SUPPLEMENTARY');
    expect((await api.get('/api/student/application?kind=supplementary', { token })).body.editable).toBe(false);
  });
});
