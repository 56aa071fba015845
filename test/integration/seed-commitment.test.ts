/**
 * The committed lottery seed (issue 17): the cycle publishes sha256(seed) when
 * applications open; the seed stays out of every answer until round 1 is
 * published; round 1's bundle reveals a seed whose hash is that commitment;
 * the bureau cannot change the seed after the commitment; `npm run -s
 * bundle:verify` holds on the real bundle and fails on a tampered seed,
 * result and input.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../server/domain/rounds/canonical';
import { createTestClock } from '../support/clock';
import { createUser } from '../support/factories';
import { apiClient } from '../support/http';
import { seedRoundCity, type RoundCity } from '../support/rounds-city';
import { startTestServer, type TestServer } from '../support/server';

const run = promisify(execFile);
const clock = createTestClock('2030-06-01T00:00:00Z');
/** The bureau's own seed: whatever the test sets is what round 1 must reveal. */
const SEED = `zz-test-${randomBytes(24).toString('hex')}`;
let server: TestServer;
let city: RoundCity;
let api: ReturnType<typeof apiClient>;
let bureau: string;
let county: string;
let auditor: string;
let dir: string;

async function finishedRound(body: unknown) {
  const res = await api.post('/api/rounds', body, { token: bureau });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  for (let i = 0; i < 600; i++) {
    const round = await api.get(`/api/rounds/${res.body.id}`, { token: bureau });
    if (['succeeded', 'failed'].includes(round.body.status)) {
      expect(round.body.status).toBe('succeeded');
      return round.body.id as string;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('round did not finish');
}

/** `npm run -s bundle:verify -- <file>`: exit code and output. */
async function verify(file: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run('npm', ['run', '-s', 'bundle:verify', '--', file], { cwd: process.cwd() });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

beforeAll(async () => {
  server = await startTestServer({ worker: true, clock, env: { JWT_TTL: '30d' } });
  api = apiClient(server.url);
  city = await seedRoundCity(server.prisma, { students: 150, seed: 'seed-commitment' });
  const [b, c, a] = await Promise.all([
    createUser(server.prisma, { role: 'bureau' }),
    createUser(server.prisma, { role: 'bureau', regionCode: `${city.prefix}HT` }),
    createUser(server.prisma, { role: 'auditor' }),
  ]);
  bureau = await api.login(b.username, b.password);
  county = await api.login(c.username, c.password);
  auditor = await api.login(a.username, a.password);
  dir = await mkdtemp(path.join(tmpdir(), 'seed-commitment-'));
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: city?.cycleId }, data: { status: 'archived' } });
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the committed seed', () => {
  let commitment: string;
  let mainId: string;
  let simId: string;

  it('before applications open: no commitment; the city bureau alone may set its own seed', async () => {
    clock.set(city.at('setup'));
    const current = await api.get('/api/cycles/current');
    expect(current.status).toBe(200);
    expect(current.body.seedCommitment).toBeNull();
    expect((await api.put(`/api/cycles/${city.cycleId}/seed`, { seed: SEED }, { token: county })).status).toBe(403);
    const short = await api.put(`/api/cycles/${city.cycleId}/seed`, { seed: 'guessable' }, { token: bureau });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('seed');
    const set = await api.put(`/api/cycles/${city.cycleId}/seed`, { seed: SEED }, { token: bureau });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(JSON.stringify(set.body)).not.toContain(SEED);
    clock.set(city.at('plans_published'));
    expect((await api.get('/api/cycles/current')).body.seedCommitment).toBeNull();
  });

  it('publishes sha256(seed) when applications open, audited without the seed', async () => {
    clock.set(city.at('applications_open'));
    const current = await api.get('/api/cycles/current');
    commitment = current.body.seedCommitment;
    expect(commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(current.body)).not.toContain(SEED);
    const entries = await server.prisma.auditLog.findMany({ where: { entityId: city.cycleId, action: { startsWith: 'cycle.seed' } }, orderBy: { seq: 'asc' } });
    expect(entries.map((e) => e.action)).toEqual(['cycle.seed.set', 'cycle.seed.commit']);
    expect((entries[1].after as { seedCommitment: string }).seedCommitment).toBe(commitment);
    expect(JSON.stringify(entries.map((e) => [e.before, e.after]))).not.toContain(SEED);
  });

  it('refuses to change the seed after the commitment (409), in Chinese and English', async () => {
    const zh = await api.put(`/api/cycles/${city.cycleId}/seed`, { seed: `${SEED}-later` }, { token: bureau });
    expect(zh.status).toBe(409);
    expect(zh.body.error.code).toBe('SEED_COMMITTED');
    expect(zh.body.error.message).toContain('不能再修改');
    const en = await api.put(`/api/cycles/${city.cycleId}/seed`, { seed: `${SEED}-later` }, { token: bureau, headers: { 'accept-language': 'en' } });
    expect(en.body.error.message).toContain('committed');
    clock.set(city.at('applications_closed'));
    expect((await api.put(`/api/cycles/${city.cycleId}/seed`, { seed: `${SEED}-later` }, { token: bureau })).status).toBe(409);
    expect((await server.prisma.cycle.findUniqueOrThrow({ where: { id: city.cycleId } })).seed).toBe(SEED);
  });

  it('keeps the seed out of every answer and job before round 1 is published', async () => {
    clock.set(city.at('applications_closed'));
    simId = await finishedRound({ kind: 'simulation', name: 'sim' });
    mainId = await finishedRound({ kind: 'main', name: '第一轮' });
    clock.set(city.at('round1'));
    const answers = await Promise.all([
      api.get('/api/cycles/current'),
      api.get('/api/rounds', { token: bureau }),
      api.get('/api/rounds', { token: county }),
      api.get('/api/rounds', { token: auditor }),
      api.get(`/api/rounds/${mainId}`, { token: bureau }),
      api.get(`/api/rounds/compare?a=${simId}&b=${mainId}`, { token: bureau }),
      api.get(`/api/jobs/rounds/round-${mainId}`, { token: bureau }),
      api.get(`/api/rounds/${mainId}/cutoffs`, { token: bureau }),
    ]);
    for (const res of answers) {
      expect(res.status, JSON.stringify(res.body).slice(0, 200)).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(SEED);
    }
    expect(answers[0].body.seedCommitment).toBe(commitment);
    expect(answers[4].body.seed).toBeUndefined();
    // The job carries the round's id only.
    const job = await server.queues.queue('rounds').getJob(`round-${mainId}`);
    // The job's envelope carries the round's id (and who asked), never the seed.
    expect(JSON.stringify(job?.data)).toContain(mainId);
    expect(JSON.stringify([job?.data, job?.returnvalue])).not.toContain(SEED);
    // The round ran on the committed seed.
    const stored = await server.prisma.round.findUniqueOrThrow({ where: { id: mainId } });
    expect(stored.seed).toBe(SEED);
    expect(sha256Hex(stored.seed)).toBe(commitment);
  });

  it('reveals at round 1 a seed whose sha256 is the commitment published at the opening', async () => {
    const published = await api.post(`/api/rounds/${mainId}/publish`, undefined, { token: bureau });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.seed).toBe(SEED);
    expect((await api.get('/api/cycles/current')).body.seedCommitment).toBe(commitment);
    const res = await fetch(`${server.url}/api/rounds/${mainId}/bundle`, { headers: { authorization: `Bearer ${bureau}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const bundle = JSON.parse(text);
    expect(bundle.seedCommitment).toBe(commitment);
    expect(bundle.seed).toBe(SEED);
    expect(bundle.input.seed).toBe(SEED);
    expect(sha256Hex(bundle.seed)).toBe(commitment);
    expect(sha256Hex(canonicalJson(bundle.input))).toBe(bundle.sha256.input);
    await writeFile(path.join(dir, 'bundle.json'), text);
    const publication = await server.prisma.auditLog.findFirstOrThrow({ where: { action: 'round.publish', entityId: mainId } });
    expect((publication.after as { seedCommitment: string }).seedCommitment).toBe(commitment);
  });

  it('bundle:verify holds on the real bundle, exit 0', async () => {
    const { code, out } = await verify(path.join(dir, 'bundle.json'));
    expect(code, out).toBe(0);
    expect(out).toContain('OK   seed commitment');
    expect(out).toContain('OK   re-run');
    expect(out).toContain('OK: all 5 checks hold');
  });

  it('bundle:verify fails (exit 1) on a tampered seed, result or input; exit 2 on an unreadable file', async () => {
    const real = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(path.join(dir, 'bundle.json'), 'utf8')));
    const tamper = async (name: string, change: (b: any) => void) => {
      const b = structuredClone(real);
      change(b);
      const file = path.join(dir, `${name}.json`);
      await writeFile(file, JSON.stringify(b));
      return verify(file);
    };

    // Another seed, hashes recomputed so only the commitment can tell.
    const seed = await tamper('seed', (b) => {
      b.seed = b.input.seed = `${SEED}-chosen-later`;
      b.sha256.input = sha256Hex(canonicalJson(b.input));
    });
    expect(seed.code, seed.out).toBe(1);
    expect(seed.out).toContain('FAIL seed commitment');

    // Two students placed at different schools swapped, the result hash recomputed.
    const result = await tamper('result', (b) => {
      const entries = Object.entries(b.result.assignments) as [string, { school: string }][];
      const [a, seatA] = entries[0];
      const [c, seatC] = entries.find(([, seat]) => seat.school !== seatA.school)!;
      b.result.assignments[a] = seatC;
      b.result.assignments[c] = seatA;
      b.sha256.result = sha256Hex(canonicalJson(b.result));
    });
    expect(result.code, result.out).toBe(1);
    expect(result.out).toContain('FAIL re-run');
    expect(result.out).toContain('OK   result hash');

    // One seat fewer at a school that filled seats, the input hash recomputed.
    const input = await tamper('input', (b) => {
      const [school] = Object.entries(b.result.schools as Record<string, { admitted: number }>).find(([, s]) => s.admitted > 0)!;
      const h = b.input.highSchools.find((x: { id: string }) => x.id === school);
      h.capacity = b.result.schools[school].admitted - 1;
      h.quota = {};
      b.sha256.input = sha256Hex(canonicalJson(b.input));
    });
    expect(input.code, input.out).toBe(1);
    expect(input.out).toContain('FAIL re-run');

    // The input changed without recomputing anything: its hash tells.
    const raw = await tamper('input-raw', (b) => {
      b.input.students[0].total += 1;
    });
    expect(raw.code).toBe(1);
    expect(raw.out).toContain('FAIL input hash');

    await writeFile(path.join(dir, 'broken.json'), '{"input": ');
    expect((await verify(path.join(dir, 'broken.json'))).code).toBe(2);
    expect((await verify(path.join(dir, 'missing.json'))).code).toBe(2);
  });

  it('a new cycle gets a crypto-random secret seed (256 bits) unless the bureau gives one', async () => {
    const windows = ['setup', 'plans_published', 'applications_open', 'applications_closed', 'round1', 'confirmation', 'supplementary', 'registration', 'closed'].map((phase, i) => ({
      phase,
      opensAt: new Date(Date.UTC(2031, 0, 1 + i)).toISOString(),
      closesAt: new Date(Date.UTC(2031, 0, 2 + i)).toISOString(),
    }));
    clock.set(new Date('2030-12-01T00:00:00Z'));
    const year = 5_000 + Math.floor(Math.random() * 4_000);
    const again = await createUser(server.prisma, { role: 'bureau' });
    const token = await api.login(again.username, again.password);
    const created = await api.post('/api/cycles', { year, name: '种子测试年度', windows }, { token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.seedCommitment).toBeNull();
    const row = await server.prisma.cycle.findUniqueOrThrow({ where: { year } });
    expect(row.seed).toMatch(new RegExp(`^zz-${year}-[0-9a-f]{64}$`));
    expect(JSON.stringify(created.body)).not.toContain(row.seed);
    await server.prisma.cycle.update({ where: { id: row.id }, data: { status: 'archived' } });
  });
});
