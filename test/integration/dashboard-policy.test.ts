/**
 * The dashboard's "quality schools' quota share" figure is measured against
 * the cycle's own policy (quotaPercent), set through the cycle API. It used to
 * read a `quotaShare` key the cycle schema cannot set, so it always said 50%.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHASES, scheduleFrom, type Phase } from '../../server/domain/schedule/schedule';
import { createTestClock } from '../support/clock';
import { createUser, freeCycleYear } from '../support/factories';
import { apiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const START = new Date('2041-03-01T00:00:00Z');
const clock = createTestClock(new Date(START.getTime() + 3_600_000));
let server: TestServer;
let api: ReturnType<typeof apiClient>;
let cycleId: string;

beforeAll(async () => {
  server = await startTestServer({ clock, env: { JWT_TTL: '30d' } });
  api = apiClient(server.url, { checkResponses: true });
});

afterAll(async () => {
  if (cycleId) await server.prisma.cycle.updateMany({ where: { id: cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

describe('dashboard and the cycle policy', () => {
  it('requires the quota share the cycle policy sets (quotaPercent 60 -> 0.6)', async () => {
    const bureau = await createUser(server.prisma, { role: 'bureau' });
    const token = await api.login(bureau.username, bureau.password);
    const windows = scheduleFrom(START, Object.fromEntries(PHASES.map((p) => [p, 10])) as Record<Phase, number>);
    const year = await freeCycleYear(server.prisma);
    const created = await api.post('/api/cycles', { year, name: `政策 ${year}`, policy: { quotaPercent: 60 }, windows }, { token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    cycleId = created.body.cycle.id;
    const stored = await server.prisma.cycle.findUniqueOrThrow({ where: { id: cycleId } });
    // The stored policy says every rule, defaults included.
    expect(stored.policy).toMatchObject({ quotaPercent: 60, declinedMayJoinSupplementary: false, quotaEligibilityCutoff: `${year - 3}-09-01` });
    const dashboard = await api.get(`/api/dashboard?cycleId=${cycleId}`, { token });
    expect(dashboard.status, JSON.stringify(dashboard.body)).toBe(200);
    expect(dashboard.body.indicators.qualityQuotaShare.required).toBe(0.6);
  });
});
