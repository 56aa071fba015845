import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../support/factories';
import { seedCity, type City } from '../support/oversight-seed';
import { startTestServer, type TestServer } from '../support/server';
import { DESKTOP, PHONE, horizontalOverflow, openBrowser, screenshot } from './support/browser';

/**
 * Oversight pages in Chromium against the real server: the public complaint
 * form, the bureau's flag review (run detection, open a flag, confirm it with
 * a note), the auditor's read-only view and the dashboards, on a desktop and
 * a 375 px phone. Screenshots: test-artifacts/screenshots/oversight-*.png.
 */

const CLIENT_INDEX = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
let server: TestServer;
let city: City;
const accounts: Record<'bureau' | 'auditor', { username: string; password: string }> = {} as never;

beforeAll(async () => {
  if (!existsSync(CLIENT_INDEX)) throw new Error('dist/client is missing: run `npm run build:client` first');
  server = await startTestServer({ worker: true });
  city = await seedCity(server.prisma, { irregular: true, active: true });
  accounts.bureau = await createAccount(server.prisma, 'bureau');
  accounts.auditor = await createAccount(server.prisma, 'auditor');
}, 120_000);

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: city?.cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

async function login(page: Page, who: 'bureau' | 'auditor') {
  await page.goto(`${server.url}/login`);
  await page.locator('#login-username').fill(accounts[who].username);
  await page.locator('#login-password').fill(accounts[who].password);
  await page.locator('form button[type="submit"], [data-test="login-submit"]').first().click();
  await page.waitForURL((url) => url.pathname.startsWith(`/${who}`) && url.pathname !== "/login");
}

describe('oversight in the browser', { timeout: 120_000 }, () => {
  it('takes a complaint on the public page, on a phone', async () => {
    const browser = await openBrowser(PHONE);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/complaint`);
      await page.getByText('提前招生举报').first().waitFor();
      await page.locator('[data-test="complaint-submit"]').click();
      await expect(page.locator('[data-test="complaint-error"]').textContent()).resolves.toContain('请填写学校名称');
      await page.locator('[data-test="complaint-school-name"]').fill('民办英才学校');
      await page.locator('[data-test="complaint-contact"]').fill('13800138000');
      await page.locator('[data-test="complaint-description"]').fill('五月份学校老师打电话说已经提前录取，要求交定金。');
      await screenshot(page, 'oversight-complaint-phone');
      await page.locator('[data-test="complaint-submit"]').click();
      await page.locator('[data-test="complaint-done"]').waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'oversight-complaint-done-phone');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('lets the bureau run detection, read the evidence and confirm a flag', async () => {
    const browser = await openBrowser(DESKTOP);
    try {
      const { page } = browser;
      await login(page, 'bureau');
      await page.goto(`${server.url}/bureau/flags`);
      await page.locator('[data-test="flag-counts"]').waitFor();
      await page.locator('[data-test="detect"]').click();
      await page.getByText('检测完成').waitFor();
      await expect.poll(() => page.locator('[data-test="flag-item"]').count()).toBe(6); // 5 from the seed + the early offer of the complaint about an unnamed school
      await page.locator('[data-test="flag-item"][data-rule="out_of_scope_enrollment"] [data-test="flag-open"]').click();
      const dialog = page.locator('.el-dialog');
      await dialog.getByText('限本区县（属地招生）').waitFor();
      await expect(dialog.textContent()).resolves.toContain(city.regions.county);
      await page.locator('[data-test="review-confirm"]').click();
      await expect(page.locator('[data-test="review-error"]').textContent()).resolves.toContain('请填写审核意见');
      await page.locator('[data-test="review-note"]').fill('已核实：民办学校跨区域注册外区县学生');
      await screenshot(page, 'oversight-flag-detail');
      await page.locator('[data-test="review-confirm"]').click();
      await page.getByText('已保存审核结论').waitFor();
      await expect
        .poll(() => page.locator('[data-test="flag-item"][data-rule="out_of_scope_enrollment"] [data-test="flag-status"]').textContent())
        .toContain('已确认');
      await screenshot(page, 'oversight-flags');
      const stored = await server.prisma.flag.findFirstOrThrow({ where: { cycleId: city.cycleId, rule: 'out_of_scope_enrollment' } });
      expect(stored).toMatchObject({ status: 'confirmed', note: '已核实：民办学校跨区域注册外区县学生' });
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('shows the auditor the flags read-only, and the audit log, on a phone', async () => {
    const browser = await openBrowser(PHONE);
    try {
      const { page } = browser;
      await login(page, 'auditor');
      await page.goto(`${server.url}/auditor/flags`);
      await page.locator('[data-test="flag-item"]').first().waitFor();
      await expect(page.locator('[data-test="detect"]').count()).resolves.toBe(0);
      await page.locator('[data-test="flag-open"]').first().click();
      await page.getByText('督导只读').waitFor();
      expect(await page.locator('[data-test="review-confirm"]').count()).toBe(0);
      await screenshot(page, 'oversight-auditor-flag-phone');
      await page.goto(`${server.url}/auditor/audit`);
      await page.locator('[data-test="audit-list"] li').first().waitFor();
      await expect(page.locator('[data-test="audit-list"]').textContent()).resolves.toContain('flag.review');
      await page.locator('[data-test="audit-verify"]').click();
      await page.getByText('哈希链完整').waitFor();
      await expect(page.locator('[data-test="audit-chain"]').textContent()).resolves.toMatch(/链尾哈希 #\d+: [0-9a-f]{64}/);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'oversight-audit-phone');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  for (const [name, options] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`draws the dashboards (${name})`, async () => {
      const browser = await openBrowser(options);
      try {
        const { page } = browser;
        await login(page, 'bureau');
        await page.goto(`${server.url}/bureau/dashboard`);
        await page.locator('[data-test="indicators"]').waitFor();
        for (const chart of ['chart-scores', 'chart-flows', 'chart-cutoffs', 'chart-quota']) {
          await page.locator(`[data-test="${chart}"] canvas`).first().waitFor();
        }
        await expect(page.locator('[data-test="ind-classes"] strong').textContent()).resolves.not.toBe('0'); // the seed's 56-pupil classes
        expect(await horizontalOverflow(page)).toBe(0);
        await screenshot(page, `oversight-dashboard-${name}`);
        expect(browser.errors).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  }
});
