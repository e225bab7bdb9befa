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

interface Bucket {
  /** floor((x - origin) / width): buckets tile the x range from the first point. */
  id: number;
  /** Per value: index of the bucket's minimum / maximum (-1: none yet), and the value there. */
  lo: number[];
  hi: number[];
  loV: number[];
  hiV: number[];
}

/**
 * Min/max buckets over an x range that doubles its bucket width whenever the range outgrows the bucket
 * count: each push is amortised O(1) and the kept points (first, last, each bucket's min and max per value)
 * never exceed maxPoints. The global minimum and maximum of every value always survive.
 */
export class MinMaxSummary<T> {
  private width = 1;
  private origin = 0;
  private buckets: Bucket[] = [];
  private count = 0;
  private readonly maxBuckets: number;

  constructor(private readonly p: MinMaxParams<T>) {
    const perBucket = 2 * p.values.length;
    if (!(p.maxPoints >= 2 + perBucket)) throw new Error(`maxPoints must be >= ${2 + perBucket}, got ${p.maxPoints}`);
    this.maxBuckets = Math.floor((p.maxPoints - 2) / Math.max(1, perBucket));
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
    const x = this.p.x(point);
    if (i === 0) this.origin = x;
    let id = this.bucketOf(x);
    while (id >= this.maxBuckets) {
      this.double();
      id = this.bucketOf(x);
    }
    let b = this.buckets.at(-1);
    if (!b || b.id !== id) {
      const k = this.p.values.length;
      b = { id, lo: new Array(k).fill(-1), hi: new Array(k).fill(-1), loV: new Array(k).fill(0), hiV: new Array(k).fill(0) };
      this.buckets.push(b);
    }
    const values = this.p.values;
    for (let k = 0; k < values.length; k++) {
      const v = values[k](point);
      if (Number.isNaN(v)) continue;
      if (b.lo[k] < 0 || v < b.loV[k]) [b.lo[k], b.loV[k]] = [i, v];
      if (b.hi[k] < 0 || v > b.hiV[k]) [b.hi[k], b.hiV[k]] = [i, v];
    }
  }

  /** Indices of the kept points in order: all of them while within maxPoints. */
  indices(): number[] {
    if (this.count <= this.p.maxPoints) return Array.from({ length: this.count }, (_, i) => i);
    const out = [0];
    const inBucket: number[] = [];
    for (const b of this.buckets) {
      inBucket.length = 0;
      for (let k = 0; k < b.lo.length; k++) if (b.lo[k] >= 0) inBucket.push(b.lo[k], b.hi[k]);
      inBucket.sort((a, c) => a - c);
      // Buckets hold consecutive indices, so increasing order across buckets needs only this check.
      for (const i of inBucket) if (i > out[out.length - 1]) out.push(i);
    }
    if (out[out.length - 1] < this.count - 1) out.push(this.count - 1);
    return out;
  }

  /** The kept points of source, the array pushed from (it may have grown since): all of them within maxPoints. */
  points(source: readonly T[]): readonly T[] {
    if (this.count <= this.p.maxPoints) return this.count === source.length ? source : source.slice(0, this.count);
    return this.indices().map((i) => source[i]);
  }

  private bucketOf(x: number): number {
    const last = this.buckets.at(-1)?.id ?? 0;
    const id = Math.floor((x - this.origin) / this.width);
    // An x that goes backwards (or is not finite) joins the current bucket: indices stay contiguous.
    return Number.isFinite(id) && id >= last ? id : last;
  }

  /** Doubles the width: neighbouring buckets merge, the earlier extreme winning ties as in one wide bucket. */
  private double(): void {
    this.width *= 2;
    const merged: Bucket[] = [];
    for (const b of this.buckets) {
      b.id = Math.floor(b.id / 2);
      const m = merged.at(-1);
      if (!m || m.id !== b.id) {
        merged.push(b);
        continue;
      }
      for (let k = 0; k < b.lo.length; k++) {
        if (b.lo[k] >= 0 && (m.lo[k] < 0 || b.loV[k] < m.loV[k])) [m.lo[k], m.loV[k]] = [b.lo[k], b.loV[k]];
        if (b.hi[k] >= 0 && (m.hi[k] < 0 || b.hiV[k] > m.hiV[k])) [m.hi[k], m.hiV[k]] = [b.hi[k], b.hiV[k]];
      }
    }
    this.buckets = merged;
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
