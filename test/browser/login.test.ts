import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInCountName } from '../../server/domain/auth/auth.rules';
import { createAccount, createStudent, createUser } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { DESKTOP, PHONE, horizontalOverflow, openBrowser, screenshot, type OpenBrowser } from './support/browser';

/**
 * The client foundation in Chromium against the real server and database:
 * each role logs in through the login page and reaches its own home; errors
 * show in the user's language; English is a switch away; a phone is enough.
 * The server serves the built client: run `npm run build:client` first.
 */

const ROLES = ['student', 'junior', 'high', 'bureau', 'auditor'] as const;
type Role = (typeof ROLES)[number];

const ROLE_LABEL_ZH: Record<Role, string> = {
  student: '学生',
  junior: '初中学校',
  high: '高中学校',
  bureau: '教育局',
  auditor: '督导',
};

const CLIENT_INDEX = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));

interface Account {
  username: string;
  password: string;
  displayName: string;
}

let server: TestServer;
const accounts = {} as Record<Role, Account>;
/** The student's full ID number, which must never appear on a page. */
let studentIdCardNo: string;

beforeAll(async () => {
  if (!existsSync(CLIENT_INDEX)) {
    throw new Error('dist/client is missing: run `npm run build:client` before the browser tests');
  }
  server = await startTestServer();
  const { prisma } = server;

  // A student signs in with the exam number (准考证号), as in real life.
  const student = await createStudent(prisma);
  studentIdCardNo = student.idCardNo;
  const studentUser = await createUser(prisma, {
    role: 'student',
    username: student.examNo,
    displayName: student.name,
    studentId: student.id,
    regionCode: student.regionCode,
  });
  accounts.student = studentUser;
  for (const role of ['junior', 'high', 'bureau', 'auditor'] as const) {
    accounts[role] = await createAccount(prisma, role);
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/**
 * Runs `body` in a fresh Chromium profile and checks the page logged no
 * errors; on a failure, keeps a screenshot of where the page was.
 */
async function withBrowser(options: Parameters<typeof openBrowser>[0], body: (browser: OpenBrowser) => Promise<void>) {
  const browser = await openBrowser(options);
  try {
    await body(browser);
    expect(browser.errors).toEqual([]);
  } catch (error) {
    const name = expect.getState().currentTestName ?? 'unnamed';
    await screenshot(browser.page, `failed-login-${name}`).catch(() => undefined);
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

/**
 * Waits until the role's home has loaded its data. Only what every home
 * shares is relied on (the header, no error), so the test survives the homes
 * growing into full portals.
 */
async function waitForHome(page: Page, role: Role) {
  await page.waitForURL(`${server.url}/${role}`);
  await page.locator('[data-test=current-role]').waitFor();
  await page.waitForLoadState('networkidle');
}

/** The texts of the error alerts on the page (failed API calls show as these). */
function errorAlerts(page: Page): Promise<string[]> {
  return page.locator('main .el-alert--error').allTextContents();
}

describe('login through the UI', { timeout: 120_000 }, () => {
  it.each(ROLES)('%s logs in and reaches its own home', async (role) => {
    const account = accounts[role];
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await expect(page.title()).resolves.toBe('株洲市高中阶段学校招生平台');

      await fillLogin(page, account.username, account.password);
      await waitForHome(page, role);

      await expect(page.locator('[data-test=current-role]').textContent()).resolves.toBe(ROLE_LABEL_ZH[role]);
      await expect(page.locator('[data-test=current-user]').textContent()).resolves.toContain(account.displayName);
      await screenshot(page, `home-${role}-desktop`);
      expect(await errorAlerts(page)).toEqual([]);

      // Another role's page sends the user back to their own home.
      const other = role === 'bureau' ? 'student' : 'bureau';
      await page.goto(`${server.url}/${other}`);
      await waitForHome(page, role);

      // A reload keeps the session (GET /api/auth/me with the saved token).
      await page.reload();
      await waitForHome(page, role);
    });
  });

  it('opens the login page at the root URL', async () => {
    await withBrowser(DESKTOP, async ({ page }) => {
      const response = await page.goto(`${server.url}/`);
      expect(response?.status()).toBe(200);
      await page.waitForURL(`${server.url}/login`);
      await page.locator('#login-username').waitFor();
    });
  });

  it('never shows a full ID number on the student home', async () => {
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await fillLogin(page, accounts.student.username, accounts.student.password);
      await waitForHome(page, 'student');
      await expect(page.content()).resolves.not.toContain(studentIdCardNo);
    });
  });

  it('shows a wrong password inline, in Chinese', async () => {
    // An account of its own, so the failed attempt counts against nobody else.
    const user = await createAccount(server.prisma, 'high');
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await fillLogin(page, user.username, 'Wrong-passw0rd');
      const error = page.locator('[data-test=login-error]');
      await error.waitFor();
      await expect(error.textContent()).resolves.toContain('用户名或密码错误');
      expect(new URL(page.url()).pathname).toBe('/login');
      await expect(page.locator('#login-password').inputValue()).resolves.toBe('');
      await screenshot(page, 'login-wrong-password-zh');
    });
  });

  it('shows the sign-in throttle\'s wait and holds the button for this account only', async () => {
    const user = await createAccount(server.prisma, 'high');
    // Eight failures from this machine a moment ago: its next attempt for this account waits 8 s, unchecked.
    const lastFailureAt = new Date();
    for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '::1']) {
      await server.prisma.signInFailure.create({ data: { username: signInCountName(server.env.JWT_SECRET, user.username), address, failures: 8, lastFailureAt } });
    }
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await fillLogin(page, user.username, user.password);
      const error = page.locator('[data-test=login-error]');
      await error.waitFor();
      await expect(error.textContent()).resolves.toMatch(/该账号在本设备上登录失败次数过多，请 \d 秒后再试/);
      await expect(page.locator('form button[type=submit]').isDisabled()).resolves.toBe(true);
      await screenshot(page, 'login-throttled-zh');
      // Another account may be tried at once from the same machine.
      await page.locator('#login-username').fill(accounts.high.username);
      await expect(page.locator('form button[type=submit]').isDisabled()).resolves.toBe(false);
    });
  });

  it('asks for both fields before calling the server', async () => {
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await page.locator('form button[type=submit]').click();
      await expect(page.locator('.login-form__error').allTextContents()).resolves.toEqual([
        '请输入准考证号或账号',
        '请输入密码',
      ]);
    });
  });

  it('switches to English, remembers it, and gets server errors in English', async () => {
    const user = await createAccount(server.prisma, 'junior');
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await page.locator('[data-test=locale-en]').click();
      await expect(page.locator('h2').first().textContent()).resolves.toBe('Log in');
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await expect(page.title()).resolves.toBe('Zhuzhou Senior High School Admissions');

      await fillLogin(page, user.username, 'Wrong-passw0rd');
      await page.locator('[data-test=login-error]').waitFor();
      await expect(page.locator('[data-test=login-error]').textContent()).resolves.toContain('Wrong username or password');
      await screenshot(page, 'login-wrong-password-en');

      await page.reload();
      await expect(page.locator('h2').first().textContent()).resolves.toBe('Log in');

      await fillLogin(page, user.username, user.password);
      await waitForHome(page, 'junior');
      await expect(page.locator('[data-test=current-role]').textContent()).resolves.toBe('Junior high school');
      await expect(page.locator('[data-test=logout]').textContent()).resolves.toContain('Log out');
      await screenshot(page, 'home-junior-en');

      // And back to Chinese from the header.
      await page.locator('[data-test=locale-zh-CN]').click();
      await expect(page.locator('[data-test=current-role]').textContent()).resolves.toBe('初中学校');
    });
  });

  it('works on a 375 px wide phone', async () => {
    await withBrowser(PHONE, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'login-phone');

      await fillLogin(page, accounts.student.username, accounts.student.password);
      await waitForHome(page, 'student');
      expect(await horizontalOverflow(page)).toBe(0);
      const logout = await page.locator('[data-test=logout]').boundingBox();
      expect(logout).not.toBeNull();
      expect(logout!.x + logout!.width).toBeLessThanOrEqual(375);
      await screenshot(page, 'home-student-phone');

      await page.locator('[data-test=locale-en]').click();
      await expect(page.locator('[data-test=current-role]').textContent()).resolves.toBe('Student');
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'home-student-phone-en');
    });
  });

  it('sends a first login to the password page before anything else', async () => {
    const user = await createAccount(server.prisma, 'high', { mustChangePassword: true });
    await withBrowser(PHONE, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await fillLogin(page, user.username, user.password);
      await page.waitForURL(`${server.url}/password`);
      await page.locator('[data-test=must-change-password]').waitFor();

      await page.goto(`${server.url}/high`);
      await page.waitForURL(`${server.url}/password`);
      await screenshot(page, 'password-first-login-phone');

      // The client checks the rule before sending.
      await page.locator('#password-currentPassword').fill(user.password);
      await page.locator('#password-newPassword').fill('onlyletters');
      await page.locator('#password-confirmPassword').fill('onlyletters');
      await page.locator('form button[type=submit]').click();
      await expect(page.locator('.password-form__error').textContent()).resolves.toBe('新密码须同时包含字母和数字');

      await page.locator('#password-newPassword').fill('Zhuzhou-2025');
      await page.locator('#password-confirmPassword').fill('Zhuzhou-2025');
      await page.locator('form button[type=submit]').click();
      await waitForHome(page, 'high');
    });
    // The new password works, the old one does not.
    const login = (password: string) =>
      fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username, password }),
      });
    expect((await login('Zhuzhou-2025')).status).toBe(200);
    expect((await login(user.password)).status).toBe(401);
  });

  it('remembers the page asked for before login, and logs out', async () => {
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${server.url}/auditor`);
      await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === '/auditor');
      await fillLogin(page, accounts.auditor.username, accounts.auditor.password);
      await waitForHome(page, 'auditor');

      await page.locator('[data-test=logout]').click();
      await page.waitForURL(`${server.url}/login`);
      await expect(page.evaluate(() => localStorage.getItem('zz.token'))).resolves.toBeNull();
      await expect(page.evaluate(() => localStorage.getItem('zz.refresh'))).resolves.toBeNull();
      await page.goto(`${server.url}/auditor`);
      await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === '/auditor');
    });
  });

  it('returns to login when the session is ended elsewhere', async () => {
    const user = await createAccount(server.prisma, 'bureau');
    await withBrowser(DESKTOP, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await fillLogin(page, user.username, user.password);
      await waitForHome(page, 'bureau');

      // Logging out anywhere revokes every token of the account, refresh tokens too.
      const token = await page.evaluate(() => localStorage.getItem('zz.token'));
      const logout = await fetch(`${server.url}/api/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(logout.status).toBe(204);

      await page.reload();
      await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === '/bureau');
      await expect(page.evaluate(() => [localStorage.getItem('zz.token'), localStorage.getItem('zz.refresh')])).resolves.toEqual([null, null]);
    });
  });

  it('keeps role pages and charts out of the login page', async () => {
    await withBrowser(PHONE, async ({ page }) => {
      const scripts: Promise<{ url: string; bytes: number }>[] = [];
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script') {
          scripts.push(response.body().then((body) => ({ url: response.url(), bytes: body.length })));
        }
      });
      await page.goto(`${server.url}/login`, { waitUntil: 'networkidle' });
      const loaded = await Promise.all(scripts);
      const names = loaded.map((script) => new URL(script.url).pathname);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((name) => /HomeView|AppLayout|echarts/i.test(name))).toEqual([]);
      const total = loaded.reduce((sum, script) => sum + script.bytes, 0);
      console.info(`login page: ${names.length} script(s), ${(total / 1024).toFixed(1)} kB uncompressed`);
    });
  });
});
