import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations } from '../../prisma/migrate';
import { createPrisma, type PrismaClient } from '../../server/db';
import { generateCity } from '../../server/demo/generate';
import { DEMO_PASSWORD, loadDemoCity } from '../../server/demo/demo-loader';
import { startTestServer, type TestServer } from '../support/server';
import { DESKTOP, PHONE, horizontalOverflow, openBrowser, screenshot } from './support/browser';

/**
 * The kindergarten registry (issue 18) in Chromium against the real server and
 * the demo city's kindergartens: k0001 files a change of head and fees on a
 * phone (375×812), the county bureau of its region approves it on a desktop,
 * and the public page shows the new head and fee without signing in; a
 * filing the bureau returns shows the bureau's note to the kindergarten.
 * Screenshots: test-artifacts/screenshots/kindergartens-*.png.
 *
 * The demo city is loaded into a database of its own (its fixed ids would
 * collide with other files' data in the shared one).
 */

const CLIENT_INDEX = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
const PHONE_812 = { ...PHONE, viewport: { width: 375, height: 812 } };
const NEW_HEAD = '赵丽华';

const serverUrl = new URL(inject('databaseUrl'));
const databaseName = `kg_browser_${process.pid}_${Date.now()}`;
let server: TestServer;
let prisma: PrismaClient;
let kindergarten: { id: string; name: string; regionCode: string; nature: string };
let countyBureau: string;
let newFee: number;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (!existsSync(CLIENT_INDEX)) throw new Error('dist/client is missing: run `npm run build:client` first');
  await admin(`CREATE DATABASE "${databaseName}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  await applyMigrations(url.toString());
  prisma = createPrisma(url.toString());
  await loadDemoCity(prisma, generateCity({ seed: 'kindergarten-browser', students: 1_500 }));
  const user = await prisma.user.findUniqueOrThrow({ where: { username: 'k0001' } });
  kindergarten = await prisma.kindergarten.findUniqueOrThrow({
    where: { id: user.kindergartenId! },
    select: { id: true, name: true, regionCode: true, nature: true },
  });
  const county = await prisma.user.findFirstOrThrow({ where: { role: 'bureau', regionCode: kindergarten.regionCode } });
  countyBureau = county.username;
  server = await startTestServer({ env: { DATABASE_URL: url.toString() } });
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await prisma?.$disconnect();
  await admin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
});

async function login(page: Page, username: string, home: string) {
  await page.goto(`${server.url}/login`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(DEMO_PASSWORD);
  await page.locator('form button[type="submit"]').first().click();
  await page.waitForURL((url) => url.pathname.startsWith(home));
}

/** Fills an Element Plus number input (select, type, leave) so v-model takes the value. */
async function fillNumber(page: Page, selector: string, value: number) {
  const input = page.locator(selector);
  await input.click();
  await input.fill(String(value));
  await input.blur();
}

async function apiToken(username: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe('kindergarten registry in the browser', { timeout: 180_000 }, () => {
  it('k0001 files a change of head and fees on a phone', async () => {
    const browser = await openBrowser(PHONE_812);
    try {
      const { page } = browser;
      await login(page, 'k0001', '/kindergarten');
      await page.locator('[data-test="kg-record"]').waitFor();
      await expect(page.locator('h1').first().textContent()).resolves.toContain(kindergarten.name);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'kindergartens-1-home-phone');

      await page.locator('[data-test="nav-filing"]').click();
      await page.locator('#kg-head-name').waitFor();
      // Nothing changed yet: the form says so instead of sending an empty filing.
      await page.locator('[data-test="kg-filing-submit"]').click();
      await page.locator('[data-test="kg-filing-error"]').waitFor();
      await expect(page.locator('[data-test="kg-filing-error"]').textContent()).resolves.toContain('没有任何变更');

      await page.locator('#kg-head-name').fill(NEW_HEAD);
      const oldFee = Number(await page.locator('#kg-fee-0-amount').inputValue());
      newFee = oldFee + 130;
      await fillNumber(page, '#kg-fee-0-amount', newFee);
      await page.locator('#kg-note').fill('原园长调任，新园长到任；保教费按物价备案调整。');
      await expect(page.locator('.kg-form__submit').textContent()).resolves.toContain('本次变更 2 项');
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'kindergartens-2-filing-form-phone');

      await page.locator('[data-test="kg-filing-submit"]').click();
      await page.waitForURL((url) => url.pathname === '/kindergarten/filings');
      await page.locator('[data-test="kg-filed"]').waitFor();
      const filing = page.locator('[data-test="kg-filing"]').first();
      await expect(filing.locator('[data-test="kg-filing-status"]').textContent()).resolves.toBe('待审核');
      await expect(filing.textContent()).resolves.toContain(NEW_HEAD);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'kindergartens-3-filed-phone');

      // The public record has not changed before the review.
      const before = (await (await fetch(`${server.url}/api/kindergartens/${kindergarten.id}`)).json()) as { headName: string };
      expect(before.headName).not.toBe(NEW_HEAD);
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('the county bureau of its region compares and approves it on a desktop', async () => {
    const browser = await openBrowser(DESKTOP);
    try {
      const { page } = browser;
      await login(page, countyBureau, '/bureau');
      await page.locator('[data-test="nav-kindergartens"]').click();
      await page.waitForURL((url) => url.pathname === '/bureau/kindergarten-filings');
      const item = page.locator(`[data-test="kg-review-item"][data-kindergarten="${kindergarten.id}"]`);
      await item.waitFor();
      const head = item.locator('tr[data-field="headName"]');
      await expect(head.locator('.kg-diff__after').textContent()).resolves.toContain(NEW_HEAD);
      await expect(head.locator('.kg-diff__before').textContent()).resolves.not.toContain(NEW_HEAD);
      await expect(item.locator('tr[data-field="fees"] .kg-diff__after').textContent()).resolves.toContain(`¥${newFee.toLocaleString('en-US')}`);
      await screenshot(page, 'kindergartens-4-review-desktop');

      await item.locator('[data-test="kg-review-note"]').fill('已核对园长任职资格证书和物价部门收费备案。');
      await item.locator('[data-test="kg-approve"]').click();
      await expect(page.locator('[data-test="kg-review-done"]').textContent()).resolves.toContain('已通过，公示信息已更新');
      await expect.poll(() => page.locator(`[data-test="kg-review-item"][data-kindergarten="${kindergarten.id}"]`).count()).toBe(0);
      await screenshot(page, 'kindergartens-5-approved-desktop');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('the public page shows the new head and fee without signing in, on a phone', async () => {
    const browser = await openBrowser(PHONE_812);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/login`);
      await page.locator('[data-test="to-kindergartens"]').click();
      await page.waitForURL((url) => url.pathname === '/kindergartens');
      await page.locator('[data-test="kg-card"]').first().waitFor();
      await expect(page.locator('[data-test="kg-total"]').textContent()).resolves.toMatch(/共 \d+ 所幼儿园/);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'kindergartens-6-public-list-phone');

      const total = await page.locator('[data-test="kg-total"]').textContent();
      await page.locator('[data-test="kg-next"]').click();
      await page.waitForURL((url) => url.searchParams.get('page') === '2');
      await expect(page.locator('[data-test="kg-pager"]').textContent()).resolves.toContain('第 2 / ');
      await expect(page.locator('[data-test="kg-total"]').textContent()).resolves.toBe(total);
      // Filters live in the address bar: a shared link opens the same list.
      await page.goto(`${server.url}/kindergartens?nature=public&region=${kindergarten.regionCode}`);
      await page.locator('[data-test="kg-card"]').first().waitFor();
      const tags = await page.locator('[data-test="kg-card"] .kg-tag--public, [data-test="kg-card"] .kg-tag--private, [data-test="kg-card"] .kg-tag--puhui_private').allTextContents();
      expect(tags.length).toBeGreaterThan(0);
      expect(new Set(tags)).toEqual(new Set(['公办']));

      await page.goto(`${server.url}/kindergartens`);
      await page.locator('#kg-q').fill(kindergarten.name);
      await page.locator('[data-test="kg-search"]').click();
      await page.waitForURL((url) => url.searchParams.get('q') === kindergarten.name);
      const card = page.locator('[data-test="kg-card"]', { hasText: kindergarten.name }).first();
      await card.waitFor();
      await card.locator('a').click();
      await page.waitForURL((url) => url.pathname === `/kindergartens/${kindergarten.id}`);
      await expect(page.locator('[data-test="kg-head"]').textContent()).resolves.toBe(NEW_HEAD);
      await expect(page.locator('[data-test="kg-fees"]').textContent()).resolves.toContain(`¥${newFee.toLocaleString('en-US')}`);
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
      await expect(page.locator('[data-test="kg-updated"]').textContent()).resolves.toContain(today);

      // Only published fields: no teacher's or carer's name, no fee account.
      const stored = await prisma.kindergarten.findUniqueOrThrow({ where: { id: kindergarten.id } });
      const text = (await page.locator('main').textContent()) ?? '';
      for (const member of stored.staff as { name: string }[]) expect(text).not.toContain(member.name);
      if (stored.feeAccount) expect(text).not.toContain(stored.feeAccount.slice(-6));
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'kindergartens-7-public-record-phone');
      await page.locator('[data-test="locale-en"]').click();
      await page.getByRole('heading', { name: 'Basic information' }).waitFor();
      await expect(page.locator('.kg-detail__tags').textContent()).resolves.toMatch(/Public|Private/);
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("shows the plan's three preschool indicators on the city bureau's dashboard", async () => {
    const browser = await openBrowser(DESKTOP);
    try {
      const { page } = browser;
      await login(page, 'bureau', '/bureau');
      await page.goto(`${server.url}/bureau/dashboard`);
      const section = page.locator('[data-test="preschool"]');
      await section.waitFor();
      await expect(section.locator('[data-test="preschool-puhuiShare"]').textContent()).resolves.toContain('目标 ≥ 92.0%');
      await expect(section.locator('[data-test="preschool-publicShare"]').textContent()).resolves.toContain('目标 ≥ 58.0%');
      await expect(section.locator('[data-test="preschool-grossEnrolmentRate"]').textContent()).resolves.toContain('目标 ≥ 95.0%');
      const regions = await prisma.region.count();
      await expect.poll(() => section.locator('[data-test="preschool-regions"] tbody tr').count()).toBe(regions);
      await screenshot(page, 'kindergartens-9-dashboard-desktop');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('a returned filing needs a note, and the kindergarten sees it', async () => {
    const token = await apiToken('k0001');
    const filed = await fetch(`${server.url}/api/kindergarten/filings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ changes: { address: '新址：请以营业执照为准' }, note: '迁址' }),
    });
    expect(filed.status).toBe(201);
    const note = '新址未附消防验收意见书，请补充后重新备案。';

    const bureau = await openBrowser(DESKTOP);
    try {
      const { page } = bureau;
      await login(page, countyBureau, '/bureau');
      await page.goto(`${server.url}/bureau/kindergarten-filings`);
      const item = page.locator(`[data-test="kg-review-item"][data-kindergarten="${kindergarten.id}"]`);
      await item.waitFor();
      await item.locator('[data-test="kg-return"]').click();
      await expect(item.locator('[data-test="kg-review-error-note"]').textContent()).resolves.toContain('退回备案须填写审核意见');
      await item.locator('[data-test="kg-review-note"]').fill(note);
      await item.locator('[data-test="kg-return"]').click();
      await expect(page.locator('[data-test="kg-review-done"]').textContent()).resolves.toContain('已退回');
      expect(bureau.errors).toEqual([]);
    } finally {
      await bureau.close();
    }

    const own = await openBrowser(PHONE_812);
    try {
      const { page } = own;
      await login(page, 'k0001', '/kindergarten');
      await page.locator('[data-test="nav-filings"]').click();
      const returned = page.locator('[data-test="kg-filing"][data-status="returned"]').first();
      await returned.waitFor();
      await expect(returned.locator('[data-test="kg-filing-review"]').textContent()).resolves.toContain(note);
      const approved = page.locator('[data-test="kg-filing"][data-status="approved"]').first();
      await expect(approved.textContent()).resolves.toContain(NEW_HEAD);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'kindergartens-8-returned-phone');
      expect(own.errors).toEqual([]);
    } finally {
      await own.close();
    }
  });
});

