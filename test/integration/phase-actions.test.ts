/**
 * The phase → allowed-actions table through HTTP: a refusal names the phase
 * that allows the action (zh-CN and en, with details), GET /api/cycles/current
 * lists what is allowed now, and "end this window now" closes the open window
 * at the server's clock, opens the next one then, moves nothing else and is
 * audited. Real PostgreSQL and Redis (test/setup/global.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionsAllowedIn } from '../../server/domain/schedule/actions';
import { scheduleFrom, windowOf, type Phase } from '../../server/domain/schedule/schedule';
import { createTestClock } from '../support/clock';
import { createAccount } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const DAY = 86_400_000;
const DAYS: Record<Phase, number> = { setup: 30, plans_published: 10, applications_open: 10, applications_closed: 5, round1: 3, confirmation: 5, supplementary: 5, registration: 10, closed: 30 };
// Milliseconds in the start: end-now and the edits must keep them.
const START = new Date('2033-01-01T00:00:00.123Z');
const windows = scheduleFrom(START, DAYS);
const at = (phase: Phase, plusMs = 0) => new Date(windowOf(windows, phase)!.opensAt.getTime() + plusMs);

describe('phase actions and end-now', () => {
  const clock = createTestClock(at('setup', DAY));
  let server: TestServer;
  let api: ApiClient;
  let bureau: string;
  let county: string;
  let cycleId: string;
  const accounts = {} as Record<'bureau' | 'county', { username: string; password: string }>;

  /** Moves the server's clock and signs in again (tokens live at most 30 days; the year is longer). */
  async function setClock(to: Date) {
    clock.set(to);
    bureau = await api.login(accounts.bureau.username, accounts.bureau.password);
    county = await api.login(accounts.county.username, accounts.county.password);
  }

  beforeAll(async () => {
    server = await startTestServer({ clock });
    api = apiClient(server.url);
    accounts.bureau = await createAccount(server.prisma, 'bureau');
    accounts.county = await createAccount(server.prisma, 'bureau', { county: true });
    await setClock(clock.now());
    const year = 3000 + Math.floor(Math.random() * 6999);
    const res = await api.post('/api/cycles', { year, name: `阶段测试 ${year}`, windows }, { token: bureau });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    cycleId = res.body.cycle.id;
  });

  afterAll(async () => {
    if (cycleId) await server.prisma.cycle.update({ where: { id: cycleId }, data: { status: 'archived' } });
    await server?.stop();
  });

  const upload = (lang: string) =>
    fetch(`${server.url}/api/imports/regions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/octet-stream', 'accept-language': lang },
      body: new Uint8Array(Buffer.from('"区县代码","区县名称"\r\n')),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  it('refuses an import outside setup, naming the phase that allows it, in both languages', async () => {
    await setClock(at('applications_open', DAY));
    const zh = await upload('zh-CN');
    expect(zh.status).toBe(409);
    expect(zh.body.error.code).toBe('PHASE_CLOSED');
    expect(zh.body.error.message).toBe('当前阶段（志愿填报）不能导入数据；导入数据只能在「准备阶段」进行');
    expect(zh.body.error.details).toEqual({ phase: 'applications_open', action: 'imports.upload', allowedIn: ['setup'] });
    const en = await upload('en');
    expect(en.status).toBe(409);
    expect(en.body.error.message).toBe('Importing files is not allowed in the current phase (Applications open); it is allowed in: Setup');
  });

  it('refuses computing quotas and starting the main round by the same table', async () => {
    await setClock(at('applications_open', DAY));
    const quotas = await api.post('/api/quotas/compute', undefined, { token: bureau });
    expect(quotas.status).toBe(409);
    expect(quotas.body.error.details).toEqual({ phase: 'applications_open', action: 'quotas.compute', allowedIn: ['setup'] });
    const round = await api.post('/api/rounds', { kind: 'main' }, { token: bureau });
    expect(round.status).toBe(409);
    expect(round.body.error.message).toContain('「志愿截止」、「第一轮录取」');
    expect(round.body.error.details).toMatchObject({ action: 'rounds.start-main', allowedIn: ['applications_closed', 'round1'] });
  });

  it('lists in GET /api/cycles/current exactly the actions the phase allows', async () => {
    for (const phase of ['setup', 'applications_open', 'round1', 'closed'] as const) {
      await setClock(phase === 'closed' ? new Date(windows[8].closesAt.getTime() + DAY) : at(phase, 1000));
      const res = await api.get('/api/cycles/current');
      expect(res.body.phase).toBe(phase);
      expect(res.body.actions).toEqual(actionsAllowedIn(phase));
    }
  });

  it('ends the open window now: the next starts at now, later windows keep their times, audited', async () => {
    const now = at('applications_open', 3 * DAY + 4567);
    await setClock(now);
    const before = await server.prisma.cyclePhase.findMany({ where: { cycleId }, orderBy: { opensAt: 'asc' } });

    expect((await api.post(`/api/cycles/${cycleId}/schedule/end-current`, undefined, { token: county })).status).toBe(403);

    const res = await api.post(`/api/cycles/${cycleId}/schedule/end-current`, undefined, { token: bureau });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.phase).toBe('applications_closed');
    expect(res.body.actions).toEqual(actionsAllowedIn('applications_closed'));
    const phases = res.body.phases as { phase: Phase; opensAt: string; closesAt: string }[];
    const byPhase = new Map(phases.map((p) => [p.phase, p]));
    expect(byPhase.get('applications_open')!.closesAt).toBe(now.toISOString());
    expect(byPhase.get('applications_closed')!.opensAt).toBe(now.toISOString());
    expect(byPhase.get('applications_closed')!.closesAt).toBe(windowOf(windows, 'applications_closed')!.closesAt.toISOString());
    for (const w of windows.filter((x) => x.phase !== 'applications_open' && x.phase !== 'applications_closed')) {
      expect(byPhase.get(w.phase), w.phase).toEqual({ phase: w.phase, opensAt: w.opensAt.toISOString(), closesAt: w.closesAt.toISOString() });
    }

    const stored = await server.prisma.cyclePhase.findMany({ where: { cycleId }, orderBy: { opensAt: 'asc' } });
    expect(stored.map((p) => [p.phase, p.opensAt.toISOString(), p.closesAt.toISOString()])).toEqual(phases.map((p) => [p.phase, p.opensAt, p.closesAt]));
    expect(before).toHaveLength(9);

    const audit = await server.prisma.auditLog.findFirst({ where: { action: 'cycle.schedule.end-current', entityId: cycleId }, orderBy: { seq: 'desc' } });
    expect(audit).not.toBeNull();
    expect(audit!.at.toISOString()).toBe(now.toISOString());
    expect(audit!.before).toMatchObject({ phase: 'applications_open' });
    expect(audit!.after).toMatchObject({ phase: 'applications_closed' });

    // The schedule stays valid: an edit that sends it back unchanged is accepted as is.
    const same = await api.put(`/api/cycles/${cycleId}/schedule`, { windows: phases }, { token: bureau });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(same.body.phases).toEqual(phases);
  });

  it('refuses ending a window once the year is closed', async () => {
    await setClock(new Date(windows[8].closesAt.getTime() + DAY));
    const res = await api.post(`/api/cycles/${cycleId}/schedule/end-current`, undefined, { token: bureau, headers: { 'accept-language': 'zh-CN' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PHASE_CLOSED');
    expect(res.body.error.message).toContain('当前阶段（已结束）不能提前结束当前阶段');
  });

  it('answers an unknown cycle with 404', async () => {
    await setClock(at('round1', 1000));
    expect((await api.post('/api/cycles/nope/schedule/end-current', undefined, { token: bureau })).status).toBe(404);
  });
});
