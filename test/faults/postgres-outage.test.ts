/**
 * PostgreSQL stopped under a running API (the real server/main.ts process):
 * every database-backed route answers 503 DATABASE_UNAVAILABLE with a
 * Retry-After and a message in Chinese or English, never a 500, also for
 * requests cut off mid-query; /api/health says the database is down; the
 * process stays up. PostgreSQL started again on the same folder and port: the
 * same process answers 200 again without being restarted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiClient, type ApiResponse } from '../support/http';
import { DEMO_PASSWORD, loadCity, platformEnv, since, sleep, spawnApi, startFaultServices, waitFor, type FaultServices, type PlatformProcess } from './support';

let services: FaultServices;
let api: PlatformProcess & { url: string };
let http: ApiClient;
let studentUsername: string;
let studentToken: string;
const EN = { headers: { 'accept-language': 'en' } };

beforeAll(async () => {
  services = await startFaultServices('postgres');
  await loadCity(services.prisma, { students: 800, seed: 'faults-postgres', phase: 'applications_open' });
  const student = await services.prisma.user.findFirstOrThrow({ where: { role: 'student' }, orderBy: { username: 'asc' } });
  studentUsername = student.username;
  api = await spawnApi(services, platformEnv(services));
  http = apiClient(api.url);
  studentToken = await http.login(studentUsername, DEMO_PASSWORD).catch((error) => {
    throw new Error(`${error.message}\n${api.logTail()}`);
  });
});

afterAll(async () => {
  await api?.kill('SIGTERM');
  await services?.stop();
});

/** Requests that all need PostgreSQL: sign-in, a student's application, its history, the overview. */
const databaseRoutes: ((lang?: typeof EN) => Promise<ApiResponse>)[] = [
  (lang) => http.post('/api/auth/login', { username: studentUsername, password: DEMO_PASSWORD }, lang),
  (lang) => http.get('/api/student/application', { token: studentToken, ...lang }),
  (lang) => http.get('/api/student/application/history', { token: studentToken, ...lang }),
  (lang) => http.get('/api/student/overview', { token: studentToken, ...lang }),
];

const databaseRequests = (lang?: typeof EN) => databaseRoutes.map((route) => route(lang));

/**
 * Stops PostgreSQL under more concurrent requests than the API's connection
 * pool holds (some wait for a connection, some are cut off mid-query) and
 * returns every status they got.
 */
async function stopUnderLoad(): Promise<number[]> {
  let hammering = true;
  const statuses: number[] = [];
  const lanes = Array.from({ length: 16 }, async (_, lane) => {
    while (hammering) statuses.push((await databaseRoutes[lane % databaseRoutes.length]()).status);
  });
  await sleep(1_500);
  await services.stopPostgres();
  await sleep(500);
  hammering = false;
  await Promise.all(lanes);
  const count = (status: number) => statuses.filter((s) => s === status).length;
  console.log(`requests around the shutdown: ${count(200)} answered 200, ${count(503)} answered 503, ${statuses.length - count(200) - count(503)} other`);
  return statuses;
}

/** Starts PostgreSQL again and waits until the API answers 200 (only 503 in between); returns the milliseconds. */
async function startAndRecover(): Promise<number> {
  const started = performance.now();
  await services.startPostgres();
  await waitFor(
    'the API to answer 200 again',
    async () => {
      const res = await http.get('/api/student/application', { token: studentToken });
      expect([200, 503]).toContain(res.status);
      return res.status === 200;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  const ms = since(started);
  console.log(`API answering 200 again ${ms} ms after PostgreSQL was started (server start included)`);
  return ms;
}

describe('PostgreSQL stopped and started again under a running API', () => {
  it('answers 503 DATABASE_UNAVAILABLE (never 500) while it is down, then recovers by itself', async () => {
    const before = await http.get('/api/student/application', { token: studentToken });
    expect(before.status).toBe(200);

    // Requests in flight while the server shuts down: cut off mid-query, waiting for a connection, or refused.
    const duringShutdown = await stopUnderLoad();
    expect(duringShutdown.length).toBeGreaterThan(0);
    expect(duringShutdown.filter((s) => s !== 200 && s !== 503)).toEqual([]);

    // Down: every database route says so, in the caller's language.
    const zh = await Promise.all(databaseRequests());
    for (const res of zh) {
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(res.body.error.code).toBe('DATABASE_UNAVAILABLE');
      expect(res.body.error.message).toBe('数据库暂不可用，请稍后重试');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const en = await Promise.all(databaseRequests(EN));
    for (const res of en) {
      expect(res.status).toBe(503);
      expect(res.body.error.message).toBe('The database is unavailable at the moment, please try again shortly');
    }
    const save = await http.put('/api/student/application', { baseVersion: 1, choices: {} }, { token: studentToken });
    expect(save.status).toBe(503);
    expect(save.body.error.code).toBe('DATABASE_UNAVAILABLE');

    const health = await http.get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', checks: { database: 'down', redis: 'ok' } });
    // Requests that need no database still work.
    expect((await http.get('/api/openapi.json')).status).toBe(200);
    expect(api.alive()).toBe(true);

    // Back: the same process (no restart) answers again once PostgreSQL accepts connections.
    await startAndRecover();
    const recovered = await http.get('/api/student/application', { token: studentToken });
    expect(recovered.body.version).toBe(before.body.version);
    for (const res of await Promise.all(databaseRequests())) expect(res.status).toBe(200);
    expect((await http.get('/api/health')).body.checks).toEqual({ database: 'ok', redis: 'ok' });
    expect(api.alive()).toBe(true);
  });

  it('survives further stops under load, never answering 500, and recovers each time', async () => {
    for (let cycle = 0; cycle < 2; cycle++) {
      const statuses = await stopUnderLoad();
      expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(api.alive()).toBe(true);
      await startAndRecover();
    }
    for (const res of await Promise.all(databaseRequests())) expect(res.status).toBe(200);
    expect(api.alive()).toBe(true);
  });
});
