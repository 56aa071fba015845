import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { scheduleFrom, windowOf, type Phase } from '../../server/domain/schedule/schedule';
import { createTestClock } from '../support/clock';
import { createAccount } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { DESKTOP, PHONE, horizontalOverflow, openBrowser, screenshot } from './support/browser';

/**
 * The schedule as the bureau and a high school see it (issue 13): outside
 * setup the import button is hidden and the page names the phase it opens in;
 * the schedule is a timeline with now marked; "end this window now" opens the
 * next window at the server's now; a boundary typed in the datetime input is
 * saved to the millisecond and untouched windows go back exactly; a high
 * school sees its plan and asks for a change only in setup. Needs `npm run build:client`.
 */
const DAY = 86_400_000;
const DAYS: Record<Phase, number> = { setup: 30, plans_published: 10, applications_open: 10, applications_closed: 5, round1: 3, confirmation: 5, supplementary: 5, registration: 10, closed: 30 };
// Milliseconds on purpose: the editor must keep them.
const windows = scheduleFrom(new Date('2032-01-01T00:00:00.250Z'), DAYS);
const at = (phase: Phase, plusMs: number) => new Date(windowOf(windows, phase)!.opensAt.getTime() + plusMs);
const clock = createTestClock(at('applications_open', 2 * DAY));
let server: TestServer;
let cycleId: string;

beforeAll(async () => {
  server = await startTestServer({ clock, env: { CLIENT_DIST: 'dist/client', JWT_TTL: '30d' } });
  await server.prisma.cycle.updateMany({ where: { status: 'active' }, data: { status: 'archived' } });
  const cycle = await server.prisma.cycle.create({
    data: { year: 3_000 + Math.floor(Math.random() * 6_000), name: '日程测试年度', seed: 's', policy: {}, status: 'active', phases: { create: windows } },
  });
  cycleId = cycle.id;
}, 120_000);

afterAll(async () => {
  if (cycleId) await server.prisma.cycle.update({ where: { id: cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

async function signIn(page: Page, user: { username: string; password: string }, home: string) {
  await page.goto(`${server.url}/login`);
  await page.locator('#login-username').fill(user.username);
  await page.locator('#login-password').fill(user.password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(`${server.url}${home}`);
}

async function storedWindows() {
  const rows = await server.prisma.cyclePhase.findMany({ where: { cycleId }, orderBy: { opensAt: 'asc' } });
  return new Map(rows.map((r) => [r.phase as Phase, { opensAt: r.opensAt.toISOString(), closesAt: r.closesAt.toISOString() }]));
}

describe('the schedule and the phase table in the browser', { timeout: 180_000 }, () => {
  it('hides the import button outside setup and names the phase it opens in', async () => {
    clock.set(at('applications_open', 2 * DAY));
    const user = await createAccount(server.prisma, 'bureau');
    const browser = await openBrowser(PHONE);
    try {
      const { page } = browser;
      await signIn(page, user, '/bureau');
      await page.goto(`${server.url}/bureau/setup?tab=imports`);
      const notice = page.locator('[data-test="phase-notice-imports.upload"]');
      await expect.poll(() => notice.textContent()).toBe('导入数据只能在「准备阶段」进行（当前：志愿填报）');
      expect(await page.locator('[data-test=import-upload]').count()).toBe(0);
      expect(await page.locator('[data-test=download-template]').count()).toBe(1);
      await screenshot(page, 'schedule-import-hidden');

      await page.getByRole('tab', { name: '指标生名额' }).click();
      await expect.poll(() => page.locator('[data-test="phase-notice-quotas.compute"]').textContent()).toContain('计算指标生名额只能在「准备阶段」进行');
      expect(await page.locator('[data-test=compute-quotas]').count()).toBe(0);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('shows the timeline, ends the open window now, and saves a typed boundary to the millisecond', async () => {
    const now = at('applications_open', 3 * DAY + 777);
    clock.set(now);
    const user = await createAccount(server.prisma, 'bureau');
    const browser = await openBrowser(DESKTOP);
    try {
      const { page } = browser;
      await signIn(page, user, '/bureau');
      await page.goto(`${server.url}/bureau/setup?tab=schedule`);
      await expect.poll(() => page.locator('[data-test=current-phase]').textContent()).toBe('志愿填报');
      await page.locator('[data-test=schedule-timeline] [data-test=timeline-now]').waitFor();
      expect(await page.locator('[data-test=schedule-timeline] > .timeline-bar__segment').count()).toBe(9);
      expect(await page.locator('[data-test=window-applications_open]').getAttribute('class')).toContain('timeline__item--now');
      // The inputs show what the server sent, to the millisecond, and nothing is "changed" yet.
      const shown = await page.locator('[data-test=closes-round1]').inputValue();
      const iso = await page.evaluate((v) => new Date(v).toISOString(), shown);
      expect(iso).toBe(windowOf(windows, 'round1')!.closesAt.toISOString());
      expect(await page.locator('[data-test=save-schedule]').isDisabled()).toBe(true);
      await screenshot(page, 'schedule-timeline');

      // End the open window now.
      await page.locator('[data-test=end-current]').click();
      await page.locator('.el-message-box').getByRole('button', { name: '立即结束本阶段' }).click();
      await expect.poll(() => page.locator('[data-test=current-phase]').textContent()).toBe('志愿截止');
      const ended = await storedWindows();
      expect(ended.get('applications_open')!.closesAt).toBe(now.toISOString());
      expect(ended.get('applications_closed')!.opensAt).toBe(now.toISOString());
      expect(ended.get('applications_closed')!.closesAt).toBe(windowOf(windows, 'applications_closed')!.closesAt.toISOString());
      expect(ended.get('round1')).toEqual({ opensAt: windowOf(windows, 'round1')!.opensAt.toISOString(), closesAt: windowOf(windows, 'round1')!.closesAt.toISOString() });
      expect(await server.prisma.auditLog.count({ where: { action: 'cycle.schedule.end-current', entityId: cycleId } })).toBe(1);
      await screenshot(page, 'schedule-ended');

      // Type a new end for round 1, with milliseconds, in the native input: it is saved exactly; the rest is untouched.
      const typed = await page.evaluate((v) => {
        const d = new Date(new Date(v).getTime() + 86_400_000 + 123);
        const pad = (n: number, w = 2) => String(n).padStart(w, '0');
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
      }, windowOf(windows, 'round1')!.closesAt.toISOString());
      await page.locator('[data-test=closes-round1]').fill(typed);
      await page.locator('[data-test=closes-round1]').dispatchEvent('change');
      await expect.poll(() => page.locator('[data-test=save-schedule]').isDisabled()).toBe(false);
      await page.locator('[data-test=save-schedule]').click();
      const expected = new Date(windowOf(windows, 'round1')!.closesAt.getTime() + DAY + 123).toISOString();
      await expect.poll(async () => (await storedWindows()).get('round1')!.closesAt).toBe(expected);
      const saved = await storedWindows();
      expect(saved.get('confirmation')!.opensAt).toBe(expected);
      expect(saved.get('confirmation')!.closesAt).toBe(windowOf(windows, 'confirmation')!.closesAt.toISOString());
      for (const phase of ['setup', 'plans_published', 'supplementary', 'registration', 'closed'] as const) {
        expect(saved.get(phase), phase).toEqual({ opensAt: windowOf(windows, phase)!.opensAt.toISOString(), closesAt: windowOf(windows, phase)!.closesAt.toISOString() });
      }
      expect(saved.get('applications_open')!.closesAt).toBe(now.toISOString());
      await screenshot(page, 'schedule-saved');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('shows a high school its plan, takes a change request in setup, and names the phase otherwise', async () => {
    clock.set(at('setup', 2 * DAY));
    const user = await createAccount(server.prisma, 'high');
    const highSchoolId = user.highSchoolId!;
    await server.prisma.highSchoolPlan.create({ data: { cycleId, highSchoolId, capacity: 110, classes: 2, batch: 1 } });
    const browser = await openBrowser(PHONE);
    try {
      const { page } = browser;
      await signIn(page, user, '/high');
      await page.locator('[data-test=nav-plan]').click();
      await page.waitForURL(/\/high\/plan/);
      await expect.poll(() => page.locator('[data-test=plan-capacity]').textContent()).toBe('110');
      await expect.poll(() => page.locator('[data-test=plan-year]').textContent()).toContain('准备阶段');
      await page.locator('[data-test=ask-classes] input').fill('3');
      await page.locator('[data-test=ask-capacity] input').fill('160');
      await page.locator('textarea[data-test=ask-reason]').fill('新建教学楼，增加一个班');
      await page.locator('[data-test=ask-submit]').click();
      await page.locator('[data-test=ask-sent]').waitFor();
      await page.locator('[data-test=request-status-pending]').waitFor();
      const request = await server.prisma.planChangeRequest.findFirstOrThrow({ where: { plan: { highSchoolId, cycleId } } });
      expect(request.changes).toEqual({ capacity: 160, classes: 3 });
      expect(request.status).toBe('pending');
      await screenshot(page, 'high-plan-request');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

      clock.set(at('plans_published', DAY));
      await page.reload();
      await expect.poll(() => page.locator('[data-test="phase-notice-plan-requests.request"]').textContent()).toBe('申请修改招生计划只能在「准备阶段」进行（当前：招生计划公布）');
      expect(await page.locator('[data-test=plan-request-form]').count()).toBe(0);
      await page.locator('[data-test=request-status-pending]').waitFor();
      await screenshot(page, 'high-plan-closed');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
