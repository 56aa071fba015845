/**
 * Round 1 with nobody to place (issue 13): when no student's application
 * counts at the deadline (none submitted, or every save came after it), the
 * main round is refused at the start with 409 NO_APPLICATIONS in zh-CN and
 * English, and nothing is queued; a main round that ran with no student anyway
 * (its applications gone between start and run) passes the invariants
 * trivially but is refused at publication, naming why. With applications, the
 * same start is accepted. The engine is not touched: the rule lives in the
 * round service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitOfWork } from '../../server/repositories';
import { runRound } from '../../server/services/round.service';
import { createTestClock } from '../support/clock';
import { createUser } from '../support/factories';
import { apiClient } from '../support/http';
import { seedRoundCity, type RoundCity } from '../support/rounds-city';
import { startTestServer, type TestServer } from '../support/server';

const clock = createTestClock('2030-06-01T00:00:00Z');
let server: TestServer;
let city: RoundCity;
let api: ReturnType<typeof apiClient>;
let token: string;
/** Each application's stored state, to put back after a case takes them away. */
let saved: { id: string; status: 'draft' | 'submitted' | 'frozen' }[];
let savedVersions: { id: string; savedAt: Date }[];

beforeAll(async () => {
  // No worker: a queued round stays queued until the test runs it (the third case needs the gap).
  server = await startTestServer({ clock, env: { JWT_TTL: '30d' } });
  api = apiClient(server.url);
  city = await seedRoundCity(server.prisma, { students: 60, seed: 'empty-round' });
  const bureau = await createUser(server.prisma, { role: 'bureau' });
  token = await api.login(bureau.username, bureau.password);
  saved = await server.prisma.application.findMany({ where: { cycleId: city.cycleId }, select: { id: true, status: true } });
  savedVersions = await server.prisma.applicationVersion.findMany({ where: { application: { cycleId: city.cycleId } }, select: { id: true, savedAt: true } });
  expect(saved.length).toBe(60);
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: city?.cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

async function restoreApplications() {
  for (const a of saved) await server.prisma.application.update({ where: { id: a.id }, data: { status: a.status } });
  for (const v of savedVersions) await server.prisma.applicationVersion.update({ where: { id: v.id }, data: { savedAt: v.savedAt } });
}

const roundsOfCycle = () => server.prisma.round.count({ where: { cycleId: city.cycleId } });

describe('a main round with no submitted applications', () => {
  it('is refused at the start (409 NO_APPLICATIONS, in zh-CN and English) when no application was submitted', async () => {
    clock.set(city.at('applications_closed'));
    await server.prisma.application.updateMany({ where: { cycleId: city.cycleId }, data: { status: 'draft' } });
    try {
      const zh = await api.post('/api/rounds', { kind: 'main', name: '第一轮' }, { token });
      expect(zh.status, JSON.stringify(zh.body)).toBe(409);
      expect(zh.body.error.code).toBe('NO_APPLICATIONS');
      expect(zh.body.error.message).toContain('没有已提交的志愿');
      const en = await api.post('/api/rounds', { kind: 'main' }, { token, headers: { 'accept-language': 'en' } });
      expect(en.status).toBe(409);
      expect(en.body.error.message).toMatch(/no submitted applications/i);
      // Also in the round-1 window, where round 1 may start too.
      clock.set(city.at('round1'));
      expect((await api.post('/api/rounds', { kind: 'main' }, { token })).body.error?.code).toBe('NO_APPLICATIONS');
      expect(await roundsOfCycle()).toBe(0);
    } finally {
      await restoreApplications();
    }
  });

  it('is refused when every save came after the deadline (those do not count)', async () => {
    clock.set(city.at('round1'));
    await server.prisma.applicationVersion.updateMany({ where: { application: { cycleId: city.cycleId } }, data: { savedAt: city.at('round1') } });
    try {
      const res = await api.post('/api/rounds', { kind: 'main' }, { token });
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.error.code).toBe('NO_APPLICATIONS');
      expect(await roundsOfCycle()).toBe(0);
    } finally {
      await restoreApplications();
    }
  });

  it('that ran empty anyway passes the invariants but is not published (409 ROUND_NOT_PUBLISHABLE naming why)', async () => {
    clock.set(city.at('applications_closed'));
    const started = await api.post('/api/rounds', { kind: 'main', name: '空的第一轮' }, { token });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    // The applications go between the start and the run: the job finds nobody.
    await server.prisma.application.updateMany({ where: { cycleId: city.cycleId }, data: { status: 'draft' } });
    try {
      const outcome = await runRound({ uow: createUnitOfWork(server.prisma), clock }, started.body.id);
      expect(outcome).toMatchObject({ status: 'succeeded', invariantsOk: true });
      const round = await api.get(`/api/rounds/${started.body.id}`, { token });
      expect(round.body.counts).toMatchObject({ students: 0, assigned: 0 });

      clock.set(city.at('round1'));
      const zh = await api.post(`/api/rounds/${started.body.id}/publish`, undefined, { token });
      expect(zh.status, JSON.stringify(zh.body)).toBe(409);
      expect(zh.body.error.code).toBe('ROUND_NOT_PUBLISHABLE');
      expect(zh.body.error.message).toContain('没有已提交的志愿');
      const en = await api.post(`/api/rounds/${started.body.id}/publish`, undefined, { token, headers: { 'accept-language': 'en' } });
      expect(en.body.error.message).toMatch(/no submitted applications/i);
      expect(await server.prisma.round.count({ where: { cycleId: city.cycleId, status: 'published' } })).toBe(0);
      expect(await server.prisma.auditLog.count({ where: { action: 'round.publish', entityId: started.body.id } })).toBe(0);
    } finally {
      await restoreApplications();
    }
  });

  it('with applications, the same start is accepted', async () => {
    clock.set(city.at('applications_closed'));
    const res = await api.post('/api/rounds', { kind: 'main', name: '第一轮' }, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const outcome = await runRound({ uow: createUnitOfWork(server.prisma), clock }, res.body.id);
    expect(outcome).toMatchObject({ status: 'succeeded', invariantsOk: true });
    expect((await api.get(`/api/rounds/${res.body.id}`, { token })).body.counts.students).toBe(60);
  });
});
