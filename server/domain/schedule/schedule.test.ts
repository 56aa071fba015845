import { describe, expect, it } from 'vitest';
import { endCurrentWindow, PHASES, phaseAt, scheduleEditProblems, scheduleFrom, scheduleProblems, isPhaseOpen, windowOf } from './schedule';

const DAYS = { setup: 10, plans_published: 5, applications_open: 7, applications_closed: 3, round1: 2, confirmation: 3, supplementary: 4, registration: 5, closed: 30 };
const start = new Date('2026-06-01T00:00:00+08:00');
const windows = scheduleFrom(start, DAYS);

describe('schedule', () => {
  it('a generated schedule is valid and contiguous', () => {
    expect(scheduleProblems(windows)).toEqual([]);
    expect(windows.map((w) => w.phase)).toEqual([...PHASES]);
  });

  it('derives the phase at each boundary: open at opensAt, already next at closesAt', () => {
    for (const w of windows) {
      expect(phaseAt(windows, w.opensAt)).toBe(w.phase);
      expect(phaseAt(windows, new Date(w.closesAt.getTime() - 1))).toBe(w.phase);
    }
    const deadline = windowOf(windows, 'applications_open')!.closesAt;
    expect(isPhaseOpen(windows, new Date(deadline.getTime() - 1), ['applications_open'])).toBe(true);
    expect(isPhaseOpen(windows, deadline, ['applications_open'])).toBe(false);
  });

  it('is setup before the first window and closed after the last', () => {
    expect(phaseAt(windows, new Date(start.getTime() - 1))).toBe('setup');
    expect(phaseAt(windows, new Date(windows[8].closesAt.getTime() + 1))).toBe('closed');
    expect(phaseAt([], new Date())).toBe('setup');
  });

  it('reports gaps, overlaps, missing, duplicate and empty windows by phase', () => {
    const broken = windows.map((w) => ({ ...w }));
    broken[3].opensAt = new Date(broken[3].opensAt.getTime() + 1000); // gap after applications_open
    broken.splice(5, 1); // confirmation missing
    broken.push({ ...broken[0] }); // setup twice
    broken[1].closesAt = broken[1].opensAt; // empty
    const problems = scheduleProblems(broken);
    expect(problems).toContain('setup: listed twice');
    expect(problems).toContain('confirmation: missing');
    expect(problems).toContain('plans_published: must close after it opens');
    expect(problems.some((p) => p.startsWith('applications_closed: must open when applications_open closes'))).toBe(true);
  });
});

describe('editing the schedule', () => {
  const now = new Date(windows[2].opensAt.getTime() + 3 * 86_400_000); // applications_open, day 3
  const shift = (list: typeof windows, from: number, ms: number) =>
    list.map((w, i) => ({ ...w, opensAt: i > from ? new Date(w.opensAt.getTime() + ms) : w.opensAt, closesAt: i >= from ? new Date(w.closesAt.getTime() + ms) : w.closesAt }));

  it('lets the open window close earlier or later and moves the future with it', () => {
    const extended = shift(windows, 2, 86_400_000);
    expect(scheduleProblems(extended)).toEqual([]);
    expect(scheduleEditProblems(windows, extended, now)).toEqual([]);
    const closeNow = windows.map((w) => ({ ...w }));
    const delta = now.getTime() - closeNow[2].closesAt.getTime();
    expect(scheduleEditProblems(windows, shift(closeNow, 2, delta), now)).toEqual([]);
  });

  it('keeps the past: closed windows, the open window\'s start, nothing closing or starting before now', () => {
    expect(scheduleEditProblems(windows, shift(windows, 0, 1000), now)).toEqual(
      expect.arrayContaining(['setup: already over, its window cannot change', 'plans_published: already over, its window cannot change']),
    );
    const tooEarly = shift(windows, 2, -(windows[2].closesAt.getTime() - now.getTime()) - 1000);
    expect(scheduleEditProblems(windows, tooEarly, now)).toContain('applications_open: open now, it cannot close in the past');
  });
});

describe('endCurrentWindow', () => {
  const DAY = 86_400_000;
  const start = new Date('2030-03-01T00:00:00.000Z');
  const days = { setup: 30, plans_published: 10, applications_open: 14, applications_closed: 3, round1: 5, confirmation: 5, supplementary: 7, registration: 10, closed: 30 } as const;
  const windows = scheduleFrom(start, days);

  it('closes the open window now and opens the next one then, moving nothing else', () => {
    const now = new Date(windowOf(windows, 'applications_open')!.opensAt.getTime() + 2 * DAY + 123);
    const result = endCurrentWindow(windows, now);
    if (!('windows' in result)) throw new Error(result.problem);
    expect(windowOf(result.windows, 'applications_open')!.closesAt).toEqual(now);
    expect(windowOf(result.windows, 'applications_closed')!.opensAt).toEqual(now);
    expect(windowOf(result.windows, 'applications_closed')!.closesAt).toEqual(windowOf(windows, 'applications_closed')!.closesAt);
    for (const w of result.windows.filter((x) => x.phase !== 'applications_open' && x.phase !== 'applications_closed')) {
      expect(w, w.phase).toEqual(windowOf(windows, w.phase));
    }
    expect(scheduleProblems(result.windows)).toEqual([]);
    expect(phaseAt(result.windows, now)).toBe('applications_closed');
    // the edit rules accept it: nothing past changes
    expect(scheduleEditProblems(windows, result.windows, now)).toEqual([]);
  });

  it('keeps milliseconds exactly', () => {
    const now = new Date(start.getTime() + 1234);
    const result = endCurrentWindow(windows, now);
    if (!('windows' in result)) throw new Error(result.problem);
    expect(result.windows[0].closesAt.toISOString()).toBe('2030-03-01T00:00:01.234Z');
  });

  it('refuses before the first window and in the last one', () => {
    expect(endCurrentWindow(windows, new Date(start.getTime() - 1))).toEqual({ problem: 'no window is open now' });
    expect(endCurrentWindow(windows, new Date(windowOf(windows, 'closed')!.opensAt.getTime() + 1))).toEqual({ problem: 'the last window has no next one' });
    expect(endCurrentWindow([], start)).toEqual({ problem: 'no window is open now' });
  });
});
