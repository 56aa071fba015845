import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { apiClient } from '../support/http';
import { createAccount } from '../support/factories';
import { seedCity, type City } from '../support/oversight-seed';
import { startTestServer, type TestServer } from '../support/server';
import { createStudentWorld, type StudentWorld } from '../support/student-world';
import { DESKTOP, PHONE, horizontalOverflow, openBrowser, screenshot } from './support/browser';

/**
 * Screens in people's words (issue 13) in Chromium: the flag page shows
 * schools, students and regions by name (the raw JSON only behind "technical
 * details"), the audit log shows who by name and role and what in words (a
 * student's save among them), and the sign-in page links to the complaint
 * form, whose receipt is a short number. Screenshots:
 * test-artifacts/screenshots/readable-*.png.
 */

const CLIENT_INDEX = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
const clock = createTestClock();
let server: TestServer;
let city: City;
let world: StudentWorld;
let detection: { id: string };
const accounts: Record<'bureau' | 'auditor', { username: string; password: string; displayName: string }> = {} as never;

beforeAll(async () => {
  if (!existsSync(CLIENT_INDEX)) throw new Error('dist/client is missing: run `npm run build:client` first');
  server = await startTestServer({ worker: true, clock });
  city = await seedCity(server.prisma, { irregular: true, active: true });
  accounts.bureau = await createAccount(server.prisma, 'bureau', { displayName: '市教育局 王科长' });
  accounts.auditor = await createAccount(server.prisma, 'auditor', { displayName: '督导 李老师' });
  detection = await server.queues.enqueue('flags.detect', { cycleId: city.cycleId, reason: 'manual' });
}, 120_000);

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: { in: [city?.cycleId, world?.cycle.id].filter(Boolean) as string[] } }, data: { status: 'archived' } });
  await server?.stop();
});

async function login(page: Page, who: 'bureau' | 'auditor') {
  await page.goto(`${server.url}/login`);
  await page.locator('#login-username').fill(accounts[who].username);
  await page.locator('#login-password').fill(accounts[who].password);
  await page.locator('form button[type="submit"], [data-test="login-submit"]').first().click();
  await page.waitForURL((url) => url.pathname.startsWith(`/${who}`) && url.pathname !== '/login');
}

async function flagsDetected() {
  for (let i = 0; i < 300; i++) {
    if ((await server.prisma.flag.count({ where: { cycleId: city.cycleId } })) >= 5) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const job = await server.queues.queue('flags').getJob(detection.id);
  throw new Error(`flags were not detected: ${job?.failedReason ?? (await job?.getState())}`);
}

describe('readable views in the browser', { timeout: 180_000 }, () => {
  it('links the complaint form from the sign-in page; the receipt is a short number (phone)', async () => {
    const browser = await openBrowser(PHONE);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/login`);
      const link = page.locator('[data-test="to-complaint"]');
      await expect(link.textContent()).resolves.toContain('举报提前招生');
      await screenshot(page, 'readable-login-phone');
      await link.click();
      await page.waitForURL((url) => url.pathname === '/complaint');
      await page.locator('[data-test="complaint-school-name"]').fill('民办英才学校');
      await page.locator('[data-test="complaint-contact"]').fill('13800138000');
      await page.locator('[data-test="complaint-description"]').fill('五月份学校老师打电话说已经提前录取，要求交定金。');
      await page.locator('[data-test="complaint-submit"]').click();
      const done = page.locator('[data-test="complaint-done"]');
      await done.waitFor();
      const text = (await done.textContent()) ?? '';
      const number = /TS-[0-9A-Z]{4}-[0-9A-Z]{2}/.exec(text)?.[0];
      expect(number, text).toBeTruthy();
      expect(await server.prisma.complaint.count({ where: { number } })).toBe(1);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'readable-complaint-number-phone');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('shows flag evidence with names, not codes; the raw JSON only behind technical details', async () => {
    await flagsDetected();
    const { prisma } = server;
    // k0: admitted at the county school, registered by the city school.
    const flag = await prisma.flag.findFirstOrThrow({ where: { cycleId: city.cycleId, rule: 'enrolled_without_admission', studentIds: { has: city.students.k0.id } } });
    const registeredAt = await prisma.highSchool.findUniqueOrThrow({ where: { id: city.schools.cityPublic } });
    const admittedAt = await prisma.highSchool.findUniqueOrThrow({ where: { id: city.schools.countyPublic } });
    const student = await prisma.student.findUniqueOrThrow({ where: { id: flag.studentIds[0] } });
    const county = await prisma.region.findUniqueOrThrow({ where: { code: city.regions.county } });

    const browser = await openBrowser(DESKTOP);
    try {
      const { page } = browser;
      await login(page, 'bureau');
      await page.goto(`${server.url}/bureau/flags`);
      const card = page.locator('[data-test="flag-item"][data-rule="enrolled_without_admission"]').filter({ hasText: student.name });
      await card.waitFor();
      await expect(card.locator('[data-test="flag-schools"]').textContent()).resolves.toContain(registeredAt.name);
      await expect(card.locator('[data-test="flag-summary"]').textContent()).resolves.toContain(student.name);
      await screenshot(page, 'readable-flags');
      await card.locator('[data-test="flag-open"]').click();
      const evidence = page.locator('[data-test="flag-evidence"]');
      await evidence.waitFor();
      const shown = await evidence.innerText();
      for (const words of ['学生', student.name, '注册学校', registeredAt.name, '录取学校', admittedAt.name, '学生所在区县', county.name, '第一轮录取']) {
        expect(shown).toContain(words);
      }
      // No JSON keys or bare codes as the story; they are in the technical details, closed.
      expect(shown).not.toMatch(/admittedAt|registeredAt|registrationId/);
      expect(shown).not.toContain(`：${city.schools.cityPublic}`);
      const raw = page.locator('[data-test="flag-raw"]');
      expect(await raw.locator('pre').isVisible()).toBe(false);
      await screenshot(page, 'readable-flag-detail');
      await raw.locator('summary').click();
      await expect(raw.locator('pre').innerText()).resolves.toContain('"admittedAt"');
      await screenshot(page, 'readable-flag-detail-technical');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('shows the audit log by name and in words: a student save, a flag review (phone)', async () => {
    const { prisma } = server;
    // The bureau reviews a flag; a student of a year in its application window saves choices.
    const api = apiClient(server.url);
    const flag = await prisma.flag.findFirstOrThrow({ where: { cycleId: city.cycleId, rule: 'out_of_scope_enrollment' } });
    const bureauToken = await api.login(accounts.bureau.username, accounts.bureau.password);
    expect((await api.post(`/api/flags/${flag.id}/review`, { status: 'confirmed', note: '已核实' }, { token: bureauToken })).status).toBe(200);
    await prisma.cycle.update({ where: { id: city.cycleId }, data: { status: 'archived' } });
    world = await createStudentWorld(prisma, { start: new Date(Date.now() - 25 * 86_400_000) });
    const studentToken = await api.login(world.account.username, world.account.password);
    const saved = await api.put('/api/student/application', { baseVersion: 0, choices: { '1': [world.schools.first.id] } }, { token: studentToken });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const reviewedSchool = await prisma.highSchool.findUniqueOrThrow({ where: { id: city.schools.cityPrivate } });

    const browser = await openBrowser(PHONE);
    try {
      const { page } = browser;
      await login(page, 'auditor');
      await page.goto(`${server.url}/auditor/audit`);
      const list = page.locator('[data-test="audit-list"]');
      await list.locator('[data-test="audit-entry"]').first().waitFor();
      const save = list.locator('[data-test="audit-entry"][data-action="application.save"]').first();
      await expect(save.locator('[data-test="audit-action"]').innerText()).resolves.toBe('保存志愿');
      await expect(save.locator('[data-test="audit-actor"]').innerText()).resolves.toContain(`${world.student.name}（学生`);
      await expect(save.locator('[data-test="audit-subject"]').innerText()).resolves.toBe(world.student.name);
      const review = list.locator('[data-test="audit-entry"][data-action="flag.review"]').first();
      await expect(review.locator('[data-test="audit-action"]').innerText()).resolves.toBe('审核违规线索');
      await expect(review.locator('[data-test="audit-actor"]').innerText()).resolves.toContain('市教育局 王科长（教育局）');
      await expect(review.locator('[data-test="audit-subject"]').innerText()).resolves.toContain(reviewedSchool.name);
      // No user ids or action codes in what is shown; no ID number at all.
      const visible = await list.innerText();
      expect(visible).not.toContain(world.account.id);
      expect(visible).not.toMatch(/application\.save|flag\.review/);
      expect(await page.content()).not.toContain(world.student.idCardNo);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'readable-audit-phone');

      // Filter by actor (the student's name) and action.
      await page.locator('[data-test="audit-filter-actor"]').fill(world.student.name);
      await page.locator('[data-test="audit-filter-submit"]').click();
      await expect.poll(() => list.locator('[data-test="audit-entry"][data-action="flag.review"]').count()).toBe(0);
      await list.locator('[data-test="audit-entry"][data-action="application.save"]').first().waitFor();
      for (const actor of await list.locator('[data-test="audit-actor"]').allInnerTexts()) expect(actor).toContain(world.student.name);
      await screenshot(page, 'readable-audit-filtered-phone');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
