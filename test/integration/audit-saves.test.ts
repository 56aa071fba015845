/**
 * Saves of choices in the audit log (issue 14): a save is no longer an entry
 * of the hash chain (its global lock serialised deadline night); the audit
 * log reads saves from ApplicationVersion and merges them with the chained
 * entries in time order. Through HTTP: every save and every chained entry of
 * a student appears exactly once, newest first, across pages; the filters
 * (action prefix, entity, actor, time) apply to both; a save chained before
 * the change (an AuditLog entry of the same application and version) is shown
 * once; the chain still verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../server/services/audit.service';
import { createTestClock } from '../support/clock';
import { createUser } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';
import { createStudentWorld, type StudentWorld } from '../support/student-world';

const clock = createTestClock('2030-06-01T00:00:00Z');
let server: TestServer;
let api: ApiClient;
let world: StudentWorld;
let auditor: string;

beforeAll(async () => {
  server = await startTestServer({ clock, env: { JWT_TTL: '30d' } });
  api = apiClient(server.url);
  world = await createStudentWorld(server.prisma);
  const auditorUser = await createUser(server.prisma, { role: 'auditor' });
  auditor = await api.login(auditorUser.username, auditorUser.password);
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: world?.cycle.id }, data: { status: 'archived' } });
  await server?.stop();
});

describe('saves in the audit log', () => {
  it('merges saves and chained entries newest first, each once across pages, filtered alike', async () => {
    const { prisma } = server;
    const open = world.during('applications_open');
    const at = (minutes: number) => new Date(open.getTime() + minutes * 60_000);
    const token = await api.login(world.account.username, world.account.password);
    const actor = { id: world.account.id, role: 'student' as const };
    // Saves at minutes 1, 3, 5; chained entries of the same account at 2, 4, 6.
    let version = 0;
    for (let i = 0; i < 3; i++) {
      clock.set(at(2 * i + 1));
      const choices = { '1': [world.schools.first.id] };
      const saved = await api.put('/api/student/application', { baseVersion: version, choices }, { token });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      version = saved.body.version;
      await recordAudit(prisma, { actor, action: 'test.marker', entity: 'User', entityId: world.account.id, after: { i }, at: at(2 * i + 2) });
    }
    // No save was chained.
    expect(await prisma.auditLog.count({ where: { actorId: world.account.id, action: 'application.save' } })).toBe(0);

    const seen: { action: string; at: string; seq: string | null; id: string }[] = [];
    for (let offset = 0; offset < 10; offset += 2) {
      const page = await api.get(`/api/audit?actorId=${world.account.id}&offset=${offset}&limit=2`, { token: auditor });
      expect(page.status).toBe(200);
      expect(page.body.total).toBeGreaterThanOrEqual(6);
      seen.push(...page.body.items);
      if (page.body.items.length < 2) break;
    }
    const mine = seen.filter((e) => ['application.save', 'test.marker'].includes(e.action));
    expect(mine.map((e) => [e.action, e.at])).toEqual(
      [6, 5, 4, 3, 2, 1].map((m) => [m % 2 === 0 ? 'test.marker' : 'application.save', at(m).toISOString()]),
    );
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    expect(mine.filter((e) => e.action === 'application.save').every((e) => e.seq === null && e.id.startsWith('v:'))).toBe(true);
    expect(mine.filter((e) => e.action === 'test.marker').every((e) => e.seq !== null)).toBe(true);

    // Filters: action prefix, entity, actor by name, time window.
    const byAction = await api.get(`/api/audit?action=application.sa&actorId=${world.account.id}`, { token: auditor });
    expect(byAction.body.items.map((e: any) => e.after)).toEqual([
      { kind: 'main', version: 3 },
      { kind: 'main', version: 2 },
      { kind: 'main', version: 1 },
    ]);
    const byEntity = await api.get(`/api/audit?entity=User&actorId=${world.account.id}`, { token: auditor });
    expect(byEntity.body.items.every((e: any) => e.entity === 'User')).toBe(true);
    const byName = await api.get(`/api/audit?actor=${encodeURIComponent(world.student.name)}&action=application.`, { token: auditor });
    expect(byName.body.total).toBe(3);
    const window = await api.get(
      `/api/audit?actorId=${world.account.id}&from=${encodeURIComponent(at(2).toISOString())}&to=${encodeURIComponent(at(5).toISOString())}`,
      { token: auditor },
    );
    expect(window.body.items.map((e: any) => e.at)).toEqual([4, 3, 2].map((m) => at(m).toISOString()));

    // A save chained before the change is shown once, from the chain.
    const application = await prisma.application.findFirstOrThrow({ where: { studentId: world.student.id, kind: 'main' } });
    await recordAudit(prisma, { actor, action: 'application.save', entity: 'Application', entityId: application.id, after: { kind: 'main', version: 1 }, at: at(1) });
    const once = await api.get(`/api/audit?action=application.save&actorId=${world.account.id}`, { token: auditor });
    expect(once.body.total).toBe(3);
    expect(once.body.items.map((e: any) => [e.after.version, e.seq === null])).toEqual([
      [3, true],
      [2, true],
      [1, false],
    ]);

    expect((await api.get('/api/audit/verify', { token: auditor })).body).toMatchObject({ ok: true, broken: null });
  });
});
