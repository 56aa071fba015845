/**
 * The high school's admission list at scale (issue 13): paged on the server
 * (offset/limit, default 50, at most 200) with `{total, items, summary}`,
 * every filter, the search, every sort both ways, the export keeping all rows
 * and the filters, scoping, and a school with round 1 and 补录 placements
 * showing both, labelled. A seeded city, round 1 run, published and answered,
 * 补录 run and published, all through HTTP with the worker in-process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { createUser } from '../support/factories';
import { apiClient } from '../support/http';
import { seedRoundCity, type RoundCity } from '../support/rounds-city';
import { startTestServer, type TestServer } from '../support/server';

const clock = createTestClock('2030-06-01T00:00:00Z');
let server: TestServer;
let city: RoundCity;
let api: ReturnType<typeof apiClient>;
let bureauToken: string;

interface Row {
  key: string;
  round: 'main' | 'supplementary';
  rank: number;
  examNo: string;
  name: string;
  juniorSchool: { id: string; name: string };
  region: { code: string; name: string };
  seat: 'open' | 'quota' | 'reverted';
  total: number;
  confirmation: 'confirmed' | 'declined' | 'pending' | null;
  holdsSeat: boolean;
  idCardMasked: string;
}

async function startRound(body: unknown) {
  const res = await api.post('/api/rounds', body, { token: bureauToken });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  for (let i = 0; i < 600; i++) {
    const round = await api.get(`/api/rounds/${res.body.id}`, { token: bureauToken });
    if (['succeeded', 'failed', 'published'].includes(round.body.status)) return round.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('round did not finish');
}

async function publish(roundId: string) {
  const res = await api.post(`/api/rounds/${roundId}/publish`, undefined, { token: bureauToken });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function tokenFor(overrides: Parameters<typeof createUser>[1]) {
  const user = await createUser(server.prisma, overrides);
  return api.login(user.username, user.password);
}

beforeAll(async () => {
  server = await startTestServer({ worker: true, clock, env: { JWT_TTL: '30d', READ_CACHE_TTL_MS: '0' } });
  api = apiClient(server.url, { checkResponses: true });
  city = await seedRoundCity(server.prisma, { students: 1500, seed: 'admission-list' });
  const bureau = await createUser(server.prisma, { role: 'bureau' });
  bureauToken = await api.login(bureau.username, bureau.password);
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: city?.cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

describe('the admission list at scale', () => {
  /** The school with the most round-1 seats; it loses one decliner's seat to 补录. */
  let big: string;
  let other: string;
  let token: string;
  let mainCount: number;
  const who = {} as Record<'decliner' | 'confirmer' | 'unplaced', { studentId: string; examNo: string }>;

  /** Every row of the list for a query, page by page (limit 37, to cross page boundaries). */
  async function all(query = ''): Promise<{ rows: Row[]; total: number }> {
    const rows: Row[] = [];
    let total = 0;
    for (let offset = 0; offset === 0 || offset < total; offset += 37) {
      const res = await api.get(`/api/high-schools/${big}/admissions?limit=37&offset=${offset}${query ? `&${query}` : ''}`, { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      total = res.body.total;
      rows.push(...res.body.items);
      if (res.body.items.length === 0) break;
    }
    return { rows, total };
  }

  it('round 1 published and answered, then 补录 published at the same school', async () => {
    clock.set(city.at('applications_closed'));
    const main = await startRound({ kind: 'main', name: '第一轮' });
    expect(main.status).toBe('succeeded');
    clock.set(city.at('round1'));
    await publish(main.id);

    const rows = await server.prisma.roundAssignment.findMany({ where: { roundId: main.id }, select: { studentId: true, highSchoolId: true } });
    const bySchool = new Map<string, string[]>();
    for (const r of rows) if (r.highSchoolId) bySchool.set(r.highSchoolId, [...(bySchool.get(r.highSchoolId) ?? []), r.studentId]);
    const ordered = [...bySchool.entries()].sort((a, b) => b[1].length - a[1].length);
    [big, other] = [ordered[0][0], ordered[1][0]];
    mainCount = ordered[0][1].length;
    expect(mainCount).toBeGreaterThan(50);
    const students = new Map((await server.prisma.student.findMany({ where: { cycleId: city.cycleId } })).map((s) => [s.id, s]));
    const at = (id: string) => ({ studentId: id, examNo: students.get(id)!.examNo });
    who.decliner = at(ordered[0][1][0]);
    who.confirmer = at(ordered[0][1][1]);
    const unplaced = rows.filter((r) => !r.highSchoolId).sort((a, b) => students.get(b.studentId)!.total - students.get(a.studentId)!.total)[0];
    who.unplaced = at(unplaced.studentId);

    clock.set(city.at('confirmation'));
    for (const [w, decision] of [
      [who.decliner, 'declined'],
      [who.confirmer, 'confirmed'],
    ] as const) {
      const t = await tokenFor({ role: 'student', studentId: w.studentId });
      expect((await api.post(`/api/rounds/${main.id}/confirmations`, { decision }, { token: t })).status).toBe(200);
    }

    // 补录: the strongest unplaced student takes the declined seat (the school opened to everyone).
    clock.set(city.at('supplementary'));
    await server.prisma.highSchool.update({ where: { id: big }, data: { scope: 'city' } });
    await server.prisma.cycleHighSchool.updateMany({ where: { cycleId: city.cycleId, id: big }, data: { scope: 'city' } });
    await server.prisma.highSchoolPlan.updateMany({ where: { cycleId: city.cycleId, highSchoolId: big }, data: { minScore: null, minEvaluation: null } });
    const seats = await api.get('/api/rounds/supplementary/seats', { token: bureauToken });
    const batch = seats.body.schools.find((s: { school: string }) => s.school === big).batch;
    const unplacedToken = await tokenFor({ role: 'student', studentId: who.unplaced.studentId });
    const saved = await api.put('/api/student/application', { kind: 'supplementary', baseVersion: 0, choices: { [batch]: [big] } }, { token: unplacedToken });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const supplementary = await startRound({ kind: 'supplementary', name: '补录' });
    expect(supplementary.status).toBe('succeeded');
    await publish(supplementary.id);
    clock.set(city.at('registration'));
    token = await tokenFor({ role: 'high', highSchoolId: big });
  });

  it('answers one page: default 50, at most 200, total of all rows, the summary of the whole list', async () => {
    const first = await api.get(`/api/high-schools/${big}/admissions`, { token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: mainCount + 1, offset: 0, limit: 50 });
    expect(first.body.items).toHaveLength(Math.min(50, mainCount + 1));
    expect(first.body.summary).toMatchObject({ total: mainCount, main: mainCount, supplementary: 1, declined: 1, confirmed: 1 });
    expect(first.body.summary.cutoffs.admitted).toBe(mainCount);
    // Small: no 200 cards, the page is the only list of students.
    expect(JSON.stringify(first.body.summary).length).toBeLessThan(20_000);

    const { rows, total } = await all();
    expect(total).toBe(mainCount + 1);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.key)).size).toBe(total);
    // Round 1 first, then 补录, each by rank.
    expect(rows.at(-1)!.round).toBe('supplementary');
    const mainRanks = rows.filter((r) => r.round === 'main').map((r) => r.rank);
    expect(mainRanks).toEqual([...mainRanks].sort((a, b) => a - b));

    const wide = await api.get(`/api/high-schools/${big}/admissions?limit=200&offset=10`, { token });
    expect(wide.body.items.map((r: Row) => r.key)).toEqual(rows.slice(10, 210).map((r) => r.key));
    const past = await api.get(`/api/high-schools/${big}/admissions?offset=100000`, { token });
    expect(past.body).toMatchObject({ total: mainCount + 1, items: [] });

    for (const [query, field] of [
      ['limit=201', 'limit'],
      ['limit=0', 'limit'],
      ['offset=-1', 'offset'],
      ['limit=abc', 'limit'],
      ['sort=age', 'sort'],
      ['order=up', 'order'],
      ['round=third', 'round'],
    ]) {
      const bad = await api.get(`/api/high-schools/${big}/admissions?${query}`, { token, headers: { 'accept-language': 'en' } });
      expect(bad.status, query).toBe(400);
      expect(bad.body.error.field, query).toBe(field);
    }
  });

  it('shows round 1 (the decline marked) and the 补录 placement, each labelled by round', async () => {
    const { rows } = await all();
    const decliner = rows.filter((r) => r.examNo === who.decliner.examNo);
    expect(decliner.map((r) => [r.round, r.confirmation, r.holdsSeat])).toEqual([['main', 'declined', false]]);
    const placed = rows.filter((r) => r.examNo === who.unplaced.examNo);
    expect(placed.map((r) => [r.key, r.round, r.confirmation, r.holdsSeat])).toEqual([[`supplementary:${who.unplaced.examNo}`, 'supplementary', null, true]]);
    const supplementaryOnly = await all('round=supplementary');
    expect(supplementaryOnly.rows.map((r) => r.examNo)).toEqual([who.unplaced.examNo]);
    expect((await all('round=main')).total).toBe(mainCount);
  });

  it('filters by seat type, junior school, region and answer; each total matches the rows it selects', async () => {
    const { rows } = await all();
    const cases: [string, (r: Row) => boolean][] = [];
    for (const seat of ['open', 'quota', 'reverted'] as const) cases.push([`seat=${seat}`, (r) => r.seat === seat]);
    for (const c of ['confirmed', 'declined', 'pending'] as const) cases.push([`confirmation=${c}`, (r) => r.confirmation === c]);
    const junior = rows[3].juniorSchool.id;
    cases.push([`juniorSchoolId=${junior}`, (r) => r.juniorSchool.id === junior]);
    const region = rows[5].region.code;
    cases.push([`regionCode=${region}`, (r) => r.region.code === region]);
    cases.push([`seat=open&regionCode=${region}&round=main`, (r) => r.seat === 'open' && r.region.code === region && r.round === 'main']);
    for (const [query, keep] of cases) {
      const expected = rows.filter(keep).map((r) => r.key);
      const got = await all(query);
      expect(got.total, query).toBe(expected.length);
      expect(got.rows.map((r) => r.key), query).toEqual(expected);
    }
    expect(rows.some((r) => r.seat === 'quota')).toBe(true);
    // Filter options: the junior schools and regions present.
    const page = await api.get(`/api/high-schools/${big}/admissions?limit=1`, { token });
    expect(page.body.juniorSchools.map((j: { id: string }) => j.id).sort()).toEqual([...new Set(rows.map((r) => r.juniorSchool.id))].sort());
    expect(page.body.regions.map((r: { code: string }) => r.code).sort()).toEqual([...new Set(rows.map((r) => r.region.code))].sort());
  });

  it('searches the start of an exam number or part of a name; an ID number finds nothing', async () => {
    const { rows } = await all();
    const target = rows[7];
    const byExam = await all(`q=${target.examNo.slice(0, -1)}`);
    expect(byExam.rows.every((r) => r.examNo.startsWith(target.examNo.slice(0, -1)) || r.name.includes(target.examNo.slice(0, -1)))).toBe(true);
    expect(byExam.rows.map((r) => r.key)).toContain(target.key);
    expect((await all(`q=${target.examNo.toLowerCase()}`)).rows.map((r) => r.key)).toContain(target.key);
    // The middle of an exam number is not its start.
    expect((await all(`q=${target.examNo.slice(3)}`)).rows.map((r) => r.key)).not.toContain(target.key);
    const byName = await all(`q=${encodeURIComponent(target.name)}`);
    expect(byName.rows.map((r) => r.key)).toContain(target.key);
    expect(byName.rows.every((r) => r.name.includes(target.name))).toBe(true);
    const student = await server.prisma.student.findFirstOrThrow({ where: { examNo: target.examNo, cycleId: city.cycleId } });
    expect((await all(`q=${student.idCardNo}`)).total).toBe(0);
  });

  it('sorts by rank, score, name and junior school, both ways, over all pages', async () => {
    const collator = new Intl.Collator('zh-CN');
    const ordered = (rows: Row[], key: (a: Row, b: Row) => number) => rows.every((r, i) => i === 0 || key(rows[i - 1], r) <= 0);
    const rank = await all('sort=rank');
    expect(rank.rows.map((r) => r.rank)).toEqual([...rank.rows.map((r) => r.rank)].sort((a, b) => a - b));
    expect(rank.rows[0].rank).toBe(1);
    const rankDesc = await all('sort=rank&order=desc');
    expect(rankDesc.rows.map((r) => r.key)).toEqual([...rank.rows].reverse().map((r) => r.key));
    const scoreDesc = await all('sort=score&order=desc');
    expect(ordered(scoreDesc.rows, (a, b) => b.total - a.total)).toBe(true);
    const scoreAsc = await all('sort=score');
    expect(ordered(scoreAsc.rows, (a, b) => a.total - b.total)).toBe(true);
    const name = await all('sort=name');
    expect(ordered(name.rows, (a, b) => collator.compare(a.name, b.name))).toBe(true);
    const nameDesc = await all('sort=name&order=desc');
    expect(ordered(nameDesc.rows, (a, b) => collator.compare(b.name, a.name))).toBe(true);
    const junior = await all('sort=junior&order=desc');
    expect(ordered(junior.rows, (a, b) => collator.compare(b.juniorSchool.name, a.juniorSchool.name))).toBe(true);
    // Rank follows the total: a higher total never ranks below a lower one.
    expect(ordered(rank.rows, (a, b) => b.total - a.total)).toBe(true);
    for (const r of [rank, scoreDesc, name, junior]) expect(r.total).toBe(mainCount + 1);
  });

  it('exports every row the filters select, in the order asked, as Excel or CSV', async () => {
    const filtered = await all('seat=open&sort=score&order=desc');
    const csv = await fetch(`${server.url}/api/high-schools/${big}/admissions/export?seat=open&sort=score&order=desc&format=csv&limit=5&offset=3`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(decodeURIComponent(csv.headers.get('content-disposition') ?? '')).toMatch(/录取名单-.+\.csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split(/\r?\n/);
    expect(lines[0]).toContain('准考证号');
    // Paging does not apply to the export: every row, same order as the list.
    expect(lines.length - 1).toBe(filtered.total);
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(filtered.rows.map((r) => r.examNo));
    const xlsx = await fetch(`${server.url}/api/high-schools/${big}/admissions/export?round=supplementary`, { headers: { authorization: `Bearer ${token}` } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const bad = await fetch(`${server.url}/api/high-schools/${big}/admissions/export?format=pdf`, { headers: { authorization: `Bearer ${token}` } });
    expect(bad.status).toBe(400);
  });

  it('is scoped: another school and a junior school are refused, the bureau reads it', async () => {
    const otherToken = await tokenFor({ role: 'high', highSchoolId: other });
    // Another school's list is outside the caller's scope: answered like a school that does not exist.
    expect((await api.get(`/api/high-schools/${big}/admissions`, { token: otherToken })).status).toBe(404);
    expect((await api.get(`/api/high-schools/${big}/admissions/export?format=csv`, { token: otherToken })).status).toBe(404);
    const ownOther = await api.get(`/api/high-schools/${other}/admissions?limit=200`, { token: otherToken });
    expect(ownOther.status).toBe(200);
    const bigKeys = new Set((await all()).rows.map((r) => r.examNo));
    expect(ownOther.body.items.some((r: Row) => bigKeys.has(r.examNo))).toBe(false);
    const junior = await tokenFor({ role: 'junior', juniorSchoolId: ownOther.body.items[0].juniorSchool.id });
    expect((await api.get(`/api/high-schools/${big}/admissions`, { token: junior })).status).toBe(403);
    expect((await api.get(`/api/high-schools/${big}/admissions`)).status).toBe(401);
    const bureau = await api.get(`/api/high-schools/${big}/admissions?limit=1`, { token: bureauToken });
    expect(bureau.status).toBe(200);
    expect(bureau.body.total).toBe(mainCount + 1);
  });
});
