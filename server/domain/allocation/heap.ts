/**
 * A binary heap of student ranks whose top is the WORST (largest) rank: a
 * school's group of seat holders, where the one to displace is always on top.
 */
export class WorstFirstHeap {
  readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The worst rank held; only valid when size > 0. */
  worst(): number {
    return this.items[0];
  }

  push(rank: number): void {
    const a = this.items;
    let i = a.length;
    a.push(rank);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] >= rank) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = rank;
  }

  /** Removes and returns the worst rank. */
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop() as number;
    const n = a.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && a[r] > a[l] ? r : l;
        if (a[c] <= last) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }

  /** Replaces the worst rank by `rank` (which must be better) and returns the one displaced. */
  replaceWorst(rank: number): number {
    const a = this.items;
    const top = a[0];
    const n = a.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && a[r] > a[l] ? r : l;
      if (a[c] <= rank) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = rank;
    return top;
  }
}
