import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBJECTS } from '../../server/demo/types';
import { IMPORT_COLUMNS } from '../../server/domain/imports/columns';
import { createLogger } from '../../server/middleware/logging';
import type { Role } from '../../server/policies';
import { createTestClock, type TestClock } from '../support/clock';
import { createStudent, createUser, uniqueSuffix } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { readableRequest, type ReadableResponse } from '../support/readable';
import { fillPath, listApiRoutes, type ListedRoute } from '../support/routes';
import { seedSchoolPortalCity, type SchoolPortalCity } from '../support/school-portal-fixture';
import { startTestServer, type TestServer } from '../support/server';

/**
 * 身份证号 never leave the server whole. Students with known 18-character ID
 * numbers (seeded, and imported through the API from a CSV file) go through
 * the platform's flows: import (good and refused files), a simulated round
 * run by the worker, the flag detection job, a complaint that quotes an ID
 * number, registration, a sign-in with an ID number typed as the user name,
 * a search by ID number. Then every GET route is called as every role
 * (routes read from the router, so new ones are covered), Excel downloads
 * read back cell by cell with exceljs, and the answers, the captured pino
 * log lines of the API and the worker, and the BullMQ job data in Redis are
 * searched for any full ID number. The masked form (first 6 and last 4)
 * must show where an ID number is shown at all, so the search looks at real data.
 */

type Who = Role | 'county';

let server: TestServer;
let clock: TestClock;
let api: ApiClient;
let city: SchoolPortalCity;
const logLines: string[] = [];
const tokens = {} as Record<Who, string>;
const users = {} as Record<Who, { username: string; password: string }>;
/** Every full ID number the test knows: none may ever be sent out or logged. */
const idNumbers: string[] = [];
const answers: { what: string; res: ReadableResponse }[] = [];
let roundId = '';
let flagId = '';
let jobId = '';

/** A valid 18-character ID number (check digit per GB 11643). */
function idCard(serial: number): string {
  const body = `430211200803${String(serial).padStart(5, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

const masked = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;

async function enterPhase(phase: Parameters<SchoolPortalCity['during']>[0]) {
  clock.set(city.during(phase));
  for (const who of Object.keys(users) as Who[]) tokens[who] = await api.login(users[who].username, users[who].password);
}

async function record(what: string, res: ReadableResponse | Promise<ReadableResponse>): Promise<ReadableResponse> {
  const answer = await res;
  answers.push({ what, res: answer });
  return answer;
}

const send = (who: Who | null, method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) =>
  readableRequest(server.url, method, path, { token: who ? tokens[who] : undefined, ...options });

async function waitForJob(queue: string, id: string) {
  for (let i = 0; i < 300; i++) {
    const res = await send('bureau', 'GET', `/api/jobs/${queue}/${id}`);
    if (res.json?.state === 'completed' || res.json?.state === 'failed') return res;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${queue}/${id} did not finish`);
}

beforeAll(async () => {
  clock = createTestClock();
  // The API's and the worker's log lines, at the most verbose level, as they would reach stdout.
  const logger = createLogger({ level: 'trace', service: 'api', destination: { write: (line: string) => void logLines.push(line) } });
  server = await startTestServer({ clock, logger, worker: true, env: { COMPLAINT_RATE_LIMIT: '1000' } });
  api = apiClient(server.url);
  const { prisma } = server;
  city = await seedSchoolPortalCity(prisma);
  idNumbers.push(...Object.values(city.students).map((s) => s.idCardNo));
  // Two more of j1 with valid ID numbers, one with the check digit X.
  for (const serial of [1, 3]) {
    const s = await createStudent(prisma, { cycleId: city.cycle.id, juniorSchoolId: city.schools.j1.id, idCardNo: idCard(serial) });
    idNumbers.push(s.idCardNo);
  }
  expect(idNumbers.some((id) => id.endsWith('X'))).toBe(true);

  const student = city.students.open;
  users.student = await createUser(prisma, { role: 'student', username: student.examNo, studentId: student.id, regionCode: student.regionCode });
  users.junior = city.users.juniorUser;
  users.high = city.users.highUser;
  users.bureau = city.users.bureau;
  users.county = await createUser(prisma, { role: 'bureau', regionCode: city.region.code });
  users.auditor = await createUser(prisma, { role: 'auditor' });
}, 120_000);

afterAll(async () => {
  // Leave the current cycle to whoever runs next.
  if (city) await server.prisma.cycle.update({ where: { id: city.cycle.id }, data: { status: 'archived' } });
  await server?.stop();
});

describe('flows that carry ID numbers', { timeout: 180_000 }, () => {
  it('imports students from a file, refusing a bad one without echoing its ID numbers', async () => {
    await enterPhase('setup');
    const sfx = uniqueSuffix().toUpperCase();
    const rows = [10, 11, 12].map((serial) => ({
      examNo: `M${sfx}${serial}`,
      name: `导入学生${serial}`,
      idCardNo: idCard(1000 + serial),
      gender: '女',
      juniorSchoolId: city.schools.j1.id,
      enrolledSince: '2028-09-01',
      evaluation: 'B',
      ...Object.fromEntries(SUBJECTS.map((s) => [`score.${s.key}`, Math.min(s.max, 60)])),
    }));
    idNumbers.push(...rows.map((r) => r.idCardNo));
    const cols = IMPORT_COLUMNS.students;
    const csv = (list: Record<string, string | number>[]) =>
      [cols.map((c) => c.zh), ...list.map((r) => cols.map((c) => String(r[c.key] ?? '')))].map((cells) => cells.map((c) => `"${c}"`).join(',')).join('\r\n');
    const upload = (body: string) => send('bureau', 'POST', '/api/imports/students', { rawBody: body, headers: { 'content-type': 'text/csv' } });

    // A duplicate ID number and a wrong check digit: refused, with the row and column named but not the number.
    const wrongCheck = `${rows[2].idCardNo.slice(0, 17)}${rows[2].idCardNo.endsWith('0') ? '1' : '0'}`;
    idNumbers.push(wrongCheck);
    const refused = await record('refused import', upload(csv([rows[0], { ...rows[1], idCardNo: rows[0].idCardNo }, { ...rows[2], idCardNo: wrongCheck }])));
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('IMPORT_INVALID');
    expect(refused.text).toContain('身份证号');

    const done = await record('import', upload(csv(rows)));
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'done', imported: 3 });
  });

  it('runs a simulated round and the flag detection in the worker', async () => {
    await enterPhase('confirmation');
    const started = await record('start round', send('bureau', 'POST', '/api/rounds', { body: { kind: 'simulation', name: '身份证号测试' } }));
    expect(started.status, started.text).toBe(202);
    roundId = started.json.id;
    const run = await waitForJob('rounds', started.json.jobId);
    expect(run.json.state, run.text).toBe('completed');

    const detect = await record('detect flags', send('bureau', 'POST', '/api/flags/detect'));
    expect(detect.status).toBe(202);
    jobId = detect.json.id;
    await waitForJob(detect.json.queue, jobId);
  });

  it('takes a complaint quoting an ID number and keeps it masked', async () => {
    const quoted = idNumbers[0];
    const receipt = await record(
      'complaint',
      send(null, 'POST', '/api/complaints', {
        body: { highSchoolId: city.schools.h1.id, schoolName: '某校', studentName: `张三 ${quoted}`, contact: `13800138000 / ${quoted}`, description: `学生（身份证 ${quoted}）被提前承诺录取。` },
      }),
    );
    expect(receipt.status, receipt.text).toBe(201);
    flagId = receipt.json.flagId;
    const detail = await record('complaint flag', send('bureau', 'GET', `/api/flags/${flagId}`));
    expect(detail.text).toContain(masked(quoted));
  });

  it('signs in with an ID number typed as the user name, and searches by one', async () => {
    await record('login with an ID number', send(null, 'POST', '/api/auth/login', { body: { username: idNumbers[1], password: idNumbers[1] } }));
    await record('search by ID number', send('high', 'GET', `/api/high-schools/${city.schools.h1.id}/admissions?q=${idNumbers[0]}`));
    await record('audit by entity id', send('auditor', 'GET', `/api/audit?entityId=${idNumbers[0]}`));
  });

  it('registers enrolled students, refusing one admitted elsewhere', async () => {
    await enterPhase('registration');
    const res = await record(
      'registration',
      send('high', 'POST', `/api/high-schools/${city.schools.h1.id}/registrations`, { body: { examNos: [city.students.open.examNo, city.students.other.examNo] } }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ registered: 1, refused: 1 });
  });

  it('masks an ID number a school types or uploads where an exam number belongs', async () => {
    const path = `/api/high-schools/${city.schools.h1.id}/registrations`;
    const typed = await record('registration of an ID number', send('high', 'POST', path, { body: { examNos: [idNumbers[2]] } }));
    expect(typed.status, typed.text).toBe(200);
    expect(typed.json).toMatchObject({ refused: 1 });
    expect(typed.text).toContain(masked(idNumbers[2]));
    const file = (rows: string[]) => send('high', 'POST', `${path}/import`, { rawBody: ['准考证号', ...rows].join('\r\n'), headers: { 'content-type': 'text/csv' } });
    const malformed = await record('registration file with a malformed row', file([`身份证 ${idNumbers[3]}`]));
    expect(malformed.status, malformed.text).toBe(400);
    expect(malformed.text).toContain(masked(idNumbers[3]));
    const unknown = await record('registration file of ID numbers', file([idNumbers[4], idNumbers[5]]));
    expect(unknown.status, unknown.text).toBe(200);
    expect(unknown.json).toMatchObject({ registered: 0, refused: 2 });
    await enterPhase('confirmation');
  });
});

/** Path params of a route for a caller: the caller's own school, the round and flag made above. */
function paramsFor(route: ListedRoute): Record<string, string> {
  const p = route.path;
  if (p.startsWith('/api/jobs/')) return { queue: 'flags', id: jobId };
  if (p.startsWith('/api/rounds/')) return { id: roundId };
  if (p.startsWith('/api/flags/')) return { id: flagId };
  if (p.startsWith('/api/imports/')) return { kind: 'students' };
  return { highSchoolId: city.schools.h1.id, juniorSchoolId: city.schools.j1.id, id: city.cycle.id };
}

describe('every GET route as every role', { timeout: 180_000 }, () => {
  it('answers without a full ID number, in JSON and in every cell of the Excel downloads', async () => {
    const gets = listApiRoutes(server.app).filter((r) => r.method === 'GET');
    expect(gets.length).toBeGreaterThan(30);
    let downloads = 0;
    for (const route of gets) {
      for (const who of Object.keys(users) as Who[]) {
        const res = await record(`${route.key} as ${who}`, send(who, 'GET', fillPath(route.path, paramsFor(route))));
        if (res.status === 200 && res.json === null && res.text.startsWith('# ')) downloads++;
      }
    }
    // The admission list, its export, the round bundle and the published round's cutoffs were all read.
    expect(downloads).toBeGreaterThanOrEqual(3);
    const admissions = answers.find((a) => a.what === 'GET /api/high-schools/:highSchoolId/admissions as high')!.res;
    expect(admissions.status).toBe(200);
    expect(admissions.text).toContain(masked(city.students.open.idCardNo));
    const exported = answers.find((a) => a.what === 'GET /api/high-schools/:highSchoolId/admissions/export as high')!.res;
    expect(exported.text).toContain(masked(city.students.open.idCardNo));
    const bundle = answers.find((a) => a.what === 'GET /api/rounds/:id/bundle as bureau')!.res;
    expect(bundle.status, bundle.text.slice(0, 200)).toBe(200);
    expect(bundle.text).toContain(city.students.open.examNo);

    const leaks = answers.flatMap(({ what, res }) => idNumbers.filter((id) => res.text.includes(id)).map((id) => `${what}: ${id}`));
    expect(leaks).toEqual([]);
  });

  it('never writes a full ID number to the logs', () => {
    const log = logLines.join('');
    // The capture works: request lines of the API and lines of the worker are there.
    expect(log).toContain('"path":"/api/high-schools/');
    expect(logLines.length).toBeGreaterThan(100);
    expect(idNumbers.filter((id) => log.includes(id))).toEqual([]);
  });

  it('never puts a full ID number in the data or result of a queued job', async () => {
    const { redis, queuePrefix } = server;
    const leaks: string[] = [];
    let jobs = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        if ((await redis.type(key)) !== 'hash') continue;
        const fields = await redis.hgetall(key);
        if ('data' in fields) jobs++;
        for (const id of idNumbers) if (Object.values(fields).some((v) => v.includes(id))) leaks.push(`${key}: ${id}`);
      }
    } while (cursor !== '0');
    expect(jobs).toBeGreaterThanOrEqual(2);
    expect(leaks).toEqual([]);
  });
});
