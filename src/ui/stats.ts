// Median and IQR over the last K values, for the runs table (the paper's "median (IQR)" cells).
// Plain numbers only; the engine's metrics module has the full statistics.
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function medianIqrOf(values: readonly number[]): { median: number; iqr: number } {
  const s = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  return { median: quantile(s, 0.5), iqr: quantile(s, 0.75) - quantile(s, 0.25) };
}

export function formatMedianIqr(values: readonly number[]): string {
  if (values.length === 0) return '–';
  const { median, iqr } = medianIqrOf(values);
  return Number.isFinite(median) ? `${median.toFixed(2)} (${iqr.toFixed(2)})` : '–';
}
