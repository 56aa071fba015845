import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock, type TestClock } from '../support/clock';
import { seedSchoolPortalCity, type SchoolPortalCity } from '../support/school-portal-fixture';
import { startTestServer, type TestServer } from '../support/server';
import { DESKTOP, PHONE, horizontalOverflow, openBrowser, screenshot, type OpenBrowser } from './support/browser';

/**
 * The school portals (issue 6) in Chromium against the real server: the
 * high-school admission list with filters, search, cutoffs and the Excel
 * download; registration with a refused student; the junior-school status
 * page. Needs `npm run build:client` first.
 */

let server: TestServer;
let clock: TestClock;
let city: SchoolPortalCity;

beforeAll(async () => {
  clock = createTestClock();
  server = await startTestServer({ clock });
  city = await seedSchoolPortalCity(server.prisma);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

async function withBrowser(options: Parameters<typeof openBrowser>[0], body: (browser: OpenBrowser) => Promise<void>) {
  const browser = await openBrowser(options);
  try {
    await body(browser);
    expect(browser.errors).toEqual([]);
  } finally {
    await browser.close();
  }
}

async function login(page: Page, user: { username: string; password: string }, home: string) {
  await page.goto(`${server.url}/login`);
  try {
    await page.locator('#login-username').waitFor();
  } catch (error) {
    await screenshot(page, 'school-login-failure');
    throw new Error(`login page did not show at ${page.url()}: ${String(error)}`);
  }
  await page.locator('#login-username').fill(user.username);
  await page.locator('#login-password').fill(user.password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(`${server.url}${home}`);
}

const rowsOf = (page: Page) => page.locator('[data-test=admission-table] tbody tr');

describe('high-school admission list', { timeout: 120_000 }, () => {
  it('shows the list with cutoffs, filters and searches it, and downloads it as Excel', async () => {
    clock.set(city.during('confirmation'));
    await withBrowser({ ...DESKTOP, acceptDownloads: true }, async ({ page }) => {
      await login(page, city.users.highUser, '/high');
      await page.locator('[data-test=nav-admissions]').click();
      await page.waitForURL(`${server.url}/high/admissions`);
      // The summary is one line; the cutoffs unfold from it, the quota cutoffs per junior school from there.
      await page.locator('[data-test=summary-toggle]').click();
      await page.locator('[data-test=cutoff-cards]').waitFor();
      await expect(page.locator('[data-test=cutoff-open]').textContent()).resolves.toContain('640');
      await page.locator('[data-test=quota-cutoffs] summary').click();
      await expect(page.locator('[data-test=cutoff-quota]').textContent()).resolves.toContain('600');
      await expect(rowsOf(page).count()).resolves.toBe(3);
      const tableText = (await page.locator('[data-test=admission-table]').textContent()) ?? '';
      expect(tableText).toContain('张晓明');
      expect(tableText).toContain('指标回流');
      expect(tableText).not.toContain(city.students.open.idCardNo);
      await screenshot(page, 'school-high-admissions-desktop');

      // Filter by seat type (a native select).
      await page.locator('[data-test=filter-seat]').selectOption({ label: '指标生' });
      await expect.poll(() => rowsOf(page).count()).toBe(1);
      await expect(rowsOf(page).first().textContent()).resolves.toContain('李小红');
      await page.locator('[data-test=filter-seat]').selectOption({ value: '' });
      await expect.poll(() => rowsOf(page).count()).toBe(3);

      // Search by exam number.
      await page.locator('input[data-test=search]').fill(city.students.reverted.examNo);
      await expect.poll(() => rowsOf(page).count()).toBe(1);
      await page.locator('input[data-test=search]').fill('');
      await expect.poll(() => rowsOf(page).count()).toBe(3);

      // One click: the workbook arrives and holds the same students.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export]').click()]);
      expect(download.suggestedFilename()).toMatch(/^录取名单-.+\.xlsx$/);
      const path = join(tmpdir(), `school-export-${Date.now()}.xlsx`);
      await download.saveAs(path);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await readFile(path)) as unknown as ArrayBuffer);
      const examNos: string[] = [];
      workbook.worksheets[0].eachRow((row, n) => {
        if (n > 1) examNos.push(String(row.getCell(2).value));
      });
      expect(examNos).toEqual([city.students.open.examNo, city.students.quota.examNo, city.students.reverted.examNo]);
      await page.locator('[data-test=export-done]').waitFor();
    });
  });

  it('fits a phone', async () => {
    clock.set(city.during('confirmation'));
    await withBrowser(PHONE, async ({ page }) => {
      await login(page, city.users.highUser, '/high');
      await page.goto(`${server.url}/high/admissions`);
      await page.locator('[data-test=admission-summary]').waitFor();
      await expect(rowsOf(page).count()).resolves.toBe(3);
      await expect(horizontalOverflow(page)).resolves.toBe(0);
      await screenshot(page, 'school-high-admissions-phone');
    });
  });
});

describe('registration', { timeout: 120_000 }, () => {
  it('marks an admitted student enrolled, refuses one admitted elsewhere with the reason, imports a list', async () => {
    clock.set(city.during('registration'));
    const { open, elsewhere, reverted, unplaced } = city.students;
    await withBrowser(DESKTOP, async ({ page }) => {
      await login(page, city.users.highUser, '/high');
      await page.goto(`${server.url}/high/registration`);
      await page.locator(`[data-test=mark-${open.examNo}]`).click();
      await expect(page.locator('[data-test=registration-report]').textContent()).resolves.toContain('本次注册 1 人');
      await expect.poll(() => page.locator(`[data-test=mark-${open.examNo}]`).count()).toBe(0);
      // The declined student cannot be marked at all.
      await expect(page.locator(`[data-test=mark-${city.students.quota.examNo}]`).count()).resolves.toBe(0);

      await page.locator('input[data-test=typed-exam-no]').fill(elsewhere.examNo);
      await page.locator('[data-test=typed-submit]').click();
      // A refusal is a row of the report, not an error: the attempt is recorded.
      await expect.poll(async () => (await page.locator('[data-test=refused-item]').first().textContent()) ?? '').toContain('未被本校录取');
      await expect(page.locator('[data-test=refused-item]').first().textContent()).resolves.toContain(elsewhere.examNo);
      await expect(page.locator('[data-test=registration-error]').count()).resolves.toBe(0);
      await expect.poll(async () => (await page.locator('[data-test=registration-log]').textContent()) ?? '').toContain('被拒绝');

      await page.locator('[data-test=import-file]').setInputFiles({
        name: '报到名单.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`准考证号\n${reverted.examNo}\n${unplaced.examNo}\n`),
      });
      await expect.poll(async () => (await page.locator('[data-test=registration-report]').textContent()) ?? '').toContain('被拒绝 1 人');
      await expect(page.locator('[data-test=refused-item]').textContent()).resolves.toContain('未被任何学校录取');
      await screenshot(page, 'school-high-registration-desktop');

      const attempts = await server.prisma.enrollmentRegistration.findMany({ where: { cycleId: city.cycle.id, accepted: false } });
      expect(attempts.map((a) => a.examNo).sort()).toEqual([elsewhere.examNo, unplaced.examNo].sort());
    });
    await withBrowser(PHONE, async ({ page }) => {
      await login(page, city.users.highUser, '/high');
      await page.goto(`${server.url}/high/registration`);
      await page.locator('[data-test=registration-log]').waitFor();
      await expect(horizontalOverflow(page)).resolves.toBe(0);
      await screenshot(page, 'school-high-registration-phone');
    });
  });
});

describe('junior-school status page', { timeout: 120_000 }, () => {
  it('shows counts, who still has to act, quota seats and their use', async () => {
    clock.set(city.during('confirmation'));
    for (const [options, name] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      await withBrowser(options, async ({ page }) => {
        await login(page, city.users.juniorUser, '/junior');
        await page.locator('[data-test=nav-status]').click();
        await page.waitForURL(`${server.url}/junior/status`);
        await page.locator('[data-test=status-counts]').waitFor();
        await expect(page.locator('[data-test=count-total]').textContent()).resolves.toBe('4');
        await expect(page.locator('[data-test=count-not-started]').textContent()).resolves.toContain('2');
        const pending = (await page.locator('[data-test=pending-list]').textContent()) ?? '';
        expect(pending).toContain('还需填报或提交的学生（3 人）');
        expect(pending).toContain('王大力');
        expect(pending).not.toContain('张晓明');
        const quotas = (await page.locator('[data-test=quota-table]').textContent()) ?? '';
        expect(quotas).toContain(city.schools.h1.name);
        expect(quotas).toContain('合计 4 个名额');
        expect(quotas).toContain('已使用 1 个');
        await expect(page.locator('[data-test=junior-results]').textContent()).resolves.toContain('已录取 3 人');
        await expect(horizontalOverflow(page)).resolves.toBe(0);
        await screenshot(page, `school-junior-status-${name}`);
      });
    }
  });
});
