/**
 * The API started while Redis is down: sign-in works without the rate limit
 * (its store fails; the sign-in throttle per account and address, kept in
 * PostgreSQL, still holds), and once Redis is back
 * the per-IP sign-in limit holds again without restarting the API. The
 * limiter's library loads its scripts once at start and kept the failure;
 * server/infra/rate-limit-store.ts loads them again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { platformEnv, spawnApi, startFaultServices, waitFor, type FaultServices, type PlatformProcess } from './support';

const LIMIT = 3;
let services: FaultServices;
let api: PlatformProcess & { url: string };
let http: ApiClient;

beforeAll(async () => {
  services = await startFaultServices('redis-at-start');
  await services.killRedis();
  api = await spawnApi(services, platformEnv(services, { LOGIN_RATE_LIMIT: String(LIMIT) }));
  http = apiClient(api.url);
}, 120_000);

afterAll(async () => {
  await api?.kill('SIGTERM');
  await services?.stop();
});

describe('API started with Redis down', () => {
  it('still throttles an address guessing a password: the failure counts are in PostgreSQL', async () => {
    const user = await createAccount(services.prisma, 'student');
    for (let i = 1; i <= 5; i++) expect((await http.post('/api/auth/login', { username: user.username, password: `wrong-${i}` })).status).toBe(401);
    const throttled = await http.post('/api/auth/login', { username: user.username, password: user.password });
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('SIGN_IN_THROTTLED');
  });

  it('signs in without the limit while Redis is down, and limits again once it is back, with no restart', async () => {
    const user = await createAccount(services.prisma, 'bureau');
    const signIn = () => http.post('/api/auth/login', { username: user.username, password: user.password });

    for (let i = 0; i < LIMIT + 2; i++) expect((await signIn()).status).toBe(200);

    await services.startRedis();
    await waitFor('the API to reach Redis again', async () => (await http.get('/api/health')).status === 200, { timeoutMs: 30_000, intervalMs: 200 });
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) statuses.push((await signIn()).status);
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
    expect(api.alive()).toBe(true);
  });
});
