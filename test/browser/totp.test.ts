import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { URI } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInCountName } from '../../server/domain/auth/auth.rules';
import { createTestClock } from '../support/clock';
import { createAccount } from '../support/factories';
import { apiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';
import { DESKTOP, PHONE, horizontalOverflow, openBrowser, screenshot, type OpenBrowser } from './support/browser';

/**
 * Two-factor sign-in of bureau accounts and silent session renewal, in
 * Chromium against the real server. The server runs on a test clock (the
 * browser does not: it never reads token times), with access tokens of one
 * minute and bureau accounts required to use an authenticator app.
 * TOTP codes are computed here from the otpauth:// URI, as the app would.
 */

const CLIENT_INDEX = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
const clock = createTestClock();
let server: TestServer;

beforeAll(async () => {
  if (!existsSync(CLIENT_INDEX)) throw new Error('dist/client is missing: run `npm run build:client` before the browser tests');
  server = await startTestServer({ clock, env: { JWT_TTL: '60s', BUREAU_TOTP_REQUIRED: 'true' } });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/** Moves the server clock to the next 30-second step, so the next code is a fresh one. */
function nextStep() {
  clock.advance(30_000);
}

const codeNow = (uri: string) => URI.parse(uri).generate({ timestamp: clock.now().getTime() });

async function withBrowser(options: Parameters<typeof openBrowser>[0], body: (browser: OpenBrowser) => Promise<void>) {
  const browser = await openBrowser(options);
  try {
    await body(browser);
    expect(browser.errors).toEqual([]);
  } catch (error) {
    const name = expect.getState().currentTestName ?? 'unnamed';
    await screenshot(browser.page, `failed-totp-${name}`).catch(() => undefined);
    throw error;
  } finally {
    await browser.close();
  }
}

async function fillLogin(page: Page, username: string, password: string) {
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('form button[type=submit]').click();
}

/** A bureau account with two-factor sign-in on, enrolled through the API. */
async function bureauWithTotp() {
  const user = await createAccount(server.prisma, 'bureau');
  const api = apiClient(server.url);
  const token = await api.login(user.username, user.password);
  const setup = await api.post('/api/auth/totp/setup', undefined, { token });
  const enabled = await api.post('/api/auth/totp/enable', { code: codeNow(setup.body.uri) }, { token });
  expect(enabled.status).toBe(200);
  nextStep();
  return { user, uri: setup.body.uri as string };
}

describe('two-step sign-in', { timeout: 120_000 }, () => {
  it('a bureau account signs in with its password, then the authenticator code', async () => {
    const { user, uri } = await bureauWithTotp();
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await fillLogin(page, user.username, user.password);

      const codeForm = page.locator('[data-test=login-code-form]');
      await codeForm.waitFor();
      await expect(page.locator('.login-card__subtitle').textContent()).resolves.toBe('请输入身份验证器中的 6 位动态码');
      await expect(page.evaluate(() => localStorage.getItem('zz.token'))).resolves.toBeNull();

      // Checked in the page first, then by the server.
      await page.locator('#login-code').fill('12');
      await codeForm.locator('button[type=submit]').click();
      await expect(page.locator('#login-code-error').textContent()).resolves.toBe('请输入 6 位数字动态码');
      const wrong = String((Number(codeNow(uri)) + 500_000) % 1_000_000).padStart(6, '0');
      await page.locator('#login-code').fill(wrong);
      await codeForm.locator('button[type=submit]').click();
      await expect(page.locator('#login-code-error').textContent()).resolves.toBe('动态码错误，请输入身份验证器中当前的 6 位动态码');
      await screenshot(page, 'login-totp-code-desktop');

      await page.locator('#login-code').fill(codeNow(uri));
      await codeForm.locator('button[type=submit]').click();
      await page.waitForURL(`${server.url}/bureau`);
      await page.locator('[data-test=current-role]').waitFor();
      await expect(page.evaluate(() => localStorage.getItem('zz.refresh'))).resolves.toEqual(expect.any(String));
    });
    // The wrong code counted; the sign-in cleared it.
    expect(await server.prisma.signInFailure.count({ where: { username: signInCountName(server.env.JWT_SECRET, user.username) } })).toBe(0);
    const failures = await server.prisma.auditLog.count({ where: { entityId: user.id, action: 'auth.totp_verify_failure' } });
    expect(failures).toBe(1);
  });

  it('works on a phone, in English', async () => {
    nextStep();
    const { user, uri } = await bureauWithTotp();
    await withBrowser(PHONE, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await page.locator('[data-test=locale-en]').click();
      await fillLogin(page, user.username, user.password);
      await page.locator('#login-code').waitFor();
      await expect(page.locator('.login-card__subtitle').textContent()).resolves.toBe('Enter the 6-digit code from your authenticator app');
      await expect(page.locator('#login-code').getAttribute('inputmode')).resolves.toBe('numeric');
      await expect(page.locator('#login-code').getAttribute('autocomplete')).resolves.toBe('one-time-code');
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'login-totp-code-phone-en');

      await page.locator('#login-code').fill(codeNow(uri));
      await page.locator('[data-test=login-code-form] button[type=submit]').click();
      await page.waitForURL(`${server.url}/bureau`);
      await expect(page.locator('[data-test=current-role]').textContent()).resolves.toBe('Education bureau');
    });
  });
});

describe('enrolling', { timeout: 120_000 }, () => {
  it('sends a bureau account without TOTP to the security page, and on once enrolled', async () => {
    nextStep();
    const user = await createAccount(server.prisma, 'bureau');
    await withBrowser(PHONE, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await fillLogin(page, user.username, user.password);
      await page.waitForURL(`${server.url}/bureau/security`);
      await page.locator('[data-test=totp-required]').waitFor();

      // Every other page leads back here until it is on.
      await page.goto(`${server.url}/bureau/rounds`);
      await page.waitForURL(`${server.url}/bureau/security`);

      await page.locator('[data-test=totp-start]').click();
      await page.locator('[data-test=totp-qr]').waitFor();
      const secret = (await page.locator('[data-test=totp-secret]').textContent())!.replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const link = await page.locator('.security-setup__link').getAttribute('href');
      expect(URI.parse(link!).secret.base32).toBe(secret);
      await expect(page.locator('[data-test=totp-qr]').evaluate((img: HTMLImageElement) => img.naturalWidth)).resolves.toBeGreaterThan(0);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'bureau-totp-setup-phone');

      await page.locator('#totp-code').fill(codeNow(link!));
      await page.locator('[data-test=totp-enable]').click();
      await page.waitForURL(`${server.url}/bureau`);
      await page.locator('[data-test=nav-security]').click();
      await page.waitForURL(`${server.url}/bureau/security`);
      await expect(page.locator('[data-test=totp-status]').textContent()).resolves.toContain('两步验证已开启');
      await screenshot(page, 'bureau-totp-enabled-phone');
    });
    const row = await server.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpEnabledAt).not.toBeNull();
  });
});

describe('session renewal', { timeout: 120_000 }, () => {
  it('renews an access token that expired mid-session without the user noticing', async () => {
    const user = await createAccount(server.prisma, 'auditor');
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await fillLogin(page, user.username, user.password);
      await page.waitForURL(`${server.url}/auditor`);
      await page.locator('[data-test=current-role]').waitFor();
      await page.waitForLoadState('networkidle');
      const before = await page.evaluate(() => [localStorage.getItem('zz.token'), localStorage.getItem('zz.refresh')]);

      const calls: { path: string; status: number }[] = [];
      page.on('response', (response) => {
        const url = new URL(response.url());
        if (url.pathname.startsWith('/api/')) calls.push({ path: url.pathname, status: response.status() });
      });

      // The one-minute access token runs out while the page is open.
      clock.advance(2 * 60_000);
      const auditLoaded = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/audit' && r.status() === 200);
      await page.locator('[data-test=nav-audit]').click();
      await page.waitForURL(`${server.url}/auditor/audit`);
      await auditLoaded;

      expect(calls.filter((c) => c.path === '/api/auth/refresh')).toEqual([{ path: '/api/auth/refresh', status: 200 }]);
      expect(calls.filter((c) => c.status === 401).map((c) => c.path)).toEqual(['/api/audit']);
      expect(calls.filter((c) => c.path !== '/api/auth/refresh' && c.status !== 401).every((c) => c.status === 200)).toBe(true);
      expect(await page.locator('main .el-alert--error').count()).toBe(0);
      const after = await page.evaluate(() => [localStorage.getItem('zz.token'), localStorage.getItem('zz.refresh')]);
      expect(after[0]).not.toBe(before[0]);
      expect(after[1]).not.toBe(before[1]);
      await screenshot(page, 'auditor-audit-after-renewal');

      // A reload later works the same way, from the stored refresh token.
      clock.advance(2 * 60_000);
      await page.reload();
      await page.waitForURL(`${server.url}/auditor/audit`);
      await page.locator('[data-test=current-role]').waitFor();
    });
  });

  it('goes to login when the session cannot be renewed', async () => {
    const user = await createAccount(server.prisma, 'auditor');
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await fillLogin(page, user.username, user.password);
      await page.waitForURL(`${server.url}/auditor`);
      await page.locator('[data-test=current-role]').waitFor();

      // The refresh token ends too (logout elsewhere), then the access token expires.
      const token = await page.evaluate(() => localStorage.getItem('zz.token'));
      expect((await apiClient(server.url).post('/api/auth/logout', undefined, { token: token! })).status).toBe(204);
      clock.advance(2 * 60_000);
      await page.locator('[data-test=nav-audit]').click();
      await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('expired') === '1');
      await expect(page.evaluate(() => [localStorage.getItem('zz.token'), localStorage.getItem('zz.refresh')])).resolves.toEqual([null, null]);
    });
  });
});
