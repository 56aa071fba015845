/**
 * Screens in people's words (issue 13): flag evidence as labelled facts with
 * names, the audit log with names and the students' saves, confirmations and
 * declines in it (never an ID number), names in round comparisons, and a
 * complaint's short receipt number. Through the real API, with the worker
 * running in-process for flag detection and rounds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLAINT_NUMBER_PATTERN } from '../../server/domain/flags/complaint-number';
import { maskIdNumber } from '../../server/services/audit.service';
import { NO_PASSWORD_HASH } from '../../server/services/passwords';
import { createTestClock } from '../support/clock';
import { createAccount, createUser } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { seedCity, type City } from '../support/oversight-seed';
import { seedRoundCity, type RoundCity } from '../support/rounds-city';
import { startTestServer, type TestServer } from '../support/server';
import { createStudentWorld, publishRound, type StudentWorld } from '../support/student-world';

const clock = createTestClock('2030-06-01T00:00:00Z');
let server: TestServer;
let api: ApiClient;
const cycles: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ worker: true, clock, env: { JWT_TTL: '30d', COMPLAINT_RATE_LIMIT: '1000' } });
  api = apiClient(server.url);
}, 120_000);

afterAll(async () => {
  // Leave no active cycle behind for the files that run after this one.
  await server?.prisma.cycle.updateMany({ where: { id: { in: cycles } }, data: { status: 'archived' } });
  await server?.stop();
});

async function waitForJob(token: string, queue: string, id: string) {
  for (let i = 0; i < 300; i++) {
    const res = await api.get(`/api/jobs/${queue}/${id}`, { token });
    if (res.body.state === 'completed') return res.body;
    if (res.body.state === 'failed') throw new Error(`job failed: ${res.body.failedReason}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

const factText = (flag: { facts: { label: { zh: string; en: string }; value: { zh: string; en: string } }[] }, lang: 'zh' | 'en' = 'zh') =>
  flag.facts.map((f) => `${f.label[lang]}: ${f.value[lang]}`).join('\n');

describe('flag evidence in people words', () => {
  let city: City;
  let bureau: string;

  beforeAll(async () => {
    const { prisma } = server;
    city = await seedCity(prisma, { irregular: true, active: true });
    cycles.push(city.cycleId);
    // A no-show: c2 was placed at the county school, did not confirm, and turns up at the private city school.
    const round = await prisma.round.findFirstOrThrow({ where: { cycleId: city.cycleId, kind: 'main' } });
    await prisma.roundAssignment.create({ data: { roundId: round.id, studentId: city.students.c2.id, highSchoolId: city.schools.countyPublic, seat: 'open', batch: 1 } });
    await prisma.enrollmentRegistration.create({
      data: {
        cycleId: city.cycleId,
        highSchoolId: city.schools.cityPrivate,
        examNo: city.students.c2.examNo,
        studentId: city.students.c2.id,
        source: 'manual',
        accepted: true,
        registeredAt: new Date('2026-08-26'),
      },
    });
    bureau = await api.login(...(await createAccount(prisma, 'bureau').then((u) => [u.username, u.password] as const)));
    const complaint = await api.post('/api/complaints', {
      highSchoolId: city.schools.cityPrivate,
      schoolName: '民办英才学校',
      contact: '13800138000',
      description: '中考前学校承诺提前录取，并要求先交定金。',
    });
    expect(complaint.status).toBe(201);
    const job = await server.queues.enqueue('flags.detect', { cycleId: city.cycleId, reason: 'manual' });
    await waitForJob(bureau, 'flags', job.id);
  });

  it('names the schools, students and regions of every rule, in both languages; the raw evidence stays beside', async () => {
    const { prisma } = server;
    const res = await api.get(`/api/flags?cycleId=${city.cycleId}&limit=200`, { token: bureau });
    expect(res.status).toBe(200);
    const flags = res.body.items as any[];
    expect(new Set(flags.map((f) => f.rule))).toEqual(
      new Set(['enrolled_without_admission', 'out_of_scope_enrollment', 'top_student_outflow', 'quota_eligibility_shopping', 'early_offer', 'no_show_elsewhere']),
    );
    const schools = new Map((await prisma.highSchool.findMany({ where: { id: { in: Object.values(city.schools) } } })).map((h) => [h.id, h.name]));
    const juniors = new Map((await prisma.juniorSchool.findMany({ where: { id: { in: Object.values(city.juniors) } } })).map((j) => [j.id, j.name]));
    const regions = new Map((await prisma.region.findMany({ where: { code: { in: Object.values(city.regions) } } })).map((r) => [r.code, r]));
    const students = new Map((await prisma.student.findMany({ where: { cycleId: city.cycleId } })).map((s) => [s.id, s]));
    for (const flag of flags) {
      const zh = factText(flag);
      const en = factText(flag, 'en');
      expect(flag.facts.length, flag.rule).toBeGreaterThan(1);
      expect(flag.evidence, 'raw evidence kept').toEqual(expect.any(Object));
      // Every school and student the flag is about, by name, in the facts; and in the card's school list.
      for (const id of flag.highSchoolIds) {
        expect(zh, `${flag.rule}: school ${id}`).toContain(schools.get(id));
        expect(flag.schools).toContainEqual({ id, name: schools.get(id) });
      }
      for (const id of flag.studentIds) expect(zh, `${flag.rule}: student`).toContain(students.get(id)!.name);
      // Region codes only ever as names (zh and en).
      for (const code of (flag.evidence.regionCodes ?? []) as string[]) {
        expect(zh).toContain(regions.get(code)!.name);
        expect(en).toContain(regions.get(code)!.nameEn);
      }
      // Labels are words, not JSON keys; no registration or complaint ids; no ID numbers.
      for (const f of flag.facts) expect(f.label.zh, f.key).toMatch(/[\u4e00-\u9fff]/);
      expect(zh).not.toMatch(/admittedAt|registeredAt|registrationId|complaintId/);
      for (const s of students.values()) expect(zh).not.toContain(s.idCardNo);
    }
    const shopping = flags.find((f) => f.rule === 'quota_eligibility_shopping');
    expect(factText(shopping)).toContain(juniors.get(city.juniors.countySmall));
    expect(factText(shopping)).toContain(juniors.get(city.juniors.county));
    const noShow = flags.find((f) => f.rule === 'no_show_elsewhere');
    expect(noShow.facts.find((f: any) => f.key === 'confirmation').value.zh).toBe('未确认');
    expect(noShow.facts.find((f: any) => f.key === 'admittedRoundId').value.zh).toMatch(/^第一轮录取/);

    // The detail carries the same facts.
    const detail = await api.get(`/api/flags/${noShow.id}`, { token: bureau });
    expect(detail.status).toBe(200);
    expect(detail.body.facts).toEqual(noShow.facts);
  });
});

describe('complaint receipt numbers', () => {
  it('gives each complaint a short number, unique over 200; the bureau finds the flag by it', async () => {
    const current = await server.prisma.cycle.findFirst({ where: { status: 'active' }, orderBy: { year: 'desc' } });
    const numbers: string[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await api.post('/api/complaints', { schoolName: `某民办学校${i}`, contact: '13800138000', description: `第 ${i} 份举报：学校在规定时间之前承诺录取。` });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.number).toMatch(COMPLAINT_NUMBER_PATTERN);
      numbers.push(res.body.number);
    }
    expect(new Set(numbers).size).toBe(200);
    expect(numbers[0].length).toBe(10);
    const stored = await server.prisma.complaint.findMany({ where: { number: { in: numbers } }, select: { number: true } });
    expect(stored).toHaveLength(200);

    const bureau = await createAccount(server.prisma, 'bureau');
    const token = await api.login(bureau.username, bureau.password);
    const typed = numbers[7].toLowerCase().replace(/-/g, ' ');
    const found = await api.get(`/api/flags?cycleId=${current!.id}&complaint=${encodeURIComponent(typed)}`, { token });
    expect(found.status).toBe(200);
    expect(found.body.items).toHaveLength(1);
    const detail = await api.get(`/api/flags/${found.body.items[0].id}`, { token });
    expect(detail.body.complaints.map((c: any) => c.number)).toContain(numbers[7]);
    const none = await api.get(`/api/flags?cycleId=${current!.id}&complaint=TS-XXXX-XX`, { token });
    expect(none.body.items).toHaveLength(0);
  });
});

describe('audit log with names: saves, confirmations, declines', () => {
  let world: StudentWorld;
  let auditor: string;

  beforeAll(async () => {
    const { prisma } = server;
    world = await createStudentWorld(prisma);
    cycles.push(world.cycle.id);
  });

  it('records a save, a confirmation and a decline with the student by name, never an ID number; the chain stays valid', async () => {
    const { prisma } = server;
    clock.set(world.during('applications_open'));
    const token = await api.login(world.account.username, world.account.password);
    const saved = await api.put('/api/student/application', { baseVersion: 0, choices: { '1': [world.schools.first.id] } }, { token });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // A stale save changes nothing and writes no entry.
    const stale = await api.put('/api/student/application', { baseVersion: 0, choices: { '1': [world.schools.second.id] } }, { token });
    expect(stale.status).toBe(409);

    const round = await publishRound(prisma, world, { at: world.during('round1') });
    await prisma.roundAssignment.updateMany({ where: { roundId: round.id, studentId: world.student2.id }, data: { highSchoolId: world.schools.first.id, seat: 'open', batch: 1 } });
    clock.set(world.during('confirmation'));
    const t1 = await api.login(world.account.username, world.account.password);
    const t2 = await api.login(world.account2.username, world.account2.password);
    expect((await api.post(`/api/rounds/${round.id}/confirmations`, { decision: 'confirmed' }, { token: t1 })).status).toBe(200);
    expect((await api.post(`/api/rounds/${round.id}/confirmations`, { decision: 'declined' }, { token: t2 })).status).toBe(200);
    // A second answer is refused and leaves no entry.
    expect((await api.post(`/api/rounds/${round.id}/confirmations`, { decision: 'declined' }, { token: t1 })).status).toBe(409);

    const auditorUser = await createUser(prisma, { role: 'auditor' });
    auditor = await api.login(auditorUser.username, auditorUser.password);
    const saves = await api.get(`/api/audit?action=application.save&actor=${encodeURIComponent(world.account.username)}`, { token: auditor });
    expect(saves.status).toBe(200);
    expect(saves.body.items).toHaveLength(1);
    expect(saves.body.items[0]).toMatchObject({
      action: 'application.save',
      actor: { name: world.student.name, role: 'student', username: world.account.username },
      subject: world.student.name,
      after: { kind: 'main', version: 1 },
    });

    const answers = await api.get('/api/audit?action=confirmation.&limit=200', { token: auditor });
    const mine = answers.body.items.filter((e: any) => [world.account.id, world.account2.id].includes(e.actorId));
    expect(mine.map((e: any) => [e.action, e.actor.name, e.subject])).toEqual([
      ['confirmation.decline', world.student2.name, world.student2.name],
      ['confirmation.confirm', world.student.name, world.student.name],
    ]);
    expect(mine[0].after).toMatchObject({ roundId: round.id, decision: 'declined', highSchoolId: world.schools.first.id });

    // By actor name too (part of the display name).
    const byName = await api.get(`/api/audit?actor=${encodeURIComponent(world.student2.name)}&action=confirmation.`, { token: auditor });
    expect(byName.body.items.map((e: any) => e.action)).toEqual(['confirmation.decline']);

    // No ID number, whole or masked, in any of it.
    const text = JSON.stringify([saves.body, answers.body, byName.body]);
    for (const s of [world.student, world.student2]) {
      expect(text).not.toContain(s.idCardNo);
      expect(text).not.toContain(maskIdNumber(s.idCardNo));
    }

    const chain = await api.get('/api/audit/verify', { token: auditor });
    expect(chain.body).toMatchObject({ ok: true, broken: null });
  });

  it("shows the junior school which of its students' accounts are activated", async () => {
    const { prisma } = server;
    await prisma.user.update({ where: { id: world.account2.id }, data: { passwordHash: NO_PASSWORD_HASH } });
    const junior = await createUser(prisma, { role: 'junior', juniorSchoolId: world.junior.id, regionCode: world.junior.regionCode });
    const token = await api.login(junior.username, junior.password);
    const res = await api.get(`/api/junior-schools/${world.junior.id}/status`, { token });
    expect(res.status).toBe(200);
    const activated = Object.fromEntries(res.body.students.map((s: any) => [s.examNo, s.activated]));
    expect(activated).toEqual({ [world.student.examNo]: true, [world.student2.examNo]: false });
  });

  it('a save is kept in its own append-only record, not in the hash chain, and the audit log shows it from there', async () => {
    // Saves left the chain (issue 14): its global lock, held through each commit, serialised deadline night.
    expect(await server.prisma.auditLog.count({ where: { action: 'application.save', actorId: world.account.id } })).toBe(0);
    const versions = await server.prisma.applicationVersion.findMany({ where: { savedBy: world.account.id } });
    expect(versions).toHaveLength(1);
    const shown = await api.get(`/api/audit?action=application.&actorId=${world.account.id}`, { token: auditor });
    expect(shown.body.total).toBe(1);
    expect(shown.body.items[0]).toMatchObject({
      id: `v:${versions[0].id}`,
      seq: null,
      hash: null,
      at: versions[0].savedAt.toISOString(),
      actorRole: 'student',
      entity: 'Application',
      entityId: versions[0].applicationId,
    });
    // Filters that cannot match a save leave the saves out; the chain still verifies.
    const flags = await api.get(`/api/audit?action=confirmation.&actorId=${world.account.id}`, { token: auditor });
    expect(flags.body.items.map((e: any) => e.action)).toEqual(['confirmation.confirm']);
    expect((await api.get('/api/audit/verify', { token: auditor })).body).toMatchObject({ ok: true });
  });
});

describe('round comparison by name', () => {
  let city: RoundCity;

  it('answers the names of the schools and junior schools it compares, as they stood in the year', async () => {
    const { prisma } = server;
    city = await seedRoundCity(prisma, { students: 200, seed: 'readable-compare' });
    cycles.push(city.cycleId);
    // Renamed since: the comparison shows the year's name, not today's.
    const renamed = city.highSchoolIds[0];
    await prisma.highSchool.update({ where: { id: renamed }, data: { name: '今天的新名字' } });
    const bureau = await createUser(prisma, { role: 'bureau' });
    clock.set(city.at('applications_closed'));
    const token = await api.login(bureau.username, bureau.password);
    const ids: string[] = [];
    for (const quotaPrecedence of ['openFirst', 'quotaFirst']) {
      const res = await api.post('/api/rounds', { kind: 'simulation', name: quotaPrecedence, policy: { quotaPrecedence } }, { token });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await waitForJob(token, 'rounds', `round-${res.body.id}`);
      ids.push(res.body.id);
    }
    const res = await api.get(`/api/rounds/compare?a=${ids[0]}&b=${ids[1]}`, { token });
    expect(res.status).toBe(200);
    const yearHigh = new Map((await prisma.cycleHighSchool.findMany({ where: { cycleId: city.cycleId } })).map((h) => [h.id, h.name]));
    const yearJunior = new Map((await prisma.cycleJuniorSchool.findMany({ where: { cycleId: city.cycleId } })).map((j) => [j.id, j.name]));
    expect(Object.keys(res.body.cutoffs).length).toBeGreaterThan(0);
    for (const id of Object.keys(res.body.cutoffs)) expect(res.body.names.highSchools[id]).toBe(yearHigh.get(id));
    expect(Object.keys(res.body.quotaUsed).length).toBeGreaterThan(0);
    for (const id of Object.keys(res.body.quotaUsed)) expect(res.body.names.juniorSchools[id]).toBe(yearJunior.get(id));
    expect(res.body.names.highSchools[renamed]).not.toBe('今天的新名字');
    const students = new Map((await prisma.student.findMany({ where: { cycleId: city.cycleId } })).map((s) => [s.examNo, s.name]));
    for (const m of res.body.moved) expect(res.body.names.students[m.student]).toBe(students.get(m.student));
  });
});
