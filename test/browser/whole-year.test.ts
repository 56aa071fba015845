/**
 * One whole year on the demo city (issue 13), in Chromium against the real
 * API with the workers running: every role does its part of the schedule, a
 * phone for the families and a desktop for the schools, the bureau and the
 * auditor, with a screenshot at each step
 * (test-artifacts/screenshots/whole-year-NN-<step>.png).
 *
 *  1. a student sees the home page and saves choices while applications are open;
 *  2. the student's junior school sees the application status; a high school its plan;
 *  3. the bureau ends the application window, runs round 1 on the rounds page and publishes it;
 *  4. the student confirms, a student admitted at that high school declines, an unplaced one sees so;
 *  5. the unplaced student lists a 补录 choice; the bureau runs and publishes 补录;
 *  6. in the registration window the high school registers a round-1 and a 补录 student
 *     (and is refused one the platform placed nowhere);
 *  7. after 补录, the high school's list, the junior school's status page and the
 *     bureau's dashboard still show round 1 (plus 补录), in the numbers the database holds;
 *  8. the auditor opens the audit log and the flag the refused registration raised.
 *
 * The demo city is `npm start`'s (seed zhuzhou-demo, 45,000 students) in a
 * database of its own (./support/whole-year.ts). WHOLE_YEAR_STUDENTS=n loads
 * a smaller city while working on the test; the default is the demo's size.
 * The clock moves from phase to phase; the stage times are printed at the end.
 * Needs the built client (the browser project's global setup builds it).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Phase } from '../../server/db';
import type { DemoCity } from '../../server/demo/generate';
import { DESKTOP, PHONE, horizontalOverflow, openBrowser, screenshot, type OpenBrowser } from './support/browser';
import { DEMO_PASSWORD, DEMO_STUDENTS, startDemoYear, yearFromDatabase, type DemoYear } from './support/whole-year';

type DemoStudent = DemoCity['students'][number];
type DemoHighSchool = DemoCity['highSchools'][number];

const STUDENTS = Number(process.env.WHOLE_YEAR_STUDENTS ?? DEMO_STUDENTS);
const LOAD_AT = new Date('2026-06-01T00:00:00Z');
const ROUND1 = '全市第一轮正式录取';
const SUPPLEMENTARY = '全市补录';
/** Polls wait long: the API reads a 45,000-student year on a busy two-core machine. */
const SLOW = { timeout: 60_000, interval: 250 };

let year: DemoYear;
/** The junior school followed through the year (the demo's largest) and its best student. */
let junior: DemoCity['juniorSchools'][number];
let studentA: DemoStudent;
/** A batch-3 school with no minimum that admits the junior school's students: where 补录 can place them. */
let high: DemoHighSchool;
/** Set after round 1: a student admitted at `high` who declines, and an unplaced student of `junior`. */
let studentB: { examNo: string; id: string };
let studentC: { examNo: string; id: string };

const started = performance.now();
/** From the click on 录取名单 to its first rows, after 补录 (printed; the machine is shared, so not asserted here). */
let listShownMs: number | undefined;
const stepTimes: [string, number][] = [];
let stepStart = performance.now();
function lap(step: string) {
  const now = performance.now();
  stepTimes.push([step, Math.round(now - stepStart)]);
  stepStart = now;
}

beforeAll(async () => {
  year = await startDemoYear({ now: LOAD_AT, students: STUDENTS });
  const { city } = year;
  const size = new Map<string, number>();
  for (const s of city.students) size.set(s.juniorSchoolId, (size.get(s.juniorSchoolId) ?? 0) + 1);
  junior = [...city.juniorSchools].sort((a, b) => (size.get(b.id) ?? 0) - (size.get(a.id) ?? 0) || a.id.localeCompare(b.id))[0];
  studentA = city.students.filter((s) => s.juniorSchoolId === junior.id).sort((a, b) => b.total - a.total || a.examNo.localeCompare(b.examNo))[0];
  const admitsJunior = (h: DemoHighSchool) => h.scope === 'city' || h.regionCode === junior.regionCode;
  high = city.highSchools
    .filter((h) => h.batch === 3 && h.minScore == null && h.minEvaluation == null && admitsJunior(h))
    .sort((a, b) => Number(b.regionCode === junior.regionCode) - Number(a.regionCode === junior.regionCode) || b.capacity - a.capacity)[0];
  expect(high, 'a batch-3 school without minimum open to the junior school').toBeDefined();
  // The demo's choices are saved at load time; the year goes on from a little later (a save at the deadline's instant does not count).
  year.clock.advance(30 * 60_000);
  lap('setup');
}, 600_000);

afterAll(async () => {
  await year?.stop();
  const total = Math.round(performance.now() - started);
  const setup = Object.entries(year?.timings ?? {}).map(([k, v]) => `${k} ${v} ms`).join(', ');
  console.log(
    `whole year on the demo city (${STUDENTS} students): ${total} ms in all; setup: ${setup}\n` +
      `  ${high?.id} admission list, click to first rows: ${listShownMs ?? '—'} ms\n` +
      stepTimes.map(([step, ms]) => `  ${step}: ${ms} ms`).join('\n'),
  );
});

async function signIn(page: Page, username: string, home: string) {
  await page.goto(`${year.server.url}/login`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(DEMO_PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(`${year.server.url}${home}`);
}

/** A role's part in a fresh browser; its JavaScript errors (and, with A11Y=on, axe violations) must be none. */
async function asRole(options: typeof DESKTOP, body: (browser: OpenBrowser) => Promise<void>) {
  const browser = await openBrowser(options);
  try {
    await body(browser);
  } finally {
    await browser.close();
    // Soft: a role's findings are reported (even when a step failed) and the year walks on, so one run lists every page's.
    expect.soft(browser.errors).toEqual([]);
  }
}

const shot = (page: Page, n: number, step: string) => screenshot(page, `whole-year-${String(n).padStart(2, '0')}-${step}`);

async function moveTo(phase: Phase) {
  year.clock.set(await year.during(phase));
}

/** An Element Plus select: open it and click the option (after any other dropdown has closed). */
async function pick(page: Page, select: string, option: string) {
  await page.waitForFunction(() => [...document.querySelectorAll('.el-select-dropdown')].every((el) => (el as HTMLElement).offsetParent === null));
  await page.locator(`[data-test=${select}]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}

/** Starts a round on the bureau's rounds page and waits until its rules check is shown. */
async function runRound(page: Page, kind: string, name: string) {
  await pick(page, 'kind', kind);
  await page.locator('input[data-test=round-name], [data-test=round-name] input').fill(name);
  await page.locator('[data-test=start-round]').click();
  const round = page.locator('li.round', { hasText: name });
  await round.locator('[data-test=round-invariants]').waitFor({ timeout: 240_000 });
  await expect(round.textContent()).resolves.toContain('规则校验通过');
}

/** Reloads the rounds page (the phase may have moved) and opens the publish dialog of the round. */
async function openPublishDialog(page: Page, name: string) {
  await page.reload();
  const round = page.locator('li.round', { hasText: name });
  await round.locator('[data-test=publish]').click();
  await page.locator('[data-test=publish-confirm]').waitFor();
}

describe('one whole year on the demo city, as every role', { timeout: 600_000 }, () => {
  it('1 · a student sees the home page and saves choices while applications are open (phone)', async () => {
    const { prisma } = year.server;
    await asRole(PHONE, async ({ page }) => {
      await signIn(page, studentA.examNo, '/student');
      await page.locator('[data-test=next-step]').waitFor();
      await expect(page.locator('[data-test=total]').textContent()).resolves.toBe(String(studentA.total));
      await expect(page.locator('[data-test=next-step]').textContent()).resolves.toMatch(/志愿/);
      expect(await page.content()).not.toContain(studentA.idCardNo);
      expect(await horizontalOverflow(page)).toBe(0);
      await shot(page, 1, 'student-home');

      // The demo stored version 1 of the choices; the family drops its last choice of the last batch and saves.
      await page.locator('[data-test=student-nav-choices]').click();
      await page.locator('[data-test=batch-1]').waitFor();
      const before: Record<string, readonly string[]> = studentA.choices;
      const batch = Object.keys(before).filter((b) => before[b].length > 0).sort().at(-1)!;
      const last = before[batch].length - 1;
      await page.locator(`[data-test=remove-${batch}-${last}]`).click();
      await page.locator('[data-test=save]').click();
      await expect(page.locator('[data-test=saved]').textContent()).resolves.toContain('第 2 版');
      expect(await horizontalOverflow(page)).toBe(0);
      await shot(page, 2, 'student-choices-saved');
    });
    const student = await prisma.student.findUniqueOrThrow({ where: { examNo: studentA.examNo } });
    const stored = await prisma.application.findFirstOrThrow({ where: { studentId: student.id, kind: 'main' } });
    const expected: Record<string, readonly string[]> = { ...studentA.choices };
    const lastBatch = Object.keys(expected).filter((b) => expected[b].length > 0).sort().at(-1)!;
    expected[lastBatch] = expected[lastBatch].slice(0, -1);
    expect(stored.version).toBe(2);
    expect(stored.choices).toEqual(Object.fromEntries(Object.entries(expected).filter(([, list]) => list.length > 0)));
    lap('1 student applies');
  });

  it('2 · the junior school sees its students\' application status; the high school sees its plan', async () => {
    const { prisma } = year.server;
    const students = await prisma.student.count({ where: { cycleId: year.cycleId, juniorSchoolId: junior.id } });
    const submitted = await prisma.application.count({ where: { cycleId: year.cycleId, kind: 'main', status: { in: ['submitted', 'frozen'] }, student: { juniorSchoolId: junior.id } } });
    await asRole(DESKTOP, async ({ page }) => {
      await signIn(page, junior.id.toLowerCase(), '/junior');
      await page.locator('[data-test=nav-status]').click();
      await page.waitForURL(`${year.server.url}/junior/status`);
      await page.locator('[data-test=status-counts]').waitFor();
      await expect(page.locator('[data-test=count-total]').textContent()).resolves.toBe(String(students));
      await expect(page.locator('[data-test=count-final] .card__value').textContent()).resolves.toBe(String(submitted));
      await expect(page.locator('[data-test=junior-status]').textContent()).resolves.toContain(junior.name);
      await shot(page, 3, 'junior-status-applications');
    });
    await asRole(DESKTOP, async ({ page }) => {
      await signIn(page, high.id.toLowerCase(), '/high');
      await page.locator('[data-test=nav-plan]').click();
      await page.waitForURL(`${year.server.url}/high/plan`);
      await page.locator('[data-test=plan-card]').waitFor();
      await expect(page.locator('[data-test=plan-card] h2').textContent()).resolves.toBe(high.name);
      await expect(page.locator('[data-test=plan-capacity]').textContent()).resolves.toContain(String(high.capacity));
      await shot(page, 4, 'high-plan');
    });
    lap('2 schools during applications');
  });

  it('3 · the bureau ends the application window, runs round 1 and publishes it', async () => {
    const { prisma } = year.server;
    year.clock.advance(60 * 60_000);
    await asRole(DESKTOP, async ({ page }) => {
      await signIn(page, 'bureau', '/bureau');
      await page.goto(`${year.server.url}/bureau/setup?tab=schedule`);
      await expect.poll(() => page.locator('[data-test=current-phase]').textContent(), SLOW).toBe('志愿填报');
      await page.locator('[data-test=end-current]').click();
      await page.locator('.el-message-box').getByRole('button', { name: '立即结束本阶段' }).click();
      await expect.poll(() => page.locator('[data-test=current-phase]').textContent(), SLOW).toBe('志愿截止');
      await shot(page, 5, 'bureau-applications-closed');
      const closed = await prisma.cyclePhase.findFirstOrThrow({ where: { cycleId: year.cycleId, phase: 'applications_open' } });
      expect(closed.closesAt.getTime()).toBe(year.clock.now().getTime());

      await page.goto(`${year.server.url}/bureau/rounds`);
      await page.locator('[data-test=rounds-view]').waitFor();
      await runRound(page, '第一轮', ROUND1);
      await shot(page, 6, 'bureau-round1-checked');

      // Publishing is offered in the round-1 window only.
      await moveTo('round1');
      await openPublishDialog(page, ROUND1);
      await shot(page, 7, 'bureau-round1-publish-dialog');
      await page.locator('[data-test=publish-confirm]').click();
      await page.locator('li.round', { hasText: ROUND1 }).locator('[data-test=published]').waitFor({ timeout: 180_000 });
      await shot(page, 8, 'bureau-round1-published');
    });
    const main = await prisma.round.findFirstOrThrow({ where: { cycleId: year.cycleId, kind: 'main' } });
    expect(main.status).toBe('published');

    // Who plays the rest of the year, from the published round.
    const a = await prisma.roundAssignment.findFirstOrThrow({ where: { roundId: main.id, student: { examNo: studentA.examNo } } });
    expect(a.highSchoolId, `${studentA.examNo} (the best of ${junior.id}) is admitted`).not.toBeNull();
    const atHigh = await prisma.roundAssignment.findMany({
      where: { roundId: main.id, highSchoolId: high.id },
      include: { student: { select: { examNo: true, juniorSchoolId: true } } },
      orderBy: { student: { examNo: 'asc' } },
    });
    expect(atHigh.length).toBeGreaterThan(1);
    const b = atHigh.find((r) => r.student.juniorSchoolId === junior.id) ?? atHigh[0];
    studentB = { examNo: b.student.examNo, id: b.studentId };
    const c = await prisma.roundAssignment.findFirst({
      where: { roundId: main.id, highSchoolId: null, student: { juniorSchoolId: junior.id } },
      include: { student: { select: { examNo: true } } },
      orderBy: { student: { examNo: 'asc' } },
    });
    expect(c, `an unplaced student at ${junior.id}`).not.toBeNull();
    studentC = { examNo: c!.student.examNo, id: c!.studentId };
    lap('3 bureau: round 1');
  });

  it('4 · a student confirms, another admitted student declines, an unplaced student sees so (phone)', async () => {
    const { prisma } = year.server;
    await moveTo('confirmation');
    const main = await prisma.round.findFirstOrThrow({ where: { cycleId: year.cycleId, kind: 'main' } });
    const aSchool = await prisma.roundAssignment.findFirstOrThrow({ where: { roundId: main.id, student: { examNo: studentA.examNo } }, include: { highSchool: true } });

    await asRole(PHONE, async ({ page }) => {
      await signIn(page, studentA.examNo, '/student');
      await expect(page.locator('[data-test=next-step]').textContent()).resolves.toContain('请在规定时间内确认或放弃');
      await page.locator('[data-test=student-nav-result]').click();
      await page.locator('[data-test=outcome]').waitFor();
      await expect(page.locator('[data-test=outcome-title]').textContent()).resolves.toBe('你已被录取');
      await expect(page.locator('[data-test=admitted-school]').textContent()).resolves.toBe(aSchool.highSchool!.name);
      expect(await horizontalOverflow(page)).toBe(0);
      await shot(page, 9, 'student-admitted');
      await page.locator('[data-test=confirm]').click();
      await expect(page.locator('[data-test=dialog-text]').textContent()).resolves.toContain(aSchool.highSchool!.name);
      await page.locator('[data-test=dialog-ok]').click();
      await expect(page.locator('[data-test=decision]').textContent()).resolves.toContain('你已确认录取');
      await shot(page, 10, 'student-confirmed');
    });

    await asRole(PHONE, async ({ page }) => {
      await signIn(page, studentB.examNo, '/student');
      await page.locator('[data-test=student-nav-result]').click();
      await expect(page.locator('[data-test=admitted-school]').textContent()).resolves.toBe(high.name);
      await page.locator('[data-test=decline]').click();
      await expect(page.locator('[data-test=dialog-policy]').textContent()).resolves.toContain('放弃后你不能参加补录');
      await shot(page, 11, 'student-decline-dialog');
      await page.locator('[data-test=dialog-ok]').click();
      await page.locator('[data-test=decision]').waitFor();
      await expect(page.locator('[data-test=outcome-title]').textContent()).resolves.toBe('你已放弃该校录取资格');
      await shot(page, 12, 'student-declined');
    });

    await asRole(PHONE, async ({ page }) => {
      await signIn(page, studentC.examNo, '/student');
      await page.locator('[data-test=student-nav-result]').click();
      await expect(page.locator('[data-test=outcome-title]').textContent()).resolves.toBe('本轮未被录取');
      await expect(page.locator('[data-test=next-step]').textContent()).resolves.toContain('请关注补录');
      await shot(page, 13, 'student-unplaced');
    });

    const answers = await prisma.confirmation.findMany({ where: { roundId: main.id }, include: { student: { select: { examNo: true } } } });
    expect(answers.map((c) => [c.student.examNo, c.decision]).sort()).toEqual(
      [
        [studentA.examNo, 'confirmed'],
        [studentB.examNo, 'declined'],
      ].sort(),
    );
    lap('4 students answer');
  });

  it('5 · the unplaced student lists a 补录 choice; the bureau runs and publishes 补录', async () => {
    const { prisma } = year.server;
    await moveTo('supplementary');
    await asRole(PHONE, async ({ page }) => {
      await signIn(page, studentC.examNo, '/student');
      await expect(page.locator('[data-test=next-step]').textContent()).resolves.toContain('补录已开始');
      await page.locator('[data-test=next-step] a').click();
      await page.waitForURL(/\/student\/choices\?kind=supplementary/);
      await page.locator(`[data-test=pick-${high.batch}]`).selectOption(high.id);
      await page.locator(`[data-test=add-${high.batch}]`).click();
      await expect(page.locator(`[data-test=choice-${high.batch}-0]`).textContent()).resolves.toContain(high.name);
      await page.locator('[data-test=save]').click();
      await expect(page.locator('[data-test=saved]').textContent()).resolves.toContain('第 1 版');
      expect(await horizontalOverflow(page)).toBe(0);
      await shot(page, 14, 'student-supplementary-choices');
    });
    const applied = await prisma.application.findFirstOrThrow({ where: { studentId: studentC.id, kind: 'supplementary' } });
    expect(applied.choices).toEqual({ [String(high.batch)]: [high.id] });

    // The demo's plans hold exactly its 30,690 round-1 seats and round 1 fills them all: 补录 has the declined seat only.
    await expect(prisma.application.count({ where: { cycleId: year.cycleId, kind: 'supplementary' } })).resolves.toBe(1);

    await asRole(DESKTOP, async ({ page }) => {
      await signIn(page, 'bureau', '/bureau');
      await page.goto(`${year.server.url}/bureau/rounds`);
      await page.locator('[data-test=rounds-view]').waitFor();
      await runRound(page, '补录', SUPPLEMENTARY);
      await openPublishDialog(page, SUPPLEMENTARY);
      await page.locator('[data-test=publish-confirm]').click();
      await page.locator('li.round', { hasText: SUPPLEMENTARY }).locator('[data-test=published]').waitFor({ timeout: 180_000 });
      await expect(page.locator('li.round', { hasText: ROUND1 }).locator('[data-test=published]').count()).resolves.toBe(1);
      await shot(page, 15, 'bureau-supplementary-published');
    });
    const supplementary = await prisma.round.findFirstOrThrow({ where: { cycleId: year.cycleId, kind: 'supplementary' } });
    expect(supplementary.status).toBe('published');
    const placed = await prisma.roundAssignment.findUniqueOrThrow({ where: { roundId_studentId: { roundId: supplementary.id, studentId: studentC.id } } });
    expect(placed.highSchoolId).toBe(high.id);

    await asRole(PHONE, async ({ page }) => {
      await signIn(page, studentC.examNo, '/student');
      await expect(page.locator('[data-test=next-step]').textContent()).resolves.toContain('你已被补录录取');
      await page.locator('[data-test=student-nav-result]').click();
      await expect(page.locator('[data-test=supplementary-school]').textContent()).resolves.toBe(high.name);
      await expect(page.locator('[data-test=outcome]').textContent()).resolves.toContain('第一轮');
      expect(await horizontalOverflow(page)).toBe(0);
      await shot(page, 16, 'student-supplementary-admitted');
    });
    lap('5 补录');
  });

  it('6 · in the registration window the high school registers a round-1 and a 补录 student', async () => {
    const { prisma } = year.server;
    await moveTo('registration');
    const main = await prisma.round.findFirstOrThrow({ where: { cycleId: year.cycleId, kind: 'main' } });
    const kept = await prisma.roundAssignment.findFirstOrThrow({
      where: { roundId: main.id, highSchoolId: high.id, NOT: { studentId: studentB.id } },
      include: { student: { select: { examNo: true } } },
      orderBy: { student: { examNo: 'asc' } },
    });
    const supplementary = await prisma.round.findFirstOrThrow({ where: { cycleId: year.cycleId, kind: 'supplementary' } });
    const placedLater = (await prisma.roundAssignment.findMany({ where: { roundId: supplementary.id, NOT: { highSchoolId: null } }, select: { studentId: true } })).map((r) => r.studentId);
    const unplaced = await prisma.roundAssignment.findFirstOrThrow({
      where: { roundId: main.id, highSchoolId: null, student: { juniorSchoolId: junior.id }, studentId: { notIn: [studentC.id, ...placedLater] } },
      include: { student: { select: { examNo: true } } },
      orderBy: { student: { examNo: 'desc' } },
    });
    await asRole(DESKTOP, async ({ page }) => {
      await signIn(page, high.id.toLowerCase(), '/high');
      await page.locator('[data-test=nav-registration]').click();
      await page.waitForURL(`${year.server.url}/high/registration`);
      for (const examNo of [kept.student.examNo, studentC.examNo]) {
        await page.locator('input[data-test=typed-exam-no]').fill(examNo);
        await page.locator('[data-test=typed-submit]').click();
        await expect.poll(async () => (await page.locator('[data-test=registration-log]').textContent()) ?? '', SLOW).toContain(examNo);
        await expect(page.locator('[data-test=registration-report]').textContent()).resolves.toContain('本次注册 1 人');
      }
      // A student the platform placed nowhere: refused with the reason, and the attempt is kept (the flag rules read it).
      await page.locator('input[data-test=typed-exam-no]').fill(unplaced.student.examNo);
      await page.locator('[data-test=typed-submit]').click();
      await expect.poll(async () => (await page.locator('[data-test=refused-item]').first().textContent()) ?? '', SLOW).toContain(unplaced.student.examNo);
      await expect(page.locator('[data-test=registration-report]').textContent()).resolves.toContain('被拒绝 1 人');
      await expect(page.locator('[data-test=registration-error]').count()).resolves.toBe(0);
      await shot(page, 17, 'high-registration');
    });
    const attempts = await prisma.enrollmentRegistration.findMany({ where: { cycleId: year.cycleId, highSchoolId: high.id } });
    expect(attempts.filter((r) => r.accepted).map((r) => r.examNo).sort()).toEqual([kept.student.examNo, studentC.examNo].sort());
    expect(attempts.filter((r) => !r.accepted).map((r) => r.examNo)).toEqual([unplaced.student.examNo]);
    lap('6 registration');
  });

  it('7 · after 补录 the high school, the junior school and the dashboard still show round 1', async () => {
    const stored = await yearFromDatabase(year, { confirmationOver: true });
    const atHigh = stored.school(high.id);
    const atJunior = stored.junior(junior.id);
    expect(atHigh.mainRows).toBeGreaterThan(0);
    expect(atHigh.declined).toBe(1);
    expect(atHigh.supplementary).toBeGreaterThan(0);
    expect(atJunior.placed - atJunior.supplementary).toBeGreaterThan(0);
    expect(atJunior.supplementary).toBeGreaterThan(0);
    expect(stored.heldFromMain).toBeGreaterThan(0);
    expect(stored.heldFromSupplementary).toBeGreaterThan(0);

    await asRole(DESKTOP, async ({ page }) => {
      await signIn(page, high.id.toLowerCase(), '/high');
      const asked = performance.now();
      await page.locator('[data-test=nav-admissions]').click();
      await page.locator('[data-test=admission-table] tbody tr').first().waitFor({ timeout: 60_000 });
      listShownMs = Math.round(performance.now() - asked);
      await page.locator('[data-test=admitted-total]').waitFor();
      await expect(page.locator('[data-test=admitted-total]').textContent()).resolves.toBe(String(atHigh.held));
      await expect(page.locator('[data-test=admitted-breakdown]').textContent()).resolves.toBe(
        `第一轮 ${atHigh.mainRows} 行（其中放弃 ${atHigh.declined}），补录 ${atHigh.supplementary} 人`,
      );
      const rounds = (await page.locator('[data-test=admissions-rounds]').textContent()) ?? '';
      expect(rounds).toContain('第一轮');
      expect(rounds).toContain('补录');
      await shot(page, 18, 'high-admissions-after-supplementary');
      // The 补录 student's row is labelled 补录; the round-1 rows 第一轮.
      await page.locator('input[data-test=search]').fill(studentC.examNo);
      const rows = page.locator('[data-test=admission-table] tbody tr');
      await expect.poll(() => rows.count(), SLOW).toBe(1);
      await expect(rows.first().textContent()).resolves.toContain('补录');
      await page.locator('input[data-test=search]').fill(studentB.examNo);
      await expect.poll(async () => (await rows.first().textContent()) ?? '', SLOW).toContain('已放弃');
      await expect(rows.first().textContent()).resolves.toContain('第一轮');
    });

    await asRole(DESKTOP, async ({ page }) => {
      await signIn(page, junior.id.toLowerCase(), '/junior');
      await page.locator('[data-test=nav-status]').click();
      await page.waitForURL(`${year.server.url}/junior/status`);
      const results = page.locator('[data-test=junior-results]');
      await results.waitFor();
      const text = (await results.textContent()) ?? '';
      expect(text).toContain(`已录取 ${atJunior.placed} 人`);
      expect(text).toContain(`其中补录 ${atJunior.supplementary} 人`);
      expect(text).toContain(`未录取 ${atJunior.unplaced} 人`);
      await expect(page.locator(`[data-test=junior-round-${studentA.examNo}]`).textContent()).resolves.toContain('第一轮');
      await expect(page.locator(`[data-test=junior-round-${studentC.examNo}]`).textContent()).resolves.toContain('补录');
      await shot(page, 19, 'junior-status-after-supplementary');
    });

    await asRole(DESKTOP, async ({ page }) => {
      await signIn(page, 'bureau', '/bureau');
      await page.goto(`${year.server.url}/bureau/dashboard`);
      await page.locator('[data-test=indicators]').waitFor({ timeout: 60_000 });
      await expect(page.locator('[data-test=ind-public] strong').textContent()).resolves.toBe(`${stored.heldPublic} / ${stored.heldPrivate}`);
      for (const chart of ['chart-scores', 'chart-flows', 'chart-cutoffs', 'chart-quota']) await page.locator(`[data-test=${chart}] canvas`).first().waitFor();
      await shot(page, 20, 'bureau-dashboard-after-supplementary');
    });
    lap('7 views after 补录');
  });

  it('8 · the auditor opens the audit log and the flags', async () => {
    const { prisma } = year.server;
    // The refused registration asked for the detection job: its flag names the school.
    await expect
      .poll(() => prisma.flag.count({ where: { cycleId: year.cycleId, rule: 'enrolled_without_admission', highSchoolIds: { has: high.id } } }), { timeout: 120_000, interval: 1_000 })
      .toBe(1);
    await asRole(DESKTOP, async ({ page }) => {
      await signIn(page, 'auditor', '/auditor');
      await page.goto(`${year.server.url}/auditor/audit`);
      await page.locator('[data-test=audit-list] li').first().waitFor();
      await page.locator('[data-test=audit-verify]').click();
      await expect.poll(async () => (await page.locator('[data-test=audit-chain]').textContent()) ?? '', SLOW).toMatch(/链尾哈希 #\d+: [0-9a-f]{64}/);
      await shot(page, 21, 'auditor-audit-log');

      await page.goto(`${year.server.url}/auditor/flags`);
      await page.locator('[data-test=flag-counts]').waitFor();
      await expect(page.locator('[data-test=detect]').count()).resolves.toBe(0);
      const open = await prisma.flag.count({ where: { cycleId: year.cycleId, status: 'open' } });
      await expect(page.locator('[data-test=flag-counts]').textContent()).resolves.toContain(`待处理 ${open}`);
      // The city has other flags (e.g. 学籍 moved after the cut-off): filter by the rule.
      await pick(page, 'filter-rule', '未录取注册');
      await page.locator('[data-test=filter-submit]').click();
      const flag = page.locator('[data-test=flag-item][data-rule=enrolled_without_admission]', { hasText: high.name });
      await flag.waitFor({ timeout: 60_000 });
      await shot(page, 22, 'auditor-flags');
      await flag.locator('[data-test=flag-open]').click();
      const detail = page.locator('[data-test=flag-detail]');
      await expect.poll(async () => (await detail.textContent()) ?? '', SLOW).toContain(high.name);
      await expect(page.locator('[data-test=review-confirm]').count()).resolves.toBe(0);
      await shot(page, 23, 'auditor-flag-detail');
    });
    expect(await prisma.auditLog.count({ where: { action: 'round.publish' } })).toBe(2);
    lap('8 auditor');
  });
});
