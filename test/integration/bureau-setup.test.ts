import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBJECTS } from '../../server/demo/types';
import { IMPORT_COLUMNS, type ImportKind } from '../../server/domain/imports/columns';
import { distributeQuotas, QUOTA_INSTANCE_FORMAT } from '../../server/domain/quotas/distribute';
import { scheduleFrom, type Phase } from '../../server/domain/schedule/schedule';
import { createTestClock } from '../support/clock';
import { createAccount, uniqueSuffix } from '../support/factories';
import { apiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const DAY = 86_400_000;
const DAYS: Record<Phase, number> = { setup: 30, plans_published: 10, applications_open: 10, applications_closed: 5, round1: 3, confirmation: 5, supplementary: 5, registration: 10, closed: 30 };
const START = new Date('2031-01-01T00:00:00Z');

function idCard(n: number): string {
  const body = `430202200901${String(n).padStart(5, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

function csv(kind: ImportKind, rows: Record<string, string | number>[]): string {
  const cols = IMPORT_COLUMNS[kind];
  const line = (cells: (string | number)[]) => cells.map((c) => `"${String(c).replace(/"/g, '""')}"`).join(',');
  return [line(cols.map((c) => c.zh)), ...rows.map((r) => line(cols.map((c) => r[c.key] ?? '')))].join('\r\n') + '\r\n';
}

async function xlsx(kind: ImportKind, rows: Record<string, string | number>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('数据');
  const cols = IMPORT_COLUMNS[kind];
  ws.addRow(cols.map((c) => c.zh));
  for (const r of rows) ws.addRow(cols.map((c) => r[c.key] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('bureau setup: cycle, imports, plans, quotas', () => {
  const clock = createTestClock(new Date(START.getTime() + 2 * DAY));
  let server: TestServer;
  let api: ReturnType<typeof apiClient>;
  let bureau: string;
  let bureauAccount: { username: string; password: string };
  let highToken: string;
  let studentToken: string;
  let cycleId: string;
  const sfx = uniqueSuffix().toUpperCase();
  const R1 = `R${sfx}`;
  const R2 = `S${sfx}`;
  const J = [1, 2, 3].map((i) => `J${sfx}${i}`);
  const H1 = `H${sfx}1`;
  const H2 = `H${sfx}2`;
  const windows = scheduleFrom(START, DAYS);
  const examBase = 10_000 + Math.floor(Math.random() * 80_000);

  const upload = (kind: string, body: string | Buffer, lang = 'zh-CN') =>
    fetch(`${server.url}/api/imports/${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/octet-stream', 'accept-language': lang },
      body: new Uint8Array(typeof body === 'string' ? Buffer.from(body) : body),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  function student(i: number, overrides: Record<string, string | number> = {}) {
    return {
      examNo: `E${sfx}${String(examBase + i)}`,
      name: `学生${i}`,
      idCardNo: idCard(examBase + i),
      gender: i % 2 ? '男' : '女',
      juniorSchoolId: J[i % 3],
      enrolledSince: '2028-09-01',
      evaluation: 'ABCD'[i % 4],
      ...Object.fromEntries(SUBJECTS.map((s) => [`score.${s.key}`, Math.min(s.max, 40 + (i % 50))])),
      ...overrides,
    };
  }

  beforeAll(async () => {
    // Tokens must outlive the clock's jumps to the end of setup (28 days ahead).
    server = await startTestServer({ clock, worker: true, env: { JWT_TTL: '30d' } });
    api = apiClient(server.url, { checkResponses: true });
    const b = await createAccount(server.prisma, 'bureau');
    bureauAccount = b;
    bureau = await api.login(b.username, b.password);
    const h = await createAccount(server.prisma, 'high');
    highToken = await api.login(h.username, h.password);
    const s = await createAccount(server.prisma, 'student');
    studentToken = await api.login(s.username, s.password);
    const year = 3000 + Math.floor(Math.random() * 6999);
    const res = await api.post('/api/cycles', { year, name: `测试 ${year}`, windows, policy: { quotaEligibilityCutoff: '2029-09-01' } }, { token: bureau });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    cycleId = res.body.cycle.id;
  });

  afterAll(async () => {
    // Leave no active cycle behind for other test files.
    if (cycleId) await server.prisma.cycle.update({ where: { id: cycleId }, data: { status: 'archived' } });
    await server?.stop();
  });

  it('GET /api/cycles/current answers without sign-in, phase by the server clock at each boundary', async () => {
    const res = await api.get('/api/cycles/current');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cycle: { id: cycleId }, phase: 'setup' });
    expect(res.body.phases).toHaveLength(9);
    const saved = clock.now();
    try {
      for (const w of windows) {
        clock.set(new Date(w.opensAt.getTime() - 1));
        const before = (await api.get('/api/cycles/current')).body.phase;
        clock.set(w.opensAt);
        const at = (await api.get('/api/cycles/current')).body;
        expect(at.phase).toBe(w.phase);
        expect(at.serverTime).toBe(w.opensAt.toISOString());
        if (w.phase !== 'setup') expect(before).not.toBe(w.phase);
      }
      clock.set(windows[8].closesAt);
      expect((await api.get('/api/cycles/current')).body.phase).toBe('closed');
    } finally {
      clock.set(saved);
    }
  });

  it('refuses a schedule with a gap naming the window, in Chinese and English; edits are audited', async () => {
    const bad = windows.map((w) => ({ ...w }));
    bad[2] = { ...bad[2], opensAt: new Date(bad[2].opensAt.getTime() + DAY) };
    const zh = await api.request('PUT', `/api/cycles/${cycleId}/schedule`, { windows: bad }, { token: bureau });
    expect(zh.status).toBe(400);
    expect(zh.body.error.field).toBe('windows.2');
    expect(zh.body.error.message).toContain('志愿填报');
    const en = await api.request('PUT', `/api/cycles/${cycleId}/schedule`, { windows: bad }, { token: bureau, headers: { 'accept-language': 'en' } });
    expect(en.body.error.message).toContain('Applications open');

    const later = scheduleFrom(START, { ...DAYS, setup: 31 });
    const ok = await api.request('PUT', `/api/cycles/${cycleId}/schedule`, { windows: later }, { token: bureau });
    expect(ok.status).toBe(200);
    expect(ok.body.phases[1].opensAt).toBe(later[1].opensAt.toISOString());
    const audit = await server.prisma.auditLog.findFirst({ where: { action: 'cycle.schedule.update', entityId: cycleId } });
    expect(audit?.before).toBeTruthy();
    expect(audit?.after).toBeTruthy();
    // Put the original schedule back for the next tests.
    expect((await api.request('PUT', `/api/cycles/${cycleId}/schedule`, { windows }, { token: bureau })).status).toBe(200);
  });

  it('once setup is over, keeps the past windows but lets the bureau move the deadlines ahead, audited', async () => {
    const saved = clock.now();
    try {
      clock.set(windows[1].opensAt); // plans published: setup is over
      const rewritePast = scheduleFrom(new Date(START.getTime() - 86_400_000), DAYS);
      const res = await api.request('PUT', `/api/cycles/${cycleId}/schedule`, { windows: rewritePast }, { token: bureau });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('已经结束，时间不能再改');
      // Extending the application window (everything after plans_published moves one day later) is allowed.
      const extended = scheduleFrom(START, { ...DAYS, applications_open: DAYS.applications_open + 1 });
      const ok = await api.request('PUT', `/api/cycles/${cycleId}/schedule`, { windows: extended }, { token: bureau });
      expect(ok.status).toBe(200);
      expect(await server.prisma.auditLog.count({ where: { action: 'cycle.schedule.update', entityId: cycleId } })).toBeGreaterThanOrEqual(2);
      expect((await api.request('PUT', `/api/cycles/${cycleId}/schedule`, { windows }, { token: bureau })).status).toBe(200);
      // After the last window nothing changes any more (a fresh sign-in: the clock jumps past the token's life).
      clock.set(windows[8].closesAt);
      const again = await api.login(bureauAccount.username, bureauAccount.password);
      expect((await api.request('PUT', `/api/cycles/${cycleId}/schedule`, { windows }, { token: again })).body.error.code).toBe('PHASE_CLOSED');
    } finally {
      clock.set(saved);
    }
  });

  it('forbids other roles', async () => {
    const asHigh = await fetch(`${server.url}/api/imports/regions`, { method: 'POST', headers: { authorization: `Bearer ${highToken}` }, body: 'a' });
    expect(asHigh.status).toBe(403);
    expect((await api.post('/api/quotas/compute', undefined, { token: highToken })).status).toBe(403);
    expect((await api.request('PUT', `/api/plans/${H1}`, { capacity: 1, classes: 1, batch: 1 }, { token: studentToken })).status).toBe(403);
    expect((await api.post('/api/cycles', { year: 2099, name: 'x', windows }, { token: highToken })).status).toBe(403);
    // The quota table is not public before plans_published.
    expect((await api.get('/api/quotas', { token: studentToken })).body.error.code).toBe('PHASE_CLOSED');
  });

  it('imports regions (csv), junior schools (xlsx) and high schools with plans; a template downloads', async () => {
    const tpl = await fetch(`${server.url}/api/imports/templates/students`, { headers: { authorization: `Bearer ${bureau}` } });
    expect(tpl.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await tpl.arrayBuffer()) as never);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('准考证号');

    expect(
      (await upload('regions', csv('regions', [{ code: R1, name: '测试甲区', adminCode: '430202' }, { code: R2, name: '测试乙县', rural: '是' }]))).body,
    ).toMatchObject({ status: 'done', imported: 2 });
    const juniors = await xlsx('junior-schools', [
      { id: J[0], name: '甲区一中', regionCode: R1, graduates: 400 },
      { id: J[1], name: '甲区二中', regionCode: R1, graduates: 250 },
      { id: J[2], name: '乙县中学', regionCode: R2, graduates: 300, rural: '是', weightPercent: 120 },
    ]);
    expect((await upload('junior-schools', juniors)).body).toMatchObject({ status: 'done', imported: 3 });
    const highs = csv('high-schools', [
      { id: H1, name: '测试一中', regionCode: R1, ownership: '公办', scope: '属地', quality: '是', capacity: 550, classes: 10, batch: 1, quotaPercent: 50, minPerSchool: 1 },
      { id: H2, name: '测试民办高中', regionCode: R2, ownership: '民办', scope: '属地', capacity: 110, classes: 2, batch: 2, quotaSeats: 10 },
    ]);
    expect((await upload('high-schools', highs)).body).toMatchObject({ status: 'done', imported: 2 });
    const plan = await server.prisma.highSchoolPlan.findUniqueOrThrow({ where: { cycleId_highSchoolId: { cycleId, highSchoolId: H1 } } });
    expect(plan).toMatchObject({ capacity: 550, classes: 10, quotaPercent: 50, minPerSchool: 1 });
  });

  it('writes nothing when one row is bad and names the row and column', async () => {
    const rows = [student(1), student(2), student(3, { 'score.math': 130 }), student(4, { juniorSchoolId: 'NOPE' })];
    const zh = await upload('students', csv('students', rows));
    expect(zh.status).toBe(400);
    expect(zh.body.error.code).toBe('IMPORT_INVALID');
    expect(zh.body.error.message).toContain('2 处错误');
    expect(zh.body.error.details.problems).toEqual([
      { row: 4, column: '数学', message: expect.stringContaining('超出范围') },
      { row: 5, column: '初中学校代码', message: expect.stringContaining('不存在') },
    ]);
    const en = await upload('students', csv('students', rows), 'en');
    expect(en.body.error.details.problems[0]).toMatchObject({ row: 4, column: 'Mathematics' });
    expect(await server.prisma.student.count({ where: { examNo: { in: rows.map((r) => r.examNo) } } })).toBe(0);
  });

  it('imports good students with 学籍 history, and a re-import replaces them', async () => {
    const rows = [student(1), student(2, { history: `${J[2]}:2026-09-01~2028-09-01` }), student(3, { enrolledSince: '2030-10-01' })];
    const res = await upload('students', csv('students', rows));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', imported: 3 });
    const stored = await server.prisma.student.findMany({ where: { cycleId, examNo: { in: rows.map((r) => r.examNo) } }, include: { history: true }, orderBy: { examNo: 'asc' } });
    expect(stored).toHaveLength(3);
    expect(stored[1].history).toHaveLength(2);
    expect(stored[0].regionCode).toBe(R1);
    // Moved after the policy's cut-off (year - 1, Sept 1): not quota-eligible.
    expect(stored.map((s) => s.quotaEligible)).toEqual([true, true, false]);
    const again = await upload('students', csv('students', rows));
    expect(again.status).toBe(200);
    expect(await server.prisma.student.count({ where: { cycleId, examNo: { in: rows.map((r) => r.examNo) } } })).toBe(3);
    const audit = await server.prisma.auditLog.findFirst({ where: { action: 'import.students', entityId: cycleId } });
    expect(JSON.stringify([audit?.before, audit?.after])).not.toContain(rows[0].idCardNo);
  });

  it('runs a file above 2,000 rows as a job with progress, all or nothing', async () => {
    const rows = Array.from({ length: 2_100 }, (_, i) => student(100 + i));
    const res = await upload('students', csv('students', rows));
    expect(res.status).toBe(202);
    expect(res.body.job.queue).toBe('imports');
    let job: any;
    for (let i = 0; i < 200; i++) {
      job = (await api.get(`/api/jobs/imports/${res.body.job.id}`, { token: bureau })).body;
      if (job.state === 'completed' || job.state === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.state, JSON.stringify(job)).toBe('completed');
    expect(job.progress).toBe(100);
    expect(job.result).toMatchObject({ ok: true, imported: 2_100 });
    expect(await server.prisma.student.count({ where: { cycleId, examNo: { in: rows.map((r) => r.examNo) } } })).toBe(2_100);
    // The job's data holds no ID number.
    const raw = await server.queues.queue('imports').getJob(res.body.job.id);
    expect(JSON.stringify(raw?.data)).not.toMatch(/\d{17}[\dX]/);
  });

  it('refuses capacity above 55 x classes with a clear message, saves a good plan with audit', async () => {
    const bad = await api.request('PUT', `/api/plans/${H2}`, { capacity: 111, classes: 2, batch: 2, quotaSeats: 10 }, { token: bureau });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('capacity');
    expect(bad.body.error.message).toContain('55');
    const en = await api.request('PUT', `/api/plans/${H2}`, { capacity: 111, classes: 2, batch: 2 }, { token: bureau, headers: { 'accept-language': 'en' } });
    expect(en.body.error.message).toContain('exceeds');
    const ok = await api.request('PUT', `/api/plans/${H2}`, { capacity: 1100, classes: 20, batch: 2, quotaSeats: 12, minPerSchool: 2 }, { token: bureau });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.warnings[0].code).toBe('ENROLLMENT_OVER_3000');
    const list = await api.get('/api/plans', { token: bureau });
    expect(list.body.plans.find((p: any) => p.highSchool.id === H1)).toMatchObject({ effectiveQuotaSeats: 275 });
  });

  it('computes quotas exactly as distributeQuotas, replaces them, and exports a readable workbook', async () => {
    const res = await api.post('/api/quotas/compute', undefined, { token: bureau });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const plans = await server.prisma.highSchoolPlan.findMany({ where: { cycleId }, include: { highSchool: true } });
    const juniors = await server.prisma.juniorSchool.findMany();
    const expected = distributeQuotas({
      format: QUOTA_INSTANCE_FORMAT,
      juniorSchools: juniors.map((j) => ({ id: j.id, region: j.regionCode, graduates: j.graduates, weightPercent: j.weightPercent })),
      highSchools: plans.map((p) => ({
        id: p.highSchoolId,
        region: p.highSchool.regionCode,
        scope: p.highSchool.scope,
        capacity: p.capacity,
        ...(p.quotaSeats != null ? { quotaSeats: p.quotaSeats } : { quotaPercent: p.quotaPercent ?? 0 }),
        minPerSchool: p.minPerSchool,
      })),
    });
    const stored = await server.prisma.quotaAllocation.findMany({ where: { cycleId } });
    const actual: Record<string, Record<string, number>> = {};
    for (const q of stored) (actual[q.highSchoolId] ??= {})[q.juniorSchoolId] = q.seats;
    const nonEmpty = Object.fromEntries(Object.entries(expected.quota).filter(([, v]) => Object.keys(v).length > 0));
    expect(actual).toEqual(nonEmpty);
    expect(actual[H1]).toBeDefined();
    expect(Object.values(actual[H1]).reduce((a, b) => a + b, 0)).toBe(275);
    // A second compute replaces, not adds.
    await api.post('/api/quotas/compute', undefined, { token: bureau });
    expect(await server.prisma.quotaAllocation.count({ where: { cycleId } })).toBe(stored.length);

    const table = await api.get('/api/quotas', { token: bureau });
    expect(table.body.total).toBe(stored.reduce((s, q) => s + q.seats, 0));
    expect(table.body.byJuniorSchool.find((j: any) => j.id === J[0]).highSchools.length).toBeGreaterThan(0);

    const file = await fetch(`${server.url}/api/quotas/export`, { headers: { authorization: `Bearer ${bureau}` } });
    expect(file.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await file.arrayBuffer()) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['按高中', '按初中']);
    expect(wb.getWorksheet('按高中')!.rowCount).toBe(stored.length + 1);

    // From plans_published on, everyone may read the table.
    const saved = clock.now();
    clock.set(windows[1].opensAt);
    expect((await api.get('/api/quotas', { token: studentToken })).status).toBe(200);
    expect((await api.post('/api/quotas/compute', undefined, { token: bureau })).body.error.code).toBe('PHASE_CLOSED');
    expect((await upload('regions', csv('regions', [{ code: R1, name: 'x' }]))).status).toBe(409);
    clock.set(saved);
  });
});
