import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/factories';
import { seedCity, type City } from '../support/oversight-seed';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Oversight end to end (issue 7): a seeded cycle with four irregular events
 * (a city school registers a county student admitted elsewhere; a private,
 * region-scope school registers a student of another region; a 学籍 moved
 * after the cut-off to a junior school with more quota seats; a family's
 * complaint) raises exactly the expected flags through the queued job; the
 * same cycle without those events raises none; re-running adds nothing.
 */

let server: TestServer;
let api: ApiClient;
let cityBureau: string;
let auditor: string;
let countyBureau: string;
let otherCountyBureau: string;
let student: string;

async function waitForJob(token: string, queue: string, id: string) {
  for (let i = 0; i < 200; i++) {
    const res = await api.get(`/api/jobs/${queue}/${id}`, { token });
    if (res.body.state === 'completed') return res.body;
    if (res.body.state === 'failed') throw new Error(`job failed: ${res.body.failedReason}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

/** Runs flags.detect for a cycle through the queue, as publication and imports do. */
async function detect(cycleId: string) {
  const job = await server.queues.enqueue('flags.detect', { cycleId, reason: 'publication' });
  return (await waitForJob(cityBureau, 'flags', job.id)).result;
}

let dirty: City;
let clean: City;

beforeAll(async () => {
  server = await startTestServer({ worker: true, env: { COMPLAINT_RATE_LIMIT: '50' } });
  api = apiClient(server.url, { checkResponses: true });
  const { prisma } = server;
  clean = await seedCity(prisma, { irregular: false });
  dirty = await seedCity(prisma, { irregular: true, active: true });
  const login = async (user: { username: string; password: string }) => api.login(user.username, user.password);
  cityBureau = await login(await createAccount(prisma, 'bureau'));
  auditor = await login(await createAccount(prisma, 'auditor'));
  countyBureau = await login(await createAccount(prisma, 'bureau', { regionCode: dirty.regions.county }));
  otherCountyBureau = await login(await createAccount(prisma, 'bureau', { county: true }));
  student = await login(await createAccount(prisma, 'student'));
}, 120_000);

afterAll(async () => {
  // Leave no active cycle behind for the files that run after this one.
  await server?.prisma.cycle.updateMany({ where: { id: { in: [dirty?.cycleId, clean?.cycleId].filter(Boolean) } }, data: { status: 'archived' } });
  await server?.stop();
});

describe('public complaint form', () => {
  it('files a complaint that becomes an early-offer flag, with ID numbers masked', async () => {
    const res = await api.post('/api/complaints', {
      highSchoolId: dirty.schools.cityPrivate,
      schoolName: '民办英才学校',
      studentName: '李同学',
      contact: '13800138000',
      description: '中考前学校招生老师承诺保送录取，要求先交定金，孩子身份证号430202201001011234已被登记。',
    });
    expect(res.status).toBe(201);
    expect(res.body.flagId).toEqual(expect.any(String));
    const stored = await server.prisma.complaint.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(stored.description).toContain('430202********1234');
    expect(stored.description).not.toContain('430202201001011234');
    expect(stored.cycleId).toBe(dirty.cycleId);
    expect(stored.flagId).toBe(res.body.flagId);
  });

  it('names the field in Chinese, or English, when the form is incomplete', async () => {
    const zh = await api.post('/api/complaints', { schoolName: '某校', contact: '138', description: '短' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.code).toBe('VALIDATION_FAILED');
    expect(zh.body.error.field).toBe('contact');
    expect(zh.body.error.message).toMatch(/^contact: .*[\u4e00-\u9fa5]/);
    const en = await api.post('/api/complaints', { schoolName: '某校', contact: '13800138000', description: 'x' }, { headers: { 'accept-language': 'en' } });
    expect(en.body.error.field).toBe('description');
    expect(en.body.error.message).toMatch(/^description: Too small/);
  });

  it('refuses a school id that does not exist, with a 400 naming the field', async () => {
    const res = await api.post('/api/complaints', { highSchoolId: 'NOPE', schoolName: '不存在的学校', contact: '13800138000', description: '中考前承诺录取并收取费用。' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_HIGH_SCHOOL', field: 'highSchoolId' });
  });

  it('is rate-limited per client', async () => {
    const limited = await startTestServer({ env: { COMPLAINT_RATE_LIMIT: '2' } });
    try {
      const client = apiClient(limited.url);
      const body = { schoolName: '某某学校', contact: '13800138000', description: '太短' };
      expect((await client.post('/api/complaints', body)).status).toBe(400);
      expect((await client.post('/api/complaints', body)).status).toBe(400);
      const third = await client.post('/api/complaints', body);
      expect(third.status).toBe(429);
      expect(third.body.error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.stop();
    }
  });
});

describe('flags.detect over the seeded cycles', () => {
  it('raises no flag for the cycle without irregular events', async () => {
    const result = await detect(clean.cycleId);
    expect(result).toMatchObject({ detected: 0, created: 0 });
    expect(await server.prisma.flag.count({ where: { cycleId: clean.cycleId } })).toBe(0);
  });

  it('raises exactly the expected flags, with their evidence, when a bureau user asks', async () => {
    const queued = await api.post('/api/flags/detect', undefined, { token: cityBureau });
    expect(queued.status).toBe(202);
    expect(queued.body.queue).toBe('flags');
    const job = await waitForJob(cityBureau, 'flags', queued.body.id);
    expect(job.result).toMatchObject({ detected: 6, created: 5, updated: 1 }); // the complaint's flag existed already

    const list = await api.get(`/api/flags?cycleId=${dirty.cycleId}&limit=100`, { token: cityBureau });
    expect(list.status).toBe(200);
    const s = dirty.students;
    const { cityPublic, countyPublic, cityPrivate } = dirty.schools;
    const got = list.body.items.map((f: any) => [f.rule, f.severity, f.highSchoolIds, f.studentIds]).sort((a: any, b: any) => `${a[0]}${a[2]}`.localeCompare(`${b[0]}${b[2]}`));
    const want = [
      ['early_offer', 'medium', [cityPrivate], []],
      ['enrolled_without_admission', 'critical', [cityPublic, countyPublic].sort(), [s.k0.id]],
      ['enrolled_without_admission', 'medium', [cityPrivate], [s.k7.id]],
      ['out_of_scope_enrollment', 'high', [cityPrivate], [s.k7.id]],
      ['quota_eligibility_shopping', 'high', [], [s.k3.id]],
      ['top_student_outflow', 'high', [cityPublic], [s.k0.id]], // 1 of 1 top students: more than a tenth
    ].sort((a: any, b: any) => `${a[0]}${a[2]}`.localeCompare(`${b[0]}${b[2]}`));
    expect(got).toEqual(want);
    expect(list.body.items[0].severity).toBe('critical'); // most severe first
    expect(list.body.counts).toEqual({ open: 6, confirmed: 0, dismissed: 0 });

    const byRule = (rule: string) => list.body.items.filter((f: any) => f.rule === rule);
    expect(byRule('enrolled_without_admission').find((f: any) => f.severity === 'critical').evidence).toMatchObject({
      registeredAt: cityPublic,
      admittedAt: countyPublic,
      studentRegion: dirty.regions.county,
      admittedSchoolRegion: dirty.regions.county,
      registeredSchoolRegion: dirty.regions.city,
      accepted: true,
    });
    expect(byRule('out_of_scope_enrollment')[0].evidence).toMatchObject({ schoolScope: 'region', schoolRegion: dirty.regions.city, studentRegion: dirty.regions.county });
    expect(byRule('quota_eligibility_shopping')[0].evidence).toMatchObject({
      cutoffDate: '2023-09-30',
      movedOn: '2025-03-01',
      fromJuniorSchool: dirty.juniors.countySmall,
      fromQuotaSeats: 2,
      toJuniorSchool: dirty.juniors.county,
      toQuotaSeats: 10,
    });
    expect(byRule('top_student_outflow')[0].evidence).toMatchObject({ region: dirty.regions.county, topStudents: 1, thresholdScore: 700, publishedOutflow: 0, registeredOutflow: 1 });
    expect(byRule('early_offer')[0].evidence).toMatchObject({ reports: 1 });
    // No ID number in any flag.
    for (const st of Object.values(s)) expect(JSON.stringify(list.body)).not.toContain(st.idCardNo);
  });

  it('filters by rule, severity, school and status', async () => {
    const q = (query: string) => api.get(`/api/flags?cycleId=${dirty.cycleId}&${query}`, { token: auditor });
    expect((await q('rule=out_of_scope_enrollment')).body.total).toBe(1);
    expect((await q('severity=medium')).body.total).toBe(2);
    expect((await q(`school=${dirty.schools.cityPrivate}`)).body.total).toBe(3);
    expect((await q('status=confirmed')).body.total).toBe(0);
    const bad = await q('severity=awful');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('severity');
  });

  it('holds a county bureau to flags involving its region', async () => {
    const county = await api.get(`/api/flags?cycleId=${dirty.cycleId}`, { token: countyBureau });
    expect(county.body.total).toBe(5);
    expect(county.body.items.map((f: any) => f.rule)).not.toContain('early_offer');
    const other = await api.get(`/api/flags?cycleId=${dirty.cycleId}`, { token: otherCountyBureau });
    expect(other.body.total).toBe(0);
    const earlyOffer = (await api.get(`/api/flags?cycleId=${dirty.cycleId}&rule=early_offer`, { token: cityBureau })).body.items[0];
    expect((await api.get(`/api/flags/${earlyOffer.id}`, { token: countyBureau })).status).toBe(404);
    expect((await api.get('/api/flags', { token: student })).status).toBe(403);
  });

  it('shows the evidence, schools, students and complaint on the detail', async () => {
    const earlyOffer = (await api.get(`/api/flags?cycleId=${dirty.cycleId}&rule=early_offer`, { token: cityBureau })).body.items[0];
    const detail = await api.get(`/api/flags/${earlyOffer.id}`, { token: auditor });
    expect(detail.status).toBe(200);
    expect(detail.body.schools.map((x: any) => x.id)).toEqual([dirty.schools.cityPrivate]);
    expect(detail.body.complaints).toHaveLength(1);
    expect(detail.body.complaints[0].description).toContain('承诺保送录取');
    const shopping = (await api.get(`/api/flags?cycleId=${dirty.cycleId}&rule=quota_eligibility_shopping`, { token: cityBureau })).body.items[0];
    const d2 = await api.get(`/api/flags/${shopping.id}`, { token: cityBureau });
    expect(d2.body.students).toEqual([expect.objectContaining({ id: dirty.students.k3.id, examNo: dirty.students.k3.examNo })]);
    expect(JSON.stringify(d2.body)).not.toContain(dirty.students.k3.idCardNo);
  });

  it('lets the bureau confirm a flag with a note, in the audit log; inspectors may not', async () => {
    const flag = (await api.get(`/api/flags?cycleId=${dirty.cycleId}&rule=out_of_scope_enrollment`, { token: cityBureau })).body.items[0];
    const empty = await api.post(`/api/flags/${flag.id}/review`, { status: 'confirmed', note: ' ' }, { token: cityBureau });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('note');
    expect((await api.post(`/api/flags/${flag.id}/review`, { status: 'confirmed', note: '核实' }, { token: auditor })).status).toBe(403);
    expect((await api.post(`/api/flags/nope/review`, { status: 'confirmed', note: '核实' }, { token: cityBureau })).status).toBe(404);

    const ok = await api.post(`/api/flags/${flag.id}/review`, { status: 'confirmed', note: '已核实：民办学校违规跨区域注册' }, { token: cityBureau });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'confirmed', note: '已核实：民办学校违规跨区域注册', reviewedBy: expect.any(String) });

    const audit = await api.get(`/api/audit?entity=Flag&entityId=${flag.id}`, { token: auditor });
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: 'flag.review', actorRole: 'bureau', before: { status: 'open' }, after: { status: 'confirmed' } });
    expect((await api.get('/api/audit', { token: cityBureau })).status).toBe(403);
    const detects = await api.get('/api/audit?action=flags.detect', { token: auditor });
    expect(detects.body.items.some((e: any) => e.entityId === dirty.cycleId)).toBe(true);
  });

  it('re-running adds no duplicate and keeps the review', async () => {
    const result = await detect(dirty.cycleId);
    expect(result).toMatchObject({ detected: 6, created: 0, updated: 6 });
    expect(await server.prisma.flag.count({ where: { cycleId: dirty.cycleId } })).toBe(6);
    const confirmed = await api.get(`/api/flags?cycleId=${dirty.cycleId}&status=confirmed`, { token: cityBureau });
    expect(confirmed.body.items.map((f: any) => f.rule)).toEqual(['out_of_scope_enrollment']);
    expect(confirmed.body.items[0].note).toBe('已核实：民办学校违规跨区域注册');
  });

  it('joins a second complaint about the same school to its flag', async () => {
    const res = await api.post('/api/complaints', { highSchoolId: dirty.schools.cityPrivate, schoolName: '民办英才', contact: 'parent@example.com', description: '五月份被电话通知已被提前录取。' });
    expect(res.status).toBe(201);
    const flags = await api.get(`/api/flags?cycleId=${dirty.cycleId}&rule=early_offer`, { token: cityBureau });
    expect(flags.body.total).toBe(1);
    expect(flags.body.items[0].id).toBe(res.body.flagId);
    expect(flags.body.items[0].evidence.reports).toBe(2);
  });
});

describe('GET /api/dashboard', () => {
  it('gives the charts and policy indicators of a cycle', async () => {
    const res = await api.get(`/api/dashboard?cycleId=${dirty.cycleId}`, { token: auditor });
    expect(res.status).toBe(200);
    const d = res.body;
    const { city, county } = dirty.regions;
    expect(d.roundId).toEqual(expect.any(String));
    const mine = d.scoreDistribution.series.filter((x: any) => x.regionCode === city || x.regionCode === county);
    expect(mine.map((x: any) => x.counts.reduce((a: number, b: number) => a + b, 0))).toEqual([20, 20]);
    const flows = Object.fromEntries(d.flows.filter((f: any) => [city, county].includes(f.from)).map((f: any) => [`${f.from}>${f.to}`, f.students]));
    expect(flows).toEqual({ [`${city}>${city}`]: 3, [`${county}>${city}`]: 1, [`${county}>${county}`]: 2 });
    expect(d.cutoffs.find((c: any) => c.highSchoolId === dirty.schools.cityPublic)).toMatchObject({ admitted: 3, cutoff: 695 });
    expect(d.quotaUse.find((q: any) => q.juniorSchoolId === dirty.juniors.county)).toMatchObject({ seats: 10, used: 1 });
    expect(d.indicators.classesOver55.schools.map((x: any) => x.highSchoolId)).toContain(dirty.schools.cityPublic);
    expect(d.indicators.qualityQuotaShare.below.map((x: any) => x.highSchoolId)).toContain(dirty.schools.cityPublic);
  });

  it('scopes a county bureau to its region', async () => {
    const res = await api.get(`/api/dashboard?cycleId=${dirty.cycleId}`, { token: countyBureau });
    expect(res.status).toBe(200);
    expect(res.body.regionCode).toBe(dirty.regions.county);
    expect(res.body.scoreDistribution.series.map((x: any) => x.regionCode)).toEqual([dirty.regions.county]);
    expect(res.body.cutoffs.map((c: any) => c.highSchoolId)).toEqual([dirty.schools.countyPublic]);
    expect(res.body.indicators.classesOver55.count).toBe(0);
    expect((await api.get('/api/dashboard', { token: student })).status).toBe(403);
  });
});
