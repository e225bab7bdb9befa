// Median (IQR) with numpy's default quantile (linear interpolation), checked on hand values.
import { describe, expect, it } from 'vitest';

import { formatMedianIqr, medianIqr, quantileSorted, windowStats } from './summary';

describe('quantiles and median (IQR)', () => {
  it('linear interpolation: [1,2,3,4] -> q1 1.75, median 2.5, q3 3.25 (numpy.percentile)', () => {
    expect(medianIqr([4, 1, 3, 2])).toEqual({ median: 2.5, q1: 1.75, q3: 3.25, iqr: 1.5, count: 4 });
  });

  it('odd length and unsorted input: [5,1,4,2,3] -> 2, 3, 4', () => {
    expect(medianIqr([5, 1, 4, 2, 3])).toMatchObject({ q1: 2, median: 3, q3: 4, iqr: 2 });
  });

  it('[.1,.3,.5,.9]: q1 = .1 + .75(.2) = .25, median .4, q3 = .5 + .25(.4) = .6', () => {
    const s = medianIqr([0.9, 0.1, 0.5, 0.3]);
    expect(s.q1).toBeCloseTo(0.25, 12);
    expect(s.median).toBeCloseTo(0.4, 12);
    expect(s.q3).toBeCloseTo(0.6, 12);
    expect(s.iqr).toBeCloseTo(0.35, 12);
  });

  it('quantile ends and a single value', () => {
    expect(quantileSorted({ sorted: [1, 2, 10], q: 0 })).toBe(1);
    expect(quantileSorted({ sorted: [1, 2, 10], q: 1 })).toBe(10);
    expect(quantileSorted({ sorted: [1, 2, 10], q: 0.9 })).toBeCloseTo(2 + 0.8 * 8, 12);
    expect(medianIqr([7])).toEqual({ median: 7, q1: 7, q3: 7, iqr: 0, count: 1 });
  });

  it('NaN values are skipped; no values give NaN and "n/a"', () => {
    expect(medianIqr([Number.NaN, 1, 3])).toMatchObject({ median: 2, count: 2 });
    const empty = medianIqr([]);
    expect(Number.isNaN(empty.median)).toBe(true);
    expect(formatMedianIqr(empty)).toBe('n/a');
  });

  it('window: only the last K values count', () => {
    const values = [100, 100, 100, 1, 2, 3, 4];
    expect(windowStats({ values, window: 4 })).toMatchObject({ median: 2.5, iqr: 1.5, count: 4 });
    expect(windowStats({ values, window: 50 }).count).toBe(7);
    expect(() => windowStats({ values, window: 0 })).toThrow(/window/);
  });

  it('formats like the paper: "0.75 (0.14)" and "0 (0)"', () => {
    expect(formatMedianIqr({ median: 0.7512, iqr: 0.1389 })).toBe('0.75 (0.14)');
    expect(formatMedianIqr({ median: 0, iqr: 0 })).toBe('0 (0)');
    expect(formatMedianIqr({ median: 0.06, iqr: 0.15 })).toBe('0.06 (0.15)');
    expect(formatMedianIqr({ median: 0.123456, iqr: 0.5 }, { digits: 3 })).toBe('0.123 (0.500)');
  });
});
