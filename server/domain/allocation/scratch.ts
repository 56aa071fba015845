/**
 * Working memory of the priority sort and the engine, kept between runs.
 *
 * A million-student run needs about 100 MB of typed arrays that live only
 * while it computes. Allocated afresh every time, they count as external
 * memory to V8, and every 64 MB or so of it starts a full mark of the heap —
 * which, in a process that still holds the parsed instance (a million student
 * objects), costs more than the computation itself. So the arrays that do not
 * leave a run are taken from here and given back; only what a run returns
 * (the order, the ranks, the matching) is allocated per run.
 *
 * Runs are synchronous and each caller names its own slots, so a slot is
 * never used twice at once. The memory stays until `releaseScratch()` (about
 * 100 bytes per student of the largest instance run so far).
 */

const int32 = new Map<string, Int32Array>();
const float64 = new Map<string, Float64Array>();

/** An Int32Array of `length` for `slot`, contents undefined (fill it). */
export function scratchInt32(slot: string, length: number): Int32Array {
  let a = int32.get(slot);
  if (!a || a.length < length) {
    a = new Int32Array(Math.max(length, 16));
    int32.set(slot, a);
  }
  return a.length === length ? a : a.subarray(0, length);
}

/** A Float64Array of `length` for `slot`, contents undefined (fill it). */
export function scratchFloat64(slot: string, length: number): Float64Array {
  let a = float64.get(slot);
  if (!a || a.length < length) {
    a = new Float64Array(Math.max(length, 16));
    float64.set(slot, a);
  }
  return a.length === length ? a : a.subarray(0, length);
}

/** Lets the working memory go (e.g. after a province-sized run in a long-lived worker). */
export function releaseScratch(): void {
  int32.clear();
  float64.clear();
}
