/**
 * Keys that would reach an object's prototype, and tie-break keys the engine
 * cannot compare, are refused with a 400 naming the field; nothing is saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { DEFAULT_TEST_PASSWORD, createUser } from '../support/factories';
import { apiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';
import { createStudentWorld, type StudentWorld } from '../support/student-world';

const clock = createTestClock();
let server: TestServer;
let world: StudentWorld;
let api: ReturnType<typeof apiClient>;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ clock, env: { JWT_TTL: '30d' } });
  api = apiClient(server.url);
  world = await createStudentWorld(server.prisma);
  clock.set(world.during('applications_open'));
  token = await api.login(world.account.username, DEFAULT_TEST_PASSWORD);
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: world?.cycle.id }, data: { status: 'archived' } });
  await server?.stop();
});

describe('hostile keys', () => {
  it('a __proto__ batch key is a 400 and the saved choices are untouched', async () => {
    const choices = { 1: [world.schools.first.id] };
    const saved = await api.put('/api/student/application', { kind: 'main', baseVersion: 0, choices }, { token });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await api.put('/api/student/application', undefined, {
        token,
        rawBody: `{"kind":"main","baseVersion":1,"choices":{"${key}":["${world.schools.second.id}"]}}`,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.field).toBe(`choices.${key}`);
    }
    const nested = await api.put('/api/student/application', undefined, { token, rawBody: '{"kind":"main","baseVersion":1,"choices":{"1":["x"]},"x":{"y":{"__proto__":{"admin":true}}}}' });
    expect(nested.status).toBe(400);
    const after = await api.get('/api/student/application?kind=main', { token });
    expect(after.body).toMatchObject({ version: 1, choices });
    expect(await server.prisma.applicationVersion.count({ where: { application: { studentId: world.student.id } } })).toBe(1);
  });

  it('a round policy whose tie-break names unknown subjects is a 400 naming the key', async () => {
    const bureau = await createUser(server.prisma, { role: 'bureau' });
    const bureauToken = await api.login(bureau.username, bureau.password);
    clock.set(world.during('applications_closed'));
    for (const tieBreak of [['foo+bar'], ['math+foo'], ['math+math'], ['evaluation+math']]) {
      const res = await api.post('/api/rounds', { kind: 'simulation', policy: { tieBreak } }, { token: bureauToken });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.field).toBe('policy.tieBreak.0');
    }
    expect(await server.prisma.round.count({ where: { cycleId: world.cycle.id } })).toBe(0);
  });
});
