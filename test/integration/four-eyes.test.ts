/**
 * Four eyes (issue 17) with PUBLISH_APPROVALS=2: publishing a round and
 * approving a change of a plan's seat counts take two different city-bureau
 * accounts. One account alone records an approval (202 awaiting_approval),
 * the same account again is 409, a county bureau is 403, a second city-bureau
 * account completes it; both approvals are in the audit log with names.
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
type Account = { id: string; username: string; displayName: string; token: string };
let first: Account;
let second: Account;
let third: Account;
let county: Account;

async function account(overrides: Parameters<typeof createUser>[1]): Promise<Account> {
  const user = await createUser(server.prisma, overrides);
  return { id: user.id, username: user.username, displayName: user.displayName, token: await api.login(user.username, user.password) };
}

async function finishedRound(body: unknown) {
  const res = await api.post('/api/rounds', body, { token: first.token });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  for (let i = 0; i < 600; i++) {
    const round = await api.get(`/api/rounds/${res.body.id}`, { token: first.token });
    if (['succeeded', 'failed'].includes(round.body.status)) {
      expect(round.body.status).toBe('succeeded');
      return round.body.id as string;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('round did not finish');
}

beforeAll(async () => {
  server = await startTestServer({ worker: true, clock, env: { JWT_TTL: '30d', PUBLISH_APPROVALS: '2' } });
  api = apiClient(server.url, { checkResponses: true });
  city = await seedRoundCity(server.prisma, { students: 120, seed: 'four-eyes' });
  [first, second, third] = await Promise.all([account({ role: 'bureau' }), account({ role: 'bureau' }), account({ role: 'bureau' })]);
  county = await account({ role: 'bureau', regionCode: `${city.prefix}HT` });
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: city?.cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

describe('four eyes on a plan change of seat counts', () => {
  let requestId: string;
  let plan: { capacity: number; highSchoolId: string };

  it('one city-bureau account records an approval (202); the same one again is 409; a county bureau is 403', async () => {
    clock.set(city.at('setup'));
    // A region-scope school of the county bureau's region, which it could decide alone with one approval.
    const school = await server.prisma.highSchool.findFirstOrThrow({ where: { id: { in: city.highSchoolIds }, scope: 'region', regionCode: `${city.prefix}HT` } });
    plan = await server.prisma.highSchoolPlan.findFirstOrThrow({ where: { cycleId: city.cycleId, highSchoolId: school.id } });
    const high = await account({ role: 'high', highSchoolId: school.id });
    const asked = await api.post(`/api/high-schools/${school.id}/plan-requests`, { changes: { capacity: plan.capacity - 1 }, reason: '少招一人' }, { token: high.token });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    requestId = asked.body.id;

    expect((await api.post(`/api/plan-requests/${requestId}/approve`, {}, { token: county.token })).status).toBe(403);
    const one = await api.post(`/api/plan-requests/${requestId}/approve`, { note: '同意' }, { token: first.token });
    expect(one.status, JSON.stringify(one.body)).toBe(202);
    expect(one.body).toMatchObject({ status: 'awaiting_approval', approvals: 1, required: 2 });
    expect(one.body.approvedBy.map((a: { username: string }) => a.username)).toEqual([first.username]);
    const again = await api.post(`/api/plan-requests/${requestId}/approve`, {}, { token: first.token, headers: { 'accept-language': 'en' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_APPROVED');
    expect(again.body.error.message).toContain('different city-bureau account');
    // Nothing applied yet; the bureau's queue shows 1 of 2 and who.
    expect((await server.prisma.highSchoolPlan.findUniqueOrThrow({ where: { id: (plan as { id?: string }).id! } })).capacity).toBe(plan.capacity);
    const list = await api.get('/api/plan-requests?status=pending', { token: second.token });
    const listed = list.body.requests.find((r: { id: string }) => r.id === requestId);
    expect(listed.approvals).toMatchObject({ required: 2, count: 1 });
    expect(listed.approvals.approvedBy[0].displayName).toBe(first.displayName);
  });

  it('a second, different city-bureau account applies it; both approvals are in the audit log with names', async () => {
    const two = await api.post(`/api/plan-requests/${requestId}/approve`, {}, { token: second.token });
    expect(two.status, JSON.stringify(two.body)).toBe(200);
    expect(two.body.status).toBe('approved');
    const after = await server.prisma.highSchoolPlan.findFirstOrThrow({ where: { cycleId: city.cycleId, highSchoolId: plan.highSchoolId } });
    expect(after.capacity).toBe(plan.capacity - 1);
    const entries = await server.prisma.auditLog.findMany({ where: { entityId: requestId, action: { startsWith: 'plan.change.approv' } }, orderBy: { seq: 'asc' } });
    expect(entries.map((e) => [e.action, e.actorId])).toEqual([
      ['plan.change.approval', first.id],
      ['plan.change.approve', second.id],
    ]);
    const names = (entries[1].after as { approvedBy: { username: string; displayName: string }[] }).approvedBy;
    expect(names.map((n) => n.username)).toEqual([first.username, second.username]);
    expect(names.map((n) => n.displayName)).toEqual([first.displayName, second.displayName]);
  });

  it('a change that moves no seat count still takes one approval', async () => {
    const school = city.highSchoolIds[0];
    const high = await account({ role: 'high', highSchoolId: school });
    const asked = await api.post(`/api/high-schools/${school}/plan-requests`, { changes: { minScore: 123 }, reason: '调整最低分' }, { token: high.token });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const one = await api.post(`/api/plan-requests/${asked.body.id}/approve`, {}, { token: first.token });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.status).toBe('approved');
  });
});

describe('four eyes on publishing a round', () => {
  let mainId: string;

  it('one account alone cannot publish: 202 awaiting_approval, the round stays unpublished', async () => {
    clock.set(city.at('applications_closed'));
    mainId = await finishedRound({ kind: 'main', name: '第一轮' });
    clock.set(city.at('round1'));
    const one = await api.post(`/api/rounds/${mainId}/publish`, undefined, { token: first.token });
    expect(one.status, JSON.stringify(one.body)).toBe(202);
    expect(one.body).toMatchObject({ status: 'awaiting_approval', approvals: 1, required: 2 });
    const round = await api.get(`/api/rounds/${mainId}`, { token: first.token });
    expect(round.body.status).toBe('succeeded');
    expect(round.body.approvals).toMatchObject({ required: 2, count: 1 });
    expect(round.body.approvals.approvedBy[0].username).toBe(first.username);
    expect(await server.prisma.round.count({ where: { cycleId: city.cycleId, status: 'published' } })).toBe(0);
  });

  it('the same account cannot approve twice (409); a county bureau cannot approve (403)', async () => {
    const again = await api.post(`/api/rounds/${mainId}/publish`, undefined, { token: first.token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_APPROVED');
    expect(again.body.error.message).toContain('另一名市教育局账号');
    expect((await api.post(`/api/rounds/${mainId}/publish`, undefined, { token: county.token })).status).toBe(403);
    expect((await server.prisma.approval.findMany({ where: { subject: 'round.publish', subjectId: mainId } })).map((a) => a.userId)).toEqual([first.id]);
  });

  it('a second city-bureau account publishes; two at once: one publishes, the other is told it is published', async () => {
    const answers = await Promise.all([second, third].map((a) => api.post(`/api/rounds/${mainId}/publish`, undefined, { token: a.token })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const published = answers.find((a) => a.status === 200)!;
    expect(published.body.status).toBe('published');
    expect(published.body.approvals.count).toBe(2);
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('ROUND_ALREADY_PUBLISHED');
    expect(await server.prisma.round.count({ where: { cycleId: city.cycleId, status: 'published' } })).toBe(1);

    const entries = await server.prisma.auditLog.findMany({ where: { entityId: mainId, action: { startsWith: 'round.publish' } }, orderBy: { seq: 'asc' } });
    expect(entries.map((e) => e.action)).toEqual(['round.publish.approve', 'round.publish']);
    expect(entries[0].actorId).toBe(first.id);
    const after = entries[1].after as { approvedBy: { username: string; displayName: string }[]; approvals: number; required: number };
    expect(after.approvals).toBe(2);
    expect(after.required).toBe(2);
    expect(after.approvedBy[0]).toMatchObject({ username: first.username, displayName: first.displayName });
    expect([second.username, third.username]).toContain(after.approvedBy[1].username);
    expect(entries[1].actorId).toBe(after.approvedBy[1].username === second.username ? second.id : third.id);
  });
});
