/**
 * Dates are bounded to the years 2000-2100 wherever they come in, and the
 * database refuses a schedule window outside them (a year past 9999 is read
 * back as an invalid date and made every read of the cycle answer 500; the
 * migration clamps any such row), so the schedule stays readable and repairable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHASES, scheduleFrom, type Phase } from '../../server/domain/schedule/schedule';
import { createTestClock } from '../support/clock';
import { createUser, freeCycleYear } from '../support/factories';
import { apiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const DAY = 86_400_000;
const START = new Date('2040-03-01T00:00:00Z');
const windows = scheduleFrom(START, Object.fromEntries(PHASES.map((p) => [p, 10])) as Record<Phase, number>);
const clock = createTestClock(new Date(START.getTime() + DAY));
let server: TestServer;
let api: ReturnType<typeof apiClient>;
let token: string;
let cycleId: string;

beforeAll(async () => {
  server = await startTestServer({ clock, env: { JWT_TTL: '30d' } });
  api = apiClient(server.url);
  const bureau = await createUser(server.prisma, { role: 'bureau' });
  token = await api.login(bureau.username, bureau.password);
  const year = await freeCycleYear(server.prisma);
  const res = await api.post('/api/cycles', { year, name: `日期测试 ${year}`, windows }, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  cycleId = res.body.cycle.id;
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

describe('dates', () => {
  it('a window in the year 10000 (or 1999) is a 400 naming the field; nothing changes', async () => {
    for (const bad of ['+010000-01-01T00:00:00.000Z', '1999-12-31T00:00:00.000Z', '2101-01-01T00:00:00.000Z']) {
      const changed = windows.map((w) => (w.phase === 'closed' ? { ...w, closesAt: bad } : w));
      const res = await api.put(`/api/cycles/${cycleId}/schedule`, { windows: changed }, { token });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.field).toBe(`windows.${PHASES.indexOf('closed')}.closesAt`);
    }
    const cut = await api.post('/api/cycles', { year: 2099, name: 'x', policy: { quotaEligibilityCutoff: '10000-01-01' }, windows }, { token });
    expect(cut.status).toBe(400);
    const current = await api.get('/api/cycles/current');
    expect(current.body.cycle.id).toBe(cycleId);
  });

  it('the database refuses a window in the year 10000 even written by hand; reads and repairs keep working', async () => {
    await expect(
      server.prisma.$executeRaw`UPDATE "CyclePhase" SET "closesAt" = '10000-01-01 00:00:00' WHERE "cycleId" = ${cycleId} AND phase = 'closed'`,
    ).rejects.toThrow(/CyclePhase_dates_in_range/);
    const current = await api.get('/api/cycles/current');
    expect(current.status, JSON.stringify(current.body)).toBe(200);
    const dashboard = await api.get('/api/dashboard', { token });
    expect(dashboard.status, JSON.stringify(dashboard.body)).toBeLessThan(500);
    const moved = windows.map((w) => (w.phase === 'closed' ? { ...w, closesAt: new Date('2100-12-31T00:00:00.000Z') } : w));
    const repaired = await api.put(`/api/cycles/${cycleId}/schedule`, { windows: moved }, { token });
    expect(repaired.status, JSON.stringify(repaired.body)).toBe(200);
    const after = await api.get('/api/cycles/current');
    expect(after.status).toBe(200);
    expect(after.body.phases.find((p: any) => p.phase === 'closed').closesAt).toBe('2100-12-31T00:00:00.000Z');
  });
});
