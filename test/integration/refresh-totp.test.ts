import { createHash } from 'node:crypto';
import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mfaChallengeSchema, sessionSchema, totpSetupSchema } from '../../server/routes/auth/auth.schema';
import { createRefreshTokenRepository } from '../../server/repositories/refresh-token.repository';
import { REFRESH_REUSE_GRACE_MS } from '../../server/services/refresh-tokens';
import { DEFAULT_SIGN_IN_THROTTLE, signInCountName } from '../../server/domain/auth/auth.rules';
import { createTestClock } from '../support/clock';
import { createAccount } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Refresh tokens (rotation, reuse detection, revocation) and two-factor
 * sign-in (TOTP) of bureau accounts, through the HTTP API against the real
 * PostgreSQL and Redis. The server runs on a test clock, and TOTP codes are
 * computed here with the `otpauth` library from the otpauth:// URI the API
 * gives, as an authenticator app would.
 */

const clock = createTestClock('2026-06-20T08:00:05Z');
let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ clock, throttle: { ...DEFAULT_SIGN_IN_THROTTLE, accountDelayStepMs: 20 } });
  api = apiClient(server.url, { checkResponses: true });
});

afterAll(async () => {
  await server?.stop();
});

const STEP_MS = 30_000;

/** Moves the clock to the start of the next 30-second TOTP step (plus a little). */
function nextStep() {
  const now = clock.now().getTime();
  clock.set(new Date(now - (now % STEP_MS) + STEP_MS + 1_000));
}

/** The code an authenticator app fed with `uri` shows now (server time). */
function codeNow(uri: string): string {
  return URI.parse(uri).generate({ timestamp: clock.now().getTime() });
}

async function signIn(user: { username: string; password: string }) {
  const res = await api.post('/api/auth/login', { username: user.username, password: user.password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A bureau account with two-factor sign-in turned on through the API; returns its otpauth:// URI. */
async function bureauWithTotp() {
  const user = await createAccount(server.prisma, 'bureau');
  const { token } = await signIn(user);
  const setup = await api.post('/api/auth/totp/setup', undefined, { token });
  expect(setup.status).toBe(200);
  const enabled = await api.post('/api/auth/totp/enable', { code: codeNow(setup.body.uri) }, { token });
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
  // The code used to enable is spent: sign-ins in this test start from the next step.
  nextStep();
  return { user, uri: setup.body.uri as string, token: token as string };
}

describe('refresh tokens', () => {
  it('sign-in gives a short-lived access token and a refresh token, stored only as a hash', async () => {
    const user = await createAccount(server.prisma, 'high');
    const session = await signIn(user);
    expect(() => sessionSchema.parse(session)).not.toThrow();
    expect(new Date(session.expiresAt).getTime() - clock.now().getTime()).toBeLessThanOrEqual(15 * 60_000);
    expect(new Date(session.refreshExpiresAt).getTime()).toBe(clock.now().getTime() + 7 * 86_400_000);
    expect(Buffer.from(session.refreshToken, 'base64url')).toHaveLength(32);

    const rows = await server.prisma.refreshToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(session.refreshToken);
  });

  it('rotates: a refresh gives a new access and refresh token and uses the old one up', async () => {
    const user = await createAccount(server.prisma, 'high');
    const first = await signIn(user);
    clock.advance(60_000);

    const renewed = await api.post('/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(renewed.status).toBe(200);
    expect(() => sessionSchema.parse(renewed.body)).not.toThrow();
    expect(renewed.body.refreshToken).not.toBe(first.refreshToken);
    expect(renewed.body.token).not.toBe(first.token);
    expect(renewed.body.user.id).toBe(user.id);
    expect((await api.get('/api/high/home', { token: renewed.body.token })).status).toBe(200);

    const rows = await server.prisma.refreshToken.findMany({ where: { userId: user.id }, orderBy: { createdAt: 'asc' } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ usedAt: clock.now(), revokedAt: null, replacedById: rows[1].id, familyId: rows[1].familyId });
    expect(rows[1]).toMatchObject({ usedAt: null, revokedAt: null });
  });

  it('treats a used refresh token presented again as theft: the whole family dies, the newest token too', async () => {
    const user = await createAccount(server.prisma, 'junior');
    const first = await signIn(user);
    const second = (await api.post('/api/auth/refresh', { refreshToken: first.refreshToken })).body;
    const third = (await api.post('/api/auth/refresh', { refreshToken: second.refreshToken })).body;
    expect(third.refreshToken).toBeTruthy();
    // Another sign-in (another device) is a family of its own.
    const otherDevice = await signIn(user);

    // Past the grace window for concurrent tabs, a used token presented again is theft.
    clock.advance(REFRESH_REUSE_GRACE_MS + 1_000);
    const reused = await api.post('/api/auth/refresh?lang=en', { refreshToken: first.refreshToken });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    expect(reused.body.error.message).toContain('sign in again');

    const newest = await api.post('/api/auth/refresh', { refreshToken: third.refreshToken });
    expect(newest.status).toBe(401);
    expect(newest.body.error.code).toBe('SESSION_EXPIRED');
    expect((await api.post('/api/auth/refresh', { refreshToken: otherDevice.refreshToken })).status).toBe(200);

    const family = await server.prisma.refreshToken.findMany({ where: { familyId: await familyOf(first.refreshToken) } });
    expect(family).toHaveLength(3);
    expect(family.every((row) => row.revokedAt !== null)).toBe(true);
    const entry = await server.prisma.auditLog.findFirst({ where: { action: 'auth.refresh_reuse', entityId: user.id } });
    expect(entry?.after).toMatchObject({ revoked: 3 });
    expect(JSON.stringify([entry?.before, entry?.after])).not.toContain(first.refreshToken);
  });

  it('lets several refreshes racing with the same token (tabs) all through, as sessions of the same sign-in', async () => {
    const user = await createAccount(server.prisma, 'student');
    const session = await signIn(user);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api.post('/api/auth/refresh', { refreshToken: session.refreshToken })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    // One token used, ten successors, all of the one family; no reuse alarm.
    const rows = await server.prisma.refreshToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(11);
    expect(new Set(rows.map((row) => row.familyId)).size).toBe(1);
    expect(rows.filter((row) => row.usedAt !== null)).toHaveLength(1);
    expect(rows.every((row) => row.revokedAt === null)).toBe(true);
    for (const res of results) expect((await api.get('/api/auth/me', { token: res.body.token })).status).toBe(200);
    expect(await server.prisma.auditLog.count({ where: { action: 'auth.refresh_reuse', entityId: user.id } })).toBe(0);
  });

  it('marks a token used with one conditional UPDATE: of many at once, exactly one wins', async () => {
    // One level down from the racing refreshes above, where requests cannot be
    // serialized by the HTTP stack: concurrent UPDATEs on the real database.
    const user = await createAccount(server.prisma, 'student');
    const session = await signIn(user);
    const row = await server.prisma.refreshToken.findUniqueOrThrow({ where: { tokenHash: sha256(session.refreshToken) } });
    const repository = createRefreshTokenRepository(server.prisma);
    const claims = await Promise.all(Array.from({ length: 10 }, () => repository.markUsed(row.id, clock.now())));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('refuses an expired refresh token, an unknown one and a missing one', async () => {
    const user = await createAccount(server.prisma, 'auditor');
    const session = await signIn(user);
    clock.advance(7 * 86_400_000);
    const expired = await api.post('/api/auth/refresh', { refreshToken: session.refreshToken });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('SESSION_EXPIRED');

    const unknown = await api.post('/api/auth/refresh', { refreshToken: 'not-a-refresh-token' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('SESSION_EXPIRED');

    const missing = await api.post('/api/auth/refresh', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'refreshToken' });
  });

  it('keeps a session alive past the access token\'s lifetime', async () => {
    const user = await createAccount(server.prisma, 'high');
    const session = await signIn(user);
    clock.advance(16 * 60_000);
    const stale = await api.get('/api/auth/me', { token: session.token });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('SESSION_EXPIRED');
    const renewed = await api.post('/api/auth/refresh', { refreshToken: session.refreshToken });
    expect((await api.get('/api/auth/me', { token: renewed.body.token })).status).toBe(200);
  });

  it('logout revokes every refresh token of the caller, on every device', async () => {
    const user = await createAccount(server.prisma, 'bureau');
    const phone = await signIn(user);
    const desk = await signIn(user);
    expect((await api.post('/api/auth/logout', undefined, { token: desk.token })).status).toBe(204);
    for (const session of [phone, desk]) {
      const res = await api.post('/api/auth/refresh', { refreshToken: session.refreshToken });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('SESSION_EXPIRED');
    }
    const rows = await server.prisma.refreshToken.findMany({ where: { userId: user.id } });
    expect(rows.every((row) => row.revokedAt !== null)).toBe(true);
  });

  it('a password change revokes the older refresh tokens and returns a working new one', async () => {
    const user = await createAccount(server.prisma, 'junior');
    const other = await signIn(user);
    const session = await signIn(user);
    const changed = await api.post('/api/auth/password', { currentPassword: user.password, newPassword: 'Xiangjiang-2027' }, { token: session.token });
    expect(changed.status).toBe(200);
    expect(() => sessionSchema.parse(changed.body)).not.toThrow();
    for (const old of [other, session]) {
      expect((await api.post('/api/auth/refresh', { refreshToken: old.refreshToken })).body.error.code).toBe('SESSION_EXPIRED');
    }
    expect((await api.post('/api/auth/refresh', { refreshToken: changed.body.refreshToken })).status).toBe(200);
  });
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function familyOf(refreshToken: string): Promise<string> {
  return (await server.prisma.refreshToken.findUniqueOrThrow({ where: { tokenHash: sha256(refreshToken) } })).familyId;
}

describe('two-factor sign-in (TOTP) of bureau accounts', () => {
  it('enrolls: setup shows the secret once, a wrong code is refused, the right one turns it on', async () => {
    const user = await createAccount(server.prisma, 'bureau');
    const { token } = await signIn(user);
    const setup = await api.post('/api/auth/totp/setup', undefined, { token });
    expect(setup.status).toBe(200);
    expect(() => totpSetupSchema.parse(setup.body)).not.toThrow();
    expect(setup.body.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    const parsed = URI.parse(setup.body.uri);
    expect(parsed).toMatchObject({ issuer: '株洲中招', label: user.username, digits: 6, period: 30, algorithm: 'SHA1' });
    expect(parsed.secret.base32).toBe(setup.body.secret);

    // Stored encrypted; nothing returns it again.
    const row = await server.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpSecret).toBeTruthy();
    expect(row.totpSecret).not.toContain(setup.body.secret);
    expect(row.totpEnabledAt).toBeNull();
    const me = await api.get('/api/auth/me', { token });
    expect(me.body.user).toMatchObject({ totpEnabled: false, mustEnrollTotp: false });
    expect(JSON.stringify(me.body)).not.toContain(setup.body.secret);

    const wrongCode = String((Number(codeNow(setup.body.uri)) + 1) % 1_000_000).padStart(6, '0');
    const wrong = await api.post('/api/auth/totp/enable', { code: wrongCode }, { token });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'WRONG_TOTP_CODE', field: 'code' });

    const enabled = await api.post('/api/auth/totp/enable', { code: codeNow(setup.body.uri) }, { token });
    expect(enabled.status).toBe(200);
    expect(enabled.body.user).toMatchObject({ id: user.id, totpEnabled: true });
    expect((await api.post('/api/auth/totp/setup', undefined, { token })).body.error.code).toBe('TOTP_ALREADY_ENABLED');

    const entries = await server.prisma.auditLog.findMany({ where: { entityId: user.id, action: { startsWith: 'auth.totp' } }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => e.action)).toEqual(['auth.totp_enable_failure', 'auth.totp_enable']);
    expect(JSON.stringify(entries.map((e) => [e.before, e.after]))).not.toContain(setup.body.secret);
    nextStep();
  });

  it('signs in in two steps: password -> challenge, then the code -> session', async () => {
    const { user, uri } = await bureauWithTotp();
    const login = await signIn(user);
    expect(() => mfaChallengeSchema.parse(login)).not.toThrow();
    expect(login).not.toHaveProperty('token');
    expect(login).not.toHaveProperty('refreshToken');
    expect(new Date(login.expiresAt).getTime()).toBe(Math.floor(clock.now().getTime() / 1000) * 1000 + 5 * 60_000);

    const verified = await api.post('/api/auth/totp/verify', { mfaToken: login.mfaToken, code: codeNow(uri) });
    expect(verified.status).toBe(200);
    expect(() => sessionSchema.parse(verified.body)).not.toThrow();
    expect(verified.body.user).toMatchObject({ id: user.id, role: 'bureau', totpEnabled: true });
    expect((await api.get('/api/bureau/home', { token: verified.body.token })).status).toBe(200);
    expect((await api.post('/api/auth/refresh', { refreshToken: verified.body.refreshToken })).status).toBe(200);

    const signIns = await server.prisma.auditLog.findMany({ where: { entityId: user.id, action: 'auth.login' }, orderBy: { id: 'asc' } });
    expect(signIns.at(-1)?.after).toEqual({ secondFactor: 'totp' });
  });

  it('never accepts the challenge as a bearer token', async () => {
    const { user } = await bureauWithTotp();
    const { mfaToken } = await signIn(user);
    for (const path of ['/api/auth/me', '/api/bureau/home']) {
      const res = await api.get(path, { token: mfaToken });
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
    expect((await api.post('/api/auth/totp/setup', undefined, { token: mfaToken })).status).toBe(401);
  });

  it('refuses a code already used, even with a new challenge', async () => {
    const { user, uri } = await bureauWithTotp();
    const code = codeNow(uri);
    const first = await signIn(user);
    expect((await api.post('/api/auth/totp/verify', { mfaToken: first.mfaToken, code })).status).toBe(200);

    const second = await signIn(user);
    const replayed = await api.post('/api/auth/totp/verify', { mfaToken: second.mfaToken, code });
    expect(replayed.status).toBe(400);
    expect(replayed.body.error).toMatchObject({ code: 'TOTP_CODE_REPLAYED', field: 'code' });

    // The next code works.
    nextStep();
    expect((await api.post('/api/auth/totp/verify', { mfaToken: second.mfaToken, code: codeNow(uri) })).status).toBe(200);
  });

  it('answers a wrong code with 401, throttles the address like wrong passwords, and a right password does not reset the count', async () => {
    const { user, uri } = await bureauWithTotp();
    const wrongCode = () => String((Number(codeNow(uri)) + 500_000) % 1_000_000).padStart(6, '0');

    let challenge = await signIn(user);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const res = await api.post('/api/auth/totp/verify', { mfaToken: challenge.mfaToken, code: wrongCode() });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'INVALID_TOTP_CODE', field: 'code', message: '动态码错误，请输入身份验证器中当前的 6 位动态码' });
    }
    // Signing in with the password again must not give three more tries.
    challenge = await signIn(user);
    for (let attempt = 3; attempt <= 4; attempt++) {
      expect((await api.post('/api/auth/totp/verify', { mfaToken: challenge.mfaToken, code: wrongCode() })).status).toBe(401);
    }
    expect((await api.post('/api/auth/totp/verify', { mfaToken: challenge.mfaToken, code: wrongCode() })).status).toBe(401);

    // Five failures from this address: its next attempt waits 1 s, unchecked: the right code and the right password too.
    const throttled = await api.post('/api/auth/totp/verify', { mfaToken: challenge.mfaToken, code: codeNow(uri) });
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('SIGN_IN_THROTTLED');
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect((await api.post('/api/auth/login', { username: user.username, password: user.password })).status).toBe(429);

    const entries = await server.prisma.auditLog.findMany({ where: { entityId: user.id, action: 'auth.totp_verify_failure' } });
    expect(entries).toHaveLength(5);
    expect(entries.map((e) => (e.after as { failures: number }).failures).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);

    clock.advance(DEFAULT_SIGN_IN_THROTTLE.firstWaitMs + 1);
    const again = await signIn(user);
    expect((await api.post('/api/auth/totp/verify', { mfaToken: again.mfaToken, code: codeNow(uri) })).status).toBe(200);
    expect(await server.prisma.signInFailure.count({ where: { username: signInCountName(server.env.JWT_SECRET, user.username) } })).toBe(0);
  });

  it('lets a challenge expire after 5 minutes and ends it at logout', async () => {
    const { user, uri, token } = await bureauWithTotp();
    const stale = await signIn(user);
    clock.advance(5 * 60_000 + 1_000);
    const expired = await api.post('/api/auth/totp/verify', { mfaToken: stale.mfaToken, code: codeNow(uri) });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('MFA_CHALLENGE_EXPIRED');

    const pending = await signIn(user);
    expect((await api.post('/api/auth/logout', undefined, { token })).status).toBe(204);
    expect((await api.post('/api/auth/totp/verify', { mfaToken: pending.mfaToken, code: codeNow(uri) })).body.error.code).toBe('MFA_CHALLENGE_EXPIRED');
  });

  it('turns off only with the password and a current code', async () => {
    const { user, uri, token } = await bureauWithTotp();
    const wrongPassword = await api.post('/api/auth/totp/disable', { password: 'Not-the-passw0rd', code: codeNow(uri) }, { token });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.error).toMatchObject({ code: 'WRONG_PASSWORD', field: 'password' });
    const wrongCode = String((Number(codeNow(uri)) + 1) % 1_000_000).padStart(6, '0');
    const badCode = await api.post('/api/auth/totp/disable', { password: user.password, code: wrongCode }, { token });
    expect(badCode.body.error).toMatchObject({ code: 'WRONG_TOTP_CODE', field: 'code' });

    const off = await api.post('/api/auth/totp/disable', { password: user.password, code: codeNow(uri) }, { token });
    expect(off.status).toBe(200);
    expect(off.body.user.totpEnabled).toBe(false);
    expect(await server.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ totpSecret: null, totpEnabledAt: null });
    // The password alone signs in again.
    const direct = await signIn(user);
    expect(() => sessionSchema.parse(direct)).not.toThrow();


    const entries = await server.prisma.auditLog.findMany({ where: { entityId: user.id, action: { startsWith: 'auth.totp_disable' } }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => [e.action, (e.after as { reason?: string } | null)?.reason])).toEqual([
      ['auth.totp_disable_failure', 'wrong_password'],
      ['auth.totp_disable_failure', 'wrong_code'],
      ['auth.totp_disable', undefined],
    ]);
  });

  it('is for bureau accounts only', async () => {
    const user = await createAccount(server.prisma, 'high');
    const { token } = await signIn(user);
    const res = await api.post('/api/auth/totp/setup', undefined, { token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});

describe('BUREAU_TOTP_REQUIRED', () => {
  let strict: TestServer;
  let strictApi: ApiClient;

  beforeAll(async () => {
    strict = await startTestServer({ clock, env: { BUREAU_TOTP_REQUIRED: 'true' } });
    strictApi = apiClient(strict.url);
  });

  afterAll(async () => {
    await strict?.stop();
  });

  it('keeps a bureau account without TOTP to the auth routes until it turns TOTP on', async () => {
    const user = await createAccount(strict.prisma, 'bureau');
    const session = (await strictApi.post('/api/auth/login', { username: user.username, password: user.password })).body;
    expect(session.user).toMatchObject({ totpEnabled: false, mustEnrollTotp: true });

    const blocked = await strictApi.get('/api/bureau/home?lang=en', { token: session.token });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('TOTP_ENROLLMENT_REQUIRED');
    expect(blocked.body.error.message).toContain('two-step verification');
    expect((await strictApi.get('/api/auth/me', { token: session.token })).status).toBe(200);

    const setup = await strictApi.post('/api/auth/totp/setup', undefined, { token: session.token });
    expect(setup.status).toBe(200);
    const enabled = await strictApi.post('/api/auth/totp/enable', { code: codeNow(setup.body.uri) }, { token: session.token });
    expect(enabled.body.user).toMatchObject({ totpEnabled: true, mustEnrollTotp: false });
    expect((await strictApi.get('/api/bureau/home', { token: session.token })).status).toBe(200);
    nextStep();
  });

  it('does not hold back other roles', async () => {
    const user = await createAccount(strict.prisma, 'auditor');
    const token = await strictApi.login(user.username, user.password);
    expect((await strictApi.get('/api/auditor/home', { token })).status).toBe(200);
  });
});
