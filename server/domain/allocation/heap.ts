/**
 * Heaps of student ranks laid out in one typed array: every group of seats of
 * every school (its open seats, each junior school's quota seats, its reverted
 * seats) is a binary heap whose top is the WORST (largest) rank, stored in
 * `data[start[g] .. start[g] + size[g])`. No object per school or per group:
 * the engine's hot path touches only these arrays.
 */
export class HeapStore {
  /** All heaps, back to back. */
  readonly data: Int32Array;
  /** First slot of group g in `data`. */
  readonly start: Int32Array;
  /** Slots reserved for group g (its largest possible size). */
  readonly room: Int32Array;
  /** Ranks held by group g. */
  readonly size: Int32Array;

  /** `room[g]` = slots of group g. */
  constructor(room: Int32Array) {
    const groups = room.length;
    this.room = room;
    this.start = new Int32Array(groups + 1);
    for (let g = 0; g < groups; g++) this.start[g + 1] = this.start[g] + room[g];
    this.size = new Int32Array(groups);
    this.data = new Int32Array(this.start[groups]);
  }

  /** The worst rank held by group g; only valid when size[g] > 0. */
  worst(g: number): number {
    return this.data[this.start[g]];
  }

  /** Adds `rank` to group g (which must have room). */
  push(g: number, rank: number): void {
    const a = this.data;
    const base = this.start[g];
    let i = this.size[g]++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[base + parent];
      if (p >= rank) break;
      a[base + i] = p;
      i = parent;
    }
    a[base + i] = rank;
  }

  /** Removes and returns the worst rank of group g (size[g] > 0). */
  pop(g: number): number {
    const a = this.data;
    const base = this.start[g];
    const top = a[base];
    const n = --this.size[g];
    if (n > 0) this.siftDown(base, n, a[base + n]);
    return top;
  }

  /** Replaces the worst rank of group g by `rank` (which must be better) and returns the one displaced. */
  replaceWorst(g: number, rank: number): number {
    const base = this.start[g];
    const top = this.data[base];
    this.siftDown(base, this.size[g], rank);
    return top;
  }

  /** Puts `rank` at the root of the heap at `base` of `n` entries and sifts it down. */
  private siftDown(base: number, n: number, rank: number): void {
    const a = this.data;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let v = a[base + l];
      if (r < n) {
        const vr = a[base + r];
        if (vr > v) {
          c = r;
          v = vr;
        }
      }
      if (v <= rank) break;
      a[base + i] = v;
      i = c;
    }
    a[base + i] = rank;
  }
}
