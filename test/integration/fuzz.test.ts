import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Phase } from '../../server/domain/schedule/schedule';
import { IMPORT_COLUMNS } from '../../server/domain/imports/columns';
import { ALL_PATHS } from '../../server/openapi';
import { DEFAULT_SIGN_IN_THROTTLE } from '../../server/domain/auth/auth.rules';
import type { RouteConfig } from '../../server/routes/shared.schema';
import { createTestClock, type TestClock } from '../support/clock';
import { createAccount, createCycle, createUser } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { fillPath, listApiRoutes, type ListedRoute } from '../support/routes';
import { seedSchoolPortalCity, type SchoolPortalCity } from '../support/school-portal-fixture';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Random requests against every route that takes input (the RouteConfig lists
 * of server/routes/<area>/<area>.schema.ts, as server/openapi.ts registers
 * them): bodies from fast-check (any value, any JSON, and mutations of a
 * valid body: wrong types, huge strings, deep nesting, prototype-pollution
 * keys, NaN-like strings, unicode, NUL characters, nulls, arrays for
 * objects), random query strings and path parameters, raw bytes for the file
 * uploads; sent as the city bureau and as the role the route is for, each in
 * the phase the route is open in (so the service behind the validation runs
 * too). Never a 5xx; every 4xx is `{ error: { code, message } }`. Then
 * malformed JSON, wrong content types, oversized bodies and invalid path ids.
 */

type Who = 'student' | 'junior' | 'high' | 'bureau' | 'auditor' | 'kindergarten' | 'auth';
type Params = Record<string, string>;

interface FuzzTarget {
  /** Who the route is for (besides the city bureau, which calls every route too). */
  as: Who;
  phase?: Phase;
  params?: () => Params;
  /** A valid body, the seed of the mutations. */
  body?: unknown;
}

let server: TestServer;
let clock: TestClock;
let api: ApiClient;
let city: SchoolPortalCity;
let spareCycleId = '';
let takenYear = 0;
const tokens = {} as Record<Who, string>;
const users = {} as Record<Who, { username: string; password: string }>;

const BODY_RUNS = 32;
const QUERY_RUNS = 24;
const PARAM_RUNS = 16;
const RAW_RUNS = 12;
/** Every run is random; FUZZ_SEED=<n> replays one (the seed is in the failure message). */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
let runs = 0;

const window = (phase: string, from: string, to: string) => ({ phase, opensAt: from, closesAt: to });
const validWindows = [window('setup', '2099-01-01T00:00:00Z', '2099-02-01T00:00:00Z'), window('plans_published', '2099-02-01T00:00:00Z', '2099-03-01T00:00:00Z')];

/**
 * Every route with a request schema or an upload, keyed `METHOD /express/path`.
 * A route missing here fails the first test: say who calls it and give a valid body.
 */
const TARGETS: Record<string, FuzzTarget> = {
  'POST /api/auth/login': { as: 'auth', body: { username: 'fuzz-nobody', password: 'Passw0rd-x' } },
  'POST /api/auth/password': { as: 'auth', body: { currentPassword: 'not-the-password-1', newPassword: 'Another-passw0rd' } },
  'POST /api/auth/refresh': { as: 'auth', body: { refreshToken: 'not-a-refresh-token' } },
  'POST /api/auth/totp/verify': { as: 'auth', body: { mfaToken: 'not-a-token', code: '123456' } },
  'POST /api/auth/totp/enable': { as: 'auth', body: { code: '123456' } },
  'POST /api/auth/totp/disable': { as: 'auth', body: { password: 'not-the-password-1', code: '123456' } },
  'POST /api/auth/activate': { as: 'auth', body: { username: 'fuzz-nobody', code: 'ABCDE-FGHJK', newPassword: 'Another-passw0rd' } },
  'POST /api/accounts/activation-codes': { as: 'junior', body: { usernames: ['fuzz-nobody'] } },
  'POST /api/complaints': { as: 'student', body: { highSchoolId: null, schoolName: '某某中学', studentName: '张三', contact: '13800138000', description: '中考前承诺录取并收取费用。' } },
  'GET /api/score-table': { as: 'student' },
  'GET /api/kindergartens': { as: 'auth' },
  'GET /api/kindergartens/:id': { as: 'auth', params: () => ({ id: 'K-none' }) },
  'POST /api/kindergarten/filings': { as: 'kindergarten', body: { changes: { headName: '李园长', classes: 3 }, note: '园长变更' } },
  'GET /api/kindergarten-filings': { as: 'bureau' },
  'POST /api/kindergarten-filings/:id/approve': { as: 'bureau', params: () => ({ id: 'none' }), body: { note: '同意' } },
  'POST /api/kindergarten-filings/:id/return': { as: 'bureau', params: () => ({ id: 'none' }), body: { note: '请补充材料' } },
  'POST /api/receipts/verify': {
    as: 'student',
    body: {
      payload: {
        format: 'zz-admissions/receipt@1',
        keyId: '0123456789abcdef',
        student: { id: 'fuzz', examNo: '2030010001' },
        cycle: { id: 'fuzz', year: 2030 },
        kind: 'main',
        version: 1,
        choices: [{ batch: 1, schools: ['H01', 'H02'] }],
        savedAt: '2030-05-01T00:00:00.000Z',
      },
      signature: Buffer.alloc(64, 7).toString('base64'),
    },
  },

  'GET /api/jobs/:queue/:id': { as: 'high', params: () => ({ queue: 'system', id: '1' }) },
  'GET /api/student/application': { as: 'student' },
  'GET /api/student/application/history': { as: 'student' },
  'PUT /api/student/application': { as: 'student', phase: 'applications_open', body: { kind: 'main', baseVersion: 3, choices: { '1': [] } } },
  'POST /api/rounds/:id/confirmations': { as: 'student', params: () => ({ id: city.round.id }), body: { decision: 'confirmed' } },

  'GET /api/high-schools/:highSchoolId/plan': { as: 'high', params: () => ({ highSchoolId: city.schools.h1.id }) },
  'POST /api/high-schools/:highSchoolId/plan-requests': {
    as: 'high',
    phase: 'setup',
    params: () => ({ highSchoolId: city.schools.h1.id }),
    body: { changes: { capacity: 500, classes: 10 }, reason: '扩招两个班' },
  },
  'GET /api/plan-requests': { as: 'bureau', phase: 'setup' },
  'POST /api/plan-requests/:id/approve': { as: 'bureau', phase: 'setup', params: () => ({ id: 'none' }), body: { note: '同意' } },
  'POST /api/plan-requests/:id/reject': { as: 'bureau', phase: 'setup', params: () => ({ id: 'none' }), body: { note: '不同意' } },
  'GET /api/high-schools/:highSchoolId/admissions': { as: 'high', params: () => ({ highSchoolId: city.schools.h1.id }) },
  'GET /api/high-schools/:highSchoolId/admissions/export': { as: 'high', params: () => ({ highSchoolId: city.schools.h1.id }) },
  'GET /api/high-schools/:highSchoolId/registrations': { as: 'high', params: () => ({ highSchoolId: city.schools.h1.id }) },
  'POST /api/high-schools/:highSchoolId/registrations': {
    as: 'high',
    phase: 'registration',
    params: () => ({ highSchoolId: city.schools.h1.id }),
    body: { examNos: ['T-nobody'] },
  },
  'POST /api/high-schools/:highSchoolId/registrations/import': { as: 'high', phase: 'registration', params: () => ({ highSchoolId: city.schools.h1.id }) },
  'GET /api/junior-schools/:juniorSchoolId/status': { as: 'junior', params: () => ({ juniorSchoolId: city.schools.j1.id }) },
  'GET /api/junior-schools/:juniorSchoolId/quotas': { as: 'junior', params: () => ({ juniorSchoolId: city.schools.j1.id }) },
  'GET /api/junior-schools/:juniorSchoolId/results': { as: 'junior', params: () => ({ juniorSchoolId: city.schools.j1.id }) },

  'POST /api/cycles': { as: 'bureau', body: { year: 2999, name: '模糊测试年度', policy: { quotaPercent: 50, silenceCountsAsDecline: false }, windows: validWindows } },
  'PUT /api/cycles/:id/schedule': { as: 'bureau', params: () => ({ id: spareCycleId }), body: { windows: validWindows } },
  'POST /api/cycles/:id/schedule/end-current': { as: 'bureau', params: () => ({ id: spareCycleId }) },
  'PUT /api/cycles/:id/seed': { as: 'bureau', params: () => ({ id: spareCycleId }), body: { seed: 'fuzz-seed-0123456789abcdef' } },
  'GET /api/imports/templates/:kind': { as: 'bureau', params: () => ({ kind: 'students' }) },
  'POST /api/imports/:kind': { as: 'bureau', phase: 'setup', params: () => ({ kind: 'regions' }) },
  'PUT /api/plans/:highSchoolId': { as: 'bureau', phase: 'setup', params: () => ({ highSchoolId: city.schools.h1.id }), body: { capacity: 550, classes: 10, batch: 1, quotaPercent: 50 } },
  'PUT /api/junior-schools/:id/weight': { as: 'bureau', phase: 'setup', params: () => ({ id: city.schools.j1.id }), body: { weightPercent: 120 } },

  'POST /api/rounds': { as: 'bureau', phase: 'applications_closed', body: { kind: 'simulation', name: '模拟', policy: { quotaPrecedence: 'openFirst', tieBreak: ['math'] } } },
  'GET /api/rounds': { as: 'auditor' },
  'GET /api/plans': { as: 'high' },
  'GET /api/quotas': { as: 'junior' },
  'GET /api/quotas/export': { as: 'bureau' },
  'GET /api/rounds/compare': { as: 'auditor' },
  'GET /api/rounds/:id': { as: 'auditor', params: () => ({ id: city.round.id }) },
  'POST /api/rounds/:id/publish': { as: 'bureau', params: () => ({ id: city.round.id }) },
  'GET /api/rounds/:id/bundle': { as: 'auditor', params: () => ({ id: city.round.id }) },
  'GET /api/rounds/:id/cutoffs': { as: 'student', params: () => ({ id: city.round.id }) },
  'GET /api/rounds/:id/confirmations': { as: 'auditor', params: () => ({ id: city.round.id }) },

  'GET /api/flags': { as: 'auditor' },
  'GET /api/flags/:id': { as: 'auditor', params: () => ({ id: 'none' }) },
  'POST /api/flags/:id/review': { as: 'bureau', params: () => ({ id: 'none' }), body: { status: 'dismissed', note: '核实无误' } },
  'GET /api/dashboard': { as: 'auditor' },
  'GET /api/audit': { as: 'auditor' },
};

/** Upload routes: the body is the raw bytes of a file, not JSON. */
const RAW_ROUTES = new Set(['POST /api/high-schools/:highSchoolId/registrations/import', 'POST /api/imports/:kind']);

const expressPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');
const keyOf = (config: RouteConfig) => `${config.method.toUpperCase()} ${expressPath(config.path)}`;

function jsonBodySchema(config: RouteConfig): boolean {
  return Boolean(config.request?.body?.content?.['application/json']);
}

/** Routes that read a body, a query or path params. */
const INPUT_ROUTES = ALL_PATHS.filter((c) => c.request?.body || c.request?.query || c.request?.params || /\{/.test(c.path));

// ---------------------------------------------------------------- arbitraries

const NASTY_STRINGS = [
  '', ' ', 'NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x10', '1_000', 'null', 'undefined', 'true', '[object Object]',
  '__proto__', 'constructor', 'prototype', '{}', '[]', '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '\u202e\u2066', '\ufeff',
  "'; DROP TABLE \"User\"; --", '${7*7}', '{{7*7}}', '../../../../etc/passwd', '=HYPERLINK("http://x","y")', '2031-02-30',
  '9999-99-99T99:99:99Z', '0000-00-00', '-1', '1.5', '１２３', '𠀀𠀁', 'ЁЖЗ', '🏫🎓', '\n\r\t', '%00', '%E0%A4%A',
];

const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 200, max: 120_000 }).map((n) => '长'.repeat(n)),
);

const nastyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 63, -1, 0, -0, 0.5, 1e-320),
);

const deepNesting = fc.integer({ min: 100, max: 20_000 }).map((depth) => ({ raw: `${'['.repeat(depth)}1${']'.repeat(depth)}` }));

/** A JSON value, or raw JSON text (for what JSON.stringify cannot say: deep nesting, __proto__ keys). */
type Fragment = unknown;

const nastyValue: fc.Arbitrary<Fragment> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.array(fc.anything(), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.object() },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: fc.constant({ raw: '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}' }) },
);

/** JSON text of a value whose parts may be raw JSON. */
function toJson(value: Fragment): string {
  if (value !== null && typeof value === 'object' && 'raw' in value && typeof (value as { raw: unknown }).raw === 'string' && Object.keys(value).length === 1) {
    return (value as { raw: string }).raw;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol')
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? 'null';
}

/** A valid body changed in one to three places: values replaced, keys added, removed or renamed. */
function mutated(sample: Record<string, unknown>): fc.Arbitrary<Fragment> {
  const keys = Object.keys(sample);
  const key = fc.oneof(fc.constantFrom(...keys), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'), fc.string({ maxLength: 10 }));
  const edit = fc.oneof(
    fc.record({ op: fc.constant('set' as const), key, value: nastyValue }),
    fc.record({ op: fc.constant('drop' as const), key: fc.constantFrom(...keys), value: fc.constant(null) }),
    // One level down: a nested object (e.g. `changes`, `policy`) or an array element.
    fc.record({ op: fc.constant('deep' as const), key: fc.constantFrom(...keys), value: nastyValue }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const body: Record<string, unknown> = structuredClone(sample);
    for (const { op, key: k, value } of edits) {
      if (op === 'drop') delete body[k];
      else if (op === 'set') Object.defineProperty(body, k, { value, enumerable: true, writable: true, configurable: true });
      else {
        const inner = body[k];
        if (Array.isArray(inner)) body[k] = [...inner, value];
        else if (inner && typeof inner === 'object') body[k] = { ...inner, [Object.keys(inner)[0] ?? 'x']: value };
        else body[k] = [value];
      }
    }
    return body;
  });
}

function bodies(sample: unknown): fc.Arbitrary<Fragment> {
  const object = sample && typeof sample === 'object' && !Array.isArray(sample) ? (sample as Record<string, unknown>) : {};
  const options: fc.Arbitrary<Fragment>[] = [fc.anything(), fc.jsonValue(), nastyValue, fc.constant([object]), fc.constant(null)];
  if (Object.keys(object).length > 0) options.push(mutated(object), mutated(object), mutated(object));
  return fc.oneof(...options);
}

/** A query string: the schema's keys and random ones, values repeated (arrays), odd or raw. */
function queries(knownKeys: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...(knownKeys.length ? knownKeys : ['q']), 'lang', '__proto__', 'constructor'), fc.string({ maxLength: 8 }));
  const value = fc.oneof(nastyString.filter((s) => s.length < 5000), nastyNumber.map(String));
  const structured = fc.array(fc.tuple(key, value), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString());
  const raw = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', '=', '&', '%', '[', ']', '.', '+', '2', 'E', '0', 'ü', ' ', '#'), maxLength: 30 }),
    fc.constantFrom('a[b]=1', 'a[0]=1&a[1]=2', 'limit=1e3', 'offset=-1', 'limit=%', 'from=%E0%A4%A', 'lang=en&lang=zh-CN', 'seat[]=open'),
  ).map((s) => s.replace(/#/g, '%23').replace(/ /g, '%20'));
  // Node answers a request line over its header limit (16 KB) itself, with an empty 431: keep below it.
  return fc.oneof(structured, raw).map((q) => q.slice(0, 8000));
}

/** A string as it can travel in a URL: lone surrogates (not encodable) become U+FFFD. */
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

// ---------------------------------------------------------------- harness

beforeAll(async () => {
  clock = createTestClock();
  server = await startTestServer({
    clock,
    env: { COMPLAINT_RATE_LIMIT: '1000000', RECEIPT_VERIFY_RATE_LIMIT: '1000000' },
    // Failed sign-ins slow the account's next attempts on purpose; not thousands of times in a fuzz run.
    throttle: { ...DEFAULT_SIGN_IN_THROTTLE, accountDelayStepMs: 0 },
  });
  api = apiClient(server.url);
  const { prisma } = server;
  city = await seedSchoolPortalCity(prisma);
  const student = city.students.open;
  users.student = await createUser(prisma, { role: 'student', username: student.examNo, studentId: student.id, regionCode: student.regionCode });
  users.junior = city.users.juniorUser;
  users.high = city.users.highUser;
  users.bureau = city.users.bureau;
  users.auditor = await createUser(prisma, { role: 'auditor' });
  users.kindergarten = await createAccount(prisma, 'kindergarten');
  // The auth routes get a bureau account of their own: wrong passwords fuzzed at it may lock it.
  users.auth = await createUser(prisma, { role: 'bureau' });
  // A cycle that is not the current one, whose schedule the fuzzed bodies may rewrite.
  spareCycleId = (await createCycle(prisma, { status: 'draft' })).id;
  // A year (in the range the API accepts) already taken: valid bodies of POST /api/cycles use it, so no cycle is created and none archived.
  for (takenYear = 2000 + Math.floor(Math.random() * 999); await prisma.cycle.findUnique({ where: { year: takenYear } }); takenYear++);
  await createCycle(prisma, { year: takenYear, status: 'archived' });
}, 120_000);

afterAll(async () => {
  // Leave the current cycle to whoever runs next.
  if (city) await server.prisma.cycle.update({ where: { id: city.cycle.id }, data: { status: 'archived' } });
  await server?.stop();
});

let currentPhase: Phase | undefined;

/** Moves the clock into a phase and signs everyone in again (tokens are dated by that clock). */
async function enterPhase(phase: Phase): Promise<void> {
  if (phase === currentPhase) return;
  currentPhase = phase;
  clock.set(city.during(phase));
  // Wrong passwords fuzzed at the auth routes may have throttled their account from this address.
  await server.prisma.signInFailure.deleteMany({ where: { username: users.auth.username } });
  for (const who of Object.keys(users) as Who[]) tokens[who] = await api.login(users[who].username, users[who].password);
}

function routeOf(key: string): ListedRoute {
  const route = listApiRoutes(server.app).find((r) => r.key === key);
  if (!route) throw new Error(`${key} is in the OpenAPI lists but not in the router`);
  return route;
}

interface Sent {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  token?: string;
}

/** Sends a request and returns what is wrong with the answer, if anything. */
async function problemWith(sent: Sent): Promise<string | null> {
  const headers: Record<string, string> = {};
  if (sent.token) headers.authorization = `Bearer ${sent.token}`;
  if (sent.body !== undefined) headers['content-type'] = sent.contentType ?? 'application/json';
  const response = await fetch(`${server.url}${sent.path}`, { method: sent.method, headers, body: sent.body });
  const text = await response.text();
  const where = `${sent.method} ${sent.path.slice(0, 200)} ${sent.body === undefined ? '' : sent.body.slice(0, 300)}`;
  if (response.status >= 500) return `${response.status} for ${where}: ${text.slice(0, 300)}`;
  if (response.status >= 400) {
    let body: { error?: { code?: unknown; message?: unknown } } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      return `${response.status} without a JSON body for ${where}: ${text.slice(0, 200)}`;
    }
    if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string' || !body.error.message) {
      return `${response.status} without { error: { code, message } } for ${where}: ${text.slice(0, 200)}`;
    }
  }
  return null;
}

/** A schema-valid body for POST /api/cycles would create a cycle and archive the current ones: give it a year already taken. */
function defused(key: string, value: Fragment): Fragment {
  if (key === 'POST /api/cycles' && value && typeof value === 'object' && !Array.isArray(value) && 'year' in value) {
    return { ...(value as object), year: takenYear };
  }
  return value;
}

function callers(target: FuzzTarget): Who[] {
  return target.as === 'bureau' || target.as === 'auth' ? [target.as] : [target.as, 'bureau'];
}

async function fuzz<T>(arbitrary: fc.Arbitrary<T>, numRuns: number, send: (value: T) => Promise<string | null>): Promise<string[]> {
  const problems: string[] = [];
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      let problem: string | null;
      try {
        problem = await send(value);
      } catch (error) {
        problem = `the request failed: ${String(error)}`;
      }
      if (problem) problems.push(problem);
      return problem === null;
    }),
    { numRuns, seed: SEED + runs++, endOnFailure: true },
  ).catch(() => undefined); // the shrunk counterexamples are in `problems`
  return [...new Set(problems)].slice(0, 5);
}

// ---------------------------------------------------------------- tests

describe('the fuzz targets', () => {
  it('cover every route with a request schema or an upload, and only routes the router has', () => {
    const routerKeys = new Set(listApiRoutes(server.app).map((r) => r.key));
    const inputKeys = INPUT_ROUTES.map(keyOf);
    expect(inputKeys.filter((k) => !(k in TARGETS)), 'routes with input missing from TARGETS').toEqual([]);
    expect(Object.keys(TARGETS).filter((k) => !routerKeys.has(k)), 'TARGETS names routes the router does not have').toEqual([]);
    for (const config of INPUT_ROUTES) {
      if (jsonBodySchema(config)) expect(TARGETS[keyOf(config)].body, `${keyOf(config)}: give a valid body to mutate`).toBeDefined();
    }
  });
});

describe('fuzzed input never breaks the server', { timeout: 180_000 }, () => {
  const byPhase = (phase: Phase | undefined) => INPUT_ROUTES.filter((c) => (TARGETS[keyOf(c)]?.phase ?? 'confirmation') === phase);
  const phases: Phase[] = ['setup', 'applications_open', 'applications_closed', 'confirmation', 'registration'];

  for (const phase of phases) {
    it(`bodies, queries and path params of the routes open in ${phase}`, async () => {
      await enterPhase(phase);
      const problems: string[] = [];
      for (const config of byPhase(phase)) {
        const key = keyOf(config);
        const target = TARGETS[key];
        const route = routeOf(key);
        const params = target.params?.() ?? {};
        const path = fillPath(route.path, params);

        for (const who of callers(target)) {
          const token = tokens[who];
          if (jsonBodySchema(config)) {
            problems.push(
              ...(await fuzz(bodies(target.body), BODY_RUNS, (value) => problemWith({ method: route.method, path, token, body: toJson(defused(key, value)) }))),
            );
          }
          if (config.request?.query) {
            const known = Object.keys((config.request.query as { shape?: object }).shape ?? {});
            problems.push(...(await fuzz(queries(known), QUERY_RUNS, (query) => problemWith({ method: route.method, path: `${path}?${query}`, token }))));
          }
          if (RAW_ROUTES.has(key)) {
            const file = fc.oneof(fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)), fc.string({ unit: 'binary', maxLength: 500 }).map((s) => Buffer.from(s)));
            problems.push(
              ...(await fuzz(file, RAW_RUNS, async (bytes) => {
                const response = await fetch(`${server.url}${path}`, { method: route.method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: bytes });
                const text = await response.text();
                return response.status >= 500 || (response.status >= 400 && !/"code":"[A-Z_]+","message":"/.test(text))
                  ? `${response.status} for ${key} with ${bytes.length} random bytes: ${text.slice(0, 200)}`
                  : null;
              })),
            );
          }
          // Each path parameter in turn, the others valid.
          for (const name of Object.keys(params)) {
            // Under Node's 16 KB limit for the request line once percent-encoded (see `queries`).
            const value = fc.oneof(nastyString.filter((s) => s.length > 0 && Buffer.byteLength(s) < 2500), fc.uuid(), fc.string({ minLength: 1, maxLength: 30 }));
            problems.push(
              ...(await fuzz(value, PARAM_RUNS, (v) =>
                problemWith({ method: route.method, path: fillPath(route.path, { ...params, [name]: wellFormed(v) }), token, body: target.body === undefined ? undefined : toJson(defused(key, target.body)) }),
              )),
            );
          }
        }
      }
      expect(problems, `FUZZ_SEED=${SEED}`).toEqual([]);
    });
  }

  it('leaves Object.prototype alone', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('malformed requests', { timeout: 120_000 }, () => {
  const jsonRoutes = () => INPUT_ROUTES.filter(jsonBodySchema).map((c) => ({ config: c, key: keyOf(c), route: routeOf(keyOf(c)), target: TARGETS[keyOf(c)] }));
  const pathOf = (r: { route: ListedRoute; target: FuzzTarget }) => fillPath(r.route.path, r.target.params?.() ?? {});

  it('answers malformed JSON with 400 MALFORMED_JSON on every JSON route', async () => {
    await enterPhase('confirmation');
    for (const r of jsonRoutes()) {
      for (const text of ['{"a":', '{a:1}', "{'a':1}", '[1,2', '{"a":1}}', 'nul', '"\\x"', '\u0000']) {
        const res = await api.request(r.route.method, pathOf(r), undefined, { token: tokens[r.target.as], rawBody: text });
        expect(res.status, `${r.key} ${JSON.stringify(text)}`).toBe(400);
        expect(res.body.error.code, `${r.key} ${JSON.stringify(text)}`).toBe('MALFORMED_JSON');
      }
    }
  });

  it('answers a JSON body that is not an object or array, or a body of another type, with a 400', async () => {
    for (const r of jsonRoutes()) {
      const valid = JSON.stringify(r.target.body);
      const cases: { body: string; type: string }[] = [
        { body: '"text"', type: 'application/json' },
        { body: '42', type: 'application/json' },
        { body: valid, type: 'text/plain' },
        { body: valid, type: 'application/x-www-form-urlencoded' },
        { body: valid, type: 'multipart/form-data; boundary=x' },
        { body: valid, type: 'application/json; charset=latin1' },
        { body: valid, type: 'application/json; charset=utf-16' },
      ];
      for (const c of cases) {
        const res = await api.request(r.route.method, pathOf(r), undefined, { token: tokens[r.target.as], rawBody: c.body, headers: { 'content-type': c.type } });
        expect(res.status, `${r.key} ${c.type} ${c.body.slice(0, 20)}`).toBe(400);
        expect(res.body.error.code, `${r.key} ${c.type}`).toMatch(/^(MALFORMED_JSON|VALIDATION_FAILED)$/);
        expect(res.body.error.message).toBeTruthy();
      }
      // A gzip header on bytes that are not gzip.
      const res = await api.request(r.route.method, pathOf(r), undefined, { token: tokens[r.target.as], rawBody: valid, headers: { 'content-encoding': 'gzip' } });
      expect(res.status, `${r.key} gzip`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${r.key} gzip`).toBeLessThan(500);
      expect(res.body.error.code).toBeTruthy();
    }
  });

  it('answers a JSON body over BODY_LIMIT with 413 PAYLOAD_TOO_LARGE', async () => {
    const huge = JSON.stringify({ description: 'x'.repeat(1_100_000) });
    for (const r of jsonRoutes()) {
      const res = await api.request(r.route.method, pathOf(r), undefined, { token: tokens[r.target.as], rawBody: huge });
      expect(res.status, r.key).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('answers an upload over its limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const path = `/api/high-schools/${city.schools.h1.id}/registrations/import`;
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.high}`, 'content-type': 'text/csv' },
      body: Buffer.alloc(6 * 1024 * 1024, 'a'),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses an uploaded file with a NUL character in a cell with a 400 naming the row', async () => {
    const upload = (path: string, who: Who, body: string) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'text/csv' }, body }).then(async (r) => ({ status: r.status, body: await r.json() }));
    await enterPhase('setup');
    const regions = await upload('/api/imports/regions', 'bureau', `${IMPORT_COLUMNS.regions.map((c) => c.zh).join(',')}\r\nRNUL1,甲\u0000乙,Jia\r\n`);
    expect(regions.status).toBe(400);
    expect(regions.body.error.code).toBe('IMPORT_INVALID');
    expect(regions.body.error.details.problems[0]).toMatchObject({ row: 2, column: '区县名称' });
    await enterPhase('registration');
    const registrations = await upload(`/api/high-schools/${city.schools.h1.id}/registrations/import`, 'high', '准考证号\r\nT\u0000X\r\n');
    expect(registrations.status).toBe(400);
    expect(registrations.body.error.code).toBe('REGISTRATION_IMPORT_INVALID');
  });

  it('answers ids that are not ids with 404 or 400, never a 5xx, on every route with a path parameter', async () => {
    await enterPhase('confirmation');
    const odd = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', '..', '%2e%2e%2f%2e%2e', '%', '%E0%A4%A', '%zz', '%00', '%C0%AF', "1'%20OR%20'1'%3D'1", 'x'.repeat(5000), '%F0%9F%8F%AB', '__proto__', 'constructor', '-1', '1e309', 'NaN'];
    const problems: string[] = [];
    for (const route of listApiRoutes(server.app).filter((r) => r.path.includes(':'))) {
      const target = TARGETS[route.key];
      const token = tokens[target?.as ?? 'bureau'];
      const valid = target?.params?.() ?? {};
      for (const name of [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1])) {
        for (const id of odd) {
          // Inserted as is (not encoded): broken percent-escapes reach the router.
          const path = route.path.replace(/:(\w+)/g, (_m, n: string) => (n === name ? id : encodeURIComponent(valid[n] ?? 'x')));
          const res = await fetch(`${server.url}${path}`, {
            method: route.method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: route.method === 'GET' ? undefined : JSON.stringify(target?.body ?? {}),
          });
          const text = await res.text();
          if (res.status >= 500 || (res.status >= 400 && !/"code":"[A-Z_]+"/.test(text)) || (res.status < 400 && res.status !== 202 && res.status !== 200)) {
            problems.push(`${res.status} for ${route.method} ${path.slice(0, 80)}: ${text.slice(0, 160)}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
