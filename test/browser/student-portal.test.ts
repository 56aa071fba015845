import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { startTestServer, type TestServer } from '../support/server';
import { createStudentWorld, publishRound, type StudentWorld } from '../support/student-world';
import { PHONE, horizontalOverflow, openBrowser, screenshot } from './support/browser';

/**
 * The student portal on a phone (375x812) against the real server: log in
 * with the exam number, fill choices (one refused before saving), save, then
 * after a published round see the result with its explanation and confirm.
 * The round's rows are seeded directly (test/support/student-world.ts).
 */

const clock = createTestClock();
let server: TestServer;
let world: StudentWorld;
const PHONE_812 = { ...PHONE, viewport: { width: 375, height: 812 } };

beforeAll(async () => {
  server = await startTestServer({ clock });
  world = await createStudentWorld(server.prisma);
  clock.set(world.during('applications_open'));
}, 120_000);

afterAll(async () => {
  if (world) await server.prisma.cycle.update({ where: { id: world.cycle.id }, data: { status: 'archived' } });
  await server?.stop();
});

async function login(page: Page) {
  await page.goto(`${server.url}/login`);
  await page.locator('#login-username').fill(world.account.username);
  await page.locator('#login-password').fill(world.account.password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(`${server.url}/student`);
  await page.locator('[data-test=next-step]').waitFor();
}

describe('student portal on a phone', { timeout: 120_000 }, () => {
  it('logs in, fills choices with one refused, saves, sees the result with why, confirms', async () => {
    const browser = await openBrowser(PHONE_812);
    const { page } = browser;
    try {
      await login(page);
      await expect(page.locator('[data-test=total]').textContent()).resolves.toBe('600');
      await expect(page.locator('[data-test=next-step]').textContent()).resolves.toContain('请在截止时间前填报志愿');
      await expect(page.locator('[data-test=countdown]').textContent()).resolves.toMatch(/^[45]天 \d{2}小时 \d{2}分 \d{2}秒$/);
      await expect(page.locator('[data-test=quota-seats]').textContent()).resolves.toContain('株洲市第一中学');
      expect(await page.content()).not.toContain(world.student.idCardNo);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'student-home');

      await page.locator('[data-test=student-nav-choices]').click();
      await page.locator('[data-test=batch-1]').waitFor();
      // A region-scope school of another region: refused here, before any save.
      await page.locator('[data-test=pick-2]').selectOption(world.schools.liling.id);
      await page.locator('[data-test=add-2]').click();
      const refusal = page.locator('[data-test=refusal]');
      await expect(refusal.textContent()).resolves.toContain('属地招生');
      await expect(page.locator('[data-test=choice-2-0]').count()).resolves.toBe(0);
      await screenshot(page, 'student-choices-refused');

      await page.locator('[data-test=pick-1]').selectOption(world.schools.second.id);
      await page.locator('[data-test=add-1]').click();
      await page.locator('[data-test=pick-1]').selectOption(world.schools.first.id);
      await page.locator('[data-test=add-1]').click();
      // First choice should be 第一中学: move it up.
      await page.locator('[data-test=choice-1-1] button[aria-label=上移]').click();
      await expect(page.locator('[data-test=choice-1-0]').textContent()).resolves.toContain('株洲市第一中学');
      await page.locator('[data-test=save]').click();
      await expect(page.locator('[data-test=saved]').textContent()).resolves.toContain('第 1 版');
      await expect(page.locator('[data-test=version]').textContent()).resolves.toContain('第 1 版');
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'student-choices-saved');

      const stored = await server.prisma.application.findFirstOrThrow({ where: { studentId: world.student.id, kind: 'main' } });
      expect(stored.choices).toEqual({ '1': [world.schools.first.id, world.schools.second.id] });

      // The round runs and is published; the confirmation window opens.
      await publishRound(server.prisma, world, { at: world.during('round1') });
      clock.set(world.during('confirmation'));
      await login(page); // the earlier session expired with the clock
      await expect(page.locator('[data-test=next-step]').textContent()).resolves.toContain('确认');
      await page.locator('[data-test=student-nav-result]').click();
      await page.locator('[data-test=outcome]').waitFor();
      await expect(page.locator('[data-test=admitted-school]').textContent()).resolves.toBe('株洲市第二中学');
      const why = page.locator(`[data-test=why-${world.schools.first.id}]`);
      await expect(why.textContent()).resolves.toContain('录取最低分 615.5，你的总分 600');
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'student-result');

      await page.locator('[data-test=confirm]').click();
      await expect(page.locator('[data-test=dialog-text]').textContent()).resolves.toContain('株洲市第二中学');
      await screenshot(page, 'student-confirm-dialog');
      await page.locator('[data-test=dialog-ok]').click();
      await page.locator('[data-test=decision]').waitFor();
      await expect(page.locator('[data-test=decision]').textContent()).resolves.toContain('你已确认录取');
      await expect(page.locator('[data-test=confirm]').count()).resolves.toBe(0);
      await screenshot(page, 'student-confirmed');
      const confirmation = await server.prisma.confirmation.findFirstOrThrow({ where: { studentId: world.student.id } });
      expect(confirmation.decision).toBe('confirmed');

      // English is a switch away; reasons come back in English.
      await page.locator('[data-test=student-nav-history]').click();
      await page.locator('[data-test=version-1]').waitFor();
      await expect(page.locator('[data-test=version-1]').textContent()).resolves.toContain('株洲市第一中学 → 株洲市第二中学');
      await screenshot(page, 'student-history');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
