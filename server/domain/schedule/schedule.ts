/**
 * The year's one schedule (PLATFORM.md "The year, one schedule for everyone"):
 * nine phases in a fixed order, each a window [opensAt, closesAt). The server
 * derives the current phase from its own clock with `phaseAt`; every action
 * names the phases it is allowed in and is refused outside them. There is no
 * per-school schedule: public and private schools share this one (公民办同步招生).
 */

export const PHASES = [
  'setup',
  'plans_published',
  'applications_open',
  'applications_closed',
  'round1',
  'confirmation',
  'supplementary',
  'registration',
  'closed',
] as const;

export type Phase = (typeof PHASES)[number];

export interface PhaseWindow {
  phase: Phase;
  opensAt: Date;
  closesAt: Date;
}

export const PHASE_NAMES: Readonly<Record<Phase, { 'zh-CN': string; en: string }>> = {
  setup: { 'zh-CN': '准备阶段', en: 'Setup' },
  plans_published: { 'zh-CN': '招生计划公布', en: 'Plans published' },
  applications_open: { 'zh-CN': '志愿填报', en: 'Applications open' },
  applications_closed: { 'zh-CN': '志愿截止', en: 'Applications closed' },
  round1: { 'zh-CN': '第一轮录取', en: 'Round 1' },
  confirmation: { 'zh-CN': '录取确认', en: 'Confirmation' },
  supplementary: { 'zh-CN': '补录', en: 'Supplementary round' },
  registration: { 'zh-CN': '报到注册', en: 'Enrollment registration' },
  closed: { 'zh-CN': '已结束', en: 'Closed' },
};

/**
 * What is wrong with a schedule, as messages naming the phase: every phase
 * exactly once, each window non-empty, in the fixed order, each opening when
 * the previous one closes (no gap, no overlap). Empty when valid.
 */
export function scheduleProblems(windows: readonly PhaseWindow[]): string[] {
  const problems: string[] = [];
  const byPhase = new Map<Phase, PhaseWindow>();
  for (const w of windows) {
    if (!PHASES.includes(w.phase)) problems.push(`unknown phase ${String(w.phase)}`);
    else if (byPhase.has(w.phase)) problems.push(`${w.phase}: listed twice`);
    else byPhase.set(w.phase, w);
    if (!(w.opensAt.getTime() < w.closesAt.getTime())) problems.push(`${w.phase}: must close after it opens`);
  }
  let previous: PhaseWindow | undefined;
  for (const phase of PHASES) {
    const w = byPhase.get(phase);
    if (!w) {
      problems.push(`${phase}: missing`);
      continue;
    }
    if (previous && w.opensAt.getTime() !== previous.closesAt.getTime()) {
      problems.push(`${phase}: must open when ${previous.phase} closes (${previous.closesAt.toISOString()})`);
    }
    previous = w;
  }
  return problems;
}

/**
 * The phase open at `now`: the window containing it; before the first window
 * the cycle is still in setup, after the last it is closed.
 */
export function phaseAt(windows: readonly PhaseWindow[], now: Date): Phase {
  const t = now.getTime();
  const sorted = [...windows].sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime());
  if (sorted.length === 0 || t < sorted[0].opensAt.getTime()) return 'setup';
  for (const w of sorted) if (t >= w.opensAt.getTime() && t < w.closesAt.getTime()) return w.phase;
  // In a gap (only in an invalid schedule) the last phase that opened holds; after the end, closed.
  let last: Phase = 'setup';
  for (const w of sorted) if (w.opensAt.getTime() <= t) last = w.phase;
  return t >= sorted[sorted.length - 1].closesAt.getTime() ? 'closed' : last;
}

/** The window of a phase, e.g. the application deadline is `windowOf(w, 'applications_open').closesAt`. */
export function windowOf(windows: readonly PhaseWindow[], phase: Phase): PhaseWindow | undefined {
  return windows.find((w) => w.phase === phase);
}

/** Whether the phase at `now` is one of `allowed`. */
export function isPhaseOpen(windows: readonly PhaseWindow[], now: Date, allowed: readonly Phase[]): boolean {
  return allowed.includes(phaseAt(windows, now));
}

/**
 * A contiguous schedule starting at `start`, each phase lasting the given
 * number of days (a template the bureau edits; also the demo city's schedule).
 */
export function scheduleFrom(start: Date, days: Readonly<Record<Phase, number>>): PhaseWindow[] {
  const DAY = 86_400_000;
  let t = start.getTime();
  return PHASES.map((phase) => {
    const opensAt = new Date(t);
    t += days[phase] * DAY;
    return { phase, opensAt, closesAt: new Date(t) };
  });
}

/**
 * What an edit of the schedule at `now` may not change, as messages naming the
 * phase: the past is fixed (windows already closed keep their times; the open
 * window keeps its start and may not close before now); future windows move
 * freely. Lets the bureau extend or shorten a deadline without rewriting what
 * already happened. Empty when the edit is allowed.
 */
export function scheduleEditProblems(before: readonly PhaseWindow[], after: readonly PhaseWindow[], now: Date): string[] {
  const t = now.getTime();
  const problems: string[] = [];
  for (const old of before) {
    const next = after.find((w) => w.phase === old.phase);
    if (!next) continue; // scheduleProblems reports it
    if (old.closesAt.getTime() <= t) {
      if (next.opensAt.getTime() !== old.opensAt.getTime() || next.closesAt.getTime() !== old.closesAt.getTime()) {
        problems.push(`${old.phase}: already over, its window cannot change`);
      }
    } else if (old.opensAt.getTime() <= t) {
      if (next.opensAt.getTime() !== old.opensAt.getTime()) problems.push(`${old.phase}: already open, its start cannot change`);
      if (next.closesAt.getTime() < t) problems.push(`${old.phase}: open now, it cannot close in the past`);
    } else if (next.opensAt.getTime() < t) {
      problems.push(`${old.phase}: not open yet, it cannot start in the past`);
    }
  }
  return problems;
}

/**
 * The schedule with the window open at `now` ended at `now` and the next one
 * opened then ("end this window now"). Only those two boundaries move: the
 * next window keeps its end, so it gets longer and can never become empty
 * (it closed after the open window closed, which was after now); every
 * other window keeps its times. `problem` when no window contains `now`
 * (before the first window, in a gap, or after the last) or the open
 * window is the last one (nothing follows it).
 */
export function endCurrentWindow(windows: readonly PhaseWindow[], now: Date): { windows: PhaseWindow[] } | { problem: 'no window is open now' | 'the last window has no next one' } {
  const t = now.getTime();
  const sorted = [...windows].sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime());
  const index = sorted.findIndex((w) => w.opensAt.getTime() <= t && t < w.closesAt.getTime());
  if (index < 0) return { problem: 'no window is open now' };
  if (index === sorted.length - 1) return { problem: 'the last window has no next one' };
  return {
    windows: sorted.map((w, i) => {
      if (i === index) return { ...w, closesAt: new Date(t) };
      if (i === index + 1) return { ...w, opensAt: new Date(t) };
      return { ...w };
    }),
  };
}
