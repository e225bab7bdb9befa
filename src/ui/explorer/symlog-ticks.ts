// Ticks and domain for a symlog axis: powers of ten on each side of zero, so curves near zero and
// curves in the thousands are both labelled (recharts' default gives two or three linear ticks).

/** The smallest and largest finite value of the series' keys over the rows (null when none). */
export function dataExtent(rows: readonly Record<string, number>[], keys: readonly string[]): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const r of rows)
    for (const k of keys) {
      const v = r[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return lo <= hi ? [lo, hi] : null;
}

/** The next power of ten at or beyond |x| (at least 1), with x's sign; 0 stays 0. */
function outerDecade(x: number): number {
  if (x === 0) return 0;
  return Math.sign(x) * 10 ** Math.max(0, Math.ceil(Math.log10(Math.abs(x))));
}

/** A domain covering [lo, hi] out to whole decades, and ticks at 0 and every decade from 1 up. */
export function symlogAxis(lo: number, hi: number): { domain: [number, number]; ticks: number[] } {
  const a = Math.min(lo, 0);
  const b = Math.max(hi, 0);
  const domain: [number, number] = [outerDecade(a), outerDecade(b)];
  const ticks = [0];
  for (let d = 1; d <= Math.abs(domain[0]); d *= 10) ticks.unshift(-d);
  for (let d = 1; d <= domain[1]; d *= 10) ticks.push(d);
  // Keep the labels readable: at most ~9 ticks, thinning to every other decade.
  if (ticks.length > 9) return { domain, ticks: ticks.filter((t) => t === 0 || Math.round(Math.log10(Math.abs(t))) % 2 === 0) };
  return { domain, ticks };
}
