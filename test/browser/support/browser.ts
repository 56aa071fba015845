import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Chromium for the browser tests: Debian's package driven by playwright-core
 * (STACK.md, "Browser tests"). Playwright cannot download a browser on these
 * machines, so the path is fixed and checked up front.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));

/** A phone the size of the smallest common ones (iPhone SE / 6 / 7 / 8 class). */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

export const DESKTOP: BrowserContextOptions = {
  viewport: { width: 1280, height: 800 },
};

export interface OpenBrowser {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors seen so far on any page; a test expects none. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Starts Chromium with a fresh profile (its own --user-data-dir, removed on
 * close), so no token or language choice leaks from one test to the next.
 */
export async function openBrowser(options: BrowserContextOptions = DESKTOP): Promise<OpenBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install it with ` +
        '`apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium`',
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'zz-chromium-'));
  // Playwright takes the profile folder here and passes --user-data-dir itself;
  // it refuses the flag in `args`.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...options,
  });
  // Generous: CI machines with two cores under a parallel test load take
  // seconds to render a page; a real failure still shows within the test timeout.
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);

  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // A failed API call (401 on a wrong password) logs a resource error: expected, not a bug.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        errors.push(`console: ${message.text()}`);
      }
    });
  };
  context.on('page', watch);
  contextErrors.set(context, errors);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);

  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Saves a full-page PNG as test-artifacts/screenshots/<name>.png (kept as a
 * test artifact, and looked at by people) and returns its path.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await checkAccessibility(page, name);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  // Fonts and images settle first, so CJK text is not captured half-drawn.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  return path;
}

/**
 * How many CSS pixels the page is wider than the viewport (0 when it fits).
 * Compared with the emulated screen, not the layout viewport: a phone
 * browser widens that to fit an overflowing page, hiding the problem.
 */
export async function horizontalOverflow(page: Page): Promise<number> {
  const width = page.viewportSize()?.width ?? 0;
  const contentWidth = await page.evaluate(() =>
    Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
  );
  return Math.max(0, contentWidth - width);
}

/** The errors list of each open browser, so helpers given only a page can report into it. */
const contextErrors = new WeakMap<BrowserContext, string[]>();

let axeSource: string | undefined;

/** WCAG 2.0/2.1 levels A and AA: the bar every page of the platform meets. */
const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

/**
 * Runs axe-core on the page as it stands and reports every WCAG 2 AA
 * violation into the browser's `errors` list, which each test expects empty.
 * `screenshot()` calls it, so every step a test records is also checked.
 * axe is evaluated through the DevTools protocol, which the page's CSP does
 * not govern, so the CSP under test stays exactly the production one.
 * On by default; A11Y=off skips it (for example while bisecting an unrelated failure).
 */
export async function checkAccessibility(page: Page, where: string): Promise<AxeViolation[]> {
  if (process.env.A11Y === 'off') return [];
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Settled: fonts loaded and transitions finished (a dialog fading in has low contrast for a moment).
  await page.evaluate(() =>
    document.fonts.ready.then(() =>
      Promise.all(
        document
          .getAnimations()
          // A spinner loops for ever: wait only for animations that end.
          .filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime ?? Infinity)))
          .map((a) => a.finished.catch(() => undefined)),
      ),
    ),
  );
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.evaluate(`${axeSource}\n;0`);
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA_TAGS)} }, resultTypes: ['violations'] })
       .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
         nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) })))`,
  )) as AxeViolation[];
  const errors = contextErrors.get(page.context());
  for (const violation of violations) {
    const targets = violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ');
    const first = violation.nodes[0];
    const why = first?.failureSummary?.replace(/\s+/g, ' ') ?? '';
    const html = first?.html.slice(0, 160) ?? '';
    errors?.push(`a11y (${where}): ${violation.id} [${violation.impact}] ${violation.help}: ${targets} ${html} (${why})`);
  }
  return violations;
}
