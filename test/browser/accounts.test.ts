import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBJECTS } from '../../server/demo/types';
import { IMPORT_COLUMNS, type ImportKind } from '../../server/domain/imports/columns';
import { scheduleFrom, type Phase } from '../../server/domain/schedule/schedule';
import { createTestClock } from '../support/clock';
import { createAccount, freeCycleYear, uniqueSuffix } from '../support/factories';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';
import { DESKTOP, PHONE, horizontalOverflow, openBrowser, screenshot, type OpenBrowser } from './support/browser';

/**
 * Accounts in Chromium against the real server, from files as a bureau has
 * them: the bureau imports regions, schools and students (CSV through
 * POST /api/imports/:kind, which makes an account without a usable password
 * for each), gives the junior school its activation code, the junior school
 * activates, prints its students' account slips (账号条, .xlsx) and resets
 * one student; a student then activates on a phone with the code from the
 * slip and lands on the choices page. Needs `npm run build:client`.
 */

const DAY = 86_400_000;
const DAYS: Record<Phase, number> = { setup: 20, plans_published: 5, applications_open: 20, applications_closed: 5, round1: 3, confirmation: 5, supplementary: 5, registration: 10, closed: 30 };
const START = new Date('2032-01-01T00:00:00Z');
const windows = scheduleFrom(START, DAYS);
const clock = createTestClock(new Date(START.getTime() + 2 * DAY));
const PASSWORD = 'Zhuzhou2032ok';

let server: TestServer;
let api: ApiClient;
let bureauAccount: { username: string; password: string };
let cycleId: string | undefined;
/** The code the bureau gave the junior school's account. */
let juniorCode: string;
/** Codes read from the downloaded slips, by username. */
let slipCodes: Map<string, string>;

const sfx = uniqueSuffix().toUpperCase();
const REGION = `R${sfx}`;
const JUNIOR = `J${sfx}1`;
const OTHER_JUNIOR = `J${sfx}2`;
const HIGH = `H${sfx}1`;
const examBase = 10_000 + Math.floor(Math.random() * 80_000);

function idCard(n: number): string {
  const body = `430202200901${String(n).padStart(5, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

function student(i: number, juniorSchoolId: string) {
  return {
    examNo: `E${sfx}${examBase + i}`,
    name: ['王小明', '李小红', '张一凡', '赵子涵'][i % 4],
    idCardNo: idCard(examBase + i),
    gender: i % 2 ? '男' : '女',
    juniorSchoolId,
    enrolledSince: '2029-09-01',
    evaluation: 'A',
    ...Object.fromEntries(SUBJECTS.map((s) => [`score.${s.key}`, Math.min(s.max, 60 + i)])),
  };
}
const ours = [1, 2, 3].map((i) => student(i, JUNIOR));
const theirs = student(4, OTHER_JUNIOR);

/** A CSV in the import's own columns, as the bureau fills in the template. */
function csv(kind: ImportKind, rows: Record<string, string | number>[]): string {
  const cols = IMPORT_COLUMNS[kind];
  const line = (cells: (string | number)[]) => cells.map((c) => `"${String(c).replace(/"/g, '""')}"`).join(',');
  return [line(cols.map((c) => c.zh)), ...rows.map((r) => line(cols.map((c) => r[c.key] ?? '')))].join('\r\n') + '\r\n';
}

/** username -> code, read from the slips: each slip has a 用户名 row and, below it, a 激活码 row. */
function codesOnSlips(workbook: ExcelJS.Workbook): Map<string, string> {
  const found = new Map<string, string>();
  const sheet = workbook.worksheets[0];
  sheet.eachRow((row, r) => {
    row.eachCell((cell, c) => {
      if (cell.value !== '用户名') return;
      const username = String(sheet.getCell(r, c + 1).value);
      expect(sheet.getCell(r + 1, c).value).toBe('激活码');
      found.set(username, String(sheet.getCell(r + 1, c + 1).value));
    });
  });
  return found;
}

beforeAll(async () => {
  server = await startTestServer({ clock });
  api = apiClient(server.url);
  bureauAccount = await createAccount(server.prisma, 'bureau');
  const bureau = await api.login(bureauAccount.username, bureauAccount.password);
  const upload = async (kind: ImportKind, body: string) => {
    const res = await fetch(`${server.url}/api/imports/${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(Buffer.from(body)),
    });
    const json = await res.json();
    if (res.status !== 200) throw new Error(`import ${kind}: ${res.status} ${JSON.stringify(json)}`);
  };

  // Creating a cycle through the API archives the active ones: this one becomes the current one.
  const year = await freeCycleYear(server.prisma);
  const created = await api.post('/api/cycles', { year, name: `账号测试 ${year}`, windows, policy: { quotaEligibilityCutoff: '2030-09-01' } }, { token: bureau });
  if (created.status !== 201) throw new Error(`cycle: ${created.status} ${JSON.stringify(created.body)}`);
  cycleId = created.body.cycle.id;

  await upload('regions', csv('regions', [{ code: REGION, name: '账号测试区' }]));
  await upload('junior-schools', csv('junior-schools', [
    { id: JUNIOR, name: '账号测试一中', regionCode: REGION, graduates: 300 },
    { id: OTHER_JUNIOR, name: '账号测试二中', regionCode: REGION, graduates: 200 },
  ]));
  await upload('high-schools', csv('high-schools', [
    { id: HIGH, name: '账号测试高中', regionCode: REGION, ownership: '公办', scope: '属地', quality: '否', capacity: 110, classes: 2, batch: 1 },
  ]));
  await upload('students', csv('students', [...ours, theirs]));

  // The bureau gives the junior school its first sign-in.
  const issued = await api.post('/api/accounts/activation-codes', { usernames: [JUNIOR.toLowerCase()] }, { token: bureau });
  if (issued.status !== 200) throw new Error(`junior code: ${issued.status} ${JSON.stringify(issued.body)}`);
  juniorCode = issued.body.codes[0].code;

  // Applications are open: a student who activates has choices to make.
  clock.set(windows.find((w) => w.phase === 'applications_open')!.opensAt);
  clock.set(new Date(clock.now().getTime() + DAY));
}, 180_000);

afterAll(async () => {
  // Leave no active cycle behind for other test files.
  if (cycleId) await server.prisma.cycle.update({ where: { id: cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

async function withBrowser(options: Parameters<typeof openBrowser>[0], body: (browser: OpenBrowser) => Promise<void>) {
  const browser = await openBrowser(options);
  try {
    await body(browser);
    expect(browser.errors).toEqual([]);
  } finally {
    await browser.close();
  }
}

/** Fills the first sign-in form (the login page's link leads there). */
async function activate(page: Page, username: string, code: string) {
  await page.goto(`${server.url}/login`);
  await page.locator('[data-test=to-activate]').click();
  await page.waitForURL(`${server.url}/activate`);
  await page.locator('#activate-username').fill(username);
  await page.locator('#activate-code').fill(code);
  await page.locator('#activate-newPassword').fill(PASSWORD);
  await page.locator('#activate-confirmPassword').fill(PASSWORD);
  await page.locator('[data-test=activate-submit]').click();
}

describe('account slips and first sign-in', { timeout: 180_000 }, () => {
  it('a junior school activates, prints slips for exactly its students, and resets one', async () => {
    await withBrowser({ ...DESKTOP, acceptDownloads: true }, async ({ page }) => {
      await activate(page, JUNIOR.toLowerCase(), juniorCode.toLowerCase());
      await page.waitForURL(`${server.url}/junior`);
      await page.locator('[data-test=nav-accounts]').click();
      await page.waitForURL(`${server.url}/junior/accounts`);
      const list = page.locator('[data-test=student-accounts]');
      await expect.poll(async () => (await list.textContent()) ?? '').toContain(ours[0].examNo);
      const listed = (await list.textContent()) ?? '';
      for (const s of ours) expect(listed).toContain(s.examNo);
      expect(listed).not.toContain(theirs.examNo);
      expect(await page.content()).not.toContain(ours[0].idCardNo);

      // Print the slips: a confirmation first (earlier codes stop working), then the file.
      await page.locator('[data-test=download-slips]').click();
      await page.locator('[data-test=issue-confirm-ok]').waitFor();
      await screenshot(page, 'accounts-junior-confirm');
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=issue-confirm-ok]').click()]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const path = join(tmpdir(), `account-slips-${sfx}.xlsx`);
      await download.saveAs(path);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await readFile(path)) as unknown as ArrayBuffer);
      slipCodes = codesOnSlips(workbook);
      expect([...slipCodes.keys()].sort()).toEqual(ours.map((s) => s.examNo).sort());
      await page.locator('[data-test=slips-done]').waitFor();
      await screenshot(page, 'accounts-junior-desktop');

      // Reset one student: a new code, shown once, and the slip's code for that student is void.
      const reset = ours[2];
      await page.locator(`[data-test=reset-${reset.examNo}]`).click();
      await page.locator('[data-test=issue-confirm-ok]').click();
      const shown = page.locator(`[data-test=issued-${reset.examNo}] [data-test=issued-code]`);
      await shown.waitFor();
      const newCode = ((await shown.textContent()) ?? '').trim();
      expect(newCode).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      expect(newCode).not.toBe(slipCodes.get(reset.examNo));
      await screenshot(page, 'accounts-junior-reset');
      await page.locator('[data-test=issued-close]').click();
      await expect.poll(() => page.locator('[data-test=issued-code]').count()).toBe(0);

      const old = await api.post('/api/auth/activate', { username: reset.examNo, code: slipCodes.get(reset.examNo), newPassword: PASSWORD });
      expect(old.status).toBe(400);
      expect(old.body.error.code).toBe('INVALID_ACTIVATION_CODE');
    });
  });

  it('the junior school page fits a phone', async () => {
    await withBrowser(PHONE, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await page.locator('#login-username').fill(JUNIOR.toLowerCase());
      await page.locator('#login-password').fill(PASSWORD);
      await page.locator('form button[type=submit]').click();
      await page.waitForURL(`${server.url}/junior`);
      await page.goto(`${server.url}/junior/accounts`);
      await page.locator(`[data-test=reset-${ours[0].examNo}]`).waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'accounts-junior-phone');
    });
  });

  it('a student activates on a phone with the code from the slip and lands on the choices page', async () => {
    const me = ours[0];
    const code = slipCodes.get(me.examNo);
    expect(code).toBeTruthy();
    await withBrowser(PHONE, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'accounts-login-phone');
      await page.locator('[data-test=to-activate]').click();
      await page.waitForURL(`${server.url}/activate`);
      expect(await horizontalOverflow(page)).toBe(0);
      // Touch targets: the fields and the button are at least 40 px tall.
      for (const selector of ['#activate-username', '#activate-code', '[data-test=activate-submit]']) {
        const box = await page.locator(selector).boundingBox();
        expect(box?.height ?? 0, selector).toBeGreaterThanOrEqual(38);
      }
      await screenshot(page, 'accounts-activate-phone');

      // A password the rule refuses is named before anything is sent.
      await page.locator('#activate-username').fill(me.examNo);
      await page.locator('#activate-code').fill(code!);
      await page.locator('#activate-newPassword').fill('short1');
      await page.locator('#activate-confirmPassword').fill('short1');
      await page.locator('[data-test=activate-submit]').click();
      await expect(page.locator('[data-test=activate-newPassword-error]').textContent()).resolves.toContain('至少 8 位');
      await screenshot(page, 'accounts-activate-phone-error');

      // As typed from paper: lower case, a space instead of the dash.
      await page.locator('#activate-code').fill(code!.toLowerCase().replace('-', ' '));
      await page.locator('#activate-newPassword').fill(PASSWORD);
      await page.locator('#activate-confirmPassword').fill(PASSWORD);
      await page.locator('[data-test=activate-submit]').click();
      await page.waitForURL(`${server.url}/student/choices`);
      await page.locator('[data-test=batch-1]').waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await page.content()).not.toContain(me.idCardNo);
      await screenshot(page, 'accounts-student-choices-phone');
    });

    // The code is used up; the new password signs in.
    const again = await api.post('/api/auth/activate', { username: me.examNo, code, newPassword: `${PASSWORD}x` });
    expect(again.status).toBe(400);
    expect((await api.post('/api/auth/login', { username: me.examNo, password: PASSWORD })).status).toBe(200);
  });

  it('the bureau resets a listed account on its 账号管理 page, shown once; an unknown name is refused by name', async () => {
    await withBrowser(PHONE, async ({ page }) => {
      await page.goto(`${server.url}/login`);
      await page.locator('#login-username').fill(bureauAccount.username);
      await page.locator('#login-password').fill(bureauAccount.password);
      await page.locator('form button[type=submit]').click();
      await page.waitForURL(`${server.url}/bureau`);
      await page.locator('[data-test=nav-accounts]').click();
      await page.waitForURL(`${server.url}/bureau/accounts`);

      await page.locator('[data-test=target-usernames]').click();
      await page.locator('textarea[data-test=issue-usernames]').fill(`${HIGH.toLowerCase()}\nnobody-${sfx.toLowerCase()}`);
      await page.locator('[data-test=issue-show]').click();
      await page.locator('[data-test=issue-confirm-ok]').click();
      await expect(page.locator('[data-test=accounts-error]').textContent()).resolves.toContain(`nobody-${sfx.toLowerCase()}`);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'accounts-bureau-phone-error');

      await page.locator('textarea[data-test=issue-usernames]').fill(HIGH.toLowerCase());
      await page.locator('[data-test=issue-show]').click();
      await page.locator('[data-test=issue-confirm-ok]').click();
      const shown = page.locator(`[data-test=issued-${HIGH.toLowerCase()}] [data-test=issued-code]`);
      await shown.waitFor();
      expect(((await shown.textContent()) ?? '').trim()).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, 'accounts-bureau-phone-codes');
      await page.locator('[data-test=issued-close]').click();
      await expect.poll(() => page.locator('[data-test=issued-code]').count()).toBe(0);
    });
  });
});
