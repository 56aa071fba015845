/**
 * Acceptance test of issue 12, "a real year from real files", through HTTP
 * only, on a database of its own that starts empty (no demo city, no account):
 *
 *   bootstrap a city-bureau account with the CLI -> the bureau activates it ->
 *   a new cycle -> imports of regions, junior schools, high schools with plans
 *   and 200 students from a GBK CSV with English headers (what Excel on Chinese
 *   Windows saves) -> the bureau issues codes to the junior schools -> each
 *   junior school issues its students' codes -> students activate and apply ->
 *   round 1 runs and is published -> a high school reads its list ->
 *   a second cycle whose imports rename a school and a region -> the first
 *   year's names and lists are unchanged and reachable with ?cycleId=.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations } from '../../prisma/migrate';
import { SUBJECTS } from '../../server/demo/types';
import { PHASES, scheduleFrom, type Phase } from '../../server/domain/schedule/schedule';
import { createTestClock } from '../support/clock';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const DAY = 86_400_000;
const YEAR1 = new Date('2031-03-01T00:00:00Z');
const YEAR2 = new Date('2032-03-01T00:00:00Z');
const windowsFrom = (start: Date) => scheduleFrom(start, Object.fromEntries(PHASES.map((p) => [p, 1])) as Record<Phase, number>);
/** The middle of a phase's window of the year starting at `start`. */
const at = (start: Date, phase: Phase) => new Date(start.getTime() + PHASES.indexOf(phase) * DAY + DAY / 2);

function idCard(n: number): string {
  const body = `430202200801${String(n).padStart(5, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** CSV text with the given header cells and rows, quoted, CRLF like Excel. */
function csvText(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => cells.map((c) => `"${String(c).replace(/"/g, '""')}"`).join(',');
  return [line(header), ...rows.map(line)].join('\r\n') + '\r\n';
}

/** Names whose GBK bytes are also valid UTF-8: a naive decoder stores them as mojibake. */
const TRICKY_NAMES = ['郑然', '郑伟', '郑浩然', '邓超', '郑子涵'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '涛', '明', '超', '霞', '平', '刚', '桂英', '子涵'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('a real year from real files, on an empty platform (issue 12 acceptance)', () => {
  // Now, for the bootstrap command (which uses the real clock); then the clock moves into the test years.
  const clock = createTestClock(new Date());
  const dbName = `real_year_${randomBytes(4).toString('hex')}`;
  let adminUrl: string;
  let databaseUrl: string;
  let server: TestServer;
  let api: ApiClient;
  let bureau: string;

  const R = ['HT', 'LL'];
  const J = ['J0101', 'J0102', 'J0201', 'J0202'];
  const regionOfJunior = (j: string) => (j.startsWith('J01') ? 'HT' : 'LL');
  const H = ['H01', 'H02', 'H03', 'H04'];
  const STUDENTS = 200;
  const students = Array.from({ length: STUDENTS }, (_, i) => {
    const random = rng(1000 + i);
    const ability = 0.35 + 0.6 * random();
    const name = i < TRICKY_NAMES.length ? TRICKY_NAMES[i] : SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length];
    return {
      // Lower-case in the file: stored (and signed in with) as upper case.
      examNo: `2031${String(i + 1).padStart(5, '0')}${i % 3 === 0 ? 'a' : 'A'}`,
      name,
      idCardNo: idCard(i + 1),
      gender: i % 2 ? 'male' : 'female',
      juniorSchoolId: J[i % J.length],
      enrolledSince: '2028-09-01',
      evaluation: 'ABCD'[Math.floor(random() * 4)],
      scores: Object.fromEntries(SUBJECTS.map((s) => [s.key, Math.min(s.max, Math.round(s.max * Math.min(1, ability + 0.1 * (random() - 0.5))))])),
    };
  });
  const examNoOf = (i: number) => students[i].examNo.toUpperCase();
  const studentTokens = new Map<string, string>();
  let cycle1: string;
  let cycle2: string;
  let round1: any;
  let year1List: any;
  let year1Junior: any;
  let year1Overview: any;

  const upload = (token: string, kind: string, bytes: Uint8Array) =>
    fetch(`${server.url}/api/imports/${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(bytes),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

  async function activate(username: string, code: string, newPassword = 'Real-Year-2031!') {
    const res = await api.post('/api/auth/activate', { username, code, newPassword });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(typeof res.body.token).toBe('string');
    return res.body.token as string;
  }

  async function issue(token: string, body: unknown) {
    const res = await api.post('/api/accounts/activation-codes', body, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.codes as { username: string; displayName: string; code: string; expiresAt: string }[];
  }

  async function waitForRound(id: string) {
    for (let i = 0; i < 600; i++) {
      const res = await api.get(`/api/rounds/${id}`, { token: bureau });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      if (['succeeded', 'failed', 'published'].includes(res.body.status)) return res.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`round ${id} did not finish`);
  }

  beforeAll(async () => {
    // An empty platform: a database of our own, with the migrations and nothing else.
    adminUrl = inject('databaseUrl');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
    await applyMigrations(databaseUrl);
    server = await startTestServer({ clock, worker: true, env: { DATABASE_URL: databaseUrl, JWT_TTL: '30d' } });
    api = apiClient(server.url);
  });

  afterAll(async () => {
    await server?.stop();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('1. the platform starts empty; the bootstrap command prints a code with which the city bureau signs in', async () => {
    expect(await server.prisma.user.count()).toBe(0);
    expect((await api.get('/api/cycles/current')).status).toBe(404);
    const run = spawnSync('npm', ['run', '-s', 'accounts:bootstrap', '--', 'city-admin'], {
      cwd: process.cwd(),
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    expect(run.status, run.stderr).toBe(0);
    const code = /[A-Z0-9]{4,}(?:-[A-Z0-9]{4,})+/.exec(run.stdout)?.[0];
    expect(code, run.stdout).toBeDefined();
    // No password works before activation; the code works once.
    expect((await api.post('/api/auth/login', { username: 'city-admin', password: '' })).status).toBe(400);
    bureau = await activate('city-admin', code!, 'City-Bureau-2031!');
    expect((await api.post('/api/auth/activate', { username: 'city-admin', code, newPassword: 'Another-2031-pw!' })).status).toBeGreaterThanOrEqual(400);
    const me = await api.get('/api/auth/me', { token: bureau });
    expect(me.body).toMatchObject({ user: { username: 'city-admin', role: 'bureau' } });
    clock.set(at(YEAR1, 'setup'));
    bureau = await api.login('city-admin', 'City-Bureau-2031!');
  });

  it('2. a new cycle, then regions, junior schools and high schools with plans from files', async () => {
    const res = await api.post('/api/cycles', { year: 2031, name: '2031 年中考招生', windows: windowsFrom(YEAR1) }, { token: bureau });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    cycle1 = res.body.cycle.id;

    const regions = await upload(bureau, 'regions', utf8(csvText(['区县代码', '区县名称'], [['HT', '荷塘区'], ['LL', '醴陵市']])));
    expect(regions.body, JSON.stringify(regions.body)).toMatchObject({ status: 'done', imported: 2 });
    const juniors = await upload(
      bureau,
      'junior-schools',
      utf8(csvText(['学校代码', '学校名称', '区县代码', '毕业生人数'], J.map((id, i) => [id, `第${i + 1}初级中学`, regionOfJunior(id), 50]))),
    );
    expect(juniors.body, JSON.stringify(juniors.body)).toMatchObject({ status: 'done', imported: 4 });
    const highs = await upload(
      bureau,
      'high-schools',
      utf8(
        csvText(
          ['学校代码', '学校名称', '区县代码', '办学性质', '招生范围', '示范性高中', '计划人数', '班级数', '批次', '指标生比例(%)'],
          [
            ['H01', '株洲市第一中学', 'HT', '公办', '全市', '是', 50, 1, 1, 50],
            ['H02', '醴陵市第一中学', 'LL', '公办', '属地', '是', 45, 1, 1, 50],
            ['H03', '株洲市南方中学', 'HT', '公办', '全市', '否', 40, 1, 2, ''],
            ['H04', '醴陵市民办高中', 'LL', '民办', '属地', '否', 40, 1, 2, ''],
          ],
        ),
      ),
    );
    expect(highs.body, JSON.stringify(highs.body)).toMatchObject({ status: 'done', imported: 4 });
  });

  it('3. 200 students from a GBK CSV with English headers: names stored as written, exam numbers upper case', async () => {
    const header = ['Exam number', 'Name', 'ID number', 'Gender', 'Junior school code', 'Enrolled since', ...SUBJECTS.map((s) => s.nameEn), 'Evaluation'];
    const rows = students.map((s) => [
      s.examNo,
      s.name,
      s.idCardNo,
      s.gender === 'male' ? '男' : '女',
      s.juniorSchoolId,
      s.enrolledSince,
      ...SUBJECTS.map((sub) => s.scores[sub.key]),
      s.evaluation,
    ]);
    const gbk = new Uint8Array(iconv.encode(csvText(header, rows), 'gbk'));
    // The trap: these GBK bytes are valid UTF-8 too.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(iconv.encode('郑然', 'gbk'))).not.toThrow();
    const res = await upload(bureau, 'students', gbk);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', imported: STUDENTS });
    const stored = await server.prisma.student.findMany({ where: { cycleId: cycle1 }, select: { examNo: true, name: true } });
    expect(new Map(stored.map((s) => [s.examNo, s.name]))).toEqual(new Map(students.map((s, i) => [examNoOf(i), s.name])));
    // Every imported person has an account, and none can sign in yet.
    expect(await server.prisma.user.count({ where: { role: 'student' } })).toBe(STUDENTS);
    expect(await server.prisma.user.count({ where: { role: 'junior' } })).toBe(J.length);
    expect(await server.prisma.user.count({ where: { role: 'high' } })).toBe(H.length);
    const noPassword = await api.post('/api/auth/login', { username: examNoOf(0), password: 'Real-Year-2031!' });
    expect(noPassword.status).toBe(401);

    const quotas = await api.post('/api/quotas/compute', undefined, { token: bureau });
    expect(quotas.status, JSON.stringify(quotas.body)).toBe(200);
  });

  it('4. the bureau issues the junior schools\' codes; each junior school issues its students\' codes; students activate and apply', async () => {
    const juniorCodes = await issue(bureau, { role: 'junior' });
    expect(juniorCodes.map((c) => c.username).sort()).toEqual(J.map((j) => j.toLowerCase()).sort());
    const studentCodes = new Map<string, string>();
    for (const j of J) {
      const token = await activate(j.toLowerCase(), juniorCodes.find((c) => c.username === j.toLowerCase())!.code);
      // A junior school cannot issue codes for another school's students.
      const other = students.findIndex((s) => s.juniorSchoolId !== j);
      const refused = await api.post('/api/accounts/activation-codes', { usernames: [examNoOf(other)] }, { token });
      expect(refused.status).toBe(403);
      const codes = await issue(token, { juniorSchoolId: j });
      expect(codes).toHaveLength(STUDENTS / J.length);
      for (const c of codes) studentCodes.set(c.username, c.code);
    }
    expect(studentCodes.size).toBe(STUDENTS);

    clock.set(at(YEAR1, 'applications_open'));
    const ids = students.map((_, i) => i);
    for (let k = 0; k < ids.length; k += 10) {
      await Promise.all(
        ids.slice(k, k + 10).map(async (i) => {
          const username = examNoOf(i);
          const token = await activate(username, studentCodes.get(username)!, `Student-${i}-pass!`);
          studentTokens.set(username, token);
          const form = await api.get('/api/student/application?kind=main', { token });
          expect(form.status, JSON.stringify(form.body)).toBe(200);
          const choices: Record<string, string[]> = {};
          for (const b of form.body.batches) {
            const listable = b.schools.filter((s: any) => s.canList).map((s: any) => s.id);
            if (listable.length) choices[b.batch] = listable.slice(0, b.maxChoices);
          }
          const saved = await api.put('/api/student/application', { kind: 'main', baseVersion: 0, choices }, { token });
          expect(saved.status, JSON.stringify(saved.body)).toBe(200);
        }),
      );
    }
    expect(await server.prisma.application.count({ where: { cycleId: cycle1, kind: 'main' } })).toBe(STUDENTS);
  });

  it('5. round 1 runs and is published; the high school and the junior school read their lists', async () => {
    clock.set(at(YEAR1, 'round1'));
    const started = await api.post('/api/rounds', { kind: 'main', name: '第一轮录取' }, { token: bureau });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    round1 = await waitForRound(started.body.id);
    expect(round1.status, JSON.stringify(round1)).toBe('succeeded');
    expect(round1.invariantsOk).toBe(true);
    const published = await api.post(`/api/rounds/${round1.id}/publish`, undefined, { token: bureau });
    expect(published.status, JSON.stringify(published.body)).toBe(200);

    const highCodes = await issue(bureau, { usernames: ['h01'] });
    const high = await activate('h01', highCodes[0].code);
    year1List = (await api.get('/api/high-schools/H01/admissions?limit=200', { token: high })).body;
    expect(year1List.school).toEqual({ id: 'H01', name: '株洲市第一中学' });
    expect(year1List.round.id).toBe(round1.id);
    expect(year1List.items.length).toBeGreaterThan(0);
    expect(year1List.items[0].juniorSchool.name).toMatch(/^第\d初级中学$/);

    const juniorCode = await issue(bureau, { usernames: ['j0101'] });
    const junior = await activate('j0101', juniorCode[0].code, 'Junior-Reset-2031!');
    year1Junior = (await api.get('/api/junior-schools/J0101/status', { token: junior })).body;
    year1Overview = (await api.get('/api/student/overview', { token: studentTokens.get(examNoOf(0))! })).body;
    expect(JSON.stringify(year1Overview)).toContain('第1初级中学');
  });

  it('6. a second cycle whose imports rename a school and a region leaves the first year as it was', async () => {
    clock.set(at(YEAR2, 'setup'));
    bureau = await api.login('city-admin', 'City-Bureau-2031!');
    const res = await api.post('/api/cycles', { year: 2032, name: '2032 年中考招生', windows: windowsFrom(YEAR2) }, { token: bureau });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    cycle2 = res.body.cycle.id;
    const regions = await upload(bureau, 'regions', utf8(csvText(['区县代码', '区县名称'], [['HT', '荷塘区（新）'], ['LL', '醴陵市']])));
    expect(regions.body, JSON.stringify(regions.body)).toMatchObject({ status: 'done' });
    const juniors = await upload(
      bureau,
      'junior-schools',
      utf8(csvText(['学校代码', '学校名称', '区县代码', '毕业生人数'], J.map((id, i) => [id, i === 0 ? '株洲市实验学校' : `第${i + 1}初级中学`, regionOfJunior(id), 60]))),
    );
    expect(juniors.body, JSON.stringify(juniors.body)).toMatchObject({ status: 'done' });
    const highs = await upload(
      bureau,
      'high-schools',
      utf8(
        csvText(
          ['学校代码', '学校名称', '区县代码', '办学性质', '招生范围', '示范性高中', '计划人数', '班级数', '批次', '指标生比例(%)'],
          [['H01', '株洲市一中（新校区）', 'HT', '公办', '全市', '是', 55, 1, 1, 50]],
        ),
      ),
    );
    expect(highs.body, JSON.stringify(highs.body)).toMatchObject({ status: 'done' });

    const high = (await api.post('/api/auth/login', { username: 'h01', password: 'Real-Year-2031!' })).body.token as string;
    expect(high).toBeTruthy();
    // The new year shows the new name...
    const plan2 = await api.get('/api/high-schools/H01/plan', { token: high });
    expect(JSON.stringify(plan2.body)).toContain('株洲市一中（新校区）');
    // ...and the finished year is reachable, unchanged, with ?cycleId=.
    const list1 = await api.get(`/api/high-schools/H01/admissions?limit=200&cycleId=${cycle1}`, { token: high });
    expect(list1.status, JSON.stringify(list1.body)).toBe(200);
    const names = (list: any) => list.items.map((r: any) => [r.examNo, r.name, r.juniorSchool.name, r.seat]);
    expect(list1.body.school).toEqual({ id: 'H01', name: '株洲市第一中学' });
    expect(list1.body.round.id).toBe(round1.id);
    expect(names(list1.body)).toEqual(names(year1List));
    expect(list1.body.juniorSchools).toEqual(year1List.juniorSchools);
    // Without ?cycleId= the high school is in the new year, where nothing is published yet.
    const list2 = await api.get('/api/high-schools/H01/admissions', { token: high });
    expect(list2.status).toBe(200);
    expect(list2.body.school.name).toBe('株洲市一中（新校区）');
    expect(list2.body.items).toEqual([]);

    const junior = (await api.post('/api/auth/login', { username: 'j0101', password: 'Junior-Reset-2031!' })).body.token as string;
    const status1 = await api.get(`/api/junior-schools/J0101/status?cycleId=${cycle1}`, { token: junior });
    expect(status1.status, JSON.stringify(status1.body)).toBe(200);
    expect(JSON.stringify(status1.body)).toContain('第1初级中学');
    expect(JSON.stringify(status1.body)).not.toContain('株洲市实验学校');
    expect(JSON.stringify(status1.body)).not.toContain('新校区');
    expect(status1.body.school).toEqual(year1Junior.school);

    // A student of the first year still sees the first year's names.
    const studentToken = await api.login(examNoOf(0), 'Student-0-pass!');
    const overview = await api.get('/api/student/overview', { token: studentToken });
    expect(overview.status, JSON.stringify(overview.body)).toBe(200);
    expect(JSON.stringify(overview.body)).toContain('第1初级中学');
    expect(JSON.stringify(overview.body)).not.toContain('株洲市实验学校');
    expect(JSON.stringify(overview.body)).not.toContain('荷塘区（新）');
    expect(year1Overview).toBeTruthy();
  });
});
