import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { apiClient } from '../support/http';
import { createRankingCity, type RankingCity } from '../support/ranking-city';
import { startTestServer, type TestServer } from '../support/server';
import { PHONE, horizontalOverflow, openBrowser, screenshot } from './support/browser';

/**
 * 位次, the public 一分一段表 and 冲/稳/保 on a phone (issue 17): the score
 * table without signing in, city-wide and for a region; a student's rank on
 * the home page; a band with its numbers on each listed choice, against last
 * year's published cutoffs (test/support/ranking-city.ts).
 */

const NOW = new Date('2026-06-10T08:00:00Z');
const clock = createTestClock(NOW);
let city: RankingCity;
let server: TestServer;
let student: { examNo: string; regionCode: string };
let rank: { city: number; region: number; total: number; regionTotal: number };
let listed: string[];

beforeAll(async () => {
  city = await createRankingCity({ students: 1_500, now: NOW, seed: 'ranking-browser' });
  server = await startTestServer({ clock, env: { DATABASE_URL: city.databaseUrl } });
  const api = apiClient(server.url);
  const students = await city.prisma.student.findMany({ where: { cycleId: city.cycleId }, orderBy: { total: 'desc' }, select: { id: true, examNo: true, regionCode: true } });
  const picked = students[500];
  student = picked;
  const application = await city.prisma.application.findFirstOrThrow({ where: { studentId: picked.id, kind: 'main' } });
  listed = Object.values(application.choices as Record<string, string[]>).flat();
  const token = await api.login(picked.examNo, city.password);
  rank = (await api.get('/api/student/overview', { token })).body.rank;
  // Last year's cutoffs of the schools the student lists: ahead of, at and behind their rank (same cohort last year).
  const lastYear = (await city.prisma.student.findMany({ where: { cycleId: city.previousCycleId }, orderBy: { total: 'desc' }, select: { examNo: true } })).map((s) => s.examNo);
  const at = (r: number) => lastYear[Math.min(lastYear.length - 1, Math.max(0, r - 1))];
  const cutoffRanks = [Math.round(rank.city / 2), rank.city + 5, rank.city * 2];
  await city.publishLastYear(Object.fromEntries(listed.slice(0, 3).map((school, i) => [school, at(cutoffRanks[i])])));
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await city?.drop();
});

async function login(page: Page) {
  await page.goto(`${server.url}/login`);
  await page.locator('#login-username').fill(student.examNo);
  await page.locator('#login-password').fill(city.password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(`${server.url}/student`);
  await page.locator('[data-test=next-step]').waitFor();
}

describe('rank, score table and guidance on a phone', { timeout: 180_000 }, () => {
  it('shows the public score table, the rank on the student home and a band on each listed choice', async () => {
    const browser = await openBrowser(PHONE);
    const { page } = browser;
    try {
      // Public: from the sign-in page, without signing in.
      await page.goto(`${server.url}/login`);
      await page.locator('[data-test=to-score-table]').click();
      await page.waitForURL(`${server.url}/score-table`);
      await page.locator('[data-test=score-table] tbody tr').first().waitFor();
      await expect(page.locator('[data-test=score-table-summary]').textContent()).resolves.toContain('共 1500 人');
      const firstRow = await page.locator('[data-test=score-table] tbody tr').first().locator('td').allTextContents();
      expect(Number(firstRow[1])).toBe(Number(firstRow[0])); // the top score: cumulative equals its count
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'score-table-city');

      await page.locator('[data-test=score-table-region]').selectOption(student.regionCode);
      await page.waitForURL(`${server.url}/score-table?region=${student.regionCode}`);
      const regionName = city.city.regions.find((r) => r.code === student.regionCode)!.name;
      await page.locator('[data-test=score-table-summary]', { hasText: regionName }).waitFor();
      await expect(page.locator('[data-test=score-table-summary]').textContent()).resolves.toContain(`共 ${rank.regionTotal} 人`);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'score-table-region');

      // The student's home: city and region rank.
      await login(page);
      await expect(page.locator('[data-test=rank-city]').textContent()).resolves.toBe(String(rank.city));
      await expect(page.locator('[data-test=rank-region]').textContent()).resolves.toBe(String(rank.region));
      expect(await horizontalOverflow(page)).toBe(0);
      await page.locator('[data-test=rank]').scrollIntoViewIfNeeded();
      await screenshot(page, 'student-home-rank');

      // The choices: a band with its numbers on each listed school with a cutoff last year, none on the others.
      await page.locator('[data-test=student-nav-choices]').click();
      await page.locator(`[data-test=band-${listed[0]}]`).waitFor();
      await expect(page.locator(`[data-test=band-${listed[0]}]`).textContent()).resolves.toContain('冲');
      await expect(page.locator(`[data-test=band-${listed[1]}]`).textContent()).resolves.toContain('稳');
      await expect(page.locator(`[data-test=band-${listed[2]}]`).textContent()).resolves.toContain('保');
      const guidance = await page.locator(`[data-test=guidance-${listed[0]}]`).textContent();
      expect(guidance).toContain(`你的全市位次 ${rank.city}`);
      expect(guidance).toContain('仅供参考，不是录取承诺');
      if (listed[3]) await expect(page.locator(`[data-test=guidance-${listed[3]}]`).textContent()).resolves.toContain('不作参考分档');
      await expect(page.locator('[data-test=cutoff-rank]').first().textContent()).resolves.toMatch(/位次 \d+/);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'student-choices-bands');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
