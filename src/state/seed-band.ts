// The band across a loss's seeds: at each step, the median, minimum and maximum of the seeds that
// have reached it (NaN values skipped). Incremental, because redraws come a few times a second on
// runs of 100,000 steps: steps every unfinished seed has passed are final and computed once; only
// the tail that a lagging seed has not reached yet is recomputed.
import { quantileSorted } from '../domain/summary';

export interface BandPoint {
  step: number;
  median: number;
  lo: number;
  hi: number;
  /** Seeds with a value at this step (fewer than the group's while one is behind or has ended). */
  n: number;
}

export interface BandSource<T> {
  /** The seed's series: append-only, ascending steps. */
  points: readonly T[];
  /** True once the run has ended: its series will not grow, so it holds no step back. */
  final: boolean;
}

export interface SeedBandParams<T> {
  step: (p: T) => number;
  value: (p: T) => number;
}

export class SeedBand<T> {
  private arrays: readonly (readonly T[])[] = [];
  /** Per source, the index of its first point not yet in `settled`. */
  private cursors: number[] = [];
  private settledPoints: BandPoint[] = [];

  constructor(private readonly p: SeedBandParams<T>) {}

  /** The band's final points (a growing array, the same one between resets) and the provisional tail. */
  update(sources: readonly BandSource<T>[]): { settled: readonly BandPoint[]; tail: BandPoint[] } {
    if (this.stale(sources)) {
      this.arrays = sources.map((s) => s.points);
      this.cursors = sources.map(() => 0);
      this.settledPoints = [];
    }
    // A step is final once every seed still training has reported a later or equal one.
    let limit = Number.POSITIVE_INFINITY;
    for (const s of sources) {
      if (s.final) continue;
      const last = s.points.at(-1);
      limit = Math.min(limit, last === undefined ? Number.NEGATIVE_INFINITY : this.p.step(last));
    }
    this.merge(sources, this.cursors, limit, this.settledPoints);
    const tail: BandPoint[] = [];
    this.merge(sources, this.cursors.slice(), Number.POSITIVE_INFINITY, tail);
    return { settled: this.settledPoints, tail };
  }

  /** Other series than the last update's, or one shorter (a reset or a restore): update() starts again. */
  stale(sources: readonly BandSource<T>[]): boolean {
    if (sources.length !== this.arrays.length) return true;
    return sources.some((s, i) => s.points !== this.arrays[i] || s.points.length < this.cursors[i]);
  }

  /** Walks the sources in step order from `at` up to `limit`, one band point per step, advancing `at`. */
  private merge(sources: readonly BandSource<T>[], at: number[], limit: number, out: BandPoint[]): void {
    const { step, value } = this.p;
    const values: number[] = [];
    for (;;) {
      let next = Number.POSITIVE_INFINITY;
      for (let i = 0; i < sources.length; i++) {
        const pt = sources[i].points[at[i]];
        if (pt !== undefined) next = Math.min(next, step(pt));
      }
      if (!(next <= limit) || next === Number.POSITIVE_INFINITY) return;
      values.length = 0;
      for (let i = 0; i < sources.length; i++) {
        const pts = sources[i].points;
        // A repeated step in one series (a resumed run) counts once: its last value.
        let v: number | undefined;
        while (at[i] < pts.length && step(pts[at[i]]) === next) v = value(pts[at[i]++]);
        if (v !== undefined && !Number.isNaN(v)) values.push(v);
      }
      if (values.length === 0) continue;
      values.sort((a, b) => a - b);
      out.push({
        step: next,
        median: quantileSorted({ sorted: values, q: 0.5 }),
        lo: values[0],
        hi: values[values.length - 1],
        n: values.length,
      });
    }
  }
}
