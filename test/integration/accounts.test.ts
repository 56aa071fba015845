import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/clock';
import { SUBJECTS } from '../../server/demo/types';
import { IMPORT_COLUMNS, type ImportKind } from '../../server/domain/imports/columns';
import type { RawSheet } from '../../server/domain/imports/rows';
import { createUnitOfWork } from '../../server/repositories';
import { loginResponseSchema, sessionSchema } from '../../server/routes/auth/auth.schema';
import { hashActivationCode, normalizeActivationCode } from '../../server/services/account-codes';
import { DEFAULT_SIGN_IN_THROTTLE, signInCountName } from '../../server/domain/auth/auth.rules';
import { executeImport } from '../../server/services/import.service';
import { NO_PASSWORD_HASH, verifyPassword } from '../../server/services/passwords';
import { createTestClock } from '../support/clock';
import { createAccount, createCycle, createUser, uniqueSuffix } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Accounts for everyone the bureau imports and one-time activation codes:
 * imports make accounts without a password; bureaus and junior schools issue
 * codes within their remit; a code sets the password once and signs in.
 */

const DAY = 86_400_000;
const clock = createTestClock();
let server: TestServer;
let api: ApiClient;
let cycleId: string;
let bureau: { id: string; username: string; password: string };
let bureauToken: string;

const sfx = uniqueSuffix().toUpperCase();
const R1 = `A${sfx}`;
const R2 = `B${sfx}`;
const [J1, J2, J3] = [1, 2, 3].map((i) => `J${sfx}${i}`);
const [H1, H2] = [1, 2].map((i) => `H${sfx}${i}`);
const base = 10_000 + Math.floor(Math.random() * 80_000);
const exam = (i: number) => `E${sfx}${base + i}`;
/** Students 1 and 2 at J1, 3 at J2 (both in R1), 4 at J3 (in R2). */
const STUDENT_SCHOOLS: Record<number, string> = { 1: J1, 2: J1, 3: J2, 4: J3 };
const PASSWORD = 'Activated-2026';

function idCard(n: number): string {
  const body = `430202200901${String(n).padStart(5, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

function sheet(kind: ImportKind, rows: Record<string, string | number>[]): RawSheet {
  const cols = IMPORT_COLUMNS[kind];
  return { header: cols.map((c) => c.zh), rows: rows.map((r, i) => ({ rowNumber: i + 2, cells: cols.map((c) => String(r[c.key] ?? '')) })) };
}

function student(i: number, name = `学生${i}`) {
  return {
    examNo: exam(i),
    name,
    idCardNo: idCard(base + i),
    gender: i % 2 ? '男' : '女',
    juniorSchoolId: STUDENT_SCHOOLS[i],
    enrolledSince: '2028-09-01',
    evaluation: 'A',
    ...Object.fromEntries(SUBJECTS.map((s) => [`score.${s.key}`, Math.min(s.max, 60)])),
  };
}

async function runImport(kind: ImportKind, rows: Record<string, string | number>[]) {
  const cycle = { id: cycleId, year: 0, policy: { quotaEligibilityCutoff: '2029-09-01' } };
  const result = await executeImport({ uow: createUnitOfWork(server.prisma), clock: systemClock }, { kind, sheet: sheet(kind, rows), cycle, actor: null });
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
}

const issue = (token: string, body: unknown, query = '') => api.post(`/api/accounts/activation-codes${query}`, body, { token });
const activate = (username: string, code: string, newPassword = PASSWORD) => api.post('/api/auth/activate', { username, code, newPassword });

/** Issues one code as the city bureau and returns it. */
async function codeFor(username: string): Promise<string> {
  const res = await issue(bureauToken, { usernames: [username] });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.codes[0].code;
}

/** Activates an imported account (a code from the city bureau) and returns its access token. */
async function signInImported(username: string): Promise<string> {
  const res = await activate(username, await codeFor(username));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.token;
}

const userByName = (username: string) => server.prisma.user.findUniqueOrThrow({ where: { username } });

beforeAll(async () => {
  // Tokens outlive the clock's jumps (a throttle's wait, an expired code).
  server = await startTestServer({ clock, throttle: { ...DEFAULT_SIGN_IN_THROTTLE, accountDelayStepMs: 20 }, env: { JWT_TTL: '30d' } });
  api = apiClient(server.url, { checkResponses: true });
  cycleId = (await createCycle(server.prisma)).id;
  bureau = await createAccount(server.prisma, 'bureau');
  bureauToken = await api.login(bureau.username, bureau.password);

  await runImport('regions', [
    { code: R1, name: `一区${sfx}` },
    { code: R2, name: `二区${sfx}` },
  ]);
  await runImport('junior-schools', [
    { id: J1, name: `第一初中${sfx}`, regionCode: R1, graduates: 300 },
    { id: J2, name: `第二初中${sfx}`, regionCode: R1, graduates: 300 },
    { id: J3, name: `第三初中${sfx}`, regionCode: R2, graduates: 300 },
  ]);
  const plan = { ownership: '公办', scope: '全市', capacity: 110, classes: 2, batch: 1 };
  await runImport('high-schools', [
    { id: H1, name: `第一高中${sfx}`, regionCode: R1, ...plan },
    { id: H2, name: `第二高中${sfx}`, regionCode: R2, ...plan },
  ]);
  await runImport('students', [1, 2, 3, 4].map((i) => student(i)));
});

afterAll(async () => {
  await server?.stop();
});

describe('accounts made by imports', () => {
  it('creates an account for every imported student, school and region, named and linked as the demo city does', async () => {
    const s1 = await server.prisma.student.findFirstOrThrow({ where: { examNo: exam(1), cycleId } });
    expect(await userByName(exam(1))).toMatchObject({ role: 'student', displayName: '学生1', studentId: s1.id, juniorSchoolId: J1, regionCode: R1, activatedAt: null });
    expect(await userByName(J1.toLowerCase())).toMatchObject({ role: 'junior', displayName: `第一初中${sfx}`, juniorSchoolId: J1, regionCode: R1 });
    expect(await userByName(H2.toLowerCase())).toMatchObject({ role: 'high', displayName: `第二高中${sfx}`, highSchoolId: H2, regionCode: R2 });
    expect(await userByName(`bureau-${R1}`)).toMatchObject({ role: 'bureau', displayName: `一区${sfx}教育局`, regionCode: R1 });
    expect((await userByName(exam(4))).passwordHash).toBe(NO_PASSWORD_HASH);
  });

  it('cannot be signed in to before activation: the answer is exactly that of a wrong password', async () => {
    expect(await verifyPassword(NO_PASSWORD_HASH, '')).toBe(false);
    expect(await verifyPassword(NO_PASSWORD_HASH, NO_PASSWORD_HASH)).toBe(false);
    const other = await createUser(server.prisma);
    const wrong = await api.post('/api/auth/login', { username: other.username, password: 'Wrong-passw0rd' });
    for (const username of [exam(4), J3.toLowerCase(), `bureau-${R2}`]) {
      const res = await api.post('/api/auth/login', { username, password: NO_PASSWORD_HASH });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(wrong.body);
    }
  });

  it('re-importing students re-links their accounts to the new records and keeps the password', async () => {
    await signInImported(exam(3));
    const before = await userByName(exam(3));
    await runImport('students', [student(3, '学生三（改名）')]);
    const after = await userByName(exam(3));
    const record = await server.prisma.student.findFirstOrThrow({ where: { examNo: exam(3), cycleId } });
    expect(after.id).toBe(before.id);
    expect(after.studentId).toBe(record.id);
    expect(after.studentId).not.toBe(before.studentId);
    expect(after.displayName).toBe('学生三（改名）');
    expect(after.passwordHash).toBe(before.passwordHash);
    expect((await api.post('/api/auth/login', { username: exam(3), password: PASSWORD })).status).toBe(200);
  });
});

describe('issue, then activate', () => {
  it('a code from the city bureau sets the password and signs in, answering like POST /api/auth/login', async () => {
    const res = await issue(bureauToken, { usernames: [exam(1)] });
    expect(res.status).toBe(200);
    expect(res.body.codes).toEqual([{ username: exam(1), displayName: '学生1', code: expect.stringMatching(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/), expiresAt: expect.any(String) }]);
    expect(new Date(res.body.codes[0].expiresAt).getTime() - clock.now().getTime()).toBe(30 * DAY);

    // Case, dashes and spaces do not matter.
    const typed = res.body.codes[0].code.toLowerCase().replace('-', ' ');
    const signedIn = await activate(` ${exam(1)} `, typed);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(() => sessionSchema.parse(signedIn.body)).not.toThrow();
    expect(() => loginResponseSchema.parse(signedIn.body)).not.toThrow();
    expect(signedIn.body.user).toMatchObject({ username: exam(1), role: 'student', mustChangePassword: false });
    expect((await api.get('/api/auth/me', { token: signedIn.body.token })).status).toBe(200);
    expect((await api.post('/api/auth/login', { username: exam(1), password: PASSWORD })).status).toBe(200);
    const user = await userByName(exam(1));
    expect(user.activatedAt).not.toBeNull();
    expect(await server.prisma.activationCode.findUnique({ where: { userId: user.id } })).toBeNull();
  });

  it('a code works once', async () => {
    const code = await codeFor(exam(2));
    expect((await activate(exam(2), code)).status).toBe(200);
    const again = await activate(exam(2), code, 'Another-passw0rd');
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('INVALID_ACTIVATION_CODE');
    expect((await api.post('/api/auth/login', { username: exam(2), password: 'Another-passw0rd' })).status).toBe(401);
  });

  it('refuses an expired code', async () => {
    const code = await codeFor(exam(2));
    const saved = clock.now();
    try {
      clock.advance(30 * DAY + 1000);
      const res = await activate(exam(2), code);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_ACTIVATION_CODE');
    } finally {
      clock.set(saved);
    }
  });

  it('a new code voids the earlier one', async () => {
    const first = await codeFor(exam(2));
    const second = await codeFor(exam(2));
    expect(second).not.toBe(first);
    expect((await activate(exam(2), first)).status).toBe(400);
    expect((await activate(exam(2), second)).status).toBe(200);
  });

  it('resets a forgotten password: the old one and every earlier session stop working', async () => {
    const oldSession = await api.post('/api/auth/login', { username: exam(1), password: PASSWORD });
    expect(oldSession.status).toBe(200);
    const res = await activate(exam(1), await codeFor(exam(1)), 'Brand-new-2027');
    expect(res.status).toBe(200);
    expect((await api.post('/api/auth/login', { username: exam(1), password: PASSWORD })).status).toBe(401);
    expect((await api.post('/api/auth/login', { username: exam(1), password: 'Brand-new-2027' })).status).toBe(200);
    expect((await api.get('/api/auth/me', { token: oldSession.body.token })).status).toBe(401);
    expect((await api.post('/api/auth/refresh', { refreshToken: oldSession.body.refreshToken })).status).toBe(401);
  });

  it('refuses a weak password before looking at the code, and keeps the code', async () => {
    const code = await codeFor(exam(2));
    const weak = await activate(exam(2), code, 'short');
    expect(weak.status).toBe(400);
    expect(weak.body.error).toMatchObject({ code: 'PASSWORD_TOO_WEAK', field: 'newPassword' });
    expect((await activate(exam(2), code)).status).toBe(200);
  });
});

describe('who may issue', () => {
  let juniorToken: string;
  let countyToken: string;

  beforeAll(async () => {
    juniorToken = await signInImported(J1.toLowerCase());
    countyToken = await signInImported(`bureau-${R1}`);
  });

  it('a junior school issues for its own students, by usernames or all at once', async () => {
    const listed = await issue(juniorToken, { usernames: [exam(1), exam(2)] });
    expect(listed.status).toBe(200);
    expect(listed.body.codes.map((c: { username: string }) => c.username)).toEqual([exam(1), exam(2)]);
    const all = await issue(juniorToken, { juniorSchoolId: J1 });
    expect(all.status).toBe(200);
    expect(all.body.codes.map((c: { username: string }) => c.username).sort()).toEqual([exam(1), exam(2)].sort());
  });

  it('a junior school cannot issue for another school\'s student: 403 naming it, and nothing is issued', async () => {
    const own = await userByName(exam(1));
    const before = await server.prisma.activationCode.findUnique({ where: { userId: own.id } });
    const res = await issue(juniorToken, { usernames: [exam(1), exam(3)] });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'ACCOUNT_OUT_OF_SCOPE', field: 'usernames.1', details: { username: exam(3) } });
    expect(res.body.error.message).toContain(exam(3));
    expect(await server.prisma.activationCode.findUnique({ where: { userId: own.id } })).toEqual(before);

    expect((await issue(juniorToken, { juniorSchoolId: J2 })).status).toBe(403);
    expect((await issue(juniorToken, { role: 'junior' })).status).toBe(403);
    for (const username of [J1.toLowerCase(), H1.toLowerCase(), bureau.username, `nobody-${sfx}`]) {
      const refused = await issue(juniorToken, { usernames: [username] });
      expect(refused.status, username).toBe(403);
      expect(refused.body.error.code).toBe('ACCOUNT_OUT_OF_SCOPE');
    }
  });

  it('a county bureau issues for the schools and students of its region only', async () => {
    const ok = await issue(countyToken, { usernames: [H1.toLowerCase(), J2.toLowerCase(), exam(3)] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await issue(countyToken, { juniorSchoolId: J1 })).status).toBe(200);
    const juniors = await issue(countyToken, { role: 'junior' });
    expect(juniors.status).toBe(200);
    const names = juniors.body.codes.map((c: { username: string }) => c.username);
    expect(names).toEqual(expect.arrayContaining([J1.toLowerCase(), J2.toLowerCase()]));
    expect(names).not.toContain(J3.toLowerCase());
    const highs = await issue(countyToken, { role: 'high' });
    expect(highs.body.codes.map((c: { username: string }) => c.username)).toEqual([H1.toLowerCase()]);

    for (const username of [exam(4), J3.toLowerCase(), H2.toLowerCase(), `bureau-${R2}`, `bureau-${R1}`, bureau.username]) {
      const refused = await issue(countyToken, { usernames: [username] });
      expect(refused.status, username).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'ACCOUNT_OUT_OF_SCOPE', details: { username } });
    }
    expect((await issue(countyToken, { juniorSchoolId: J3 })).status).toBe(403);
    expect((await issue(countyToken, { role: 'county' })).status).toBe(403);
  });

  it('never for auditor or city-bureau accounts, except by the city bureau', async () => {
    const auditor = await createAccount(server.prisma, 'auditor');
    const city = await createAccount(server.prisma, 'bureau');
    for (const token of [countyToken, juniorToken]) {
      expect((await issue(token, { usernames: [auditor.username] })).status).toBe(403);
      expect((await issue(token, { usernames: [city.username] })).status).toBe(403);
    }
    const res = await issue(bureauToken, { usernames: [auditor.username, city.username] });
    expect(res.status).toBe(200);
    expect(res.body.codes).toHaveLength(2);
  });

  it('the city bureau hears which username does not exist; students, high schools and auditors may not issue at all', async () => {
    const unknown = await issue(bureauToken, { usernames: [exam(1), `nobody-${sfx}`] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_ACCOUNT', field: 'usernames.1' });
    expect((await issue(bureauToken, { juniorSchoolId: `JX${sfx}` })).body.error.code).toBe('UNKNOWN_JUNIOR_SCHOOL');
    expect((await issue(bureauToken, { usernames: [] })).status).toBe(400);
    expect((await issue(bureauToken, { role: 'student' })).status).toBe(400);

    const studentToken = await api.login(exam(1), 'Brand-new-2027');
    const highToken = await signInImported(H2.toLowerCase());
    const auditor = await createAccount(server.prisma, 'auditor');
    const auditorToken = await api.login(auditor.username, auditor.password);
    for (const token of [studentToken, highToken, auditorToken]) {
      const res = await issue(token, { usernames: [exam(1)] });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
  });
});

describe('account slips', () => {
  it('answers printable slips as .xlsx with each name, username, code and expiry; the codes work', async () => {
    const response = await fetch(`${server.url}/api/accounts/activation-codes?format=xlsx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bureauToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ juniorSchoolId: J1 }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.pageSetup.paperSize).toBe(9);
    const cells: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? ''))));
    expect(cells).toEqual(expect.arrayContaining([exam(1), exam(2), '学生1', `${server.url}/activate`]));
    const codes = cells.filter((c) => /^[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(c));
    expect(codes).toHaveLength(2);
    // Slips go out in username order: exam(1) sorts before exam(2).
    expect((await activate(exam(2), codes[1], 'From-slip-2026')).status).toBe(200);
  });
});

describe('audit and throttling', () => {
  it('writes one audit entry per issue and one per activation, never with the code or its hash', async () => {
    const issued = await issue(bureauToken, { usernames: [exam(1), exam(2)] });
    const codes: string[] = issued.body.codes.map((c: { code: string }) => c.code);
    expect((await activate(exam(2), codes[1], 'Audited-2026')).status).toBe(200);
    const user = await userByName(exam(2));

    const issues = await server.prisma.auditLog.findMany({ where: { action: 'account.issue_activation_codes', actorId: bureau.id }, orderBy: { seq: 'desc' }, take: 1 });
    expect(issues[0].after).toMatchObject({ target: 'usernames', count: 2, usernames: [exam(1), exam(2)] });
    const activations = await server.prisma.auditLog.findMany({ where: { action: 'auth.activate', entityId: user.id }, orderBy: { seq: 'desc' }, take: 1 });
    expect(activations).toHaveLength(1);
    const text = JSON.stringify([...issues, ...activations], (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    for (const code of codes) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(normalizeActivationCode(code)!);
      expect(text).not.toContain(hashActivationCode(code));
    }
  });

  it('answers every wrong code the same and throttles the address like wrong passwords do, without locking the account', async () => {
    const username = H1.toLowerCase();
    const code = await codeFor(username);
    const unknown = await activate(`nobody-${sfx}`, code);
    const wrongs = [];
    for (let i = 0; i < DEFAULT_SIGN_IN_THROTTLE.freeFailures; i++) wrongs.push(await activate(username, 'ZZZZZ-ZZZZZ'));
    for (const res of [unknown, ...wrongs]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual(unknown.body);
    }
    expect(unknown.body.error).toMatchObject({ code: 'INVALID_ACTIVATION_CODE', field: 'code' });
    const counted = await server.prisma.signInFailure.findMany({ where: { username: signInCountName(server.env.JWT_SECRET, username) } });
    expect(counted.map((row) => row.failures)).toEqual([DEFAULT_SIGN_IN_THROTTLE.freeFailures]);

    // This address now waits before its next attempt is even checked: even the right code.
    const throttled = await activate(username, code);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('SIGN_IN_THROTTLED');
    expect(Number(throttled.headers.get('retry-after'))).toBe(DEFAULT_SIGN_IN_THROTTLE.firstWaitMs / 1000);
    const saved = clock.now();
    try {
      clock.advance(DEFAULT_SIGN_IN_THROTTLE.firstWaitMs + 1);
      expect((await activate(username, code)).status).toBe(200);
    } finally {
      clock.set(saved);
    }
  });

  it('is behind the per-IP sign-in rate limit', async () => {
    const limited = await startTestServer({ env: { LOGIN_RATE_LIMIT: '2' } });
    try {
      const client = apiClient(limited.url);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await client.post('/api/auth/activate', { username: `nobody-${sfx}`, code: 'ZZZZZ-ZZZZZ', newPassword: PASSWORD })).status);
      expect(statuses).toEqual([400, 400, 429]);
    } finally {
      await limited.stop();
    }
  });
});

describe('npm run accounts:bootstrap', () => {
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', path.resolve('server/cli/accounts-bootstrap.ts'), ...args], {
      env: { ...process.env, DATABASE_URL: server.env.DATABASE_URL },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('creates a city-bureau account and prints only a code and its expiry; the code activates it', async () => {
    const username = `city-${sfx.toLowerCase()}`;
    const first = await run(['--', username]);
    expect(first.code, first.stderr).toBe(0);
    const [code, expiry, ...rest] = first.stdout.trim().split('\n');
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(new Date(expiry).getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
    expect(rest).toEqual([]);

    // Run again: the same account, a new code; the first stops working.
    const second = await run([username]);
    expect(second.code, second.stderr).toBe(0);
    const newCode = second.stdout.trim().split('\n')[0];
    expect((await activate(username, code)).status).toBe(400);
    const res = await activate(username, newCode);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user).toMatchObject({ username, role: 'bureau', regionCode: null });
    expect((await api.get('/api/auth/me', { token: res.body.token })).body.user).toMatchObject({ username, role: 'bureau', regionCode: null });
  }, 60_000);

  it('exits non-zero with a message on bad input, issuing nothing', async () => {
    const noArgs = await run([]);
    expect(noArgs.code).not.toBe(0);
    expect(noArgs.stderr).toContain('usage');
    const bad = await run(['bad name!']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('username');
    const county = await run([`bureau-${R2}`]);
    expect(county.code).toBe(1);
    expect(county.stdout).toBe('');
    expect(county.stderr).toContain('not a city-bureau account');
    expect(await server.prisma.activationCode.findFirst({ where: { user: { username: `bureau-${R2}` } } })).toBeNull();
  }, 60_000);
});
