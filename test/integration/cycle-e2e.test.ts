/**
 * Acceptance test of issue 4: a whole admissions cycle through the HTTP API on
 * the real PostgreSQL and Redis, with the BullMQ worker in-process and a
 * movable clock: create the cycle -> import regions, schools with plans and
 * students (CSV) -> compute quotas -> students save choices -> close -> two
 * simulations compared -> main round run and published -> the bundle re-run
 * through the CLI equals the stored result and the database rows ->
 * confirmations -> 补录 (supplementary round) -> closed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBJECTS } from '../../server/demo/types';
import { IMPORT_COLUMNS, type ImportKind } from '../../server/domain/imports/columns';
import { canonicalJson, sha256Hex } from '../../server/domain/rounds/canonical';
import { PHASES, scheduleFrom, type Phase } from '../../server/domain/schedule/schedule';
import { createTestClock } from '../support/clock';
import { createAccount, createUser, uniqueSuffix } from '../support/factories';
import { apiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

const DAY = 86_400_000;
const START = new Date('2032-03-01T00:00:00Z');
const WINDOWS = scheduleFrom(START, Object.fromEntries(PHASES.map((p) => [p, 1])) as Record<Phase, number>);
/** The middle of a phase's window. */
const at = (phase: Phase) => new Date(START.getTime() + PHASES.indexOf(phase) * DAY + DAY / 2);

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

/** A small deterministic generator, so scores vary without Math.random in the data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const must = (schools: Record<string, any>) =>
  Object.fromEntries(
    Object.entries(schools).map(([id, s]) => [id, { capacity: s.capacity, admitted: s.admitted, open: s.open, quota: s.quota, reverted: s.reverted, lastAdmitted: s.lastAdmitted }]),
  );

describe('a whole admissions cycle through the API (issue 4 acceptance)', () => {
  const clock = createTestClock(at('setup'));
  let server: TestServer;
  let api: ReturnType<typeof apiClient>;
  let bureau: string;
  let cycleId: string | undefined;

  const sfx = uniqueSuffix().toUpperCase();
  const R = [1, 2, 3].map((i) => `E${sfx}R${i}`);
  const J = [0, 1, 2, 3, 4, 5].map((i) => `E${sfx}J${i}`); // two per region
  const regionOfJunior = (j: string) => R[Math.floor(J.indexOf(j) / 2)];
  const H = { Q1: `E${sfx}Q1`, Q2: `E${sfx}Q2`, C1: `E${sfx}C1`, P1: `E${sfx}P1`, P2: `E${sfx}P2`, P3: `E${sfx}P3` };
  const highRows: ({ id: string; regionCode: string; scope: string; capacity: number; batch: number; minScore?: number } & Record<string, string | number>)[] = [
    // Batch 1: two quality schools (quota seats, region scope) and a city-wide public school.
    { id: H.Q1, name: '测试一中', regionCode: R[0], ownership: '公办', scope: '属地', quality: '是', capacity: 10, classes: 1, batch: 1, quotaPercent: 50, minScore: 420, minPerSchool: 1 },
    { id: H.Q2, name: '测试二中', regionCode: R[1], ownership: '公办', scope: '属地', quality: '是', capacity: 8, classes: 1, batch: 1, quotaPercent: 50 },
    { id: H.C1, name: '测试市直高中', regionCode: R[2], ownership: '公办', scope: '全市', capacity: 9, classes: 1, batch: 1 },
    // Batch 2.
    { id: H.P1, name: '测试民办高中', regionCode: R[0], ownership: '民办', scope: '全市', capacity: 7, classes: 1, batch: 2 },
    { id: H.P2, name: '测试乙县高中', regionCode: R[2], ownership: '公办', scope: '属地', capacity: 6, classes: 1, batch: 2 },
    { id: H.P3, name: '测试丙校', regionCode: R[1], ownership: '公办', scope: '全市', capacity: 5, classes: 1, batch: 2, minEvaluation: 'B' },
  ];
  const STUDENTS = 60;
  const examBase = 10_000 + Math.floor(Math.random() * 80_000);
  const examNos = Array.from({ length: STUDENTS }, (_, i) => `E${sfx}${examBase + i}`);
  const studentIdOf = new Map<string, string>(); // examNo -> row id
  const examOf = new Map<string, string>(); // row id -> examNo
  const tokens = new Map<string, string>(); // examNo -> token

  const upload = (kind: ImportKind, body: string) =>
    fetch(`${server.url}/api/imports/${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(Buffer.from(body)),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  async function waitForRound(id: string) {
    for (let i = 0; i < 600; i++) {
      const res = await api.get(`/api/rounds/${id}`, { token: bureau });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      if (['succeeded', 'failed', 'published'].includes(res.body.status)) return res.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`round ${id} did not finish`);
  }

  async function startRound(body: unknown) {
    const res = await api.post('/api/rounds', body, { token: bureau });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const round = await waitForRound(res.body.id);
    expect(round.status, JSON.stringify(round)).toBe('succeeded');
    expect(round.invariantsOk).toBe(true);
    return round;
  }

  /** The round's RoundAssignment rows as examNo -> {school, seat, batch} (null when unplaced). */
  async function storedRows(roundId: string) {
    const rows = await server.prisma.roundAssignment.findMany({ where: { roundId } });
    return new Map(rows.map((r) => [examOf.get(r.studentId)!, r.highSchoolId ? { school: r.highSchoolId, seat: r.seat, batch: r.batch } : null]));
  }

  beforeAll(async () => {
    // Tokens must outlive the clock's jumps through the nine one-day windows.
    server = await startTestServer({ clock, worker: true, env: { JWT_TTL: '30d' } });
    api = apiClient(server.url, { checkResponses: true });
    const b = await createAccount(server.prisma, 'bureau');
    bureau = await api.login(b.username, b.password);
  });

  afterAll(async () => {
    // Leave no active cycle behind for other test files.
    if (cycleId) await server.prisma.cycle.update({ where: { id: cycleId }, data: { status: 'archived' } });
    await server?.stop();
  });

  it('1. the bureau creates the cycle with nine windows; it becomes current, in setup', async () => {
    let res;
    for (let attempt = 0; attempt < 5; attempt++) {
      const year = 3000 + Math.floor(Math.random() * 6999);
      // This year lets a student who declines a round-1 seat take part in 补录 (the default does not).
      res = await api.post('/api/cycles', { year, name: `全流程测试 ${year}`, policy: { declinedMayJoinSupplementary: true }, windows: WINDOWS }, { token: bureau });
      if (res.body?.error?.code !== 'CYCLE_YEAR_TAKEN') break;
    }
    expect(res!.status, JSON.stringify(res!.body)).toBe(201);
    cycleId = res!.body.cycle.id;
    const current = await api.get('/api/cycles/current');
    expect(current.body).toMatchObject({ cycle: { id: cycleId }, phase: 'setup' });
    expect(current.body.phases.map((p: any) => p.phase)).toEqual([...PHASES]);
  });

  it('2. imports regions, junior schools, high schools with plans and 60 students from CSV', async () => {
    const regions = await upload('regions', csv('regions', R.map((code, i) => ({ code, name: `全流程区${i + 1}`, adminCode: `43020${i + 1}` }))));
    expect(regions.body, JSON.stringify(regions.body)).toMatchObject({ status: 'done', imported: 3 });
    const juniors = await upload(
      'junior-schools',
      csv('junior-schools', J.map((id, i) => ({ id, name: `全流程初中${i + 1}`, regionCode: regionOfJunior(id), graduates: 200 + 50 * i }))),
    );
    expect(juniors.body, JSON.stringify(juniors.body)).toMatchObject({ status: 'done', imported: 6 });
    const highs = await upload('high-schools', csv('high-schools', highRows));
    expect(highs.body, JSON.stringify(highs.body)).toMatchObject({ status: 'done', imported: 6 });

    const random = rng(examBase);
    const students = examNos.map((examNo, i) => {
      const ability = 0.35 + 0.6 * random();
      const scores = Object.fromEntries(SUBJECTS.map((s) => [`score.${s.key}`, Math.min(s.max, Math.round(s.max * Math.min(1, ability + 0.1 * (random() - 0.5))))]));
      return {
        examNo,
        name: `考生${i + 1}`,
        idCardNo: idCard(examBase + i),
        gender: i % 2 ? '男' : '女',
        juniorSchoolId: J[i % J.length],
        enrolledSince: '2029-09-01',
        evaluation: 'ABCD'[Math.floor(random() * 4)],
        ...scores,
      };
    });
    const res = await upload('students', csv('students', students));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', imported: STUDENTS });

    const stored = await server.prisma.student.findMany({ where: { cycleId, examNo: { in: examNos } } });
    expect(stored).toHaveLength(STUDENTS);
    for (const s of stored) {
      studentIdOf.set(s.examNo, s.id);
      examOf.set(s.id, s.examNo);
      const row = students.find((x) => x.examNo === s.examNo)!;
      expect(s.total).toBe(SUBJECTS.reduce((sum, sub) => sum + Number((row as any)[`score.${sub.key}`]), 0));
      expect(s.regionCode).toBe(regionOfJunior(s.juniorSchoolId));
    }
    const plans = await server.prisma.highSchoolPlan.findMany({ where: { cycleId } });
    expect(plans.map((p) => [p.highSchoolId, p.capacity, p.batch, p.status]).sort()).toEqual(highRows.map((h) => [h.id, h.capacity, h.batch, 'approved']).sort());
  });

  it('3. computes the quota distribution; GET /api/quotas shows it, within each quality school\'s region', async () => {
    const res = await api.post('/api/quotas/compute', undefined, { token: bureau });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const plans = (await api.get('/api/plans', { token: bureau })).body.plans as any[];
    const effective = Object.fromEntries(plans.map((p) => [p.highSchool.id, p.effectiveQuotaSeats]));
    expect(effective[H.Q1]).toBeGreaterThan(0);
    expect(effective[H.Q2]).toBeGreaterThan(0);

    const table = await api.get('/api/quotas', { token: bureau });
    expect(table.status).toBe(200);
    expect(table.body.cycleId).toBe(cycleId);
    const byHigh = new Map((table.body.byHighSchool as any[]).map((h) => [h.id, h]));
    for (const q of [H.Q1, H.Q2]) {
      const h = byHigh.get(q)!;
      expect(h.total).toBe(effective[q]);
      expect(h.juniorSchools.reduce((s: number, j: any) => s + j.seats, 0)).toBe(h.total);
      // Region scope: quota seats go only to the junior schools of the school's region.
      const region = highRows.find((r) => r.id === q)!.regionCode;
      for (const j of h.juniorSchools) expect(regionOfJunior(j.id)).toBe(region);
    }
    // minPerSchool 1: both junior schools of R1 get at least one seat of Q1.
    expect(byHigh.get(H.Q1)!.juniorSchools.map((j: any) => j.id).sort()).toEqual([J[0], J[1]]);
    // Schools without a quota figure that are not quality schools have none.
    for (const id of [H.C1, H.P1, H.P2, H.P3]) expect(byHigh.has(id)).toBe(false);
    const rows = await server.prisma.quotaAllocation.findMany({ where: { cycleId } });
    expect(table.body.total).toBe(rows.reduce((s, r) => s + r.seats, 0));
  });

  it('4. applications open: each student saves choices among the schools their form lists', async () => {
    // Before the window, saving is refused.
    const early = await createUser(server.prisma, { role: 'student', studentId: studentIdOf.get(examNos[0]) });
    const earlyToken = await api.login(early.username, early.password);
    const refused = await api.put('/api/student/application', { kind: 'main', baseVersion: 0, choices: { 1: [H.C1] } }, { token: earlyToken });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('PHASE_CLOSED');
    tokens.set(examNos[0], earlyToken);
    for (let i = 1; i < examNos.length; i += 10) {
      await Promise.all(
        examNos.slice(i, i + 10).map(async (examNo) => {
          const u = await createUser(server.prisma, { role: 'student', studentId: studentIdOf.get(examNo) });
          tokens.set(examNo, await api.login(u.username, u.password));
        }),
      );
    }

    clock.set(at('applications_open'));
    for (const [i, examNo] of examNos.entries()) {
      const token = tokens.get(examNo)!;
      const form = await api.get('/api/student/application?kind=main', { token });
      expect(form.status, JSON.stringify(form.body)).toBe(200);
      expect(form.body).toMatchObject({ version: 0, editable: true, phase: 'applications_open' });
      const student = await server.prisma.student.findUniqueOrThrow({ where: { id: studentIdOf.get(examNo) } });
      const choices: Record<string, string[]> = {};
      for (const b of form.body.batches) {
        for (const s of b.schools) {
          // The form's eligibility agrees with the plan: a region-scope school of another region cannot be listed.
          const row = highRows.find((h) => h.id === s.id)!;
          if (row.scope === '属地' && row.regionCode !== student.regionCode) expect(s.canList).toBe(false);
          if (row.minScore && student.total < row.minScore) expect(s.canList).toBe(false);
        }
        const listable = b.schools.filter((s: any) => s.canList).map((s: any) => s.id);
        // Vary the order between students; at most 2 per batch, so some stay unplaced.
        const rotated = listable.map((_: string, k: number) => listable[(k + i) % listable.length]);
        const picked = rotated.slice(0, Math.min(2, b.maxChoices));
        if (picked.length) choices[b.batch] = picked;
      }
      expect(Object.keys(choices).length).toBeGreaterThan(0);
      const saved = await api.put('/api/student/application', { kind: 'main', baseVersion: 0, choices }, { token });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body).toMatchObject({ version: 1, choices });
    }
    // An ineligible choice is refused with its field: a region-scope school of another region.
    const outsider = examNos.find((_, i) => regionOfJunior(J[i % J.length]) !== R[2])!;
    const bad = await api.put('/api/student/application', { kind: 'main', baseVersion: 1, choices: { 2: [H.P2] } }, { token: tokens.get(outsider)! });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('CHOICE_REFUSED');
    expect(bad.body.error.field).toBe('choices.2.0');
    expect(await server.prisma.application.count({ where: { cycleId, kind: 'main', status: 'submitted' } })).toBe(STUDENTS);
  });

  let simOpen: any;
  let simQuota: any;
  it('5. applications closed: two simulations under openFirst and quotaFirst, compared', async () => {
    clock.set(at('applications_closed'));
    const late = await api.put('/api/student/application', { kind: 'main', baseVersion: 1, choices: { 1: [H.C1] } }, { token: tokens.get(examNos[0])! });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('PHASE_CLOSED');

    simOpen = await startRound({ kind: 'simulation', name: 'openFirst', policy: { quotaPrecedence: 'openFirst' } });
    simQuota = await startRound({ kind: 'simulation', name: 'quotaFirst', policy: { quotaPrecedence: 'quotaFirst' } });
    expect(simOpen.policy.quotaPrecedence).toBe('openFirst');
    expect(simQuota.policy.quotaPrecedence).toBe('quotaFirst');
    for (const r of [simOpen, simQuota]) {
      expect(r.counts.students).toBe(STUDENTS);
      expect(r.counts.assigned + r.counts.unassigned).toBe(STUDENTS);
      expect(r.counts.assigned).toBeLessThanOrEqual(highRows.reduce((s, h) => s + h.capacity, 0));
      expect(await server.prisma.roundAssignment.count({ where: { roundId: r.id } })).toBe(STUDENTS);
    }
    expect(simOpen.sha256.input).not.toBe(simQuota.sha256.input);

    const cmp = await api.get(`/api/rounds/compare?a=${simOpen.id}&b=${simQuota.id}`, { token: bureau });
    expect(cmp.status, JSON.stringify(cmp.body)).toBe(200);
    const a = await storedRows(simOpen.id);
    const b = await storedRows(simQuota.id);
    const expectedMoves = examNos.filter((e) => (a.get(e)?.school ?? null) !== (b.get(e)?.school ?? null)).sort();
    expect(cmp.body.moved.map((m: any) => m.student).sort()).toEqual(expectedMoves);
    for (const m of cmp.body.moved) {
      expect(m.from).toBe(a.get(m.student)?.school ?? null);
      expect(m.to).toBe(b.get(m.student)?.school ?? null);
    }
    const quotaSeats = (rows: typeof a) => [...rows.values()].filter((r) => r?.seat === 'quota').length;
    const used = Object.values(cmp.body.quotaUsed as Record<string, { a: number; b: number }>);
    expect(used.reduce((n, q) => n + q.a, 0)).toBe(quotaSeats(a));
    expect(used.reduce((n, q) => n + q.b, 0)).toBe(quotaSeats(b));
    expect(Object.keys(cmp.body.cutoffs).sort()).toEqual(Object.values(H).sort());
  });

  let main: any;
  it('6. round 1: the main round runs as a job and is published; students see their result only then', async () => {
    clock.set(at('round1'));
    main = await startRound({ kind: 'main', name: '第一轮录取' });
    expect(main.counts.students).toBe(STUDENTS);
    const before = await api.get('/api/student/result', { token: tokens.get(examNos[0])! });
    expect(before.status).toBe(200);
    expect(before.body.published).toBe(false);
    const published = await api.post(`/api/rounds/${main.id}/publish`, undefined, { token: bureau });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.status).toBe('published');
    const after = await api.get('/api/student/result', { token: tokens.get(examNos[0])! });
    expect(after.body.published).toBe(true);
    expect(await server.prisma.auditLog.count({ where: { action: 'round.publish', entityId: main.id } })).toBe(1);
  });

  it('7. the bundle re-run with the CLI equals the stored result and the RoundAssignment rows', async () => {
    const res = await fetch(`${server.url}/api/rounds/${main.id}/bundle`, { headers: { authorization: `Bearer ${bureau}` } });
    expect(res.status).toBe(200);
    const bundle = JSON.parse(await res.text());
    expect(sha256Hex(canonicalJson(bundle.input))).toBe(bundle.sha256.input);
    expect(sha256Hex(canonicalJson(bundle.result))).toBe(bundle.sha256.result);
    expect(bundle.input.students.map((s: any) => s.id).sort()).toEqual([...examNos].sort());

    const dir = mkdtempSync(path.join(tmpdir(), 'cycle-e2e-'));
    try {
      const inFile = path.join(dir, 'in.json');
      const outFile = path.join(dir, 'out.json');
      writeFileSync(inFile, JSON.stringify(bundle.input));
      const run = spawnSync('npm', ['run', '-s', 'allocate', '--', inFile, outFile], { cwd: process.cwd(), encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const cli = JSON.parse(readFileSync(outFile, 'utf8'));

      // The command line writes the canonical text: byte for byte the result the round stored and hashed.
      expect(sha256Hex(readFileSync(outFile, 'utf8'))).toBe(bundle.sha256.result);
      const stored = bundle.result;
      expect(cli.assignments).toEqual(stored.assignments);
      expect(cli.unassigned).toEqual(stored.unassigned);
      expect(must(cli.schools)).toEqual(must(stored.schools));
      expect(Object.keys(cli.assignments).length).toBe(main.counts.assigned);
      expect(cli.unassigned.length).toBe(main.counts.unassigned);

      // The database rows say the same, student by student.
      const rows = await storedRows(main.id);
      expect(rows.size).toBe(STUDENTS);
      for (const examNo of examNos) {
        const a = cli.assignments[examNo];
        expect(rows.get(examNo), examNo).toEqual(a ? { school: a.school, seat: a.seat, batch: a.batch } : null);
        if (!a) expect(cli.unassigned).toContain(examNo);
      }
      // Per school: admitted counts match the rows, never above capacity.
      for (const [id, s] of Object.entries(cli.schools as Record<string, any>)) {
        const held = [...rows.values()].filter((r) => r?.school === id);
        expect(held.length).toBe(s.admitted);
        expect(held.filter((r) => r!.seat === 'quota').length).toBe(s.quota);
        expect(s.admitted).toBeLessThanOrEqual(highRows.find((h) => h.id === id)!.capacity);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  let decliner: { examNo: string; school: string };
  it('8. confirmation: one admitted student confirms, one declines', async () => {
    const rows = await storedRows(main.id);
    const placed = examNos.filter((e) => rows.get(e));
    expect(placed.length).toBeGreaterThan(2);
    // The decliner holds a city-wide school without minimum, so the seat they free is open to any unplaced student.
    const declinerNo = placed.find((e) => rows.get(e)!.school === H.C1 || rows.get(e)!.school === H.P1)!;
    expect(declinerNo).toBeDefined();
    const confirmerNo = placed.find((e) => e !== declinerNo)!;
    decliner = { examNo: declinerNo, school: rows.get(declinerNo)!.school };

    clock.set(at('confirmation'));
    const ok = await api.post(`/api/rounds/${main.id}/confirmations`, { decision: 'confirmed' }, { token: tokens.get(confirmerNo)! });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ decision: 'confirmed', school: rows.get(confirmerNo)!.school });
    const no = await api.post(`/api/rounds/${main.id}/confirmations`, { decision: 'declined' }, { token: tokens.get(declinerNo)! });
    expect(no.status, JSON.stringify(no.body)).toBe(200);
    expect(no.body).toMatchObject({ decision: 'declined', school: decliner.school });
    const summary = await api.get(`/api/rounds/${main.id}/confirmations`, { token: bureau });
    expect(summary.body).toMatchObject({ admitted: placed.length, confirmed: 1, declined: 1, silent: placed.length - 2 });
  });

  it('9. supplementary round: an unplaced student and the decliner apply for seats left; it runs and is published', async () => {
    clock.set(at('supplementary'));
    const rows = await storedRows(main.id);
    const unplaced = examNos.filter((e) => !rows.get(e));
    expect(unplaced.length).toBeGreaterThan(0);

    const seats = await api.get('/api/rounds/supplementary/seats', { token: bureau });
    expect(seats.status, JSON.stringify(seats.body)).toBe(200);
    for (const s of seats.body.schools) {
      const capacity = highRows.find((h) => h.id === s.school)!.capacity;
      // Silence keeps the seat (the default policy): only the decline frees one.
      const kept = examNos.filter((e) => rows.get(e)?.school === s.school && e !== decliner.examNo).length;
      expect(s.seatsLeft).toBe(capacity - kept);
    }
    const freed = seats.body.schools.find((s: any) => s.school === decliner.school);
    expect(freed?.seatsLeft).toBeGreaterThanOrEqual(1);

    // The first unplaced student whose 补录 form lists a school with seats left.
    let applicant: { examNo: string; batch: number; school: string } | undefined;
    for (const examNo of unplaced) {
      const form = await api.get('/api/student/application?kind=supplementary', { token: tokens.get(examNo)! });
      expect(form.status).toBe(200);
      const listable = form.body.batches.flatMap((b: any) => b.schools).filter((x: any) => x.canList);
      for (const x of listable) expect(seats.body.schools.find((s: any) => s.school === x.id)?.seatsLeft).toBe(x.seatsLeft);
      if (listable.length) {
        applicant = { examNo, batch: listable[0].batch, school: listable[0].id };
        break;
      }
    }
    expect(applicant, 'an unplaced student with a listable school').toBeDefined();
    const saved = await api.put('/api/student/application', { kind: 'supplementary', baseVersion: 0, choices: { [applicant!.batch]: [applicant!.school] } }, { token: tokens.get(applicant!.examNo)! });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const again = await api.put('/api/student/application', { kind: 'supplementary', baseVersion: 0, choices: { [freed.batch]: [freed.school] } }, { token: tokens.get(decliner.examNo)! });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    // A student who kept a seat takes no part.
    const keeper = examNos.find((e) => rows.get(e) && e !== decliner.examNo)!;
    const notIn = await api.put('/api/student/application', { kind: 'supplementary', baseVersion: 0, choices: { [freed.batch]: [freed.school] } }, { token: tokens.get(keeper)! });
    expect(notIn.body.error?.code).toBe('NOT_IN_SUPPLEMENTARY');

    const supp = await startRound({ kind: 'supplementary', name: '补录' });
    expect(supp.counts.students).toBe(2);
    const input = (await server.prisma.round.findUniqueOrThrow({ where: { id: supp.id } })).input as any;
    for (const h of input.highSchools) {
      expect(h.quota ?? {}).toEqual({});
      expect(h.capacity).toBe(seats.body.schools.find((s: any) => s.school === h.id)?.seatsLeft ?? 0);
    }
    const suppRows = await storedRows(supp.id);
    expect(suppRows.size).toBe(2);
    // Each is placed at the one school chosen, or not at all; where the seats left cover the demand, both are placed.
    const chosen = new Map([[applicant!.examNo, applicant!.school], [decliner.examNo, freed.school as string]]);
    for (const [examNo, school] of chosen) {
      const got = suppRows.get(examNo);
      if (got) expect(got).toMatchObject({ school });
      const demand = [...chosen.values()].filter((x) => x === school).length;
      const left = seats.body.schools.find((s: any) => s.school === school).seatsLeft;
      const placedThere = [...suppRows.values()].filter((r) => r?.school === school).length;
      expect(placedThere).toBe(Math.min(demand, left));
    }
    const published = await api.post(`/api/rounds/${supp.id}/publish`, undefined, { token: bureau });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.status).toBe('published');
  });

  it('10. closed: writes are refused with 409 PHASE_CLOSED', async () => {
    clock.set(at('closed'));
    expect((await api.get('/api/cycles/current')).body.phase).toBe('closed');
    const token = tokens.get(examNos[1])!;
    for (const kind of ['main', 'supplementary']) {
      const res = await api.put('/api/student/application', { kind, baseVersion: 1, choices: { 1: [H.C1] } }, { token });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('PHASE_CLOSED');
    }
    const round = await api.post('/api/rounds', { kind: 'main' }, { token: bureau });
    expect(round.status).toBe(409);
    expect(round.body.error.code).toBe('PHASE_CLOSED');
    // Past the last window too.
    clock.set(new Date(WINDOWS[8].closesAt.getTime() + DAY));
    const later = await api.put('/api/student/application', { kind: 'main', baseVersion: 1, choices: { 1: [H.C1] } }, { token });
    expect(later.body.error.code).toBe('PHASE_CLOSED');
  });
});
