import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock, type TestClock } from '../support/clock';
import { apiClient, type ApiClient } from '../support/http';
import { seedSchoolPortalCity, type SchoolPortalCity } from '../support/school-portal-fixture';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Issue 6 end to end against the real server, Postgres and Redis: scoping of
 * the school portals, the admission list and its Excel export, plan change
 * requests and their review, enrollment registration with refusals.
 */

let server: TestServer;
let clock: TestClock;
let api: ApiClient;
let city: SchoolPortalCity;
const tokens = {} as Record<'high' | 'otherHigh' | 'junior' | 'otherJunior' | 'bureau' | 'otherBureau', string>;

/** Moves the server clock into a phase and signs everyone in again (tokens are dated by the same clock). */
async function at(phase: Parameters<SchoolPortalCity['during']>[0]) {
  clock.set(city.during(phase));
  const u = city.users;
  [tokens.high, tokens.otherHigh, tokens.junior, tokens.otherJunior, tokens.bureau, tokens.otherBureau] = await Promise.all(
    [u.highUser, u.otherHighUser, u.juniorUser, u.otherJuniorUser, u.bureau, u.otherCountyBureau].map((x) => api.login(x.username, x.password)),
  );
}

beforeAll(async () => {
  clock = createTestClock();
  server = await startTestServer({ clock });
  api = apiClient(server.url, { checkResponses: true });
  city = await seedSchoolPortalCity(server.prisma);
  await at('confirmation');
});

afterAll(async () => {
  // Leave the current cycle to whoever runs next.
  if (city) await server.prisma.cycle.update({ where: { id: city.cycle.id }, data: { status: 'archived' } });
  await server?.stop();
});

const h1 = () => city.schools.h1.id;

async function readWorkbook(body: ArrayBuffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body);
  const sheet = workbook.worksheets[0];
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('admission list (录取名单)', () => {
  it('shows the school its admitted students with seat, junior school, scores, confirmation and masked ID only', async () => {
    const res = await api.get(`/api/high-schools/${h1()}/admissions`, { token: tokens.high });
    expect(res.status).toBe(200);
    const { students } = city;
    expect(res.body.items.map((r: { examNo: string }) => r.examNo)).toEqual([students.open.examNo, students.quota.examNo, students.reverted.examNo]);
    const byExam = Object.fromEntries(res.body.items.map((r: { examNo: string }) => [r.examNo, r]));
    expect(byExam[students.open.examNo]).toMatchObject({ seat: 'open', confirmation: 'confirmed', total: 640, juniorSchool: { id: city.schools.j1.id } });
    expect(byExam[students.quota.examNo]).toMatchObject({ seat: 'quota', confirmation: 'declined', juniorSchool: { id: city.schools.j2.id } });
    expect(byExam[students.reverted.examNo]).toMatchObject({ seat: 'reverted', confirmation: 'pending', scores: { chinese: 98, math: 99, english: 97 } });
    expect(byExam[students.open.examNo].idCardMasked).toBe(`430202********${students.open.idCardNo.slice(-4)}`);
    const text = JSON.stringify(res.body);
    for (const s of Object.values(students)) expect(text).not.toContain(s.idCardNo);
    // Another school's students are not on it.
    expect(text).not.toContain(students.elsewhere.examNo);
    // 录取人数 counts the seats held: the declined quota seat is listed (marked declined) but not counted.
    expect(res.body.summary).toMatchObject({ total: 2, open: 1, quota: 0, reverted: 1, main: 3, supplementary: 0, confirmed: 1, declined: 1, pending: 1 });
    expect(res.body.summary.cutoffs).toMatchObject({
      open: { total: 640, rank: 1 },
      reverted: { total: 590, rank: 5 },
      quota: [{ juniorSchoolId: city.schools.j2.id, total: 600, used: 1 }],
      lowestTotal: 590,
    });
  });

  it('filters by seat type, junior school and confirmation, and searches name or exam number', async () => {
    const get = async (query: string) =>
      (await api.get(`/api/high-schools/${h1()}/admissions?${query}`, { token: tokens.high })).body.items.map((r: { examNo: string }) => r.examNo);
    const { students, schools } = city;
    expect(await get('seat=quota')).toEqual([students.quota.examNo]);
    expect(await get(`juniorSchoolId=${schools.j1.id}`)).toEqual([students.open.examNo, students.reverted.examNo]);
    expect(await get('confirmation=pending')).toEqual([students.reverted.examNo]);
    expect(await get(`q=${encodeURIComponent('李小')}`)).toEqual([students.quota.examNo]);
    expect(await get(`q=${students.open.examNo}`)).toEqual([students.open.examNo]);
    expect(await get('seat=&q=')).toHaveLength(3);
    const bad = await api.get(`/api/high-schools/${h1()}/admissions?seat=vip`, { token: tokens.high, headers: { 'accept-language': 'en' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('seat');
  });

  it('gives another school, a junior school or a county bureau of another region nothing', async () => {
    expect((await api.get(`/api/high-schools/${h1()}/admissions`, { token: tokens.otherHigh })).status).toBe(404);
    expect((await api.get(`/api/high-schools/${h1()}/admissions/export`, { token: tokens.otherHigh })).status).toBe(404);
    expect((await api.get(`/api/high-schools/${h1()}/plan`, { token: tokens.otherHigh })).status).toBe(404);
    expect((await api.get(`/api/high-schools/${h1()}/registrations`, { token: tokens.otherHigh })).status).toBe(404);
    expect((await api.get(`/api/high-schools/${h1()}/admissions`, { token: tokens.junior })).status).toBe(403);
    expect((await api.get(`/api/high-schools/${h1()}/admissions`, { token: tokens.otherBureau })).status).toBe(404);
    expect((await api.get(`/api/high-schools/${h1()}/admissions`, { token: tokens.bureau })).status).toBe(200);
    expect((await api.get(`/api/high-schools/${h1()}/admissions`)).status).toBe(401);
  });

  it('exports the same rows as an Excel workbook, formulas neutralized, ID numbers masked', async () => {
    const list = await api.get(`/api/high-schools/${h1()}/admissions`, { token: tokens.high });
    const response = await fetch(`${server.url}/api/high-schools/${h1()}/admissions/export`, { headers: { authorization: `Bearer ${tokens.high}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const rows = await readWorkbook(await response.arrayBuffer());
    const [header, ...body] = rows;
    expect(header).toEqual(['序号', '准考证号', '姓名', '性别', '身份证号（脱敏）', '初中学校', '录取类型', '录取轮次', '批次', '语文', '数学', '英语', '总分', '综合素质评价', '确认状态', '报到注册']);
    expect(body.map((r) => r[1])).toEqual(list.body.items.map((r: { examNo: string }) => r.examNo));
    expect(body.map((r) => r[2])).toEqual(list.body.items.map((r: { name: string }) => (r.name.startsWith('=') ? `'${r.name}` : r.name)));
    expect(body.map((r) => r[12])).toEqual([640, 600, 590]);
    expect(body.map((r) => r[7])).toEqual(['第一轮', '第一轮', '第一轮']);
    expect(body.map((r) => r[6])).toEqual(['统招', '指标生', '指标回流']);
    // The formula-looking name is plain text, not a formula.
    const neutralized = body.find((r) => String(r[2]).includes('HYPERLINK'))!;
    expect(neutralized[2]).toBe(`'${city.students.reverted.name}`);
    const flat = JSON.stringify(rows);
    for (const s of Object.values(city.students)) expect(flat).not.toContain(s.idCardNo);

    // Same filters as the list; English headers with Accept-Language: en.
    const filtered = await fetch(`${server.url}/api/high-schools/${h1()}/admissions/export?seat=quota`, {
      headers: { authorization: `Bearer ${tokens.high}`, 'accept-language': 'en' },
    });
    const [enHeader, ...enRows] = await readWorkbook(await filtered.arrayBuffer());
    expect(enHeader[1]).toBe('Exam number');
    expect(enRows.map((r) => r[1])).toEqual([city.students.quota.examNo]);
  });
});

describe('junior school portal', () => {
  it('shows application status with who still has to act, quota seats and their use, and results', async () => {
    const j1 = city.schools.j1.id;
    const status = await api.get(`/api/junior-schools/${j1}/status`, { token: tokens.junior });
    expect(status.status).toBe(200);
    expect(status.body.counts).toEqual({ total: 4, not_started: 2, saved: 1, final: 1 });
    const states = Object.fromEntries(status.body.students.map((s: { examNo: string; state: string }) => [s.examNo, s.state]));
    expect(states).toEqual({
      [city.students.open.examNo]: 'final',
      [city.students.elsewhere.examNo]: 'saved',
      [city.students.reverted.examNo]: 'not_started',
      [city.students.unplaced.examNo]: 'not_started',
    });
    expect(JSON.stringify(status.body)).not.toContain(city.students.open.idCardNo);

    const quotas = await api.get(`/api/junior-schools/${j1}/quotas`, { token: tokens.junior });
    expect(quotas.body).toMatchObject({ published: true, totalSeats: 4, totalUsed: 1 });
    expect(quotas.body.quotas.map((q: { highSchool: { id: string }; seats: number; used: number }) => [q.highSchool.id, q.seats, q.used]).sort()).toEqual(
      [
        [city.schools.h1.id, 3, 0],
        [city.schools.h2.id, 1, 1],
      ].sort(),
    );

    const results = await api.get(`/api/junior-schools/${j1}/results`, { token: tokens.junior });
    expect(results.body.counts).toEqual({ placed: 3, unplaced: 1, quota: 1, supplementary: 0, declined: 0 });
    const placed = Object.fromEntries(results.body.results.map((r: { examNo: string; highSchool: { id: string } | null }) => [r.examNo, r.highSchool?.id ?? null]));
    expect(placed[city.students.elsewhere.examNo]).toBe(city.schools.h2.id);
    expect(placed[city.students.unplaced.examNo]).toBeNull();
  });

  it('gives another junior school 404 and a high school 403', async () => {
    const j1 = city.schools.j1.id;
    for (const part of ['status', 'quotas', 'results']) {
      expect((await api.get(`/api/junior-schools/${j1}/${part}`, { token: tokens.otherJunior })).status).toBe(404);
      expect((await api.get(`/api/junior-schools/${j1}/${part}`, { token: tokens.high })).status).toBe(403);
    }
    expect((await api.get(`/api/junior-schools/${j1}/status`, { token: tokens.otherBureau })).status).toBe(404);
  });
});

describe('plan change requests', () => {
  it('lets the school propose a change during setup and the bureau approve it, audited', async () => {
    await at('setup');
    const refused = await api.post(
      `/api/high-schools/${h1()}/plan-requests`,
      { changes: { capacity: 700 }, reason: '扩招' },
      { token: tokens.high, headers: { 'accept-language': 'en' } },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'PLAN_RULE_BROKEN', field: 'changes.capacity' });
    expect(refused.body.error.message).toContain('exceeds 10 classes');

    const created = await api.post(`/api/high-schools/${h1()}/plan-requests`, { changes: { capacity: 600, classes: 11 }, reason: '新增一个班' }, { token: tokens.high });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('pending');

    expect((await api.post(`/api/high-schools/${h1()}/plan-requests`, { changes: { capacity: 600 }, reason: '别人的学校' }, { token: tokens.otherHigh })).status).toBe(404);
    expect((await api.post(`/api/plan-requests/${created.body.id}/approve`, {}, { token: tokens.high })).status).toBe(403);
    expect((await api.post(`/api/plan-requests/${created.body.id}/approve`, {}, { token: tokens.otherBureau })).status).toBe(404);

    const pending = await api.get('/api/plan-requests?status=pending', { token: tokens.bureau });
    expect(pending.body.requests.map((r: { id: string }) => r.id)).toContain(created.body.id);
    expect((await api.get('/api/plan-requests', { token: tokens.otherBureau })).body.requests.map((r: { id: string }) => r.id)).not.toContain(created.body.id);

    const approved = await api.post(`/api/plan-requests/${created.body.id}/approve`, { note: '同意' }, { token: tokens.bureau });
    expect(approved.status).toBe(200);
    expect(approved.body.plan).toMatchObject({ capacity: 600, classes: 11 });
    const plan = await api.get(`/api/high-schools/${h1()}/plan`, { token: tokens.high });
    expect(plan.body.plan).toMatchObject({ capacity: 600, classes: 11 });
    expect(plan.body.requests[0]).toMatchObject({ status: 'approved', note: '同意' });
    const audit = await server.prisma.auditLog.findFirst({ where: { action: 'plan.change.approve', entityId: created.body.id } });
    expect(audit?.actorId).toBe(city.users.bureau.id);

    expect((await api.post(`/api/plan-requests/${created.body.id}/reject`, {}, { token: tokens.bureau })).status).toBe(409);
  });

  it('refuses a change request outside setup', async () => {
    await at('applications_open');
    const res = await api.post(`/api/high-schools/${h1()}/plan-requests`, { changes: { capacity: 500 }, reason: '减招' }, { token: tokens.high });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PHASE_CLOSED');
    expect(res.body.error.message).toContain('志愿填报');
  });
});

describe('enrollment registration (报到/学籍注册)', () => {
  it('is refused outside the registration phase', async () => {
    await at('confirmation');
    const res = await api.post(`/api/high-schools/${h1()}/registrations`, { examNos: [city.students.open.examNo] }, { token: tokens.high });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PHASE_CLOSED');
    expect(await server.prisma.enrollmentRegistration.count({ where: { cycleId: city.cycle.id } })).toBe(0);
  });

  it('registers an admitted student, refuses one admitted elsewhere and records the attempt', async () => {
    await at('registration');
    const ok = await api.post(`/api/high-schools/${h1()}/registrations`, { examNos: [city.students.open.examNo] }, { token: tokens.high });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ registered: 1, refused: 0 });

    // A refusal is a row of the 200 report (the attempt is written as evidence), never a 4xx after a write.
    const refused = await api.post(`/api/high-schools/${h1()}/registrations`, { examNos: [city.students.elsewhere.examNo] }, { token: tokens.high });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ registered: 0, refused: 1, results: [{ examNo: city.students.elsewhere.examNo, status: 'refused', reason: 'admitted_elsewhere' }] });
    expect(refused.body.results[0].message).toContain('未被本校录取');
    const attempt = await server.prisma.enrollmentRegistration.findFirst({ where: { cycleId: city.cycle.id, examNo: city.students.elsewhere.examNo } });
    expect(attempt).toMatchObject({ accepted: false, rejectionReason: 'admitted_elsewhere', highSchoolId: h1(), studentId: city.students.elsewhere.id, source: 'manual' });

    const declined = await api.post(`/api/high-schools/${h1()}/registrations`, { examNos: [city.students.quota.examNo] }, { token: tokens.high, headers: { 'accept-language': 'en' } });
    expect(declined.status).toBe(200);
    expect(declined.body.results[0].message).toContain('declined');

    // A list with one admitted and one refused student: one 200 report of each row; both attempts kept.
    const mixed = await api.post(`/api/high-schools/${h1()}/registrations`, { examNos: [city.students.open.examNo, city.students.elsewhere.examNo] }, { token: tokens.high });
    expect(mixed.status).toBe(200);
    expect(mixed.body).toMatchObject({ registered: 0, already: 1, refused: 1 });
    expect(mixed.body.results.map((r: any) => r.status)).toEqual(['already', 'refused']);

    // Registering for another school is not possible at all.
    expect((await api.post(`/api/high-schools/${h1()}/registrations`, { examNos: [city.students.open.examNo] }, { token: tokens.otherHigh })).status).toBe(404);
  });

  it('imports a CSV list: registers, skips those already registered, refuses the rest with reasons, then queues flag detection', async () => {
    await at('registration');
    const { open, reverted, unplaced, other } = city.students;
    const csv = `\uFEFF姓名,准考证号\n甲,${open.examNo}\n乙,${reverted.examNo}\n丙,${unplaced.examNo}\n丁,${other.examNo}\n戊,NOSUCH001\n`;
    const res = await fetch(`${server.url}/api/high-schools/${h1()}/registrations/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.high}`, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report).toMatchObject({ registered: 1, already: 1, refused: 3 });
    const status = Object.fromEntries(report.results.map((r: { examNo: string; status: string; reason?: string }) => [r.examNo, r.reason ?? r.status]));
    expect(status).toEqual({
      [open.examNo]: 'already',
      [reverted.examNo]: 'registered',
      [unplaced.examNo]: 'not_admitted',
      [other.examNo]: 'admitted_elsewhere',
      NOSUCH001: 'unknown_student',
    });
    // A refused student's name is not shown to the school.
    expect(report.results.find((r: { examNo: string }) => r.examNo === other.examNo).name).toBeUndefined();
    const attempts = await server.prisma.enrollmentRegistration.findMany({ where: { cycleId: city.cycle.id, source: 'import', accepted: false } });
    expect(attempts.map((a) => a.rejectionReason).sort()).toEqual(['admitted_elsewhere', 'not_admitted', 'unknown_student']);

    const jobs = await server.queues.queue('flags').getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(jobs.some((job) => job.name === 'flags.detect' && (job.data as { payload: { cycleId: string } }).payload.cycleId === city.cycle.id)).toBe(true);

    const list = await api.get(`/api/high-schools/${h1()}/registrations`, { token: tokens.high });
    expect(list.body.registrations.filter((r: { accepted: boolean }) => r.accepted).map((r: { examNo: string }) => r.examNo).sort()).toEqual([open.examNo, reverted.examNo].sort());
    const admissions = await api.get(`/api/high-schools/${h1()}/admissions`, { token: tokens.high });
    expect(admissions.body.summary.registered).toBe(2);
  });

  it('imports an xlsx list and refuses a malformed file whole, naming the row', async () => {
    await at('registration');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['准考证号']);
    sheet.addRow([city.students.open.examNo]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const ok = await fetch(`${server.url}/api/high-schools/${h1()}/registrations/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.high}`, 'content-type': 'application/octet-stream' },
      body: xlsx,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ already: 1, registered: 0, refused: 0 });

    const before = await server.prisma.enrollmentRegistration.count({ where: { cycleId: city.cycle.id } });
    const bad = await fetch(`${server.url}/api/high-schools/${h1()}/registrations/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.high}`, 'content-type': 'text/csv' },
      body: `准考证号\n${city.students.reverted.examNo}\n${city.students.reverted.examNo}\n`,
    });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error).toMatchObject({ code: 'REGISTRATION_IMPORT_INVALID', field: 'file' });
    expect(body.error.message).toContain('第 3 行');
    expect(await server.prisma.enrollmentRegistration.count({ where: { cycleId: city.cycle.id } })).toBe(before);
  });

  it('reads a registration list saved by Excel on Chinese Windows (GBK, Chinese header) like any import', async () => {
    await at('registration');
    const gbk = iconv.encode(`姓名,准考证号\r\n郑然,NOSUCH002\r\n`, 'gbk');
    const res = await fetch(`${server.url}/api/high-schools/${h1()}/registrations/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.high}`, 'content-type': 'text/csv' },
      body: new Uint8Array(gbk),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ registered: 0, refused: 1, results: [{ examNo: 'NOSUCH002', status: 'refused', reason: 'unknown_student' }] });
  });
});
