import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../server/infra/tokens';
import { createTestClock, type TestClock } from '../support/clock';
import { createCycle, createKindergarten, createUser, uniqueSuffix } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { readableRequest, type ReadableResponse } from '../support/readable';
import { fillPath, listApiRoutes, type ListedRoute } from '../support/routes';
import { seedSchoolPortalCity, type SchoolPortalCity } from '../support/school-portal-fixture';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The authorization matrix: every /api route the router holds (read from the
 * Express stack, so a new route cannot slip by) called as nobody, as a forged
 * token, as a user who still has to change the password, as each role (the
 * city bureau and a county bureau apart), and with ids of another school,
 * region, student or user. ACCESS below is the intended access of each route;
 * the test fails when the router has a route ACCESS does not classify, or
 * ACCESS names a route the router no longer has.
 *
 * Outcomes: anonymous and forged -> 401; pending password change -> 403
 * PASSWORD_CHANGE_REQUIRED (except the auth routes); a role not allowed ->
 * 403 FORBIDDEN; someone else's resource -> 404 NOT_FOUND (as for one that
 * does not exist: the platform never confirms that another school's record
 * exists); an allowed caller gets through the guards (2xx, or a 4xx about the
 * request or the phase, never 401/403/404 NOT_FOUND, never 5xx). Callers
 * that pass the guard get a harmless body (usually invalid, so nothing is
 * written); callers that must be refused get a valid one, so the refusal is
 * not a validation error in disguise.
 */

type Who = 'student' | 'junior' | 'high' | 'bureau' | 'county' | 'auditor' | 'kindergarten';
type Caller = Who | 'anonymous' | 'forged' | 'pending';
const WHO: readonly Who[] = ['student', 'junior', 'high', 'bureau', 'county', 'auditor', 'kindergarten'];
const CALLERS: readonly Caller[] = ['anonymous', 'forged', 'pending', ...WHO];
const EVERY_ROLE = WHO;
const READERS_OF_HIGH: Who[] = ['high', 'bureau', 'county', 'auditor'];
const READERS_OF_JUNIOR: Who[] = ['junior', 'bureau', 'county', 'auditor'];
const OVERSIGHT: Who[] = ['bureau', 'county', 'auditor'];

type Params = Record<string, string>;

interface Access {
  /** Who gets through: no sign-in at all, any signed-in user (even before the first password change), or these callers. */
  allow: 'public' | 'signedIn' | readonly Who[];
  /** Path params of the caller's own (or a shared) resource. */
  params?: (who: Caller) => Params;
  query?: string;
  /** Body for callers let through: harmless (invalid, or acting changes nothing that matters). */
  body?: unknown;
  /** Body for callers refused and for foreign resources: valid, so the refusal is not a validation error. Default: `body`. */
  validBody?: unknown;
  /** Send the body as raw bytes (file uploads). */
  raw?: boolean;
  /** Someone else's resource, per caller: 404 NOT_FOUND. */
  foreign?: () => Partial<Record<Who, Params>>;
  /** The call revokes the caller's tokens (sign out): sign in again afterwards. */
  revokes?: boolean;
}

let server: TestServer;
let clock: TestClock;
let api: ApiClient;
let city: SchoolPortalCity;
/** Cycles of the year the refused POST /api/cycles names, before the test (another file may have made one). */
let cyclesOf2999 = 0;

/** Ids the table refers to, made in beforeAll. */
const ids = {
  unpublishedRound: '',
  ownRequest: '',
  foreignRequest: '',
  ownFlag: '',
  foreignFlag: '',
  jobs: {} as Record<Who, string>,
  /** A job the bureau started. */
  othersJob: '',
  /** A draft cycle with no windows: ending its "open" window changes nothing (400). */
  spareCycle: '',
  /** The kindergarten registry (issue 18): the caller's kindergarten, a filing in the county's region and one outside it. */
  ownKindergarten: '',
  ownFiling: '',
  foreignFiling: '',
};
const users = {} as Record<Who | 'pending', { id: string; username: string; password: string }>;
const tokens = {} as Record<Caller, string | undefined>;

const h1 = () => city.schools.h1.id;
const j1 = () => city.schools.j1.id;
const round = () => city.round.id;
const validPlan = { capacity: 110, classes: 2, batch: 1 };
const validWindows = [{ phase: 'setup', opensAt: '2099-01-01T00:00:00Z', closesAt: '2099-02-01T00:00:00Z' }];

/** The intended access of every route. Keys are `METHOD /express/path`. */
const ACCESS: Record<string, Access> = {
  // system and public forms
  'GET /api/health': { allow: 'public' },
  'GET /api/openapi.json': { allow: 'public' },
  'GET /api/cycles/current': { allow: 'public' },
  'GET /api/cycles': { allow: EVERY_ROLE },
  'GET /api/complaints/schools': { allow: 'public' },
  'POST /api/complaints': { allow: 'public', body: {} },
  'GET /api/score-table': { allow: 'public' },
  // signed receipts: anyone fetches the key and checks a receipt
  'GET /api/receipts/public-key': { allow: 'public' },
  'POST /api/receipts/verify': { allow: 'public', body: {} },

  // auth: public sign-in; the rest for anyone signed in
  'POST /api/auth/login': { allow: 'public', body: {} },
  'GET /api/auth/me': { allow: 'signedIn' },
  'POST /api/auth/logout': { allow: 'signedIn', revokes: true },
  'POST /api/auth/password': { allow: 'signedIn', body: {} },
  'POST /api/auth/refresh': { allow: 'public', body: {} },
  'POST /api/auth/totp/verify': { allow: 'public', body: {} },
  // Two-factor sign-in is for bureau accounts (county bureaus too).
  'POST /api/auth/totp/setup': { allow: ['bureau', 'county'] },
  'POST /api/auth/totp/enable': { allow: ['bureau', 'county'], body: {}, validBody: { code: '123456' } },
  'POST /api/auth/totp/disable': { allow: ['bureau', 'county'], body: {}, validBody: { password: 'Test-passw0rd', code: '123456' } },
  // activation codes: anyone may activate (rate-limited); bureaus and junior schools issue, each within its remit
  'POST /api/auth/activate': { allow: 'public', body: {} },
  'POST /api/accounts/activation-codes': { allow: ['bureau', 'county', 'junior'], body: {}, validBody: { role: 'high' } },

  // homes: one role each
  'GET /api/student/home': { allow: ['student'] },
  'GET /api/junior/home': { allow: ['junior'] },
  'GET /api/high/home': { allow: ['high'] },
  'GET /api/bureau/home': { allow: ['bureau', 'county'] },
  'GET /api/auditor/home': { allow: ['auditor'] },

  // the student portal: the caller's own record only (no id in the path)
  'GET /api/student/overview': { allow: ['student'] },
  'GET /api/student/application': { allow: ['student'] },
  'PUT /api/student/application': { allow: ['student'], body: {}, validBody: { kind: 'main', baseVersion: 0, choices: {} } },
  'GET /api/student/application/history': { allow: ['student'] },
  'GET /api/student/result': { allow: ['student'] },
  'POST /api/rounds/:id/confirmations': { allow: ['student'], params: () => ({ id: round() }), body: {}, validBody: { decision: 'declined' } },

  // the high-school portal: the school itself, the bureau covering it, inspectors read; only the school writes
  'GET /api/high-schools/:highSchoolId/plan': highRead(),
  'GET /api/high-schools/:highSchoolId/admissions': highRead(),
  'GET /api/high-schools/:highSchoolId/admissions/export': highRead(),
  'GET /api/high-schools/:highSchoolId/registrations': highRead(),
  'POST /api/high-schools/:highSchoolId/plan-requests': highWrite({}, { changes: { capacity: 100 }, reason: '扩招两个班' }),
  'POST /api/high-schools/:highSchoolId/registrations': highWrite({}, { examNos: ['T-nobody'] }),
  'POST /api/high-schools/:highSchoolId/registrations/import': { ...highWrite('', 'examNo\nT-nobody\n'), raw: true },

  // the junior-school portal
  'GET /api/junior-schools/:juniorSchoolId/status': juniorRead(),
  'GET /api/junior-schools/:juniorSchoolId/quotas': juniorRead(),
  'GET /api/junior-schools/:juniorSchoolId/results': juniorRead(),

  // plan change requests: the bureau covering the school
  'GET /api/plan-requests': { allow: ['bureau', 'county'] },
  'POST /api/plan-requests/:id/approve': planDecision(),
  'POST /api/plan-requests/:id/reject': planDecision(),

  // the bureau's setup: the city bureau only (a county bureau: 403)
  'POST /api/cycles': { allow: ['bureau'], body: {}, validBody: { year: 2999, name: '测试年度', windows: validWindows } },
  'PUT /api/cycles/:id/schedule': { allow: ['bureau'], params: () => ({ id: city.cycle.id }), body: {}, validBody: { windows: validWindows } },
  'POST /api/cycles/:id/schedule/end-current': { allow: ['bureau'], params: () => ({ id: ids.spareCycle }) },
  'PUT /api/cycles/:id/seed': { allow: ['bureau'], params: () => ({ id: ids.spareCycle }), body: {}, validBody: { seed: 'authz-matrix-seed-0123456789' } },
  'GET /api/imports/templates/:kind': { allow: ['bureau', 'county'], params: () => ({ kind: 'students' }) },
  'POST /api/imports/:kind': { allow: ['bureau'], params: () => ({ kind: 'regions' }), raw: true, body: '' },
  'PUT /api/plans/:highSchoolId': { allow: ['bureau'], params: () => ({ highSchoolId: h1() }), body: {}, validBody: validPlan },
  'PUT /api/junior-schools/:id/weight': { allow: ['bureau'], params: () => ({ id: j1() }), body: {}, validBody: { weightPercent: 100 } },
  'POST /api/quotas/compute': { allow: ['bureau'] },
  'GET /api/plans': { allow: EVERY_ROLE },
  'GET /api/quotas': { allow: EVERY_ROLE },
  'GET /api/quotas/export': { allow: EVERY_ROLE },

  // rounds: the city bureau runs them; the bureau and inspectors read; cutoffs are public once published
  'POST /api/rounds': { allow: ['bureau'], body: {}, validBody: { kind: 'simulation' } },
  'GET /api/rounds': { allow: OVERSIGHT },
  'GET /api/rounds/compare': { allow: OVERSIGHT, query: '' },
  'GET /api/rounds/supplementary/seats': { allow: EVERY_ROLE },
  'GET /api/rounds/:id': { allow: OVERSIGHT, params: () => ({ id: round() }) },
  'POST /api/rounds/:id/publish': { allow: ['bureau'], params: () => ({ id: round() }) },
  'GET /api/rounds/:id/bundle': { allow: ['bureau', 'auditor'], params: () => ({ id: round() }) },
  'GET /api/rounds/:id/confirmations': { allow: OVERSIGHT, params: () => ({ id: round() }) },
  'GET /api/rounds/:id/cutoffs': {
    allow: EVERY_ROLE,
    params: () => ({ id: round() }),
    // A round not yet published is nobody's business but the bureau's and inspectors'.
    foreign: () => ({ student: { id: ids.unpublishedRound }, junior: { id: ids.unpublishedRound }, high: { id: ids.unpublishedRound } }),
  },

  // oversight
  'GET /api/dashboard': { allow: OVERSIGHT },
  'GET /api/audit': { allow: ['auditor'] },
  'GET /api/audit/verify': { allow: ['auditor'] },
  'GET /api/flags': { allow: OVERSIGHT },
  'GET /api/flags/:id': { allow: OVERSIGHT, params: () => ({ id: ids.ownFlag }), foreign: () => ({ county: { id: ids.foreignFlag } }) },
  'POST /api/flags/:id/review': {
    allow: ['bureau', 'county'],
    params: () => ({ id: ids.ownFlag }),
    body: {},
    validBody: { status: 'dismissed', note: '核实无误' },
    foreign: () => ({ county: { id: ids.foreignFlag } }),
  },
  'POST /api/flags/detect': { allow: ['bureau', 'county'] },

  // jobs: everyone may ask, each sees only the jobs they started (bureau and inspectors: all)
  'GET /api/jobs/:queue/:id': {
    allow: EVERY_ROLE,
    params: (who) => ({ queue: 'system', id: ids.jobs[isWho(who) ? who : 'bureau'] }),
    foreign: () => ({ student: { queue: 'system', id: ids.othersJob }, junior: { queue: 'system', id: ids.othersJob }, high: { queue: 'system', id: ids.othersJob } }),
  },
  'POST /api/system/healthcheck': { allow: ['bureau', 'county'] },

  // the kindergarten registry (issue 18): public disclosure; a kindergarten its own record; the bureau covering it reviews
  'GET /api/kindergartens': { allow: 'public' },
  'GET /api/kindergartens/regions': { allow: 'public' },
  'GET /api/kindergartens/:id': { allow: 'public', params: () => ({ id: ids.ownKindergarten }) },
  'GET /api/kindergarten/home': { allow: ['kindergarten'] },
  'GET /api/kindergarten/me': { allow: ['kindergarten'] },
  'POST /api/kindergarten/filings': { allow: ['kindergarten'], body: {}, validBody: { changes: { classes: 3 } } },
  'GET /api/kindergarten-filings': { allow: OVERSIGHT },
  'POST /api/kindergarten-filings/:id/approve': kindergartenDecision({ note: '同意' }),
  'POST /api/kindergarten-filings/:id/return': kindergartenDecision({ note: '请补充材料' }),
  'POST /api/imports/kindergartens': { allow: ['bureau', 'county'], raw: true, body: '' },
  'POST /api/imports/preschool-population': { allow: ['bureau', 'county'], raw: true, body: '' },
};

function kindergartenDecision(validBody: unknown): Access {
  return { allow: ['bureau', 'county'], params: () => ({ id: ids.ownFiling }), body: { note: 42 }, validBody, foreign: () => ({ county: { id: ids.foreignFiling } }) };
}

function isWho(caller: Caller): caller is Who {
  return (WHO as readonly string[]).includes(caller);
}

function highRead(): Access {
  return { allow: READERS_OF_HIGH, params: () => ({ highSchoolId: h1() }), foreign: () => ({ high: { highSchoolId: city.schools.h2.id }, county: { highSchoolId: city.schools.h2.id } }) };
}

function highWrite(body: unknown, validBody: unknown): Access {
  return { allow: ['high'], params: () => ({ highSchoolId: h1() }), body, validBody, foreign: () => ({ high: { highSchoolId: city.schools.h2.id } }) };
}

function juniorRead(): Access {
  return { allow: READERS_OF_JUNIOR, params: () => ({ juniorSchoolId: j1() }), foreign: () => ({ junior: { juniorSchoolId: city.schools.j3.id }, county: { juniorSchoolId: city.schools.j3.id } }) };
}

function planDecision(): Access {
  return { allow: ['bureau', 'county'], params: () => ({ id: ids.ownRequest }), body: { note: 42 }, validBody: { note: '同意' }, foreign: () => ({ county: { id: ids.foreignRequest } }) };
}

async function signIn(who: Who | 'pending'): Promise<string> {
  return api.login(users[who].username, users[who].password);
}

beforeAll(async () => {
  clock = createTestClock();
  server = await startTestServer({ clock, env: { COMPLAINT_RATE_LIMIT: '100000' } });
  api = apiClient(server.url);
  const { prisma } = server;
  city = await seedSchoolPortalCity(prisma);
  cyclesOf2999 = await prisma.cycle.count({ where: { year: 2999 } });
  ids.spareCycle = (await createCycle(prisma, { status: 'draft' })).id;
  // The confirmation phase: plans and results are published, nothing is in setup.
  clock.set(city.during('confirmation'));

  const student = city.students.open;
  users.student = await createUser(prisma, { role: 'student', username: student.examNo, studentId: student.id, regionCode: student.regionCode });
  users.junior = city.users.juniorUser;
  users.high = city.users.highUser;
  users.bureau = city.users.bureau;
  // A county bureau of the region of h1 and j1; h2 and j3 are in another region.
  users.county = await createUser(prisma, { role: 'bureau', regionCode: city.region.code });
  users.auditor = await createUser(prisma, { role: 'auditor' });
  users.pending = await createUser(prisma, { role: 'bureau', mustChangePassword: true });

  // The engine input of the published round, as the round job stores it, so its cutoffs can be read.
  await prisma.round.update({
    where: { id: round() },
    data: { input: { format: 'zz-admissions/allocation-instance@1', students: Object.values(city.students).map((x) => ({ id: x.examNo, total: x.total })) } },
  });
  ids.unpublishedRound = (
    await prisma.round.create({ data: { cycleId: city.cycle.id, kind: 'simulation', policy: {}, seed: city.cycle.seed, status: 'succeeded', progress: 100, createdBy: users.bureau.id } })
  ).id;
  const h2Plan = await prisma.highSchoolPlan.create({ data: { cycleId: city.cycle.id, highSchoolId: city.schools.h2.id, capacity: 110, classes: 2, batch: 1, status: 'approved' } });
  const h1Plan = await prisma.highSchoolPlan.findFirstOrThrow({ where: { cycleId: city.cycle.id, highSchoolId: h1() } });
  const request = (planId: string) => prisma.planChangeRequest.create({ data: { planId, changes: { capacity: 100 }, reason: '测试', requestedBy: users.high.id } });
  ids.ownRequest = (await request(h1Plan.id)).id;
  ids.foreignRequest = (await request(h2Plan.id)).id;
  const flag = (highSchoolId: string, regionCode: string) =>
    prisma.flag.create({
      data: { cycleId: city.cycle.id, rule: 'early_offer', severity: 'medium', highSchoolIds: [highSchoolId], studentIds: [], evidence: { regionCodes: [regionCode] }, dedupeKey: `authz-${uniqueSuffix()}` },
    });
  ids.ownFlag = (await flag(h1(), city.region.code)).id;
  ids.foreignFlag = (await flag(city.schools.h2.id, city.otherRegion.code)).id;
  const kindergarten = await createKindergarten(prisma, { regionCode: city.region.code });
  const foreignKindergarten = await createKindergarten(prisma, { regionCode: city.otherRegion.code });
  ids.ownKindergarten = kindergarten.id;
  users.kindergarten = await createUser(prisma, { role: 'kindergarten', kindergartenId: kindergarten.id, regionCode: kindergarten.regionCode });
  const filing = (kindergartenId: string) => prisma.kindergartenFiling.create({ data: { kindergartenId, changes: { classes: 3 }, submittedBy: users.kindergarten.id } });
  ids.ownFiling = (await filing(kindergarten.id)).id;
  ids.foreignFiling = (await filing(foreignKindergarten.id)).id;
  for (const who of WHO) ids.jobs[who] = (await server.queues.enqueue('system.healthcheck', {}, { createdBy: users[who].id })).id;
  ids.othersJob = (await server.queues.enqueue('system.healthcheck', {}, { createdBy: users.bureau.id })).id;

  for (const who of [...WHO, 'pending'] as const) tokens[who] = await signIn(who);
  tokens.anonymous = undefined;
  // A well-formed token for a real user, signed with another secret.
  tokens.forged = createTokenService({ secret: 'not-the-server-secret-0123456789abcdef', ttlSeconds: 3600, now: () => clock.now() }).sign({ userId: users.bureau.id, tokenVersion: 0 }).token;
}, 120_000);

afterAll(async () => {
  // Leave the current cycle to whoever runs next.
  if (city) await server.prisma.cycle.update({ where: { id: city.cycle.id }, data: { status: 'archived' } });
  await server?.stop();
});

async function call(route: ListedRoute, access: Access, caller: Caller, params: Params, body: unknown): Promise<ReadableResponse> {
  const path = fillPath(route.path, params) + (access.query !== undefined ? `?${access.query}` : '');
  const token = tokens[caller];
  if (access.raw) return readableRequest(server.url, route.method, path, { token, rawBody: typeof body === 'string' ? body : '', headers: { 'content-type': 'text/csv' } });
  return readableRequest(server.url, route.method, path, { token, body });
}

type Outcome = 'through' | 'unauthenticated' | 'forbidden' | 'password-change' | 'hidden';

function expectedOutcome(access: Access, caller: Caller): Outcome {
  if (access.allow === 'public') return 'through';
  if (caller === 'anonymous' || caller === 'forged') return 'unauthenticated';
  if (access.allow === 'signedIn') return 'through';
  if (caller === 'pending') return 'password-change';
  return access.allow.includes(caller) ? 'through' : 'forbidden';
}

/** What a response says about access, checked against the error body. */
function outcomeOf(res: ReadableResponse): Outcome | `unexpected ${number}` {
  if (res.status >= 500) return `unexpected ${res.status}`;
  if (res.status < 400) return 'through';
  const code = res.json?.error?.code;
  if (typeof code !== 'string' || typeof res.json.error.message !== 'string') return `unexpected ${res.status}`;
  if (res.status === 401) return 'unauthenticated';
  if (res.status === 403 && code === 'FORBIDDEN') return 'forbidden';
  if (res.status === 403 && code === 'PASSWORD_CHANGE_REQUIRED') return 'password-change';
  if (res.status === 404 && code === 'NOT_FOUND') return 'hidden';
  if (res.status === 403) return `unexpected ${res.status}`;
  return 'through'; // a 4xx about the request (validation, phase, state): the caller got past the guards
}

/** Strings each caller must never receive: other people's students and records. */
function secretsOf(caller: Caller): string[] {
  const s = city.students;
  switch (caller) {
    case 'student':
      return [s.quota, s.reverted, s.elsewhere, s.unplaced, s.other].flatMap((x) => [x.examNo, x.name]);
    case 'junior': // j1's students are open, reverted, elsewhere, unplaced
      return [s.quota, s.other].flatMap((x) => [x.examNo, x.name]);
    case 'high': // h1 admitted open, quota, reverted; the others never applied there
      return [s.elsewhere, s.unplaced, s.other].flatMap((x) => [x.examNo, x.name]);
    case 'county':
      return [s.other.examNo, s.other.name, ids.foreignFlag, ids.foreignRequest, ids.foreignFiling];
    case 'kindergarten':
      return [...Object.values(s).flatMap((x) => [x.examNo, x.name]), ids.foreignFiling];
    case 'anonymous':
    case 'forged':
    case 'pending':
      return Object.values(s).flatMap((x) => [x.examNo, x.name]);
    default:
      return [];
  }
}

describe('the access table', () => {
  it('classifies every route of the router, and only those', () => {
    const routes = listApiRoutes(server.app).map((r) => r.key);
    expect(routes.length).toBeGreaterThan(50);
    const unclassified = routes.filter((key) => !(key in ACCESS));
    const gone = Object.keys(ACCESS).filter((key) => !routes.includes(key));
    expect(unclassified, 'routes missing from ACCESS: classify each new route').toEqual([]);
    expect(gone, 'ACCESS names routes the router no longer has').toEqual([]);
  });

  it('agrees with the role guard each route declares', () => {
    for (const route of listApiRoutes(server.app)) {
      const access = ACCESS[route.key];
      if (!access) continue;
      if (access.allow === 'public' || access.allow === 'signedIn') expect(route.roles, route.key).toBeNull();
      else expect(new Set(route.roles), route.key).toEqual(new Set(access.allow.map((w) => (w === 'county' ? 'bureau' : w))));
    }
  });
});

describe('every route, every caller', () => {
  it('lets through exactly the callers meant to, and nobody sees another party\'s data', async () => {
    const problems: string[] = [];
    for (const route of listApiRoutes(server.app)) {
      const access = ACCESS[route.key];
      if (!access) continue; // reported by the table test
      for (const caller of CALLERS) {
        const expected = expectedOutcome(access, caller);
        const body = expected === 'through' ? access.body : (access.validBody ?? access.body);
        const res = await call(route, access, caller, access.params?.(caller) ?? {}, body);
        const got = outcomeOf(res);
        if (got !== expected) problems.push(`${route.key} as ${caller}: expected ${expected}, got ${got} (${res.status} ${res.text.slice(0, 160)})`);
        for (const secret of secretsOf(caller)) {
          if (res.text.includes(secret)) problems.push(`${route.key} as ${caller}: the response holds "${secret}", which is not theirs`);
        }
        if (access.revokes && isWho(caller)) tokens[caller] = await signIn(caller);
        if (access.revokes && caller === 'pending') tokens.pending = await signIn('pending');
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers someone else\'s resource with 404 NOT_FOUND, never with its data', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const route of listApiRoutes(server.app)) {
      const access = ACCESS[route.key];
      for (const [who, params] of Object.entries(access?.foreign?.() ?? {}) as [Who, Params][]) {
        checked++;
        const res = await call(route, access!, who, params, access!.validBody ?? access!.body);
        const got = outcomeOf(res);
        if (got !== 'hidden') problems.push(`${route.key} as ${who} with ${JSON.stringify(params)}: expected hidden, got ${got} (${res.status} ${res.text.slice(0, 160)})`);
        for (const value of Object.values(params)) {
          if (res.text.includes(value)) problems.push(`${route.key} as ${who}: the answer names ${value}`);
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    expect(problems).toEqual([]);
  });

  it('never changes someone else\'s record when refusing', async () => {
    // The refused writes above (valid bodies) left the foreign request and flag as they were.
    const request = await server.prisma.planChangeRequest.findUniqueOrThrow({ where: { id: ids.foreignRequest } });
    expect(request.status).toBe('pending');
    const flag = await server.prisma.flag.findUniqueOrThrow({ where: { id: ids.foreignFlag } });
    expect(flag.status).toBe('open');
    expect((await server.prisma.kindergartenFiling.findUniqueOrThrow({ where: { id: ids.foreignFiling } })).status).toBe('pending');
    expect(await server.prisma.cycle.count({ where: { year: 2999 } })).toBe(cyclesOf2999);
    expect((await server.prisma.cycle.findUniqueOrThrow({ where: { id: city.cycle.id } })).status).toBe('active');
    expect(await server.prisma.confirmation.count({ where: { roundId: round(), studentId: { in: [city.students.other.id] } } })).toBe(0);
  });
});
