import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS } from '../../server/domain/imports/columns';
import { scheduleFrom } from '../../server/domain/schedule/schedule';
import { createTestClock } from '../support/clock';
import { createAccount, uniqueSuffix } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { PHONE, openBrowser, screenshot } from './support/browser';

/**
 * The bureau imports a file with a bad row, sees the row and column named,
 * then imports a good file (issue 4 part A). Phone size. Needs `npm run build:client`.
 */
let server: TestServer;
let cycleId: string;
const clock = createTestClock('2032-01-05T00:00:00Z');

beforeAll(async () => {
  server = await startTestServer({ clock, env: { CLIENT_DIST: 'dist/client' } });
  const windows = scheduleFrom(new Date('2032-01-01T00:00:00Z'), { setup: 30, plans_published: 10, applications_open: 10, applications_closed: 5, round1: 3, confirmation: 5, supplementary: 5, registration: 10, closed: 30 });
  await server.prisma.cycle.updateMany({ where: { status: 'active' }, data: { status: 'archived' } });
  const cycle = await server.prisma.cycle.create({
    data: { year: 3_000 + Math.floor(Math.random() * 6_000), name: '浏览器测试年度', seed: 's', policy: {}, status: 'active', phases: { create: windows } },
  });
  cycleId = cycle.id;
}, 120_000);

afterAll(async () => {
  if (cycleId) await server.prisma.cycle.update({ where: { id: cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

function regionsCsv(rows: Record<string, string>[]): Buffer {
  const cols = IMPORT_COLUMNS.regions;
  return Buffer.from([cols.map((c) => c.zh).join(','), ...rows.map((r) => cols.map((c) => r[c.key] ?? '').join(','))].join('\n'));
}

describe('bureau setup imports', { timeout: 120_000 }, () => {
  it('shows the bad row of a refused file, then imports a good one', async () => {
    const user = await createAccount(server.prisma, 'bureau');
    const code = `B${uniqueSuffix()}`;
    const browser = await openBrowser(PHONE);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/login`);
      await page.locator('#login-username').fill(user.username);
      await page.locator('#login-password').fill(user.password);
      await page.locator('form button[type=submit]').click();
      await page.waitForURL(`${server.url}/bureau`);
      await page.locator('[data-test=nav-setup]').click();
      await page.waitForURL(/\/bureau\/setup/);
      await expect.poll(() => page.locator('[data-test=current-phase]').textContent()).toBe('准备阶段');

      await page.getByRole('tab', { name: '数据导入' }).click();
      const bad = regionsCsv([{ code, name: '好区' }, { code: `${code}2`, name: '坏区', adminCode: '12AB' }]);
      await page.locator('[data-test=import-file]').setInputFiles({ name: 'regions.csv', mimeType: 'text/csv', buffer: bad });
      await page.locator('[data-test=import-upload]').click();
      await page.locator('[data-test=import-problems]').waitFor();
      const problemRow = page.locator('[data-test=import-problems] tbody tr').first();
      await expect.poll(() => problemRow.innerText()).toMatch(/3\s+行政区划代码\s+应为 6 位数字/);
      await expect.poll(() => page.locator('[data-test=import-error]').innerText()).toContain('1 处错误');
      expect(await server.prisma.region.count({ where: { code } })).toBe(0);
      await screenshot(page, 'bureau-setup-import-error');

      const good = regionsCsv([{ code, name: '好区' }, { code: `${code}2`, name: '新区', adminCode: '430211' }]);
      await page.locator('[data-test=import-file]').setInputFiles({ name: 'regions.csv', mimeType: 'text/csv', buffer: good });
      await page.locator('[data-test=import-upload]').click();
      await expect.poll(() => page.locator('[data-test=import-success]').innerText()).toContain('导入成功：2 条记录');
      expect(await page.locator('[data-test=import-problems]').count()).toBe(0);
      expect(await server.prisma.region.count({ where: { code: { in: [code, `${code}2`] } } })).toBe(2);
      await screenshot(page, 'bureau-setup-import-done');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
