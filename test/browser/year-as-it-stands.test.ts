import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { startTestServer, type TestServer } from '../support/server';
import { createStudentWorld, publishRound, type StudentWorld } from '../support/student-world';
import { PHONE, horizontalOverflow, openBrowser, screenshot } from './support/browser';

/**
 * The student's result after declining and after 补录, on a phone: the
 * decline dialog says from the policy whether 补录 stays open; once declined
 * the card says the seat was given up (not "admitted" in green); a student
 * unplaced in round 1 and placed by 补录 sees both rounds as labelled
 * sections and the same next step as on the home page.
 */

const clock = createTestClock();
let server: TestServer;
let world: StudentWorld;

beforeAll(async () => {
  server = await startTestServer({ clock });
  world = await createStudentWorld(server.prisma);
}, 120_000);

afterAll(async () => {
  if (world) await server.prisma.cycle.update({ where: { id: world.cycle.id }, data: { status: 'archived' } });
  await server?.stop();
});

async function login(page: Page, account: { username: string; password: string }) {
  await page.goto(`${server.url}/login`);
  await page.locator('#login-username').fill(account.username);
  await page.locator('#login-password').fill(account.password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(`${server.url}/student`);
  await page.locator('[data-test=next-step]').waitFor();
}

describe('the result as the year stands, on a phone', { timeout: 120_000 }, () => {
  it('declines with the policy stated, then shows the seat given up; a 补录 admission shows both rounds', async () => {
    await publishRound(server.prisma, world, { at: world.during('round1') });
    clock.set(world.during('confirmation'));
    const browser = await openBrowser(PHONE);
    const { page } = browser;
    try {
      await login(page, world.account);
      await page.locator('[data-test=student-nav-result]').click();
      await page.locator('[data-test=outcome]').waitFor();
      await expect(page.locator('[data-test=outcome-title]').textContent()).resolves.toBe('你已被录取');
      await page.locator('[data-test=decline]').click();
      await expect(page.locator('[data-test=dialog-policy]').textContent()).resolves.toContain('放弃后你不能参加补录');
      await screenshot(page, 'student-decline-dialog');
      await page.locator('[data-test=dialog-ok]').click();
      await page.locator('[data-test=decision]').waitFor();
      await expect(page.locator('[data-test=outcome-title]').textContent()).resolves.toBe('你已放弃该校录取资格');
      await expect(page.locator('[data-test=outcome]').getAttribute('class')).resolves.toContain('card--given-up');
      await expect(page.locator('[data-test=decision]').textContent()).resolves.toContain('你已放弃录取');
      await expect(page.locator('[data-test=student-result]').textContent()).resolves.not.toContain('你已被录取');
      await expect(page.locator('[data-test=next-step]').textContent()).resolves.toContain('不能参加补录');
      await screenshot(page, 'student-declined');

      // 补录 places the student unplaced in round 1.
      clock.set(world.during('supplementary'));
      const supplementary = await server.prisma.round.create({
        data: { cycleId: world.cycle.id, kind: 'supplementary', policy: {}, seed: world.cycle.seed, status: 'published', progress: 100, createdBy: 'test', publishedAt: world.during('supplementary'), result: { schools: {} } },
      });
      await server.prisma.roundAssignment.create({
        data: { roundId: supplementary.id, studentId: world.student2.id, highSchoolId: world.schools.vocational.id, seat: 'open', batch: 3, explanation: [] },
      });
      await login(page, world.account2);
      await expect(page.locator('[data-test=next-step]').textContent()).resolves.toContain('你已被补录录取');
      await page.locator('[data-test=student-nav-result]').click();
      await page.locator('[data-test=supplementary-outcome]').waitFor();
      await expect(page.locator('[data-test=next-step]').textContent()).resolves.toContain('你已被补录录取');
      await expect(page.locator('[data-test=outcome]').textContent()).resolves.toContain('第一轮');
      await expect(page.locator('[data-test=outcome-title]').textContent()).resolves.toBe('本轮未被录取');
      await expect(page.locator('[data-test=supplementary-outcome]').textContent()).resolves.toContain('补录');
      await expect(page.locator('[data-test=supplementary-school]').textContent()).resolves.toBe('荷塘职业中专');
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'student-supplementary-admitted');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
