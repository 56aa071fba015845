import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../support/clock';
import { createUser } from '../support/factories';
import { seedSchoolPortalCity, type SchoolPortalCity } from '../support/school-portal-fixture';
import { startTestServer, type TestServer } from '../support/server';
import { DESKTOP, openBrowser, screenshot, type OpenBrowser } from './support/browser';

/**
 * The built client under the server's Content Security Policy (server/app.ts):
 * the login page and, once signed in, several role homes and work pages load
 * without a single CSP violation (no inline script, no eval, no foreign
 * origin). Violations are caught twice: `securitypolicyviolation` events in
 * the page and Chromium's console reports. A control case injects an inline
 * script to prove the watch catches one. Needs `npm run build:client`.
 */

const CLIENT_INDEX = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));

let server: TestServer;
let city: SchoolPortalCity;
let student: { username: string; password: string };
let auditor: { username: string; password: string };

beforeAll(async () => {
  if (!existsSync(CLIENT_INDEX)) throw new Error('dist/client is missing: run `npm run build:client` before the browser tests');
  const clock = createTestClock();
  server = await startTestServer({ clock });
  city = await seedSchoolPortalCity(server.prisma);
  clock.set(city.during('confirmation'));
  const s = city.students.open;
  student = await createUser(server.prisma, { role: 'student', username: s.examNo, studentId: s.id, regionCode: s.regionCode, displayName: s.name });
  auditor = await createUser(server.prisma, { role: 'auditor' });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

/** A browser whose every page records CSP violations, from the first script on. */
async function watchedBrowser(): Promise<OpenBrowser & { violations: () => Promise<string[]>; goto: (path: string) => Promise<void> }> {
  const browser = await openBrowser(DESKTOP);
  const seen: string[] = [];
  browser.context.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame|evaluate)/i.test(text)) seen.push(text);
  });
  await browser.context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations!.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  /** The violations of the page shown now (a navigation starts a new list). */
  const inPage = () => browser.page.evaluate(() => window.__cspViolations ?? []).catch(() => [] as string[]);
  return {
    ...browser,
    async violations() {
      return [...seen, ...(await inPage())];
    },
    async goto(path: string) {
      seen.push(...(await inPage()));
      await browser.page.goto(`${server.url}${path}`);
      await browser.page.locator('[data-test=current-role]').waitFor();
      await browser.page.waitForLoadState('networkidle');
    },
  };
}

/** Signs in on the login page shown and waits for the home to settle. */
async function signIn(page: Page, user: { username: string; password: string }, home: string) {
  await page.locator('#login-username').fill(user.username);
  await page.locator('#login-password').fill(user.password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(`${server.url}${home}`);
  await page.locator('[data-test=current-role]').waitFor();
  await page.waitForLoadState('networkidle');
}

describe('Content Security Policy in the browser', { timeout: 180_000 }, () => {
  it('catches a violation when one happens (the watch works)', async () => {
    const browser = await watchedBrowser();
    try {
      await browser.page.goto(`${server.url}/login`);
      await browser.page.locator('#login-username').waitFor();
      await browser.page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.body.appendChild(script);
      });
      await expect.poll(() => browser.violations()).not.toEqual([]);
      expect(await browser.page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    } finally {
      await browser.close();
    }
  });

  const journeys: { name: string; user: () => { username: string; password: string }; home: string; pages: string[] }[] = [
    { name: 'bureau', user: () => city.users.bureau, home: '/bureau', pages: ['/bureau/rounds', '/bureau/setup', '/bureau/dashboard', '/bureau/flags', '/bureau/accounts'] },
    { name: 'auditor', user: () => auditor, home: '/auditor', pages: ['/auditor/dashboard', '/auditor/audit'] },
    { name: 'high school', user: () => city.users.highUser, home: '/high', pages: ['/high/admissions'] },
    { name: 'junior school', user: () => city.users.juniorUser, home: '/junior', pages: ['/junior/status', '/junior/accounts'] },
    { name: 'student', user: () => student, home: '/student', pages: ['/student/result', '/student/choices'] },
  ];

  for (const journey of journeys) {
    it(`loads the login page and the ${journey.name}'s pages without a violation`, async () => {
      const browser = await watchedBrowser();
      try {
        const response = await browser.page.goto(`${server.url}/login`);
        expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
        await browser.page.locator('#login-username').waitFor();
        expect(await browser.violations()).toEqual([]);

        await signIn(browser.page, journey.user(), journey.home);
        // Each work page loaded afresh (the session survives a reload), so its own chunks and requests run under the policy.
        for (const path of journey.pages) {
          await browser.goto(path);
          expect(new URL(browser.page.url()).pathname).toBe(path);
        }
        await screenshot(browser.page, `csp-${journey.name.replace(/\s+/g, '-')}`);
        expect(await browser.violations()).toEqual([]);
        expect(browser.errors).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  }
});
