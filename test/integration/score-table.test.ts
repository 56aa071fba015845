/**
 * 位次 and the 一分一段表 (issue 17) on the demo city, against brute force:
 * the public score table (city and one region, no sign-in) counted student by
 * student; the overview's city and region rank of a few students, a tie
 * among them, recounted over the whole cohort; last year's cutoff as a rank
 * and the 冲/稳/保 band of each school on the choices page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guidanceBand } from '../../server/domain/ranking';
import { createTestClock } from '../support/clock';
import { apiClient, type ApiClient } from '../support/http';
import { createRankingCity, type RankingCity } from '../support/ranking-city';
import { startTestServer, type TestServer } from '../support/server';

const NOW = new Date('2026-06-10T08:00:00Z');
const STUDENTS = 3_000;
const clock = createTestClock(NOW);
let city: RankingCity;
let server: TestServer;
let api: ApiClient;
let tieBreak: string[];

interface Row {
  id: string;
  examNo: string;
  regionCode: string;
  total: number;
  evaluation: string;
  scores: Record<string, number | null>;
}

/** Brute force, written apart from server/domain/ranking: the key of ALLOCATION.md §2.1 steps 1–2. */
const GRADE: Record<string, number> = { A: 4, B: 3, C: 2, D: 1 };
function bruteKey(s: Row): number[] {
  return [
    s.total,
    ...tieBreak.map((key) =>
      key === 'evaluation' ? GRADE[s.evaluation] : key.split('+').reduce((sum, part) => (typeof s.scores[part] === 'number' ? sum + (s.scores[part] as number) : -Infinity), 0),
    ),
  ];
}
function comesBefore(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}
const keys = new WeakMap<Row, number[]>();
const keyOf = (s: Row) => keys.get(s) ?? keys.set(s, bruteKey(s)).get(s)!;
/** 1 + the students of `cohort` who come strictly before `s`: a count over the whole cohort, no sorting. */
function bruteRank(s: Row, cohort: Row[]): number {
  const key = keyOf(s);
  let before = 0;
  for (const o of cohort) if (comesBefore(keyOf(o), key)) before++;
  return 1 + before;
}
function bruteTable(totals: number[]) {
  return [...new Set(totals)]
    .sort((a, b) => b - a)
    .map((score) => ({ score, count: totals.filter((t) => t === score).length, cumulative: totals.filter((t) => t >= score).length }));
}

async function studentsOf(cycleId: string): Promise<Row[]> {
  const rows = await city.prisma.student.findMany({ where: { cycleId }, select: { id: true, examNo: true, regionCode: true, total: true, evaluation: true, scores: true } });
  return rows.map((r) => ({ ...r, scores: r.scores as Record<string, number | null> }));
}

beforeAll(async () => {
  city = await createRankingCity({ students: STUDENTS, now: NOW });
  server = await startTestServer({ clock, env: { DATABASE_URL: city.databaseUrl } });
  api = apiClient(server.url, { checkResponses: true });
  const cycle = await city.prisma.cycle.findUniqueOrThrow({ where: { id: city.cycleId }, select: { policy: true } });
  tieBreak = (cycle.policy as { allocation: { tieBreak: string[] } }).allocation.tieBreak;
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await city?.drop();
});

describe('GET /api/score-table (public 一分一段表)', () => {
  it('answers without a token: city-wide, every distinct total with its count and cumulative count, as a brute-force count', async () => {
    const res = await api.get('/api/score-table');
    expect(res.status).toBe(200);
    const students = await studentsOf(city.cycleId);
    expect(res.body.rows).toEqual(bruteTable(students.map((s) => s.total)));
    expect(res.body.total).toBe(STUDENTS);
    expect(res.body.region).toBeNull();
    expect(res.body.cycle).toMatchObject({ id: city.cycleId, year: city.city.year });
    expect(res.body.regions.map((r: { code: string }) => r.code).sort()).toEqual(city.city.regions.map((r) => r.code).sort());
    // Counts only: no student in it.
    expect(JSON.stringify(res.body)).not.toMatch(/examNo|idCardNo/);
    expect(JSON.stringify(res.body)).not.toContain(students[0].examNo);
  });

  it('for one region, counts that region\'s students only', async () => {
    const students = await studentsOf(city.cycleId);
    const byRegion = new Map<string, number>();
    for (const s of students) byRegion.set(s.regionCode, (byRegion.get(s.regionCode) ?? 0) + 1);
    const [region] = [...byRegion].sort((a, b) => b[1] - a[1])[0];
    const res = await api.get(`/api/score-table?region=${region}`);
    expect(res.status).toBe(200);
    expect(res.body.region.code).toBe(region);
    expect(res.body.rows).toEqual(bruteTable(students.filter((s) => s.regionCode === region).map((s) => s.total)));
    expect(res.body.total).toBe(byRegion.get(region));
  });

  it('refuses an unknown region with 404 naming it, in Chinese and English; an unknown cycleId is 404', async () => {
    const zh = await api.get('/api/score-table?region=XX');
    expect(zh.status).toBe(404);
    expect(zh.body.error).toMatchObject({ code: 'UNKNOWN_REGION', field: 'region' });
    expect(zh.body.error.message).toContain('XX');
    expect(zh.body.error.message).toContain('地区');
    const en = await api.request('GET', '/api/score-table?region=XX', undefined, { headers: { 'accept-language': 'en' } });
    expect(en.body.error.message).toBe('region: there is no region "XX" in this cycle');
    const cycle = await api.get('/api/score-table?cycleId=no-such-cycle');
    expect(cycle.status).toBe(404);
    expect(cycle.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'cycleId' });
    const tooLong = await api.get(`/api/score-table?region=${'R'.repeat(40)}`);
    expect(tooLong.status).toBe(400);
  });

  it('opens a past year with ?cycleId=', async () => {
    const res = await api.get(`/api/score-table?cycleId=${city.previousCycleId}`);
    expect(res.status).toBe(200);
    expect(res.body.cycle.year).toBe(city.city.year - 1);
    expect(res.body.rows).toEqual(bruteTable((await studentsOf(city.previousCycleId)).map((s) => s.total)));
  });
});

describe('GET /api/student/overview: rank (位次)', () => {
  it('carries the city and region rank of a brute-force count, ties sharing a rank', async () => {
    const before = await studentsOf(city.cycleId);
    const sorted = [...before].sort((a, b) => b.total - a.total);
    // A tie on every key: the student at position 1500 takes the scores of the one at 1000 (in the same region or not).
    const leader = sorted[1000];
    const follower = sorted[1500];
    await city.prisma.student.update({ where: { id: follower.id }, data: { total: leader.total, scores: leader.scores, evaluation: leader.evaluation as 'A' } });
    // Tied on the total only: the tie-break keys decide.
    const sameTotal = sorted.find((s) => s.total === sorted[200].total && s.id !== sorted[200].id);
    const cohort = await studentsOf(city.cycleId);
    const pick = (id: string) => cohort.find((s) => s.id === id)!;
    const picks = [sorted[0], leader, follower, sorted[200], ...(sameTotal ? [sameTotal] : []), sorted[sorted.length - 1]].map((s) => pick(s.id));

    const ranks: Record<string, { city: number; region: number; total: number }> = {};
    for (const s of picks) {
      const token = await api.login(s.examNo, city.password);
      const res = await api.get('/api/student/overview', { token });
      expect(res.status).toBe(200);
      const region = cohort.filter((o) => o.regionCode === s.regionCode);
      expect(res.body.rank, s.examNo).toMatchObject({ city: bruteRank(s, cohort), region: bruteRank(s, region), total: STUDENTS, regionTotal: region.length });
      ranks[s.id] = res.body.rank;
    }
    expect(ranks[leader.id].city).toBe(ranks[follower.id].city);
    expect(ranks[sorted[0].id].city).toBe(1);
    if (sameTotal) expect(ranks[sameTotal.id].city).not.toBe(ranks[sorted[200].id].city);
  });

  it('is null before the student\'s scores are imported', async () => {
    const [student] = await studentsOf(city.cycleId);
    await city.prisma.student.update({ where: { id: student.id }, data: { scores: {} } });
    try {
      const token = await api.login(student.examNo, city.password);
      const res = await api.get('/api/student/overview', { token });
      expect(res.status).toBe(200);
      expect(res.body.rank).toBeNull();
      // And the table no longer counts them.
      expect((await api.get('/api/score-table')).body.total).toBe(STUDENTS - 1);
    } finally {
      await city.prisma.student.update({ where: { id: student.id }, data: { scores: student.scores as Record<string, number> } });
    }
  });
});

describe('last year\'s cutoff as a rank, and 冲/稳/保 on the choices page', () => {
  it('shows no cutoff rank and no band while there is no previous year\'s round', async () => {
    const [student] = await studentsOf(city.cycleId);
    const token = await api.login(student.examNo, city.password);
    const res = await api.get('/api/student/application', { token });
    expect(res.status).toBe(200);
    const schools = res.body.batches.flatMap((b: { schools: unknown[] }) => b.schools);
    expect(schools.length).toBeGreaterThan(0);
    for (const s of schools) expect(s).toMatchObject({ previousCutoffRank: null, guidance: null });
  });

  it('reads each school\'s cutoff rank in last year\'s city ranking and bands it against this year\'s rank', async () => {
    const lastYear = await studentsOf(city.previousCycleId);
    const lastRank = new Map(lastYear.map((s) => [s.examNo, bruteRank(s, lastYear)]));
    const byRank = [...lastYear].sort((a, b) => lastRank.get(a.examNo)! - lastRank.get(b.examNo)!);
    const cohort = await studentsOf(city.cycleId);
    const student = [...cohort].sort((a, b) => b.total - a.total)[900];
    const rank = bruteRank(student, cohort);
    const near = (r: number) => byRank.find((s) => lastRank.get(s.examNo)! >= r)!;
    const schools = city.city.highSchools.map((h) => h.id);
    const cutoffs = { [schools[0]]: near(Math.round(rank / 2)), [schools[1]]: near(rank), [schools[2]]: near(rank * 2) };
    await city.publishLastYear(Object.fromEntries(Object.entries(cutoffs).map(([school, s]) => [school, s.examNo])));

    const token = await api.login(student.examNo, city.password);
    const [application, overview] = await Promise.all([api.get('/api/student/application', { token }), api.get('/api/student/overview', { token })]);
    expect(application.status).toBe(200);
    expect(application.body.rank.city).toBe(rank);
    for (const body of [application.body, overview.body]) {
      const listed = new Map(body.batches.flatMap((b: { schools: { id: string }[] }) => b.schools.map((s) => [s.id, s])));
      for (const [school, cutoff] of Object.entries(cutoffs)) {
        const cutoffRank = lastRank.get(cutoff.examNo)!;
        expect(listed.get(school), school).toMatchObject({ previousCutoff: cutoff.total, previousCutoffRank: cutoffRank, guidance: guidanceBand({ rank, cutoffRank, cutoffScore: cutoff.total }) });
      }
      expect(listed.get(schools[3])).toMatchObject({ previousCutoffRank: null, guidance: null });
    }
    const listed = new Map(application.body.batches.flatMap((b: { schools: { id: string; guidance: { band: string } }[] }) => b.schools.map((s) => [s.id, s.guidance?.band])));
    expect([schools[0], schools[1], schools[2]].map((s) => listed.get(s))).toEqual(['reach', 'match', 'safe']);
  });
});
