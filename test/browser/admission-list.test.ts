/**
 * The largest demo high school's admission list (issue 13) in Chromium: the
 * demo city (`npm start`'s, 45,000 students; ADMISSION_LIST_STUDENTS=n for a
 * smaller one while working on the test) in a database of its own, round 1
 * run and published through the API, then the school (the one with the
 * largest plan) opens its list. Prints
 * `admission list: rows=<n> first_rows_ms=<t>` — from navigation to the first
 * rows shown — with a soft note when over 1 s (timings belong in the
 * benchmarks; the machine is shared), and asserts the rows. Then pages, a
 * filter and a search through the UI, the summary folded and unfolded, and
 * screenshots on a desktop and a phone.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoCity } from '../../server/demo/generate';
import { apiClient } from '../support/http';
import { DESKTOP, PHONE, horizontalOverflow, openBrowser, screenshot, type OpenBrowser } from './support/browser';
import { DEMO_PASSWORD, DEMO_STUDENTS, startDemoYear, type DemoYear } from './support/whole-year';

const STUDENTS = Number(process.env.ADMISSION_LIST_STUDENTS ?? DEMO_STUDENTS);
const LOAD_AT = new Date('2026-06-01T00:00:00Z');
/** The budget of issue 13 (first rows in under 1 s), reported, not asserted. */
const BUDGET_MS = 1000;

let year: DemoYear;
let school: DemoCity['highSchools'][number];
let listTotal = 0;
let firstRowsMs: number | undefined;

const rowsOf = (page: Page) => page.locator('[data-test=admission-table] .el-table__body-wrapper tbody tr');

async function signIn(page: Page) {
  await page.goto(`${year.server.url}/login`);
  await page.locator('#login-username').fill(school.id.toLowerCase());
  await page.locator('#login-password').fill(DEMO_PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(`${year.server.url}/high`);
}

async function pick(page: Page, select: string, option: string) {
  await page.waitForFunction(() => [...document.querySelectorAll('.el-select-dropdown')].every((el) => (el as HTMLElement).offsetParent === null));
  await page.locator(`[data-test=${select}]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

async function withBrowser(options: typeof DESKTOP, body: (browser: OpenBrowser) => Promise<void>) {
  const browser = await openBrowser(options);
  try {
    await body(browser);
  } finally {
    await browser.close();
  }
  expect(browser.errors).toEqual([]);
}

beforeAll(async () => {
  year = await startDemoYear({ now: LOAD_AT, students: STUDENTS });
  // The largest school by plan size.
  school = [...year.city.highSchools].sort((a, b) => b.capacity - a.capacity || a.id.localeCompare(b.id))[0];
  const api = apiClient(year.server.url);
  const bureau = await api.login('bureau', DEMO_PASSWORD);
  year.clock.set(await year.during('applications_closed'));
  const started = await api.post('/api/rounds', { kind: 'main', name: '全市第一轮正式录取' }, { token: bureau });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  let status = '';
  for (let i = 0; i < 1200 && !['succeeded', 'failed'].includes(status); i++) {
    await new Promise((r) => setTimeout(r, 250));
    status = (await api.get(`/api/rounds/${started.body.id}`, { token: bureau })).body.status;
  }
  expect(status).toBe('succeeded');
  year.clock.set(await year.during('round1'));
  const published = await api.post(`/api/rounds/${started.body.id}/publish`, undefined, { token: bureau });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  year.clock.set(await year.during('confirmation'));
  const high = await api.login(school.id.toLowerCase(), DEMO_PASSWORD);
  listTotal = (await api.get(`/api/high-schools/${school.id}/admissions?limit=1`, { token: high })).body.total;
}, 900_000);

afterAll(async () => {
  await year?.stop();
  console.log(`admission list: rows=${listTotal} first_rows_ms=${firstRowsMs ?? '—'} (${school?.id}, plan ${school?.capacity}, ${STUDENTS} students)`);
  if (firstRowsMs !== undefined && firstRowsMs >= BUDGET_MS) console.log(`admission list: over the ${BUDGET_MS} ms budget on this run (soft check; see the benchmarks)`);
});

describe('the largest demo school’s admission list', { timeout: 300_000 }, () => {
  it('shows its first rows quickly, pages, filters and searches on the server', async () => {
    expect(listTotal).toBeGreaterThan(STUDENTS >= 45_000 ? 900 : 50);
    await withBrowser(DESKTOP, async ({ page }) => {
      await signIn(page);
      // From navigation to the first rows shown (the app loaded afresh, one request for the page).
      const requests: string[] = [];
      const start = performance.now();
      // When each API answer arrived, from the navigation (printed with the timing: where the time went).
      const onResponse = (response: import('playwright-core').Response) => {
        if (response.url().includes('/api/')) requests.push(`${new URL(response.url()).pathname} at ${Math.round(performance.now() - start)} ms`);
      };
      page.on('response', onResponse);
      await page.goto(`${year.server.url}/high/admissions`);
      await rowsOf(page).first().waitFor();
      firstRowsMs = Math.round(performance.now() - start);
      page.off('response', onResponse);
      console.log(`admission list: rows=${listTotal} first_rows_ms=${firstRowsMs}\n  requests: ${requests.join('; ')}`);

      await expect(rowsOf(page).count()).resolves.toBe(50);
      await expect(page.locator('[data-test=row-count]').textContent()).resolves.toContain(String(listTotal));
      await expect(page.locator('[data-test=admitted-total]').textContent()).resolves.toBe(String(listTotal));
      // Export at the top, summary folded to one line: no cutoff cards before the table.
      await expect(page.locator('[data-test=export]').isVisible()).resolves.toBe(true);
      await expect(page.locator('[data-test=cutoff-cards]').isVisible()).resolves.toBe(false);
      const exportTop = (await page.locator('[data-test=export]').boundingBox())!.y;
      const tableTop = (await page.locator('[data-test=admission-table]').boundingBox())!.y;
      expect(exportTop).toBeLessThan(tableTop);
      expect(tableTop).toBeLessThan(800);
      await screenshot(page, 'admission-list-desktop');

      // Unfold the summary, then the quota cutoffs per junior school, and search them.
      await page.locator('[data-test=summary-toggle]').click();
      await page.locator('[data-test=cutoff-cards]').waitFor();
      await expect(page.locator('[data-test=cutoff-open]').textContent()).resolves.toMatch(/\d/);
      const quota = page.locator('[data-test=quota-cutoffs]');
      if ((await quota.count()) > 0) {
        await quota.locator('summary').click();
        const quotaRows = page.locator('[data-test=cutoff-quota]');
        await quotaRows.first().waitFor();
        const all = await quotaRows.count();
        const firstName = ((await quotaRows.first().locator('td').first().textContent()) ?? '').trim();
        await page.locator('input[data-test=quota-search], [data-test=quota-search] input').fill(firstName);
        await expect.poll(() => quotaRows.count()).toBeLessThanOrEqual(all);
        await expect(quotaRows.first().textContent()).resolves.toContain(firstName);
        await screenshot(page, 'admission-list-summary-open');
        await page.locator('input[data-test=quota-search], [data-test=quota-search] input').fill('');
        await quota.locator('summary').click();
      }
      await page.locator('[data-test=summary-toggle]').click();

      // Paging: the next page has other students, the total stays.
      const firstOnPage1 = await rowsOf(page).first().textContent();
      await page.locator('[data-test=admission-pager] .btn-next').click();
      await expect.poll(async () => rowsOf(page).first().textContent()).not.toBe(firstOnPage1);
      await expect.poll(async () => ((await page.locator('[data-test=admission-pager] .is-active').first().textContent()) ?? '').trim()).toBe('2');
      await expect(page.locator('[data-test=row-count]').textContent()).resolves.toContain(String(listTotal));

      // A filter: quota seats only; back to page 1, every row shown is one, fewer in all.
      await pick(page, 'filter-seat', '指标生');
      await expect.poll(async () => ((await page.locator('[data-test=admission-pager] .is-active').first().textContent()) ?? '').trim()).toBe('1');
      await expect.poll(async () => (await page.locator('[data-test=row-count]').textContent()) ?? '').not.toContain(String(listTotal));
      const seatCells = await rowsOf(page).locator('td:nth-child(5)').allTextContents();
      expect(seatCells.length).toBeGreaterThan(0);
      for (const cell of seatCells) expect(cell.trim()).toBe('指标生');
      await pick(page, 'filter-seat', '全部');
      await expect.poll(async () => (await page.locator('[data-test=row-count]').textContent()) ?? '').toContain(String(listTotal));

      // Sort by total, highest first, through the toolbar.
      await pick(page, 'sort-by', '按总分');
      await pick(page, 'sort-order', '降序');
      await expect
        .poll(async () => {
          const totals = (await rowsOf(page).locator('td:nth-child(6)').allTextContents()).map(Number);
          return totals.length > 1 && totals.every((v, i) => i === 0 || totals[i - 1] >= v);
        })
        .toBe(true);

      // A search by the start of an exam number: that student alone.
      const examNo = ((await rowsOf(page).nth(3).locator('td:nth-child(3)').textContent()) ?? '').trim();
      expect(examNo).not.toBe('');
      await page.locator('input[data-test=search]').fill(examNo);
      await expect.poll(() => rowsOf(page).count()).toBe(1);
      await expect(rowsOf(page).first().textContent()).resolves.toContain(examNo);
      await screenshot(page, 'admission-list-search');
    });
  });

  it('fits a phone: summary in one line, export at the top, a page of rows', async () => {
    await withBrowser(PHONE, async ({ page }) => {
      await signIn(page);
      await page.goto(`${year.server.url}/high/admissions`);
      await rowsOf(page).first().waitFor();
      await expect(rowsOf(page).count()).resolves.toBe(50);
      await expect(horizontalOverflow(page)).resolves.toBe(0);
      const exportTop = (await page.locator('[data-test=export]').boundingBox())!.y;
      expect(exportTop).toBeLessThan((await page.locator('[data-test=admission-summary]').boundingBox())!.y);
      await screenshot(page, 'admission-list-phone');
    });
  });
});
