/**
 * Four eyes in Chromium at phone width (PUBLISH_APPROVALS=2): the bureau's
 * plan-request queue and rounds page show "awaiting a second approval (1/2)"
 * and who approved after a first city-bureau account approves; a second
 * account completes it. Needs `npm run build:client`.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { createUser } from '../support/factories';
import { apiClient } from '../support/http';
import { seedRoundCity, type RoundCity } from '../support/rounds-city';
import { startTestServer, type TestServer } from '../support/server';
import { PHONE, horizontalOverflow, openBrowser, screenshot } from './support/browser';

const clock = createTestClock('2030-06-01T00:00:00Z');
let server: TestServer;
let city: RoundCity;
let api: ReturnType<typeof apiClient>;
let first: { username: string; password: string; displayName: string };
let second: { username: string; password: string; displayName: string };

beforeAll(async () => {
  server = await startTestServer({ clock, worker: true, env: { JWT_TTL: '30d', PUBLISH_APPROVALS: '2' } });
  api = apiClient(server.url);
  city = await seedRoundCity(server.prisma, { students: 120, seed: 'four-eyes-browser' });
  first = await createUser(server.prisma, { role: 'bureau' });
  second = await createUser(server.prisma, { role: 'bureau' });
}, 120_000);

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: city?.cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

async function login(page: Page, who: { username: string; password: string }, path: string) {
  await page.goto(`${server.url}/login`);
  await page.locator('#login-username').fill(who.username);
  await page.locator('#login-password').fill(who.password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(`${server.url}/bureau`);
  await page.goto(`${server.url}${path}`);
}

describe('four eyes on the bureau pages', { timeout: 240_000 }, () => {
  it('a plan change of seats waits for a second city-bureau account (1/2), then applies', async () => {
    clock.set(city.at('setup'));
    const school = city.highSchoolIds[0];
    const plan = await server.prisma.highSchoolPlan.findFirstOrThrow({ where: { cycleId: city.cycleId, highSchoolId: school } });
    const high = await createUser(server.prisma, { role: 'high', highSchoolId: school });
    const asked = await api.post(`/api/high-schools/${school}/plan-requests`, { changes: { capacity: plan.capacity - 1 }, reason: '少招一人' }, { token: await api.login(high.username, high.password) });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);

    for (const [who, step] of [[first, 'first'], [second, 'second']] as const) {
      const browser = await openBrowser(PHONE);
      try {
        const { page } = browser;
        await login(page, who, '/bureau/setup?tab=plans');
        const item = page.locator(`[data-test=plan-request-${asked.body.id}]`);
        await item.waitFor();
        if (step === 'second') {
          await expect(item.locator('[data-test=plan-awaiting]').textContent()).resolves.toContain('1/2');
          await expect(item.locator('[data-test=plan-approved-by]').textContent()).resolves.toContain(first.displayName);
          await screenshot(page, 'four-eyes-plan-awaiting-phone');
          expect(await horizontalOverflow(page)).toBe(0);
        }
        await item.locator('[data-test=plan-approve]').click();
        await page.locator('[data-test=plan-request-notice]').waitFor();
        if (step === 'first') await expect(page.locator('[data-test=plan-request-notice]').textContent()).resolves.toContain('1/2');
        expect(browser.errors).toEqual([]);
      } finally {
        await browser.close();
      }
    }
    const after = await server.prisma.highSchoolPlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(after.capacity).toBe(plan.capacity - 1);
  });

  it('publishing a round: the first account sees "awaiting a second approval (1/2)", the second publishes', async () => {
    clock.set(city.at('applications_closed'));
    const token = await api.login(first.username, first.password);
    const started = await api.post('/api/rounds', { kind: 'main', name: '第一轮' }, { token });
    expect(started.status).toBe(202);
    for (let i = 0; i < 600 && (await api.get(`/api/rounds/${started.body.id}`, { token })).body.status !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 100));
    clock.set(city.at('round1'));

    const one = await openBrowser(PHONE);
    try {
      const { page } = one;
      await login(page, first, '/bureau/rounds');
      const row = page.locator(`[data-test=round-${started.body.id}]`);
      await row.locator('[data-test=publish]').click();
      await page.locator('[data-test=four-eyes]').waitFor();
      await page.locator('[data-test=publish-confirm]').click();
      await page.locator('[data-test=rounds-notice]').waitFor();
      await expect(row.locator('[data-test=awaiting-approval]').textContent()).resolves.toContain('1/2');
      await expect(row.locator('[data-test=approved-by]').textContent()).resolves.toContain(first.displayName);
      await screenshot(page, 'four-eyes-round-awaiting-phone');
      expect(await horizontalOverflow(page)).toBe(0);
      expect(one.errors).toEqual([]);
    } finally {
      await one.close();
    }

    const two = await openBrowser(PHONE);
    try {
      const { page } = two;
      await login(page, second, '/bureau/rounds');
      const row = page.locator(`[data-test=round-${started.body.id}]`);
      await row.locator('[data-test=publish]').click();
      await page.locator('[data-test=publish-confirm]').click();
      await row.locator('[data-test=published]').waitFor();
      await expect(row.locator('[data-test=approved-by]').textContent()).resolves.toContain(second.displayName);
      await screenshot(page, 'four-eyes-round-published-phone');
      expect(two.errors).toEqual([]);
    } finally {
      await two.close();
    }
  });
});
