import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Role } from '../../server/policies';
import { ROLES } from '../../server/policies';
import { sessionSchema } from '../../server/routes/auth/auth.schema';
import { kindergartenHomeSchema } from '../../server/routes/kindergartens/kindergartens.schema';
import {
  auditorHomeSchema,
  bureauHomeSchema,
  highHomeSchema,
  juniorHomeSchema,
  studentHomeSchema,
} from '../../server/routes/home/home.schema';
import { DEFAULT_SIGN_IN_THROTTLE, signInCountName } from '../../server/domain/auth/auth.rules';
import { createTestClock } from '../support/clock';
import { createAccount, createHighSchool, createStudent, createUser } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const clock = createTestClock();
let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ clock, throttle: { ...DEFAULT_SIGN_IN_THROTTLE, accountDelayStepMs: 20 } });
  api = apiClient(server.url, { checkResponses: true });
});

afterAll(async () => {
  await server?.stop();
});

describe('POST /api/auth/login', () => {
  it('signs in and returns a token and the public user', async () => {
    const user = await createUser(server.prisma, { role: 'high', displayName: '株洲市第一中学 招生办' });
    const res = await api.post('/api/auth/login', { username: user.username, password: user.password });
    expect(res.status).toBe(200);
    expect(() => sessionSchema.parse(res.body)).not.toThrow();
    expect(res.body.user).toEqual({
      id: user.id,
      username: user.username,
      role: 'high',
      displayName: '株洲市第一中学 招生办',
      mustChangePassword: false,
      totpEnabled: false,
      mustEnrollTotp: false,
      highSchoolId: null,
      juniorSchoolId: null,
      studentId: null,
      regionCode: null,
      kindergartenId: null,
    });
    expect(JSON.stringify(res.body)).not.toContain('passwordHash');
    expect(res.body.refreshToken).toEqual(expect.any(String));
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const user = await createUser(server.prisma);
    const wrong = await api.post('/api/auth/login', { username: user.username, password: 'not-the-password-1' });
    const unknown = await api.post('/api/auth/login', { username: `nobody-${user.id}`, password: 'whatever-1' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' } });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('answers in English with ?lang=en or Accept-Language', async () => {
    const viaQuery = await api.post('/api/auth/login?lang=en', { username: 'nobody', password: 'x' });
    const viaHeader = await api.post('/api/auth/login', { username: 'nobody', password: 'x' }, { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(viaQuery.body.error.message).toBe('Wrong username or password');
    expect(viaHeader.body.error.message).toBe('Wrong username or password');
  });

  it('never locks: after 5 failures the address waits a doubling time before its next attempt is checked', async () => {
    const user = await createUser(server.prisma);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const res = await api.post('/api/auth/login', { username: user.username, password: `wrong-${attempt}` });
      expect(res.status).toBe(401);
    }
    // The 6th attempt within the 1 s wait is refused without looking at the password, even the right one.
    const waiting = await api.post('/api/auth/login?lang=en', { username: user.username, password: user.password });
    expect(waiting.status).toBe(429);
    expect(waiting.body.error).toEqual({
      code: 'SIGN_IN_THROTTLED',
      message: 'Too many failed attempts for this account from this device; try again in 1 s',
      details: { retryAfterSeconds: 1 },
    });
    expect(waiting.headers.get('retry-after')).toBe('1');
    const rows = await server.prisma.signInFailure.findMany({ where: { username: signInCountName(server.env.JWT_SECRET, user.username) } });
    expect(rows).toEqual([expect.objectContaining({ failures: 5, lastFailureAt: clock.now() })]);
    // No lock on the account itself.
    const account = await server.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(account.lockedUntil).toBeNull();

    // After the wait, one more wrong password doubles it (2 s).
    clock.advance(1_000);
    expect((await api.post('/api/auth/login', { username: user.username, password: 'wrong-6' })).status).toBe(401);
    clock.advance(1_999);
    const stillWaiting = await api.post('/api/auth/login', { username: user.username, password: user.password });
    expect(stillWaiting.status).toBe(429);
    expect(stillWaiting.body.error.message).toBe('该账号在本设备上登录失败次数过多，请 1 秒后再试');
    clock.advance(1);
    expect((await api.post('/api/auth/login', { username: user.username, password: user.password })).status).toBe(200);
    // Signing in forgets this address's failures.
    expect(await server.prisma.signInFailure.count({ where: { username: signInCountName(server.env.JWT_SECRET, user.username) } })).toBe(0);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const user = await createUser(server.prisma);
    for (let attempt = 1; attempt <= 4; attempt++) await api.post('/api/auth/login', { username: user.username, password: 'wrong-pass-1' });
    expect((await api.post('/api/auth/login', { username: user.username, password: user.password })).status).toBe(200);
    expect((await api.post('/api/auth/login', { username: user.username, password: 'wrong-pass-1' })).status).toBe(401);
  });

  it('rejects a missing field with `field: message`', async () => {
    const res = await api.post('/api/auth/login', { username: 'someone' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.field).toBe('password');
    expect(res.body.error.message).toMatch(/^password: /);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await api.request('POST', '/api/auth/login', undefined, { rawBody: '{"username": "a", ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  it('records sign-in and sign-out of bureau users in the audit log', async () => {
    const bureau = await createAccount(server.prisma, 'bureau');
    const token = await api.login(bureau.username, bureau.password);
    expect((await api.post('/api/auth/logout', undefined, { token })).status).toBe(204);
    const entries = await server.prisma.auditLog.findMany({ where: { actorId: bureau.id }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => e.action)).toEqual(['auth.login', 'auth.logout']);
    expect(entries[0]).toMatchObject({ actorRole: 'bureau', entity: 'User', entityId: bureau.id });
    expect(entries[0].requestId).toBeTruthy();
  });
});

describe('GET /api/auth/me', () => {
  it('returns the caller', async () => {
    const user = await createAccount(server.prisma, 'junior');
    const token = await api.login(user.username, user.password);
    const res = await api.get('/api/auth/me', { token });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, role: 'junior', juniorSchoolId: user.juniorSchoolId });
  });

  it('needs a valid bearer token', async () => {
    const none = await api.get('/api/auth/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const garbage = await api.get('/api/auth/me', { token: 'abc.def.ghi' });
    expect(garbage.status).toBe(401);
  });
});

describe('POST /api/auth/logout', () => {
  it('revokes the token', async () => {
    const user = await createAccount(server.prisma, 'student');
    const token = await api.login(user.username, user.password);
    expect((await api.get('/api/student/home', { token })).status).toBe(200);
    expect((await api.post('/api/auth/logout', undefined, { token })).status).toBe(204);
    const after = await api.get('/api/auth/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('SESSION_EXPIRED');
    expect((await api.get('/api/student/home', { token })).status).toBe(401);
  });
});

describe('POST /api/auth/password', () => {
  it('changes the password, clears mustChangePassword and revokes older tokens', async () => {
    const user = await createUser(server.prisma, { role: 'auditor', mustChangePassword: true });
    const login = await api.post('/api/auth/login', { username: user.username, password: user.password });
    expect(login.body.user.mustChangePassword).toBe(true);
    const oldToken = login.body.token;

    // Until the password changes, only the auth routes answer.
    const blocked = await api.get('/api/auditor/home', { token: oldToken });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await api.get('/api/auth/me', { token: oldToken })).status).toBe(200);

    const changed = await api.post('/api/auth/password', { currentPassword: user.password, newPassword: 'Xiangjiang-2026' }, { token: oldToken });
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);
    expect((await api.get('/api/auth/me', { token: oldToken })).status).toBe(401);
    expect((await api.get('/api/auditor/home', { token: changed.body.token })).status).toBe(200);

    expect((await api.post('/api/auth/login', { username: user.username, password: user.password })).status).toBe(401);
    expect((await api.post('/api/auth/login', { username: user.username, password: 'Xiangjiang-2026' })).status).toBe(200);
  });

  it('refuses a wrong current password', async () => {
    const user = await createUser(server.prisma);
    const token = await api.login(user.username, user.password);
    const res = await api.post('/api/auth/password', { currentPassword: 'not-it-123', newPassword: 'Xiangjiang-2026' }, { token });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'WRONG_PASSWORD', field: 'currentPassword' });
  });

  it('refuses a weak new password', async () => {
    const user = await createUser(server.prisma);
    const token = await api.login(user.username, user.password);
    for (const newPassword of ['short1', 'onlyletters', user.password, `${user.username}9`]) {
      const res = await api.post('/api/auth/password?lang=en', { currentPassword: user.password, newPassword }, { token });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'PASSWORD_TOO_WEAK', field: 'newPassword' });
    }
  });
});

describe('role homes', () => {
  const homeSchemas: Record<Role, z.ZodType> = {
    student: studentHomeSchema,
    junior: juniorHomeSchema,
    high: highHomeSchema,
    bureau: bureauHomeSchema,
    auditor: auditorHomeSchema,
    kindergarten: kindergartenHomeSchema,
  };
  const tokens = {} as Record<Role, string>;
  const accounts = {} as Record<Role, Awaited<ReturnType<typeof createAccount>>>;

  beforeAll(async () => {
    for (const role of ROLES) {
      accounts[role] = await createAccount(server.prisma, role);
      tokens[role] = await api.login(accounts[role].username, accounts[role].password);
    }
  });

  for (const role of ROLES) {
    it(`lets a ${role} user reach /api/${role}/home and nothing else`, async () => {
      const own = await api.get(`/api/${role}/home`, { token: tokens[role] });
      expect(own.status).toBe(200);
      expect(() => homeSchemas[role].parse(own.body)).not.toThrow();
      expect(own.body.user.id).toBe(accounts[role].id);

      for (const other of ROLES.filter((r) => r !== role)) {
        const res = await api.get(`/api/${other}/home`, { token: tokens[role] });
        expect(res.status, `${role} on /api/${other}/home`).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
    });
  }

  it('shows each role its own record', async () => {
    const student = await api.get('/api/student/home', { token: tokens.student });
    const studentRow = await server.prisma.student.findUniqueOrThrow({ where: { id: accounts.student.studentId! }, include: { juniorSchool: true } });
    expect(student.body.student).toMatchObject({ id: studentRow.id, name: studentRow.name, juniorSchool: { name: studentRow.juniorSchool.name } });
    expect(JSON.stringify(student.body)).not.toContain(studentRow.idCardNo);

    const junior = await api.get('/api/junior/home', { token: tokens.junior });
    expect(junior.body.juniorSchool.id).toBe(accounts.junior.juniorSchoolId);

    const high = await api.get('/api/high/home', { token: tokens.high });
    expect(high.body.highSchool.id).toBe(accounts.high.highSchoolId);
  });

  it('scopes a county bureau to its region', async () => {
    const county = await createAccount(server.prisma, 'bureau', { county: true });
    await createHighSchool(server.prisma, { regionCode: county.regionCode! });
    await createStudent(server.prisma, { regionCode: county.regionCode! });
    const token = await api.login(county.username, county.password);
    const res = await api.get('/api/bureau/home', { token });
    expect(res.status).toBe(200);
    expect(res.body.region.code).toBe(county.regionCode);
    expect(res.body.counts).toEqual({ students: 1, highSchools: 1, juniorSchools: 1 });
  });

  it('gives no record to a student account pointing at a missing student', async () => {
    const orphan = await createUser(server.prisma, { role: 'student', studentId: 'no-such-student' });
    const token = await api.login(orphan.username, orphan.password);
    const res = await api.get('/api/student/home', { token });
    expect(res.status).toBe(200);
    expect(res.body.student).toBeNull();
  });
});

describe('API basics', () => {
  it('serves a valid OpenAPI document', async () => {
    const res = await api.get('/api/openapi.json');
    expect(res.status).toBe(200);
    const result = await new Validator().validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(res.body.paths['/api/auth/login']).toBeDefined();
  });

  it('answers unknown /api paths with a JSON 404', async () => {
    const res = await api.get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: '请求的资源不存在' } });
    expect((await api.post('/api/auth/nope', {})).status).toBe(404);
  });

  it('echoes a request id and sends security headers', async () => {
    const res = await api.get('/api/health', { headers: { 'x-request-id': 'test-request-0001' } });
    expect(res.headers.get('x-request-id')).toBe('test-request-0001');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
