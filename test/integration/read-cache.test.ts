/**
 * The API's read cache (READ_CACHE_TTL_MS, server/repositories/read-cache.ts)
 * switched on, as in production: it must never let a revoked token through in
 * the process that revoked it, never hide this process's own writes, and show
 * another replica's change once the TTL has passed.
 */
import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { createAccount } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';
import { createStudentWorld, type StudentWorld } from '../support/student-world';

const TTL_MS = 300;
const clock = createTestClock();
let server: TestServer;
let api: ApiClient;
let world: StudentWorld;

beforeAll(async () => {
  server = await startTestServer({ clock, env: { READ_CACHE_TTL_MS: String(TTL_MS) } });
  api = apiClient(server.url);
  world = await createStudentWorld(server.prisma);
  clock.set(world.during('applications_open'));
});

afterAll(async () => {
  if (world) await server.prisma.cycle.update({ where: { id: world.cycle.id }, data: { status: 'archived' } });
  await server?.stop();
});

const schoolIds = (body: { batches: { schools: { id: string }[] }[] }) => body.batches.flatMap((b) => b.schools.map((s) => s.id));

describe('read cache', () => {
  it('a token stops working at once after logout, though the account was just read from the cache', async () => {
    const token = await api.login(world.account.username, world.account.password);
    expect((await api.get('/api/student/overview', { token })).status).toBe(200);
    expect((await api.post('/api/auth/logout', undefined, { token })).status).toBe(204);
    const after = await api.get('/api/student/overview', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('SESSION_EXPIRED');
  });

  it('saves stay versioned: each save sees the last one, a stale base gets 409', async () => {
    const token = await api.login(world.account2.username, world.account2.password);
    const first = (await api.get('/api/student/application?kind=main', { token })).body;
    const choices = { '3': [world.schools.vocational.id] };
    const a = await api.put('/api/student/application', { kind: 'main', baseVersion: first.version, choices }, { token });
    expect(a.status).toBe(200);
    const b = await api.put('/api/student/application', { kind: 'main', baseVersion: a.body.version, choices }, { token });
    expect(b.status).toBe(200);
    expect(b.body.version).toBe(a.body.version + 1);
    const stale = await api.put('/api/student/application', { kind: 'main', baseVersion: a.body.version, choices }, { token });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.currentVersion).toBe(b.body.version);
  });

  it('lets a bureau account that must enroll in TOTP set it up, turn it on and go on, with no stale account in the way', async () => {
    const strict = await startTestServer({ clock, env: { READ_CACHE_TTL_MS: '60000', BUREAU_TOTP_REQUIRED: 'true' } });
    try {
      const strictApi = apiClient(strict.url);
      const user = await createAccount(strict.prisma, 'bureau');
      const { token } = (await strictApi.post('/api/auth/login', { username: user.username, password: user.password })).body;
      expect((await strictApi.get('/api/bureau/home', { token })).body.error.code).toBe('TOTP_ENROLLMENT_REQUIRED');
      const setup = await strictApi.post('/api/auth/totp/setup', undefined, { token });
      const code = URI.parse(setup.body.uri).generate({ timestamp: clock.now().getTime() });
      const enabled = await strictApi.post('/api/auth/totp/enable', { code }, { token });
      expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
      expect((await strictApi.get('/api/bureau/home', { token })).status).toBe(200);
    } finally {
      await strict.stop();
    }
  });

  it("shows another replica's change (made straight in the database) once the TTL has passed", async () => {
    const token = await api.login(world.account2.username, world.account2.password);
    const before = await api.get('/api/student/application?kind=main', { token });
    expect(schoolIds(before.body)).toContain(world.schools.strict.id);
    await server.prisma.highSchoolPlan.updateMany({ where: { cycleId: world.cycle.id, highSchoolId: world.schools.strict.id }, data: { status: 'draft' } });
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 100));
    const after = await api.get('/api/student/application?kind=main', { token });
    expect(schoolIds(after.body)).not.toContain(world.schools.strict.id);
    await server.prisma.highSchoolPlan.updateMany({ where: { cycleId: world.cycle.id, highSchoolId: world.schools.strict.id }, data: { status: 'approved' } });
  });
});
