// Replicates and paired comparisons over seeds, as plain functions: the mean with its 95% t interval,
// and two losses compared seed by seed (sign count, paired difference with its t interval, Wilcoxon
// signed-rank p: exact for n <= 10, the normal approximation with the tie correction above).

export interface MeanCi {
  mean: number;
  /** 95% (by default) Student t interval of the mean; [mean, mean] for one value, NaN for none. */
  lo: number;
  hi: number;
  /** Values used (NaN skipped). */
  n: number;
}

/** Lanczos log-gamma (g = 7, 9 terms): about 15 digits for x > 0. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the regularised incomplete beta (Numerical Recipes' betacf, modified Lentz). */
function betaCf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? tiny : d;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + aa / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = 1 + aa / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaCf(a, b, x)) / a : 1 - (front * betaCf(b, a, 1 - x)) / b;
}

/** Student t CDF with df degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / 2, 0.5, df / (df + t * t));
  return t >= 0 ? 1 - tail : tail;
}

/** Student t quantile (bisection on the CDF: 1e-12 is plenty for an interval). */
export function studentTQuantile(p: number, df: number): number {
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mean and its t interval at `level` (default 95%) of the non-NaN values. */
export function meanCi(values: readonly number[], level = 0.95): MeanCi {
  const xs = values.filter((v) => !Number.isNaN(v));
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN, n };
  const mean = xs.reduce((a, v) => a + v, 0) / n;
  if (n === 1) return { mean, lo: mean, hi: mean, n };
  const sd = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { mean, lo: mean - half, hi: mean + half, n };
}

/** Standard normal CDF from erf's Taylor series below |z| = 2 sqrt 2 and erfc's continued fraction above (~1e-14). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  let erfc: number;
  if (x < 2) {
    let sum = x;
    let term = x;
    for (let k = 1; k < 100; k++) {
      term *= (-x * x) / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    erfc = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    let f = 0;
    for (let k = 60; k >= 1; k--) f = k / 2 / (x + f);
    erfc = Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + f);
  }
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Average ranks (1-based) of |d|, ties sharing the mean of their positions. */
function averageRanks(abs: readonly number[]): number[] {
  const order = abs.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
  const ranks = new Array<number>(abs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

export interface Wilcoxon {
  /** Sum of the ranks of the positive differences. */
  wPlus: number;
  /** Non-zero differences ranked (zeros are dropped, Wilcoxon's rule). */
  n: number;
  /** Two-sided p. */
  p: number;
  exact: boolean;
}

/** Wilcoxon signed-rank test of paired differences: exact (all 2^n sign patterns, ties included) for n <= 10. */
export function wilcoxonSignedRank(differences: readonly number[]): Wilcoxon {
  const d = differences.filter((v) => !Number.isNaN(v) && v !== 0);
  const n = d.length;
  if (n === 0) return { wPlus: 0, n, p: 1, exact: true };
  const ranks = averageRanks(d.map(Math.abs));
  const wPlus = d.reduce((a, v, i) => a + (v > 0 ? ranks[i] : 0), 0);
  if (n <= 10) {
    let le = 0;
    let ge = 0;
    for (let mask = 0; mask < 1 << n; mask++) {
      let w = 0;
      for (let i = 0; i < n; i++) if (mask & (1 << i)) w += ranks[i];
      if (w <= wPlus + 1e-9) le++;
      if (w >= wPlus - 1e-9) ge++;
    }
    const total = 2 ** n;
    return { wPlus, n, p: Math.min(1, (2 * Math.min(le, ge)) / total), exact: true };
  }
  const mean = (n * (n + 1)) / 4;
  // Tie correction: subtract sum(t^3 - t) / 48 over groups of tied ranks.
  const groups = new Map<number, number>();
  for (const r of ranks) groups.set(r, (groups.get(r) ?? 0) + 1);
  let ties = 0;
  for (const t of groups.values()) ties += t ** 3 - t;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - ties / 48);
  const z = (wPlus - mean) / sd;
  return { wPlus, n, p: Math.min(1, 2 * normalCdf(-Math.abs(z))), exact: false };
}

export interface PairedComparison {
  /** Pairs where both values exist. */
  n: number;
  /** Seeds where a beats b, where b beats a, and ties (in the metric's direction). */
  better: number;
  worse: number;
  ties: number;
  /** Mean of a - b, with its 95% t interval. */
  difference: MeanCi;
  wilcoxon: Wilcoxon;
}

/** a and b are one value per seed, in the same seed order; a pair with a NaN is left out. */
export function pairedComparison(params: {
  a: readonly number[];
  b: readonly number[];
  higherIsBetter?: boolean;
}): PairedComparison {
  const { a, b, higherIsBetter = true } = params;
  if (a.length !== b.length) throw new RangeError(`pairedComparison: ${a.length} values against ${b.length}`);
  const diffs = a.map((x, i) => x - b[i]).filter((v) => !Number.isNaN(v));
  const sign = higherIsBetter ? 1 : -1;
  return {
    n: diffs.length,
    better: diffs.filter((v) => sign * v > 0).length,
    worse: diffs.filter((v) => sign * v < 0).length,
    ties: diffs.filter((v) => v === 0).length,
    difference: meanCi(diffs),
    wilcoxon: wilcoxonSignedRank(diffs),
  };
}

/** "GDL vs WCE: better in 9 of 10 seeds, paired difference +0.12 [0.07, 0.18], Wilcoxon p = 0.004". */
/** `unit`: what a pair is ("seeds"; a sweep pairs "pairs" of the same cell and seed). */
export function formatPaired(params: { a: string; b: string; c: PairedComparison; digits?: number; unit?: string }): string {
  const { a, b, c, digits = 2, unit = 'seeds' } = params;
  const f = (x: number) => (x >= 0 ? `+${x.toFixed(digits)}` : x.toFixed(digits));
  const p = c.wilcoxon.p < 0.001 ? '< 0.001' : `= ${c.wilcoxon.p.toFixed(3)}`;
  const d = c.difference;
  return `${a} vs ${b}: better in ${c.better} of ${c.n} ${unit}, paired difference ${f(d.mean)} [${d.lo.toFixed(digits)}, ${d.hi.toFixed(digits)}], Wilcoxon p ${p}`;
}
