/**
 * Years kept apart (PLATFORM.md "A real year"), through the HTTP API on the
 * real PostgreSQL and Redis with the worker in-process: year 1 is set up from
 * imports, its students apply, its main round is published and a flag is
 * raised; then year 2 is created and its imports rename a high school, a
 * junior school and a region. Year 1's student page, admission list, junior
 * status, dashboard and flags keep the old names; year 2 shows the new ones;
 * schools, the bureau and auditors open year 1 with ?cycleId=; families of
 * year 2 see last year's cutoff from year 1's published round.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBJECTS } from '../../server/demo/types';
import { IMPORT_COLUMNS, type ImportKind } from '../../server/domain/imports/columns';
import { PHASES, scheduleFrom, type Phase } from '../../server/domain/schedule/schedule';
import { createSchoolRepository } from '../../server/repositories/school.repository';
import { createTestClock } from '../support/clock';
import { createUser, uniqueSuffix } from '../support/factories';
import { apiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const DAY = 86_400_000;
const ONE_DAY_EACH = Object.fromEntries(PHASES.map((p) => [p, 1])) as Record<Phase, number>;
const START = [new Date('2041-03-01T00:00:00Z'), new Date('2041-03-15T00:00:00Z')] as const;
const WINDOWS = START.map((start) => scheduleFrom(start, ONE_DAY_EACH));
/** The middle of a phase's window in year 0 or 1 (of this test). */
const at = (year: 0 | 1, phase: Phase) => new Date(START[year].getTime() + PHASES.indexOf(phase) * DAY + DAY / 2);

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

describe('years kept apart: a later year never changes what an earlier one shows', () => {
  const clock = createTestClock(at(0, 'setup'));
  let server: TestServer;
  let api: ReturnType<typeof apiClient>;
  const tokens = { bureau: '', auditor: '', high: '', junior: '' };
  const cycleIds: string[] = [];

  const sfx = uniqueSuffix().toUpperCase().slice(0, 6);
  const R = [`Y${sfx}R1`, `Y${sfx}R2`];
  const J = [`Y${sfx}J1`, `Y${sfx}J2`];
  const H = { Q: `Y${sfx}HQ`, C: `Y${sfx}HC`, N: `Y${sfx}HN` };
  const OLD = { region: '旧甲区', junior: '旧一初', high: '旧一中' };
  const NEW = { region: '新甲区', junior: '新一初', high: '新一中' };
  const highRows = (names: { high: string }): Record<string, string | number>[] => [
    // Region scope: its quota seats go to R1's junior school only, whatever other tests left in the database.
    { id: H.Q, name: names.high, regionCode: R[0], ownership: '公办', scope: '属地', quality: '是', capacity: 5, classes: 1, batch: 1, quotaPercent: 50, previousCutoff: 900 },
    { id: H.C, name: '市直高中', regionCode: R[1], ownership: '公办', scope: '全市', capacity: 6, classes: 1, batch: 1 },
  ];
  const examBase = 10_000 + Math.floor(Math.random() * 80_000);
  const year1Exams = Array.from({ length: 16 }, (_, i) => `Y${sfx}${examBase + i}`);
  const year2Exams = [`Y${sfx}${examBase + 100}`];
  const studentTokens = new Map<string, string>();
  let mainRound: { id: string };
  let flagId: string;

  const upload = (kind: ImportKind, body: string) =>
    fetch(`${server.url}/api/imports/${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.bureau}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(Buffer.from(body)),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  async function importOk(kind: ImportKind, rows: Record<string, string | number>[]) {
    const res = await upload(kind, csv(kind, rows));
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ status: 'done', imported: rows.length });
  }

  function studentRows(exams: string[], offset: number): Record<string, string | number>[] {
    return exams.map((examNo, i) => ({
      examNo,
      name: `考生${i + 1}`,
      idCardNo: idCard(examBase + offset + i),
      gender: i % 2 ? '男' : '女',
      juniorSchoolId: J[i % 2],
      enrolledSince: '2038-09-01',
      evaluation: 'A',
      ...Object.fromEntries(SUBJECTS.map((s) => [`score.${s.key}`, Math.round(s.max * (0.4 + 0.035 * i))])),
    }));
  }

  async function signInStudents(exams: string[]) {
    for (const examNo of exams) {
      const student = await server.prisma.student.findFirstOrThrow({ where: { examNo } });
      const user = await createUser(server.prisma, { role: 'student', studentId: student.id });
      studentTokens.set(examNo, await api.login(user.username, user.password));
    }
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 300; i++) {
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${what} did not happen`);
  }

  async function createCycle(year: number, windows: (typeof WINDOWS)[number]) {
    const res = await api.post('/api/cycles', { year, name: `分年测试 ${year}`, windows }, { token: tokens.bureau });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    cycleIds.push(res.body.cycle.id);
    return res.body.cycle.id as string;
  }

  /** Two free consecutive years: year 2's "last year" is year 1. */
  async function freeYears(): Promise<number> {
    for (;;) {
      const year = 3000 + Math.floor(Math.random() * 6000);
      if ((await server.prisma.cycle.count({ where: { year: { in: [year, year + 1] } } })) === 0) return year;
    }
  }

  beforeAll(async () => {
    server = await startTestServer({ clock, worker: true, env: { JWT_TTL: '30d' } });
    api = apiClient(server.url);
    const bureau = await createUser(server.prisma, { role: 'bureau' });
    const auditor = await createUser(server.prisma, { role: 'auditor' });
    [tokens.bureau, tokens.auditor] = await Promise.all([api.login(bureau.username, bureau.password), api.login(auditor.username, auditor.password)]);
  });

  afterAll(async () => {
    // Leave no active cycle behind for other test files.
    if (cycleIds.length) await server.prisma.cycle.updateMany({ where: { id: { in: cycleIds } }, data: { status: 'archived' } });
    await server?.stop();
  });

  let firstYear: number;
  /** What year 1 showed before year 2 existed, to compare with afterwards. */
  const before: Record<string, unknown> = {};

  it('year 1: imports, applications, a published main round and a flag', async () => {
    firstYear = await freeYears();
    await createCycle(firstYear, WINDOWS[0]);
    await importOk('regions', [
      { code: R[0], name: OLD.region, nameEn: 'Old A' },
      { code: R[1], name: '乙区', nameEn: 'B' },
    ]);
    await importOk('junior-schools', [
      { id: J[0], name: OLD.junior, regionCode: R[0], graduates: 300 },
      { id: J[1], name: '二初', regionCode: R[1], graduates: 300 },
    ]);
    await importOk('high-schools', highRows(OLD));
    await importOk('students', studentRows(year1Exams, 0));
    expect((await api.post('/api/quotas/compute', undefined, { token: tokens.bureau })).status).toBe(200);

    const high = await createUser(server.prisma, { role: 'high', highSchoolId: H.Q, regionCode: R[0] });
    const junior = await createUser(server.prisma, { role: 'junior', juniorSchoolId: J[0], regionCode: R[0] });
    [tokens.high, tokens.junior] = await Promise.all([api.login(high.username, high.password), api.login(junior.username, junior.password)]);
    await signInStudents(year1Exams);

    clock.set(at(0, 'applications_open'));
    for (const [i, examNo] of year1Exams.entries()) {
      // Students of J1 (region R1) may list the region-scope school; those of J2 only the city-wide one.
      const choices = { 1: i % 2 === 0 ? [H.Q, H.C] : [H.C] };
      const saved = await api.put('/api/student/application', { kind: 'main', baseVersion: 0, choices }, { token: studentTokens.get(examNo)! });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    }

    clock.set(at(0, 'round1'));
    const started = await api.post('/api/rounds', { kind: 'main', name: '第一轮' }, { token: tokens.bureau });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await waitFor('the main round', async () => {
      const r = await api.get(`/api/rounds/${started.body.id}`, { token: tokens.bureau });
      return r.body.status === 'succeeded' ? r.body : undefined;
    });
    const published = await api.post(`/api/rounds/${started.body.id}/publish`, undefined, { token: tokens.bureau });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    mainRound = { id: started.body.id };

    // Registration: the city-wide school registers a student the round placed at the quality school: a flag.
    clock.set(at(0, 'registration'));
    const placedAtQ = await server.prisma.roundAssignment.findFirstOrThrow({ where: { roundId: mainRound.id, highSchoolId: H.Q }, include: { student: true } });
    const cityHigh = await createUser(server.prisma, { role: 'high', highSchoolId: H.C, regionCode: R[1] });
    const cityToken = await api.login(cityHigh.username, cityHigh.password);
    const registered = await api.post(`/api/high-schools/${H.C}/registrations`, { examNos: [placedAtQ.student.examNo] }, { token: cityToken });
    // The refusal is recorded as an attempt (a 200 report, or 422 with the same report in older builds).
    expect([200, 422], JSON.stringify(registered.body)).toContain(registered.status);
    flagId = await waitFor('a flag of year 1', async () => {
      const flags = await api.get('/api/flags', { token: tokens.bureau });
      return flags.body.items?.find((f: any) => f.highSchoolIds.includes(H.Q))?.id;
    });

    before.student = (await api.get('/api/student/overview', { token: studentTokens.get(year1Exams[0])! })).body;
    before.admissions = (await api.get(`/api/high-schools/${H.Q}/admissions?limit=200`, { token: tokens.high })).body;
    expect((before.admissions as any).school.name).toBe(OLD.high);
    expect((before.admissions as any).items.length).toBeGreaterThan(0);
  });

  it('year 2: created from year 1, its imports rename a region, a junior and a high school and add a school', async () => {
    clock.set(at(1, 'setup'));
    await createCycle(firstYear + 1, WINDOWS[1]);
    // The new year starts with last year's schools: year 2 reads them before any import.
    const quotasBefore = await api.get(`/api/junior-schools/${J[0]}/status`, { token: tokens.junior });
    expect(quotasBefore.status, JSON.stringify(quotasBefore.body)).toBe(200);
    expect(quotasBefore.body.school.name).toBe(OLD.junior);

    await importOk('regions', [{ code: R[0], name: NEW.region, nameEn: 'New A' }]);
    await importOk('junior-schools', [{ id: J[0], name: NEW.junior, regionCode: R[0], graduates: 320 }]);
    await importOk('high-schools', [
      ...highRows(NEW),
      { id: H.N, name: '新建高中', regionCode: R[1], ownership: '民办', scope: '属地', capacity: 4, classes: 1, batch: 1, previousCutoff: 432 },
    ]);
    await importOk('students', studentRows(year2Exams, 100));
    await signInStudents(year2Exams);

    // The global rows take year 2's names only when it is the newest year (other test files may hold later ones).
    const newest = (await server.prisma.cycle.count({ where: { year: { gt: firstYear + 1 } } })) === 0;
    expect((await server.prisma.highSchool.findUniqueOrThrow({ where: { id: H.Q } })).name).toBe(newest ? NEW.high : OLD.high);
    expect((await server.prisma.juniorSchool.findUniqueOrThrow({ where: { id: J[0] } })).name).toBe(newest ? NEW.junior : OLD.junior);
    expect((await server.prisma.region.findUniqueOrThrow({ where: { code: R[0] } })).name).toBe(newest ? NEW.region : OLD.region);
    // From here on the global rows hold neither year's names: each year must show its own.
    await server.prisma.highSchool.update({ where: { id: H.Q }, data: { name: '全局校名' } });
    await server.prisma.juniorSchool.update({ where: { id: J[0] }, data: { name: '全局初中名' } });
    await server.prisma.region.update({ where: { code: R[0] }, data: { name: '全局区名' } });
  });

  it('GET /api/cycles lists both years, the current one marked', async () => {
    const res = await api.get('/api/cycles', { token: tokens.high });
    expect(res.status).toBe(200);
    const mine = res.body.cycles.filter((c: any) => cycleIds.includes(c.id));
    expect(mine.map((c: any) => [c.year, c.status, c.current])).toEqual([
      [firstYear + 1, 'active', true],
      [firstYear, 'archived', false],
    ]);
    expect((await api.get('/api/cycles')).status).toBe(401);
  });

  it("year 1's student page keeps the old names", async () => {
    const res = await api.get('/api/student/overview', { token: studentTokens.get(year1Exams[0])! });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.student.juniorSchool.name).toBe(OLD.junior);
    expect(res.body.student.region.name).toBe(OLD.region);
    const schools = res.body.batches.flatMap((b: any) => b.schools);
    expect(schools.find((s: any) => s.id === H.Q).name).toBe(OLD.high);
    expect(schools.find((s: any) => s.id === H.Q).region.name).toBe(OLD.region);
    // A school first set up for year 2 is not one of year 1's.
    expect(schools.find((s: any) => s.id === H.N)).toBeUndefined();
    expect(res.body.student).toEqual((before.student as any).student);
    const result = await api.get('/api/student/result', { token: studentTokens.get(year1Exams[0])! });
    expect(result.status).toBe(200);
    if (result.body.school?.id === H.Q) expect(result.body.school.name).toBe(OLD.high);
  });

  it("the high school reaches year 1's admission list and its export with ?cycleId=; year 2 shows the new name", async () => {
    const [year1, year2] = cycleIds;
    const past = await api.get(`/api/high-schools/${H.Q}/admissions?limit=200&cycleId=${year1}`, { token: tokens.high });
    expect(past.status, JSON.stringify(past.body)).toBe(200);
    expect(past.body.school.name).toBe(OLD.high);
    expect(past.body.cycle).toMatchObject({ id: year1, year: firstYear });
    expect(past.body.items).toEqual((before.admissions as any).items);
    expect(past.body.juniorSchools.find((j: any) => j.id === J[0])?.name ?? OLD.junior).toBe(OLD.junior);

    const exported = await fetch(`${server.url}/api/high-schools/${H.Q}/admissions/export?cycleId=${year1}`, { headers: { authorization: `Bearer ${tokens.high}` } });
    expect(exported.status).toBe(200);
    expect(decodeURIComponent(exported.headers.get('content-disposition') ?? '')).toContain(`${H.Q}-${firstYear}.xlsx`);

    const now = await api.get(`/api/high-schools/${H.Q}/admissions`, { token: tokens.high });
    expect(now.status).toBe(200);
    expect(now.body.school.name).toBe(NEW.high);
    expect(now.body.cycle.id).toBe(year2);
    expect(now.body.round).toBeNull();

    const bureauPast = await api.get(`/api/high-schools/${H.Q}/admissions?limit=200&cycleId=${year1}`, { token: tokens.auditor });
    expect(bureauPast.status).toBe(200);
    expect(bureauPast.body.items.length).toBe(past.body.items.length);

    const registrations = await api.get(`/api/high-schools/${H.C}/registrations?cycleId=${year1}`, { token: tokens.bureau });
    expect(registrations.status).toBe(200);
    expect(registrations.body.registrations.length).toBe(1);
    expect((await api.get(`/api/high-schools/${H.C}/registrations`, { token: tokens.bureau })).body.registrations).toEqual([]);

    const plan = await api.get(`/api/high-schools/${H.Q}/plan?cycleId=${year1}`, { token: tokens.high });
    expect(plan.status).toBe(200);
    expect(plan.body.school.name).toBe(OLD.high);
    expect(plan.body.canRequestChange).toBe(false);
  });

  it("the junior school's status keeps year 1's name; year 2 shows the new one", async () => {
    const past = await api.get(`/api/junior-schools/${J[0]}/status?cycleId=${cycleIds[0]}`, { token: tokens.junior });
    expect(past.status).toBe(200);
    expect(past.body.school.name).toBe(OLD.junior);
    expect(past.body.cycle).toMatchObject({ id: cycleIds[0], year: firstYear, phase: 'closed' });
    expect(past.body.students.length).toBe(year1Exams.length / 2);
    const now = await api.get(`/api/junior-schools/${J[0]}/status`, { token: tokens.junior });
    expect(now.body.school.name).toBe(NEW.junior);
    expect(now.body.students.length).toBe(1);
    const results = await api.get(`/api/junior-schools/${J[0]}/results?cycleId=${cycleIds[0]}`, { token: tokens.junior });
    expect(results.status).toBe(200);
    for (const r of results.body.results) if (r.highSchool?.id === H.Q) expect(r.highSchool.name).toBe(OLD.high);
  });

  it("the dashboard of year 1 keeps its names and schools; year 2's has the new ones", async () => {
    for (const token of [tokens.bureau, tokens.auditor]) {
      const past = await api.get(`/api/dashboard?cycleId=${cycleIds[0]}`, { token });
      expect(past.status, JSON.stringify(past.body)).toBe(200);
      expect(past.body.regions.find((r: any) => r.code === R[0]).name).toBe(OLD.region);
      expect(past.body.cutoffs.find((c: any) => c.highSchoolId === H.Q).name).toBe(OLD.high);
      expect(past.body.cutoffs.find((c: any) => c.highSchoolId === H.N)).toBeUndefined();
    }
    const now = await api.get('/api/dashboard', { token: tokens.bureau });
    expect(now.body.regions.find((r: any) => r.code === R[0]).name).toBe(NEW.region);
    expect(now.body.cutoffs.find((c: any) => c.highSchoolId === H.Q).name).toBe(NEW.high);
  });

  it("year 1's flags keep the old names; the list of year 2 has none of them", async () => {
    const list = await api.get(`/api/flags?cycleId=${cycleIds[0]}`, { token: tokens.auditor });
    expect(list.status).toBe(200);
    expect(list.body.items.map((f: any) => f.id)).toContain(flagId);
    const detail = await api.get(`/api/flags/${flagId}`, { token: tokens.bureau });
    expect(detail.status).toBe(200);
    expect(detail.body.schools.find((s: any) => s.id === H.Q).name).toBe(OLD.high);
    const now = await api.get('/api/flags', { token: tokens.bureau });
    expect(now.body.items.map((f: any) => f.id)).not.toContain(flagId);
  });

  it('rounds and plans of year 1 are reachable with ?cycleId=', async () => {
    const rounds = await api.get(`/api/rounds?cycleId=${cycleIds[0]}`, { token: tokens.auditor });
    expect(rounds.status).toBe(200);
    expect(rounds.body.rounds.map((r: any) => r.id)).toContain(mainRound.id);
    const plans = await api.get(`/api/plans?cycleId=${cycleIds[0]}`, { token: tokens.high });
    expect(plans.status).toBe(200);
    expect(plans.body.plans.find((p: any) => p.highSchool.id === H.Q).highSchool.name).toBe(OLD.high);
    const quotas = await api.get(`/api/quotas?cycleId=${cycleIds[0]}`, { token: tokens.junior });
    expect(quotas.status).toBe(200);
    expect(quotas.body.byJuniorSchool.find((j: any) => j.id === J[0])?.name).toBe(OLD.junior);
  });

  it('an unknown cycleId is a 404, not the current year', async () => {
    const unknown = 'no-such-cycle';
    for (const [path, token] of [
      [`/api/high-schools/${H.Q}/admissions?cycleId=${unknown}`, tokens.high],
      [`/api/high-schools/${H.Q}/admissions/export?cycleId=${unknown}`, tokens.high],
      [`/api/high-schools/${H.Q}/registrations?cycleId=${unknown}`, tokens.high],
      [`/api/junior-schools/${J[0]}/status?cycleId=${unknown}`, tokens.junior],
      [`/api/dashboard?cycleId=${unknown}`, tokens.bureau],
      [`/api/flags?cycleId=${unknown}`, tokens.auditor],
      [`/api/rounds?cycleId=${unknown}`, tokens.bureau],
      [`/api/plans?cycleId=${unknown}`, tokens.bureau],
    ] as const) {
      const res = await api.get(path, { token });
      expect(res.status, path).toBe(404);
    }
    // Another school's year 1 stays out of reach.
    const other = await api.get(`/api/high-schools/${H.C}/admissions?cycleId=${cycleIds[0]}`, { token: tokens.high });
    expect(other.status).toBe(404);
    // A student sees only their own year.
    const student = await api.get(`/api/plans?cycleId=${cycleIds[0]}`, { token: studentTokens.get(year2Exams[0])! });
    expect(student.status).toBe(403);
  });

  it("a family of year 2 sees last year's cutoff from year 1's published round, else the plan's figure", async () => {
    clock.set(at(1, 'applications_open'));
    const round = await server.prisma.round.findUniqueOrThrow({ where: { id: mainRound.id } });
    const schools = (round.result as any).schools;
    const cutoffOf = (id: string) => schools[id]?.cutoffs?.open?.total ?? schools[id]?.cutoffs?.reverted?.total;
    expect(cutoffOf(H.Q)).toEqual(expect.any(Number));
    const res = await api.get('/api/student/overview', { token: studentTokens.get(year2Exams[0])! });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const listed = res.body.batches.flatMap((b: any) => b.schools);
    const q = listed.find((s: any) => s.id === H.Q);
    expect(q.name).toBe(NEW.high);
    expect(q.previousCutoff).toBe(cutoffOf(H.Q));
    expect(q.previousCutoff).not.toBe(900);
    // A school new in year 2 had no round last year: the plan's figure.
    expect(listed.find((s: any) => s.id === H.N).previousCutoff).toBe(432);
  });

  it('writing an older year (a re-import) never renames the newer one', async () => {
    const schools = createSchoolRepository(server.prisma);
    await schools.upsertHighSchools(cycleIds[0], [{ id: H.Q, name: '重新导入的旧名', regionCode: R[0], ownership: 'public', scope: 'city', quality: true }]);
    expect((await server.prisma.highSchool.findUniqueOrThrow({ where: { id: H.Q } })).name).toBe('全局校名');
    const now = await api.get(`/api/high-schools/${H.Q}/admissions`, { token: tokens.high });
    expect(now.body.school.name).toBe(NEW.high);
    const past = await api.get(`/api/high-schools/${H.Q}/admissions?cycleId=${cycleIds[0]}`, { token: tokens.high });
    expect(past.body.school.name).toBe('重新导入的旧名');
  });
});
