import { afterAll, describe, expect, it } from 'vitest';
import { createUser } from '../support/factories';
import { apiClient, type ApiResponse } from '../support/http';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/server';

/**
 * Rate limits and the sign-in throttle beyond what app.test.ts and oversight.test.ts check
 * (a 429 past the limit): the RateLimit headers (IETF draft 8) and
 * Retry-After, the count shared by every sign-in route, one count per client
 * (X-Forwarded-For counts only behind a trusted proxy, so it cannot be
 * spoofed), the window resetting, and the per-(account, address) sign-in
 * throttle that replaced the account lockout: failures from elsewhere never
 * refuse the right password. Windows are a few seconds long so the reset
 * can be seen; the test waits for it rather than timing it.
 */

const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
});

async function serverWith(env: TestServerOptions['env']) {
  const server = await startTestServer({ env });
  servers.push(server);
  return server;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The draft-8 `RateLimit` header: remaining requests and seconds to the reset. */
function rateLimit(res: ApiResponse): { remaining: number; reset: number } {
  const header = res.headers.get('ratelimit') ?? '';
  const match = /r=(\d+); t=(\d+)/.exec(header);
  if (!match) throw new Error(`no draft-8 RateLimit header: "${header}"`);
  return { remaining: Number(match[1]), reset: Number(match[2]) };
}

/** Retries `attempt` until it is no longer rate limited: after the reset the header announced, then a little longer at most. */
async function afterReset(resetSeconds: number, attempt: () => Promise<ApiResponse>): Promise<ApiResponse> {
  await sleep(resetSeconds * 1000);
  for (let i = 0; ; i++) {
    const res = await attempt();
    if (res.status !== 429 || i >= 40) return res;
    await sleep(250);
  }
}

function expectRateLimited(res: ApiResponse) {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ error: { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' } });
  expect(rateLimit(res).remaining).toBe(0);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 0).toBe(true);
  expect(res.headers.get('cache-control')).toBe('no-store');
}

describe('sign-in rate limit per client', () => {
  it('counts down in RateLimit headers and answers 429 with Retry-After on every sign-in route', async () => {
    const server = await serverWith({ LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW: '10m' });
    const api = apiClient(server.url);
    const user = await createUser(server.prisma);

    const first = await api.post('/api/auth/login', { username: user.username, password: user.password });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toMatch(/q=3; w=600/);
    expect(rateLimit(first).remaining).toBe(2);
    const token = first.body.token as string;

    const second = await api.post('/api/auth/login', { username: 'nobody', password: 'wrong-1' });
    expect(second.status).toBe(401);
    expect(rateLimit(second).remaining).toBe(1);
    expect((await api.post('/api/auth/login', { username: 'nobody', password: 'wrong-2' })).status).toBe(401);

    const limited = await api.post('/api/auth/login', { username: user.username, password: user.password });
    expectRateLimited(limited);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(600);
    // The right password does not get through either, nor the other routes that take a password or a code.
    expectRateLimited(await api.post('/api/auth/password', { currentPassword: user.password, newPassword: 'Another-passw0rd' }, { token }));
    expectRateLimited(await api.post('/api/auth/totp/verify', { mfaToken: 'x', code: '123456' }));
    // Without a trusted proxy, X-Forwarded-For is the client's word: it does not make a new client.
    expectRateLimited(await api.post('/api/auth/login', { username: 'nobody', password: 'x' }, { headers: { 'x-forwarded-for': '203.0.113.9' } }));
    // Other routes are not limited by it.
    expect((await api.get('/api/auth/me', { token })).status).toBe(200);
  });

  it('lets the client in again once the window has passed', async () => {
    const server = await serverWith({ LOGIN_RATE_LIMIT: '1', LOGIN_RATE_WINDOW: '3' });
    const api = apiClient(server.url);
    const user = await createUser(server.prisma);
    expect((await api.post('/api/auth/login', { username: 'nobody', password: 'x' })).status).toBe(401);
    const limited = await api.post('/api/auth/login', { username: user.username, password: user.password });
    expectRateLimited(limited);
    const after = await afterReset(rateLimit(limited).reset, () => api.post('/api/auth/login', { username: user.username, password: user.password }));
    expect(after.status).toBe(200);
    expect(rateLimit(after).remaining).toBe(0);
  });

  it('keeps one count per client address behind a trusted proxy', async () => {
    const server = await serverWith({ LOGIN_RATE_LIMIT: '2', TRUST_PROXY: '1' });
    const api = apiClient(server.url);
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 2; i++) expect((await api.post('/api/auth/login', { username: 'nobody', password: 'x' }, from('198.51.100.1'))).status).toBe(401);
    expectRateLimited(await api.post('/api/auth/login', { username: 'nobody', password: 'x' }, from('198.51.100.1')));
    const other = await api.post('/api/auth/login', { username: 'nobody', password: 'x' }, from('198.51.100.2'));
    expect(other.status).toBe(401);
    expect(rateLimit(other).remaining).toBe(1);
  });
});

describe('complaint form rate limit', () => {
  // Incomplete reports (400) count too: the limit is on posting, not on success.
  const report = { schoolName: '某某学校', contact: '13800138000', description: '太短' };

  it('counts down in RateLimit headers and answers 429 with Retry-After', async () => {
    const server = await serverWith({ COMPLAINT_RATE_LIMIT: '2' });
    const api = apiClient(server.url);
    const first = await api.post('/api/complaints', report);
    expect(first.status).toBe(400);
    // The default window: an hour.
    expect(first.headers.get('ratelimit-policy')).toMatch(/q=2; w=3600/);
    expect(rateLimit(first).remaining).toBe(1);
    expect((await api.post('/api/complaints', report)).status).toBe(400);
    expectRateLimited(await api.post('/api/complaints', report));
    // Reading the school list is not limited.
    expect((await api.get('/api/complaints/schools')).status).toBe(200);
  });

  it('takes reports again once the window has passed', async () => {
    const server = await serverWith({ COMPLAINT_RATE_LIMIT: '1', COMPLAINT_RATE_WINDOW: '3' });
    const api = apiClient(server.url);
    expect((await api.post('/api/complaints', report)).status).toBe(400);
    const limited = await api.post('/api/complaints', report);
    expectRateLimited(limited);
    const after = await afterReset(rateLimit(limited).reset, () => api.post('/api/complaints', report));
    expect(after.status).toBe(400);
    expect(after.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('no account lockout: the throttle per (account, address)', () => {
  it('never refuses the right password because of failures from other addresses, and throttles the guessing address only', async () => {
    const server = await serverWith({ TRUST_PROXY: '1' });
    const api = apiClient(server.url);
    const user = await createUser(server.prisma);
    const from = (n: number) => ({ headers: { 'x-forwarded-for': `192.0.2.${n}` } });
    for (let attempt = 1; attempt <= 6; attempt++) {
      expect((await api.post('/api/auth/login', { username: user.username, password: `wrong-${attempt}` }, from(attempt))).status).toBe(401);
    }
    // Six failures in a row, no lock: the right password from yet another address signs in.
    expect((await api.post('/api/auth/login', { username: user.username, password: user.password }, from(7))).status).toBe(200);

    // One address that keeps guessing waits, unchecked, with Retry-After.
    for (let attempt = 2; attempt <= 5; attempt++) {
      expect((await api.post('/api/auth/login', { username: user.username, password: `again-${attempt}` }, from(1))).status).toBe(401);
    }
    const throttled = await api.post('/api/auth/login?lang=en', { username: user.username, password: user.password }, from(1));
    expect(throttled.status).toBe(429);
    expect(throttled.body.error).toMatchObject({ code: 'SIGN_IN_THROTTLED', message: 'Too many failed attempts for this account from this device; try again in 1 s' });
    expect(throttled.headers.get('retry-after')).toBe('1');
    // Another account on the same address is not affected, nor the account from another address.
    const other = await createUser(server.prisma);
    expect((await api.post('/api/auth/login', { username: other.username, password: other.password }, from(1))).status).toBe(200);
    expect((await api.post('/api/auth/login', { username: user.username, password: user.password }, from(8))).status).toBe(200);
  });

  it('counts by the real client address: without a trusted proxy, X-Forwarded-For does not make a new one', async () => {
    const server = await serverWith({});
    const api = apiClient(server.url);
    const user = await createUser(server.prisma);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const spoofed = { headers: { 'x-forwarded-for': `203.0.113.${attempt}` } };
      expect((await api.post('/api/auth/login', { username: user.username, password: `wrong-${attempt}` }, spoofed)).status).toBe(401);
    }
    const res = await api.post('/api/auth/login', { username: user.username, password: user.password }, { headers: { 'x-forwarded-for': '203.0.113.99' } });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('SIGN_IN_THROTTLED');
  });
});
