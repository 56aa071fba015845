/**
 * The largest demo high school's admission list (issue 13) in Chromium: the
 * demo city (`npm start`'s, 45,000 students; ADMISSION_LIST_STUDENTS=n for a
 * smaller one while working on the test) in a database of its own, round 1
 * run and published through the API, then the school (the one with the
 * largest plan) opens its list. Prints
 * `admission list: rows=<n> first_rows_ms=<t>` — from navigation to the first
 * rows shown — with where the time went (each API request's start and end as
 * the page saw them, long tasks, and the list API alone as `api_ms`), and a
 * soft note when over 1 s (timings belong in the benchmarks; the machine is
 * shared), and asserts the rows. Then pages, a filter, the sort (toolbar and
 * column header), the subject columns and a search through the UI, the
 * summary folded and unfolded, and screenshots on a desktop and a phone.
 * Last, once the confirmation window is over, a silent student reads the same
 * on the school's list and on the junior school's page, and a school that is
 * not a quality school sees its quota fields as not applicable. */
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

const rowsOf = (page: Page) => page.locator('[data-test=admission-table] tbody tr');

async function signIn(page: Page) {
  await page.goto(`${year.server.url}/login`);
  await page.locator('#login-username').fill(school.id.toLowerCase());
  await page.locator('#login-password').fill(DEMO_PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(`${year.server.url}/high`);
}

/** Picks an option of a filter (a native select) by its label; '' is the filter's "all". */
async function pick(page: Page, select: string, option: string) {
  await page.locator(`[data-test=${select}]`).selectOption(option === '' ? { value: '' } : { label: option });
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
  // The list API alone (a page of 50, as the page asks), to tell the server's share of the time from the browser's.
  const apiMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const asked = performance.now();
    expect((await api.get(`/api/high-schools/${school.id}/admissions?limit=50`, { token: high })).status).toBe(200);
    apiMs.push(Math.round(performance.now() - asked));
  }
  console.log(`admission list: api_ms=${apiMs.join(',')} (median ${[...apiMs].sort((a, b) => a - b)[2]})`);
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
      // Long tasks (the main thread busy over 50 ms), recorded from the page's first script on.
      await page.addInitScript(() => {
        const w = window as unknown as { __longTasks: string[] };
        w.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__longTasks.push(`${Math.round(e.startTime)}+${Math.round(e.duration)}`);
        }).observe({ type: 'longtask', buffered: true });
      });
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
      // The page's own waterfall (Resource Timing, from its navigation): when each request started and ended.
      const waterfall = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => e.name.includes('/api/'))
          .map((e) => `${new URL(e.name).pathname} ${Math.round(e.startTime)}→${Math.round(e.responseEnd)}`);
        return { domContentLoaded: Math.round(nav?.domContentLoadedEventEnd ?? 0), shown: Math.round(performance.now()), api, long: (window as unknown as { __longTasks: string[] }).__longTasks };
      });
      console.log(
        `admission list: rows=${listTotal} first_rows_ms=${firstRowsMs}\n  requests: ${requests.join('; ')}` +
          `\n  page: DOMContentLoaded ${waterfall.domContentLoaded} ms; ${waterfall.api.join('; ')}; rows shown at ${waterfall.shown} ms` +
          `\n  long tasks (start+duration ms): ${waterfall.long.join(' ')}`,
      );

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
      await pick(page, 'filter-seat', '');
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

      await expect(page.locator('[data-test=admission-table] th[aria-sort=descending]').textContent()).resolves.toContain('总分');

      // The column header sorts too (a button; aria-sort says the order): by name, ascending.
      await page.locator('[data-test=sort-col-name]').click();
      await expect.poll(async () => page.locator('[data-test=admission-table] th[aria-sort=ascending]').textContent()).toContain('姓名');
      await expect.poll(() => page.locator('[data-test=sort-by]').inputValue()).toBe('name');
      await page.locator('[data-test=sort-col-total]').click();
      await expect.poll(async () => page.locator('[data-test=admission-table] th[aria-sort=descending]').textContent()).toContain('总分');

      // Subject scores are columns on demand (and the choice is undone the same way).
      const headers = page.locator('[data-test=admission-table] thead th');
      const columns = await headers.count();
      await page.locator('[data-test=toggle-subjects]').click();
      await expect.poll(() => headers.count()).toBeGreaterThan(columns);
      await expect(page.locator('[data-test=admission-table] thead').textContent()).resolves.toContain('语文');
      await expect(page.locator('[data-test=toggle-subjects]').getAttribute('aria-pressed')).resolves.toBe('true');
      await page.locator('[data-test=toggle-subjects]').click();
      await expect.poll(() => headers.count()).toBe(columns);

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

describe('a silent student, once the confirmation window is over', { timeout: 300_000 }, () => {
  it('reads the same on the high school’s list and on the junior school’s page', async () => {
    year.clock.set(await year.during('supplementary'));
    const api = apiClient(year.server.url);
    const high = await api.login(school.id.toLowerCase(), DEMO_PASSWORD);
    const silent = (await api.get(`/api/high-schools/${school.id}/admissions?limit=1&round=main&confirmation=pending`, { token: high })).body;
    // The demo's policy: silence counts as confirming.
    expect(silent.silence).toBe('confirmed');
    const student = silent.items[0] as { key: string; examNo: string; juniorSchool: { id: string } };
    expect(student).toBeDefined();
    const words = '未确认（视为确认）';

    await withBrowser(DESKTOP, async ({ page }) => {
      await signIn(page);
      await page.goto(`${year.server.url}/high/admissions`);
      await rowsOf(page).first().waitFor();
      await page.locator('input[data-test=search]').fill(student.examNo);
      await expect.poll(() => rowsOf(page).count()).toBe(1);
      await expect(page.locator(`[data-test="confirmation-${student.key}"]`).textContent()).resolves.toBe(words);
    });
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${year.server.url}/login`);
      await page.locator('#login-username').fill(student.juniorSchool.id.toLowerCase());
      await page.locator('#login-password').fill(DEMO_PASSWORD);
      await page.locator('form button[type=submit]').click();
      await page.waitForURL(`${year.server.url}/junior`);
      await page.goto(`${year.server.url}/junior/status`);
      const cell = page.locator(`[data-test=junior-confirmation-${student.examNo}]`);
      await cell.waitFor({ state: 'attached' });
      await expect(cell.textContent()).resolves.toBe(words);
      await screenshot(page, 'junior-status-silent-student');
    });
  });
});

describe('the plan page of a school that is not a quality (示范性) high school', { timeout: 300_000 }, () => {
  it('says quota seats do not apply instead of "no limit"', async () => {
    const plain = year.city.highSchools.find((h) => !h.quality)!;
    expect(plain).toBeDefined();
    await withBrowser(PHONE, async ({ page }) => {
      await page.goto(`${year.server.url}/login`);
      await page.locator('#login-username').fill(plain.id.toLowerCase());
      await page.locator('#login-password').fill(DEMO_PASSWORD);
      await page.locator('form button[type=submit]').click();
      await page.waitForURL(`${year.server.url}/high`);
      await page.goto(`${year.server.url}/high/plan`);
      await page.locator('[data-test=plan-capacity]').waitFor();
      for (const field of ['quotaPercent', 'quotaSeats', 'quotaMinScore', 'quotaMinEvaluation', 'minPerSchool']) {
        await expect(page.locator(`[data-test=plan-${field}]`).textContent()).resolves.toBe('不适用');
      }
      await expect(page.locator('[data-test=plan-not-quality]').isVisible()).resolves.toBe(true);
      await expect(page.locator('[data-test=plan-card]').textContent()).resolves.not.toContain('不限');
      await screenshot(page, 'high-plan-not-quality-phone');
    });
  });
});
