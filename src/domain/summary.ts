// The paper's summary statistic: "median (interquartile range)" over the last K values of a series.
// Quantiles use linear interpolation between order statistics: numpy's default, Hyndman-Fan type 7.

export interface MedianIqr {
  median: number;
  q1: number;
  q3: number;
  /** q3 - q1. */
  iqr: number;
  /** Values used (NaN values are skipped). */
  count: number;
}

/** Quantile q in [0, 1] of ascending values: h = (n - 1) q, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). */
export function quantileSorted(params: { sorted: ArrayLike<number>; q: number }): number {
  const { sorted, q } = params;
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Median, quartiles and IQR of the non-NaN values; all NaN when there are none. */
export function medianIqr(values: ArrayLike<number>): MedianIqr {
  const sorted = Float64Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort();
  const q1 = quantileSorted({ sorted, q: 0.25 });
  const q3 = quantileSorted({ sorted, q: 0.75 });
  return { median: quantileSorted({ sorted, q: 0.5 }), q1, q3, iqr: q3 - q1, count: sorted.length };
}

/** medianIqr over the last `window` values (all of them when fewer). */
export function windowStats(params: { values: ArrayLike<number>; window: number }): MedianIqr {
  const { values, window } = params;
  if (!(window >= 1)) throw new Error(`window must be >= 1, got ${window}`);
  const all = Array.from(values);
  return medianIqr(all.slice(Math.max(0, all.length - Math.floor(window))));
}

/** The paper's cell format, e.g. "0.75 (0.14)"; exact zeros print as "0" ("0 (0)"), no values as "n/a". */
export function formatMedianIqr(stats: Pick<MedianIqr, 'median' | 'iqr'>, options: { digits?: number } = {}): string {
  const digits = options.digits ?? 2;
  const fmt = (x: number) => (x === 0 ? '0' : x.toFixed(digits));
  if (Number.isNaN(stats.median)) return 'n/a';
  return `${fmt(stats.median)} (${fmt(stats.iqr)})`;
}
