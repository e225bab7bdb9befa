// Replicate statistics against hand-worked values and, where python3 has scipy, against scipy.stats.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatPaired, meanCi, pairedComparison, studentTQuantile, wilcoxonSignedRank } from './paired';

describe('Student t and the mean\u2019s interval', () => {
  it('quantiles match the printed tables', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062047362, 8);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764451052, 9);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2621571628, 9);
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.9623390808, 8);
  });

  it('[1..5]: mean 3, sd sqrt(2.5), half-width 2.776 x sd / sqrt 5; one value: a point; none: NaN', () => {
    const c = meanCi([1, 2, 3, 4, 5, Number.NaN]);
    const half = 2.7764451052 * Math.sqrt(2.5 / 5);
    expect(c.n).toBe(5);
    expect(c.mean).toBe(3);
    expect(c.lo).toBeCloseTo(3 - half, 9);
    expect(c.hi).toBeCloseTo(3 + half, 9);
    expect(meanCi([0.4])).toEqual({ mean: 0.4, lo: 0.4, hi: 0.4, n: 1 });
    expect(meanCi([]).mean).toBeNaN();
  });
});

describe('Wilcoxon signed-rank', () => {
  it('exact p by hand: all ten positive is 2/1024; [1, 2, 3, -4] is 2 x 7/16; ties share ranks', () => {
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ wPlus: 55, n: 10, p: 2 / 1024, exact: true });
    // Subset sums of {1,2,3,4} at or above 6: {6: 2, 7: 2, 8: 1, 9: 1, 10: 1} = 7 of 16.
    expect(wilcoxonSignedRank([1, 2, 3, -4])).toEqual({ wPlus: 6, n: 4, p: 0.875, exact: true });
    // |d| 1, 1, 2 -> ranks 1.5, 1.5, 3; W+ = 3 sits in the middle of {0, 1.5, 1.5, 3, 3, 4.5, 4.5, 6}.
    expect(wilcoxonSignedRank([1, 1, -2]).p).toBe(1);
    // Zero differences are dropped (Wilcoxon's rule).
    expect(wilcoxonSignedRank([0, 0, 1, 2]).n).toBe(2);
    expect(wilcoxonSignedRank([0, 0])).toMatchObject({ n: 0, p: 1 });
  });
});

describe('paired comparison', () => {
  it('counts seeds each way in the metric\u2019s direction and formats the sentence', () => {
    const gdl = [0.8, 0.7, 0.9, 0.6, 0.75];
    const wce = [0.6, 0.65, 0.5, 0.6, 0.7];
    const c = pairedComparison({ a: gdl, b: wce });
    expect(c).toMatchObject({ n: 5, better: 4, worse: 0, ties: 1 });
    expect(c.difference.mean).toBeCloseTo((0.2 + 0.05 + 0.4 + 0 + 0.05) / 5, 12);
    expect(c.wilcoxon.n).toBe(4);
    const hd = pairedComparison({ a: [3, 4], b: [5, 2], higherIsBetter: false });
    expect([hd.better, hd.worse]).toEqual([1, 1]);
    expect(formatPaired({ a: 'GDL', b: 'WCE', c })).toMatch(
      /^GDL vs WCE: better in 4 of 5 seeds, paired difference \+0\.14 \[-?\d\.\d\d, \d\.\d\d\], Wilcoxon p = 0\.125$/,
    );
    expect(() => pairedComparison({ a: [1], b: [1, 2] })).toThrow(RangeError);
  });
});

const PYTHON = '/usr/bin/python3';
const hasScipy = spawnSync(PYTHON, ['-c', 'import scipy.stats']).status === 0;
if (!hasScipy) console.warn('paired.test: scipy checks skipped, /usr/bin/python3 with scipy is not available');

describe.skipIf(!hasScipy)('against scipy.stats', () => {
  it('t intervals and Wilcoxon p on 30 random untied samples of 2 to 16 differences', () => {
    // mulberry32 and Box-Muller: seeded normal draws (domain tests may not import the engine's rng).
    let state = 23;
    const uniform = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    const samples = Array.from({ length: 30 }, (_, k) =>
      Array.from({ length: 2 + (k % 15) }, () => Math.round((normal() + 0.3) * 1e6) / 1e6),
    );
    const script = `
import json, sys
import numpy as np
from scipy import stats
out = []
for d in json.load(sys.stdin):
    d = np.array(d, dtype=float)
    n = len(d)
    m = d.mean()
    half = stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / np.sqrt(n)
    method = 'exact' if n <= 10 else 'approx'
    p = stats.wilcoxon(d, zero_method='wilcox', correction=False, method=method).pvalue
    out.append({'lo': m - half, 'hi': m + half, 'p': float(p)})
print(json.dumps(out))
`;
    const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(samples), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const expected: { lo: number; hi: number; p: number }[] = JSON.parse(run.stdout);
    samples.forEach((d, k) => {
      const c = meanCi(d);
      expect(c.lo).toBeCloseTo(expected[k].lo, 8);
      expect(c.hi).toBeCloseTo(expected[k].hi, 8);
      expect(wilcoxonSignedRank(d).p).toBeCloseTo(expected[k].p, 9);
    });
  });
});
