import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIGN_IN_THROTTLE, signInCountName } from '../../server/domain/auth/auth.rules';
import { REFRESH_REUSE_GRACE_MS } from '../../server/services/refresh-tokens';
import { createTestClock } from '../support/clock';
import { createAccount } from '../support/factories';
import { apiClient, type ApiClient, type ApiResponse } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Sign-in that cannot be turned against its users, and sessions that end when
 * stolen (issue 14), through the HTTP API against the real PostgreSQL and Redis:
 *
 * - wrong passwords from one address throttle that address for that account
 *   only; the owner signs in from elsewhere at once; no lock;
 * - an unknown username is answered exactly like a real one (status, body,
 *   timing, and the throttle's 429);
 * - a reused refresh token ends its sign-in's access tokens too, on every API
 *   process within the read cache's TTL; two tabs refreshing at once both stay
 *   signed in; a replay after the grace window still ends the sign-in.
 *
 * The client address is chosen with X-Forwarded-For, which counts because the
 * servers trust one proxy hop (TRUST_PROXY=1), as behind the production nginx.
 * The throttle is the production one (DEFAULT_SIGN_IN_THROTTLE). The servers
 * run on test clocks, which stand still unless a test moves them: a wait never
 * runs out by itself on a slow machine, and the session tests can pass the
 * 30 s grace window. (The account-wide delay is a real sleep: it is timed.)
 */

const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
});

async function serverWith(options: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

/** A fresh documentation address (RFC 5737) for each call, so tests never share a client. */
let nextAddress = 1;
function newAddress(): string {
  const n = nextAddress++;
  return `198.51.${100 + Math.floor(n / 250)}.${n % 250}`;
}
const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function timed(request: () => Promise<ApiResponse>): Promise<{ res: ApiResponse; ms: number }> {
  const started = performance.now();
  const res = await request();
  return { res, ms: performance.now() - started };
}

describe('sign-in throttle (production policy)', () => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await serverWith({ clock: createTestClock(), env: { TRUST_PROXY: '1' } });
    api = apiClient(server.url);
  });

  it('50 wrong passwords from one address do not keep the student out from another address', async () => {
    const student = await createAccount(server.prisma, 'student');
    const attacker = newAddress();
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 50; attempt++) {
      statuses.push((await api.post('/api/auth/login', { username: student.username, password: `guess-${attempt}` }, from(attacker))).status);
    }
    // Five are checked; then the address waits (1 s, the clock standing still) and its attempts are refused unchecked.
    const checked = DEFAULT_SIGN_IN_THROTTLE.freeFailures;
    expect(statuses).toEqual([...Array(checked).fill(401), ...Array(50 - checked).fill(429)]);

    // The owner, elsewhere, signs in at once: only the bounded account-wide delay (at most 1.5 s).
    const owner = await timed(() => api.post('/api/auth/login', { username: student.username, password: student.password }, from(newAddress())));
    expect(owner.res.status, JSON.stringify(owner.res.body)).toBe(200);
    expect(owner.ms).toBeLessThan(DEFAULT_SIGN_IN_THROTTLE.maxAccountDelayMs + 1_500);
    expect((await api.get('/api/auth/me', { token: owner.res.body.token })).status).toBe(200);

    // The 51st attempt from the attacking address is refused unchecked, even with the right password.
    const fiftyFirst = await api.post('/api/auth/login', { username: student.username, password: student.password }, from(attacker));
    expect(fiftyFirst.status).toBe(429);
    expect(fiftyFirst.body.error.code).toBe('SIGN_IN_THROTTLED');
    expect(Number(fiftyFirst.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(fiftyFirst.body.error.message).toMatch(/^该账号在本设备上登录失败次数过多，请 \d+ (秒|分钟)后再试$/);

    // Counted per (account, address): the owner's address has nothing against it, no account row is locked.
    // Counted under a keyed hash of the name, never the name as typed (it may be a 身份证号).
    expect(await server.prisma.signInFailure.count({ where: { username: student.username } })).toBe(0);
    const rows = await server.prisma.signInFailure.findMany({ where: { username: signInCountName(server.env.JWT_SECRET, student.username) } });
    expect(rows.map((row) => [row.address, row.failures])).toEqual([[attacker, checked]]);
    const account = await server.prisma.user.findUniqueOrThrow({ where: { id: student.id } });
    expect(account.lockedUntil).toBeNull();
  });

  it('answers an unknown username exactly like a wrong password: status, body and timing', async () => {
    const known = await createAccount(server.prisma, 'student');
    const unknown = `t-student-nobody-${randomBytes(4).toString('hex')}`;
    // Timed on a server without the account-wide delay, so the password hash (the work an unknown name
    // could skip) is most of each answer; the delay itself depends on the name's counts only.
    const undelayed = apiClient((await serverWith({ env: { TRUST_PROXY: '1' }, throttle: { ...DEFAULT_SIGN_IN_THROTTLE, accountDelayStepMs: 0 } })).url);
    const attempt = (username: string) =>
      timed(() => undelayed.post('/api/auth/login', { username, password: 'Wrong-password-1' }, from(newAddress())));

    // Warm up (the first hash of a process is slower), then alternate, each from a new address.
    await attempt(`t-warmup-${randomBytes(4).toString('hex')}`);
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let round = 0; round < 11; round++) {
      const a = await attempt(known.username);
      const b = await attempt(unknown);
      expect(a.res.status).toBe(401);
      expect(b.res.status).toBe(401);
      expect(b.res.body).toEqual(a.res.body);
      knownTimes.push(a.ms);
      unknownTimes.push(b.ms);
    }
    const [k, u] = [median(knownTimes), median(unknownTimes)];
    // The same work: the account-wide delay (grows with the name's failures), a password hash, one upsert.
    // Skipping the hash for an unknown name shows as ~3x faster answers (ratio ~0.33); a loaded 2-core
    // machine moves the ratio of the medians of alternated attempts far less than that.
    expect(Math.min(k, u) / Math.max(k, u), `medians ${k.toFixed(0)} ms vs ${u.toFixed(0)} ms`).toBeGreaterThan(0.5);

    // And the throttle: five failures from one address, then the same 429 for both.
    const throttledAfterFive = async (username: string) => {
      const address = newAddress();
      for (let i = 0; i < DEFAULT_SIGN_IN_THROTTLE.freeFailures; i++) {
        expect((await api.post('/api/auth/login', { username, password: 'Wrong-password-1' }, from(address))).status).toBe(401);
      }
      return api.post('/api/auth/login?lang=en', { username, password: 'Wrong-password-1' }, from(address));
    };
    const throttledK = await throttledAfterFive(known.username);
    const throttledU = await throttledAfterFive(unknown);
    expect(throttledK.status).toBe(429);
    expect(throttledU.status).toBe(429);
    expect(throttledU.body).toEqual(throttledK.body);
    expect(throttledU.headers.get('retry-after')).toBe(throttledK.headers.get('retry-after'));
  });

  it('throttles activation codes the same way, for real and unknown names alike', async () => {
    const known = await createAccount(server.prisma, 'student');
    const unknown = `t-student-nobody-${randomBytes(4).toString('hex')}`;
    const [addressK, addressU] = [newAddress(), newAddress()];
    const activate = (username: string, address: string) =>
      api.post('/api/auth/activate', { username, code: 'ZZZZZ-ZZZZZ', newPassword: 'Xiangjiang-2026' }, from(address));
    for (let i = 0; i < DEFAULT_SIGN_IN_THROTTLE.freeFailures; i++) {
      const [k, u] = [await activate(known.username, addressK), await activate(unknown, addressU)];
      expect([k.status, u.status]).toEqual([400, 400]);
      expect(u.body).toEqual(k.body);
    }
    const [k, u] = [await activate(known.username, addressK), await activate(unknown, addressU)];
    expect([k.status, u.status]).toEqual([429, 429]);
    expect(u.body).toEqual(k.body);
    // The count is shared with passwords: the password from that address waits too, from another it works.
    expect((await api.post('/api/auth/login', { username: known.username, password: known.password }, from(addressK))).status).toBe(429);
    expect((await api.post('/api/auth/login', { username: known.username, password: known.password }, from(newAddress()))).status).toBe(200);
  });
});

describe('sessions end when a refresh token is stolen', () => {
  const clock = createTestClock();
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await serverWith({ clock, env: { TRUST_PROXY: '1' } });
    api = apiClient(server.url);
  });

  async function signIn(user: { username: string; password: string }) {
    const res = await api.post('/api/auth/login', { username: user.username, password: user.password }, from(newAddress()));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { token: string; refreshToken: string };
  }
  const me = async (token: string) => (await api.get('/api/auth/me', { token })).status;

  it('a reused refresh token ends the access tokens of its sign-in, not of other sign-ins', async () => {
    const user = await createAccount(server.prisma, 'student');
    const first = await signIn(user);
    const renewed = (await api.post('/api/auth/refresh', { refreshToken: first.refreshToken })).body;
    const otherDevice = await signIn(user);
    expect([await me(first.token), await me(renewed.token), await me(otherDevice.token)]).toEqual([200, 200, 200]);

    // A thief replays the first refresh token long after it was used.
    clock.advance(REFRESH_REUSE_GRACE_MS + 1_000);
    const replay = await api.post('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('REFRESH_TOKEN_REUSED');

    // Every access token of that sign-in stops working at once (READ_CACHE_TTL_MS=0 here); the other device's does not.
    const refused = await api.get('/api/auth/me', { token: renewed.token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('SESSION_EXPIRED');
    expect(await me(first.token)).toBe(401);
    expect(await me(otherDevice.token)).toBe(200);
    expect((await api.post('/api/auth/refresh', { refreshToken: renewed.refreshToken })).status).toBe(401);
  });

  it('two tabs refreshing with one token at once both stay signed in; a replay after the grace window still ends it', async () => {
    const user = await createAccount(server.prisma, 'student');
    const session = await signIn(user);
    const [tabA, tabB] = await Promise.all([
      api.post('/api/auth/refresh', { refreshToken: session.refreshToken }),
      api.post('/api/auth/refresh', { refreshToken: session.refreshToken }),
    ]);
    expect([tabA.status, tabB.status]).toEqual([200, 200]);
    expect(tabA.body.refreshToken).not.toBe(tabB.body.refreshToken);
    expect([await me(tabA.body.token), await me(tabB.body.token)]).toEqual([200, 200]);
    // Both go on renewing.
    const tabA2 = await api.post('/api/auth/refresh', { refreshToken: tabA.body.refreshToken });
    const tabB2 = await api.post('/api/auth/refresh', { refreshToken: tabB.body.refreshToken });
    expect([tabA2.status, tabB2.status]).toEqual([200, 200]);

    // A late replay of the token both tabs started from: theft, the whole sign-in ends.
    clock.advance(REFRESH_REUSE_GRACE_MS + 1_000);
    const replay = await api.post('/api/auth/refresh', { refreshToken: session.refreshToken });
    expect(replay.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    for (const tab of [tabA, tabB, tabA2, tabB2]) expect(await me(tab.body.token)).toBe(401);
    expect((await api.post('/api/auth/refresh', { refreshToken: tabA2.body.refreshToken })).body.error.code).toBe('SESSION_EXPIRED');
    expect((await api.post('/api/auth/refresh', { refreshToken: tabB2.body.refreshToken })).body.error.code).toBe('SESSION_EXPIRED');
  });

  it('another API process sharing the database refuses the revoked sign-in within its read cache TTL', async () => {
    const secret = randomBytes(32).toString('base64url');
    const cacheTtlMs = 400;
    const a = await serverWith({ clock, env: { JWT_SECRET: secret } });
    const b = await serverWith({ clock, env: { JWT_SECRET: secret, READ_CACHE_TTL_MS: String(cacheTtlMs) } });
    const [apiA, apiB] = [apiClient(a.url), apiClient(b.url)];
    const user = await createAccount(a.prisma, 'student');
    const session = (await apiA.post('/api/auth/login', { username: user.username, password: user.password })).body;
    const renewed = (await apiA.post('/api/auth/refresh', { refreshToken: session.refreshToken })).body;
    // Process B has the account cached with the sign-in intact.
    expect((await apiB.get('/api/auth/me', { token: renewed.token })).status).toBe(200);

    clock.advance(REFRESH_REUSE_GRACE_MS + 1_000);
    expect((await apiA.post('/api/auth/refresh', { refreshToken: session.refreshToken })).body.error.code).toBe('REFRESH_TOKEN_REUSED');
    await new Promise((resolve) => setTimeout(resolve, cacheTtlMs + 100));
    expect((await apiB.get('/api/auth/me', { token: renewed.token })).status).toBe(401);
  });
});
