import { describe, expect, it } from 'vitest';
import { emptyWindows, fromLocalInput, keepExact, moveBoundary, scheduleChanged, timeline, toLocalInput, type EditedWindow } from './schedule-edit';

const windows: EditedWindow[] = [
  { phase: 'setup', opensAt: '2026-03-01T00:00:00.000Z', closesAt: '2026-04-01T00:00:00.123Z' },
  { phase: 'plans_published', opensAt: '2026-04-01T00:00:00.123Z', closesAt: '2026-04-11T00:00:00.000Z' },
  { phase: 'applications_open', opensAt: '2026-04-11T00:00:00.000Z', closesAt: '2026-04-25T00:00:00.000Z' },
];

describe('datetime-local round trip', () => {
  it('keeps milliseconds both ways', () => {
    for (const iso of ['2026-04-01T00:00:00.123Z', '2026-12-31T23:59:59.999Z', '2026-02-28T16:00:00.000Z', '2027-01-31T15:30:00.001Z']) {
      expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    }
  });

  it('does not move a time by a month or a day at month ends', () => {
    const iso = '2026-01-31T10:00:00.000Z';
    const back = fromLocalInput(toLocalInput(iso))!;
    expect(new Date(back).getTime()).toBe(new Date(iso).getTime());
  });

  it('reads what browsers write (no seconds, seconds, milliseconds) and refuses nonsense', () => {
    const a = fromLocalInput('2026-06-01T08:00');
    expect(a).not.toBeNull();
    expect(fromLocalInput('2026-06-01T08:00:00')).toBe(a);
    expect(fromLocalInput('2026-06-01T08:00:00.000')).toBe(a);
    expect(fromLocalInput('2026-06-01T08:00:00.5')).toBe(new Date(Date.parse(a!) + 500).toISOString());
    expect(fromLocalInput('2026-02-30T08:00')).toBeNull();
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('tomorrow')).toBeNull();
  });

  it('keeps the server string exactly when the instant is unchanged, whatever the input format', () => {
    const original = '2026-04-01T00:00:00.123Z';
    expect(keepExact(original, toLocalInput(original))).toBe(original);
    const noMs = '2026-04-11T00:00:00.000Z';
    const shown = toLocalInput(noMs).slice(0, 16); // a browser writes "…T08:00" when seconds are zero
    expect(keepExact(noMs, shown)).toBe(noMs);
  });
});

describe('editing the boundaries', () => {
  it('moves one close and the next open together and nothing else', () => {
    const moved = moveBoundary(windows, 1, '2026-04-12T00:00:00.000Z');
    expect(moved[1].closesAt).toBe('2026-04-12T00:00:00.000Z');
    expect(moved[2].opensAt).toBe('2026-04-12T00:00:00.000Z');
    expect(moved[0]).toBe(windows[0]);
    expect(moved[2].closesAt).toBe(windows[2].closesAt);
    expect(scheduleChanged(windows, moved)).toBe(true);
    expect(scheduleChanged(windows, windows.map((w) => ({ ...w })))).toBe(false);
  });

  it('names the windows an edit would empty', () => {
    expect(emptyWindows(moveBoundary(windows, 1, '2026-04-25T00:00:00.000Z'))).toEqual(['applications_open']);
    expect(emptyWindows(windows)).toEqual([]);
  });
});

describe('timeline', () => {
  it('lays the windows side by side over the whole bar and marks now inside the open one', () => {
    const now = Date.parse('2026-04-06T00:00:00.000Z');
    const { segments, now: at } = timeline(windows, now);
    expect(segments.map((s) => s.state)).toEqual(['past', 'now', 'future']);
    expect(segments[0].left).toBe(0);
    const last = segments[segments.length - 1];
    expect(last.left + last.width).toBeCloseTo(100, 6);
    expect(at).toBeGreaterThan(segments[1].left);
    expect(at).toBeLessThan(segments[1].left + segments[1].width);
  });

  it('keeps a short window visible and puts now at the ends outside the year', () => {
    const { segments } = timeline(windows, 0, 0.2);
    expect(Math.min(...segments.map((s) => s.width))).toBeGreaterThanOrEqual(15);
    expect(timeline(windows, 0).now).toBe(0);
    expect(timeline(windows, Date.parse('2030-01-01T00:00:00Z')).now).toBe(100);
  });
});
