/**
 * Stage timings of a long piece of work: `lap(name)` records the milliseconds
 * since the previous lap (or the start) under `name` and returns them.
 */
export function stopwatch() {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  return {
    timings,
    lap(name: string): number {
      const now = performance.now();
      timings[name] = Math.round(now - mark);
      mark = now;
      return timings[name];
    },
  };
}
