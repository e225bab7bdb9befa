// Series that only grow. The store appends a run's points in place (amortised O(1) a point, never a copy
// of the history), and a min/max summary keeps a long series in bounded space for charts and saved records.

/** Appends items to target in place; one push at a time, since spreading a long list can overflow the stack. */
export function appendInPlace<T>(target: T[], items: readonly T[]): void {
  for (const x of items) target.push(x);
}

export interface MinMaxParams<T> {
  /** Position along the series (the step): whole units, non-decreasing. */
  x: (p: T) => number;
  /** Values whose minimum and maximum in each bucket are kept; NaN is skipped. */
  values: readonly ((p: T) => number)[];
  /** Most points handed back: at least 2 + 2 per value. */
  maxPoints: number;
}

/**
 * Min/max buckets over an x range that doubles its bucket width whenever the range outgrows the bucket
 * count: each push is amortised O(1) and the kept points (first, last, each bucket's min and max per value)
 * never exceed maxPoints. The global minimum and maximum of every value always survive. The kept points of
 * every bucket but the last are held ready, so reading them costs one copy, not a pass over the buckets.
 */
export class MinMaxSummary<T> {
  private width = 1;
  private origin = 0;
  private count = 0;
  private first: T | undefined;
  private last: T | undefined;
  /** The points pushed while within maxPoints (null once bucketed). */
  private waiting: T[] | null = [];
  /** Bucket b's id, floor((x - origin) / width); slot b * K + k holds value k's minimum and maximum. */
  private ids: number[] = [];
  private lo: number[] = [];
  private hi: number[] = [];
  private loV: number[] = [];
  private hiV: number[] = [];
  private loP: T[] = [];
  private hiP: T[] = [];
  /** Kept indices and points of the first point and of every bucket before the last one. */
  private settledIdx: number[] = [];
  private settledPts: T[] = [];
  private readonly scratch: number[] = [];
  private readonly k: number;
  private readonly maxBuckets: number;

  constructor(private readonly p: MinMaxParams<T>) {
    this.k = p.values.length;
    if (!(p.maxPoints >= 2 + 2 * this.k)) throw new Error(`maxPoints must be >= ${2 + 2 * this.k}, got ${p.maxPoints}`);
    this.maxBuckets = Math.floor((p.maxPoints - 2) / Math.max(1, 2 * this.k));
  }

  /** Points pushed so far. */
  get length(): number {
    return this.count;
  }

  /** Width of a bucket in x units (a power of two). */
  get bucketWidth(): number {
    return this.width;
  }

  /** Adds the next point of the source series (its index is the number of points pushed before it). */
  push(point: T): void {
    const i = this.count++;
    this.last = point;
    // Within the limit every point is kept: buckets are built only once the series outgrows it.
    if (!this.waiting) {
      this.insert(point, i);
      return;
    }
    this.waiting.push(point);
    if (this.count <= this.p.maxPoints) return;
    const all = this.waiting;
    this.waiting = null;
    this.origin = this.p.x(all[0]);
    this.first = all[0];
    this.settle();
    // Start at the width the doublings would reach (the result is the same, without the finer passes).
    let maxX = this.origin;
    for (const q of all) {
      const x = this.p.x(q);
      if (x > maxX && Number.isFinite(x)) maxX = x;
    }
    while (Math.floor((maxX - this.origin) / this.width) >= this.maxBuckets) this.width *= 2;
    for (let j = 0; j < all.length; j++) this.insert(all[j], j);
  }

  /** Indices of the kept points in order: all of them while within maxPoints. */
  indices(): number[] {
    if (this.count <= this.p.maxPoints) return Array.from({ length: this.count }, (_, i) => i);
    const idx = this.settledIdx.slice();
    this.emit(this.ids.length - 1, idx, []);
    if (idx[idx.length - 1] < this.count - 1) idx.push(this.count - 1);
    return idx;
  }

  /** The kept points of source, the array pushed from (it may have grown since): all of them within maxPoints. */
  points(source: readonly T[]): readonly T[] {
    if (this.count <= this.p.maxPoints) return this.count === source.length ? source : source.slice(0, this.count);
    const idx = [this.settledIdx[this.settledIdx.length - 1]];
    const tail: T[] = [];
    this.emit(this.ids.length - 1, idx, tail);
    if (idx[idx.length - 1] < this.count - 1) tail.push(this.last!);
    return this.settledPts.concat(tail);
  }

  private insert(point: T, i: number): void {
    const x = this.p.x(point);
    let id = this.bucketOf(x);
    while (id >= this.maxBuckets) {
      this.double();
      id = this.bucketOf(x);
    }
    const { ids, lo, hi, loV, hiV, loP, hiP, k } = this;
    let b = ids.length - 1;
    if (b < 0 || ids[b] !== id) {
      if (b >= 0) this.emit(b, this.settledIdx, this.settledPts); // the old last bucket is complete now
      ids.push(id);
      b++;
      for (let j = 0; j < k; j++) {
        lo.push(-1);
        hi.push(-1);
        loV.push(0);
        hiV.push(0);
        loP.push(point);
        hiP.push(point);
      }
    }
    const values = this.p.values;
    for (let j = 0, s = b * k; j < k; j++, s++) {
      const v = values[j](point);
      if (Number.isNaN(v)) continue;
      if (lo[s] < 0 || v < loV[s]) {
        lo[s] = i;
        loV[s] = v;
        loP[s] = point;
      }
      if (hi[s] < 0 || v > hiV[s]) {
        hi[s] = i;
        hiV[s] = v;
        hiP[s] = point;
      }
    }
  }

  /** Appends bucket b's kept indices (and points) after those in idx, in order, each once. */
  private emit(b: number, idx: number[], pts: T[]): void {
    const order = this.scratch;
    order.length = 0;
    for (let s = b * this.k; s < (b + 1) * this.k; s++) if (this.lo[s] >= 0) order.push(this.lo[s], this.hi[s]);
    sortSmall(order);
    // Buckets hold consecutive indices, so increasing order across buckets needs only this check.
    for (const i of order) {
      if (i <= idx[idx.length - 1]) continue;
      idx.push(i);
      let s = b * this.k;
      while (this.lo[s] !== i && this.hi[s] !== i) s++;
      pts.push(this.lo[s] === i ? this.loP[s] : this.hiP[s]);
    }
  }

  /** Rebuilds the settled points: the first one, then every bucket but the last. */
  private settle(): void {
    this.settledIdx = [0];
    this.settledPts = [this.first as T];
    for (let b = 0; b < this.ids.length - 1; b++) this.emit(b, this.settledIdx, this.settledPts);
  }

  private bucketOf(x: number): number {
    const last = this.ids.length > 0 ? this.ids[this.ids.length - 1] : 0;
    const id = Math.floor((x - this.origin) / this.width);
    // An x that goes backwards (or is not finite) joins the current bucket: indices stay contiguous.
    return Number.isFinite(id) && id >= last ? id : last;
  }

  /** Doubles the width: neighbouring buckets merge, the earlier extreme winning ties as in one wide bucket. */
  private double(): void {
    this.width *= 2;
    const { ids, lo, hi, loV, hiV, loP, hiP, k } = this;
    let w = -1;
    for (let b = 0; b < ids.length; b++) {
      const id = Math.floor(ids[b] / 2);
      const merge = w >= 0 && ids[w] === id;
      if (!merge) ids[++w] = id;
      for (let j = 0, from = b * k, to = w * k; j < k; j++, from++, to++) {
        if (!merge || (lo[from] >= 0 && (lo[to] < 0 || loV[from] < loV[to]))) {
          lo[to] = lo[from];
          loV[to] = loV[from];
          loP[to] = loP[from];
        }
        if (!merge || (hi[from] >= 0 && (hi[to] < 0 || hiV[from] > hiV[to]))) {
          hi[to] = hi[from];
          hiV[to] = hiV[from];
          hiP[to] = hiP[from];
        }
      }
    }
    ids.length = w + 1;
    for (const a of [lo, hi, loV, hiV, loP, hiP]) a.length = (w + 1) * k;
    this.settle();
  }
}

/** Insertion sort: a bucket holds 2 indices per value, where Array.sort's call overhead dominates a redraw. */
function sortSmall(a: number[]): void {
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    let j = i - 1;
    for (; j >= 0 && a[j] > v; j--) a[j + 1] = a[j];
    a[j + 1] = v;
  }
}

/** Points cut to at most maxPoints by min/max buckets; a series within the limit comes back unchanged. */
export function downsampleMinMax<T>(params: MinMaxParams<T> & { points: readonly T[] }): readonly T[] {
  const { points, ...summaryParams } = params;
  const summary = new MinMaxSummary(summaryParams);
  if (points.length <= params.maxPoints) return points;
  for (const p of points) summary.push(p);
  return summary.points(points);
}
