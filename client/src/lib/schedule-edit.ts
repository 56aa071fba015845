/**
 * The schedule editor's time handling, pure. Times stay exactly what the
 * server sent (ISO strings with milliseconds) unless the bureau changes them;
 * the editor shows them in a native `<input type="datetime-local" step="0.001">`
 * whose value round-trips to the millisecond, so nothing moves by itself
 * (no calendar popup shifting a month, no dropped milliseconds).
 */

export interface EditedWindow {
  phase: string;
  opensAt: string;
  closesAt: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An ISO time as the value of a datetime-local input, in the browser's time zone, to the millisecond. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * A datetime-local value ("2026-06-01T08:00", with optional seconds and
 * milliseconds, as browsers write it) as an ISO time; null when not a time.
 */
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((ms ?? '0').padEnd(3, '0')));
  // Reject what Date silently rolls over (Feb 30 -> Mar 2).
  if (date.getFullYear() !== Number(y) || date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d) || date.getHours() !== Number(h)) return null;
  return date.toISOString();
}

/** The ISO time an input's value means: the original string itself when it is the same instant (kept exactly). */
export function keepExact(original: string, value: string): string | null {
  const parsed = fromLocalInput(value);
  if (parsed === null) return null;
  return Date.parse(parsed) === Date.parse(original) ? original : parsed;
}

/**
 * Moves the boundary after window `index` (its close, the next one's open)
 * to `iso`: windows stay back to back, so one edit cannot open a gap.
 * Every other time is kept exactly as it was.
 */
export function moveBoundary(windows: readonly EditedWindow[], index: number, iso: string): EditedWindow[] {
  return windows.map((w, i) => (i === index ? { ...w, closesAt: iso } : i === index + 1 ? { ...w, opensAt: iso } : w));
}

/** Whether the edit changes anything (compared by the exact strings the server sent). */
export function scheduleChanged(before: readonly EditedWindow[], after: readonly EditedWindow[]): boolean {
  return before.length !== after.length || before.some((w, i) => w.phase !== after[i].phase || w.opensAt !== after[i].opensAt || w.closesAt !== after[i].closesAt);
}

/** Windows that would be empty or negative after an edit (the page says so before saving). */
export function emptyWindows(windows: readonly EditedWindow[]): string[] {
  return windows.filter((w) => !(Date.parse(w.opensAt) < Date.parse(w.closesAt))).map((w) => w.phase);
}

export interface TimelineSegment {
  phase: string;
  /** Left edge and width, in percent of the bar. */
  left: number;
  width: number;
  state: 'past' | 'now' | 'future';
}

/**
 * The nine windows as a bar: widths follow durations, but no window is
 * narrower than `minShare` of the bar (a 3-day window next to a 30-day one
 * must stay visible); `now` sits at its place inside the open window (0
 * before the first, 100 after the last).
 */
export function timeline(windows: readonly EditedWindow[], now: number, minShare = 0.05): { segments: TimelineSegment[]; now: number } {
  const spans = windows.map((w) => ({ phase: w.phase, from: Date.parse(w.opensAt), to: Date.parse(w.closesAt) }));
  const total = spans.reduce((sum, s) => sum + Math.max(0, s.to - s.from), 0) || 1;
  const raw = spans.map((s) => Math.max(Math.max(0, s.to - s.from) / total, minShare));
  const scale = raw.reduce((a, b) => a + b, 0);
  let left = 0;
  let nowAt = spans.length > 0 && now >= spans[spans.length - 1].to ? 100 : 0;
  const segments = spans.map((s, i) => {
    const width = (raw[i] / scale) * 100;
    const state: TimelineSegment['state'] = now >= s.to ? 'past' : now >= s.from ? 'now' : 'future';
    if (state === 'now') nowAt = left + (width * (now - s.from)) / Math.max(1, s.to - s.from);
    const segment = { phase: s.phase, left, width, state };
    left += width;
    return segment;
  });
  return { segments, now: nowAt };
}
