/**
 * One published round per cycle and kind, held by the database (a partial
 * unique index), not only by the check before the publish transaction: two
 * finished main rounds, 20 publish requests at once, exactly one 200.
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
let token: string;

async function finishedRound(body: unknown) {
  const res = await api.post('/api/rounds', body, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  for (let i = 0; i < 600; i++) {
    const round = await api.get(`/api/rounds/${res.body.id}`, { token });
    if (['succeeded', 'failed'].includes(round.body.status)) {
      expect(round.body.status).toBe('succeeded');
      return round.body.id as string;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('round did not finish');
}

beforeAll(async () => {
  server = await startTestServer({ worker: true, clock, env: { JWT_TTL: '30d' } });
  api = apiClient(server.url);
  city = await seedRoundCity(server.prisma, { students: 120, seed: 'publish-once' });
  const bureau = await createUser(server.prisma, { role: 'bureau' });
  token = await api.login(bureau.username, bureau.password);
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: city?.cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

describe('publication under concurrency', () => {
  it('20 concurrent publish requests on two finished main rounds: exactly one 200, one round published', async () => {
    clock.set(city.at('round1'));
    const a = await finishedRound({ kind: 'main', name: 'A' });
    const b = await finishedRound({ kind: 'main', name: 'B' });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => api.post(`/api/rounds/${i % 2 ? a : b}/publish`, undefined, { token })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200), JSON.stringify(statuses)).toHaveLength(1);
    for (const r of answers.filter((x) => x.status !== 200)) {
      expect(r.status, JSON.stringify(r.body)).toBe(409);
      expect(r.body.error.code).toBe('ROUND_ALREADY_PUBLISHED');
    }
    expect(await server.prisma.round.count({ where: { cycleId: city.cycleId, kind: 'main', status: 'published' } })).toBe(1);
    expect(await server.prisma.auditLog.count({ where: { action: 'round.publish', entityId: { in: [a, b] } } })).toBe(1);
  });
});
