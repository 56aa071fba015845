import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHASES } from '../../server/domain/schedule/schedule';
import { createCycle, createRegion, createStudent, createUser, uniqueSuffix } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { DESKTOP, openBrowser, screenshot } from './support/browser';

/**
 * The year picker (client/src/components/YearPicker.vue) in Chromium: a junior
 * school renamed in year 2 opens its status page in year 2, picks year 1, and
 * the URL carries ?cycleId= while the page shows year 1's name and students.
 */

const CLIENT_INDEX = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
const DAY = 86_400_000;
let server: TestServer;
const cycles: { id: string; year: number }[] = [];
let account: { username: string; password: string };
const OLD = '旧名初级中学';
const NEW = '新名初级中学';

beforeAll(async () => {
  if (!existsSync(CLIENT_INDEX)) throw new Error('dist/client is missing: run `npm run build:client` first');
  server = await startTestServer();
  const { prisma } = server;
  const region = await createRegion(prisma);
  const juniorId = `JY${uniqueSuffix()}`;
  await prisma.juniorSchool.create({ data: { id: juniorId, name: NEW, regionCode: region.code, graduates: 100 } });
  // Only one cycle is current: retire the others (test files run one after another).
  await prisma.cycle.updateMany({ where: { status: 'active' }, data: { status: 'archived' } });
  const base = 1_500_000_000 + Math.floor(Math.random() * 100_000_000);
  const now = Date.now();
  for (const [i, name] of [OLD, NEW].entries()) {
    const cycle = await createCycle(prisma, {
      year: base + i,
      status: i === 0 ? 'archived' : 'active',
      phases: { create: PHASES.map((phase, k) => ({ phase, opensAt: new Date(now + (k - 2) * DAY), closesAt: new Date(now + (k - 1) * DAY) })) },
    });
    cycles.push({ id: cycle.id, year: cycle.year });
    await prisma.cycleJuniorSchool.create({ data: { cycleId: cycle.id, id: juniorId, name, regionCode: region.code, graduates: 100 } });
    for (let n = 0; n < (i === 0 ? 3 : 1); n++) await createStudent(prisma, { cycleId: cycle.id, juniorSchoolId: juniorId, name: `第${i + 1}年考生${n + 1}` });
  }
  account = await createUser(prisma, { role: 'junior', juniorSchoolId: juniorId, regionCode: region.code });
}, 120_000);

afterAll(async () => {
  if (cycles.length) await server?.prisma.cycle.updateMany({ where: { id: { in: cycles.map((c) => c.id) } }, data: { status: 'archived' } });
  await server?.stop();
});

describe('the year picker', { timeout: 120_000 }, () => {
  it("opens year 1 of a junior school renamed in year 2: ?cycleId= in the URL, year 1's name and students", async () => {
    const browser = await openBrowser(DESKTOP);
    try {
      const { page } = browser;
      await page.goto(`${server.url}/login`);
      await page.locator('#login-username').fill(account.username);
      await page.locator('#login-password').fill(account.password);
      await page.locator('form button[type="submit"], [data-test="login-submit"]').first().click();
      await page.waitForURL((url) => url.pathname.startsWith('/junior'));
      await page.goto(`${server.url}/junior/status`);
      await page.locator('[data-test="count-total"]').waitFor();
      await expect(page.locator('.school-page__muted').first().textContent()).resolves.toContain(NEW);
      await expect(page.locator('[data-test="count-total"]').textContent()).resolves.toBe('1');

      await page.locator('[data-test="year-picker"] .el-select').click();
      await page.locator('.el-select-dropdown__item', { hasText: String(cycles[0].year) }).click();
      await page.waitForURL((url) => url.searchParams.get('cycleId') === cycles[0].id);
      await expect.poll(() => page.locator('.school-page__muted').first().textContent()).toContain(OLD);
      await expect(page.locator('[data-test="count-total"]').textContent()).resolves.toBe('3');
      await screenshot(page, 'years-apart-junior-year1');

      // A reload keeps the year; picking the current one drops ?cycleId=.
      await page.reload();
      await expect.poll(() => page.locator('.school-page__muted').first().textContent()).toContain(OLD);
      await page.locator('[data-test="year-picker"] .el-select').click();
      await page.locator('.el-select-dropdown__item', { hasText: String(cycles[1].year) }).click();
      await page.waitForURL((url) => !url.searchParams.has('cycleId'));
      await expect.poll(() => page.locator('.school-page__muted').first().textContent()).toContain(NEW);
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
