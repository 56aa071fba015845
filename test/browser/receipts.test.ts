import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { apiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';
import { createStudentWorld, type StudentWorld } from '../support/student-world';
import { PHONE, horizontalOverflow, openBrowser, screenshot } from './support/browser';

/**
 * Signed receipts (回执) on a phone: a student saves choices and sees the
 * receipt, downloads it as a .json file (a real browser download), and the
 * public page /receipts/verify, given the file, says valid; the receipt with
 * one choice changed, pasted by someone not signed in, says invalid. The
 * history page serves the newest receipt again.
 */

const clock = createTestClock();
let server: TestServer;
let world: StudentWorld;

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
}

describe('signed receipts on a phone', { timeout: 180_000 }, () => {
  it('saves, downloads the receipt, the public page says valid; one choice changed says invalid', async () => {
    const browser = await openBrowser(PHONE);
    const { page } = browser;
    let downloaded = '';
    try {
      await login(page);
      await page.locator('[data-test=student-nav-choices]').click();
      await page.locator('[data-test=batch-1]').waitFor();
      await page.locator('[data-test=pick-1]').selectOption(world.schools.first.id);
      await page.locator('[data-test=add-1]').click();
      await page.locator('[data-test=pick-1]').selectOption(world.schools.second.id);
      await page.locator('[data-test=add-1]').click();
      await expect(page.locator('[data-test=receipt]').count()).resolves.toBe(0);
      await page.locator('[data-test=save]').click();

      const card = page.locator('[data-test=receipt]');
      await card.waitFor();
      await expect(card.locator('h2').textContent()).resolves.toBe('回执');
      await expect(card.locator('[data-test=receipt-exam-no]').textContent()).resolves.toBe(world.student.examNo);
      await expect(card.locator('[data-test=receipt-version]').textContent()).resolves.toContain('第 1 版');
      await expect(card.locator('[data-test=receipt-batch-1]').textContent()).resolves.toBe('株洲市第一中学 → 株洲市第二中学');
      expect(await page.content()).not.toContain(world.student.idCardNo);
      expect(await horizontalOverflow(page)).toBe(0);
      await card.scrollIntoViewIfNeeded();
      await screenshot(page, 'receipt-after-save');

      const [download] = await Promise.all([page.waitForEvent('download'), card.locator('[data-test=receipt-download]').click()]);
      expect(download.suggestedFilename()).toBe(`回执-${world.student.examNo}-v1.json`);
      downloaded = readFileSync((await download.path())!, 'utf8');
      const receipt = JSON.parse(downloaded);
      expect(receipt.payload.choices).toEqual([{ batch: 1, schools: [world.schools.first.id, world.schools.second.id] }]);
      // What was downloaded is what the platform signed.
      expect((await apiClient(server.url).post('/api/receipts/verify', receipt)).body.valid).toBe(true);

      // The receipt in the history, then the public check, reached from the card.
      await page.locator('[data-test=receipt-view]').click();
      await page.waitForURL(/\/student\/history/);
      const again = page.locator('[data-test=receipt]');
      await again.waitFor();
      await expect(again.locator('[data-test=receipt-batch-1]').textContent()).resolves.toBe('株洲市第一中学 → 株洲市第二中学');
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'receipt-history');

      await again.locator('[data-test=receipt-verify-link]').click();
      await page.waitForURL(`${server.url}/receipts/verify`);
      await page.locator('[data-test=receipt-file]').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(downloaded) });
      const valid = page.locator('[data-test=receipt-valid]');
      await valid.waitFor();
      await expect(valid.textContent()).resolves.toContain('回执有效');
      await expect(page.locator('[data-test=receipt-exam-no]').textContent()).resolves.toBe(world.student.examNo);
      await expect(page.locator('[data-test=receipt-batch-1]').textContent()).resolves.toBe('株洲市第一中学 → 株洲市第二中学');
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'receipt-verify-valid');
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }

    // Someone not signed in pastes the receipt with one choice changed.
    const visitor = await openBrowser(PHONE);
    try {
      const tampered = downloaded.replace(world.schools.second.id, world.schools.strict.id);
      expect(tampered).not.toBe(downloaded);
      await visitor.page.goto(`${server.url}/receipts/verify`);
      await visitor.page.locator('#receipt-text').fill(tampered);
      await visitor.page.locator('[data-test=receipt-check]').click();
      const invalid = visitor.page.locator('[data-test=receipt-invalid]');
      await invalid.waitFor();
      await expect(invalid.textContent()).resolves.toContain('回执无效');
      await expect(invalid.textContent()).resolves.toContain('签名与内容不符');
      await expect(visitor.page.locator('[data-test=receipt-valid]').count()).resolves.toBe(0);
      // What an invalid receipt claims is not shown as if it were true.
      await expect(visitor.page.locator('[data-test=receipt-details]').count()).resolves.toBe(0);
      // The original, pasted, is valid for the visitor too.
      await visitor.page.locator('#receipt-text').fill(downloaded);
      await visitor.page.locator('[data-test=receipt-check]').click();
      await visitor.page.locator('[data-test=receipt-valid]').waitFor();
      await visitor.page.locator('#receipt-text').fill(tampered);
      await visitor.page.locator('[data-test=receipt-check]').click();
      await invalid.waitFor();
      expect(await horizontalOverflow(visitor.page)).toBe(0);
      await screenshot(visitor.page, 'receipt-verify-tampered');

      // Not a receipt at all: said so before anything is sent.
      await visitor.page.locator('#receipt-text').fill('{"hello": ');
      await visitor.page.locator('[data-test=receipt-check]').click();
      await expect(visitor.page.locator('[data-test=receipt-problem]').textContent()).resolves.toContain('不是有效的 JSON');
      expect(visitor.errors).toEqual([]);
    } finally {
      await visitor.close();
    }
  });
});
