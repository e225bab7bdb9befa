import { describe, expect, it } from 'vitest';
import { dataExtent, symlogAxis } from './symlog-ticks';

describe('symlog axis', () => {
  it('labels every decade on both sides of zero and covers the data out to whole decades', () => {
    const { domain, ticks } = symlogAxis(-1500, 3.2);
    expect(domain).toEqual([-10000, 10]);
    expect(ticks).toEqual([-10000, -1000, -100, -10, -1, 0, 1, 10]);
  });

  it('a curve near zero and one in the thousands both fall inside the domain with ticks between them', () => {
    const rows = [
      { x: 0, a: -0.4, b: -1800 },
      { x: 1, a: 0.2, b: 25000 },
    ];
    const [lo, hi] = dataExtent(rows, ['a', 'b'])!;
    const { domain, ticks } = symlogAxis(lo, hi);
    expect(domain[0]).toBeLessThanOrEqual(-1800);
    expect(domain[1]).toBeGreaterThanOrEqual(25000);
    expect(ticks).toContain(0);
    expect(ticks.length).toBeLessThanOrEqual(9);
    expect(ticks.filter((t) => t > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('ignores non-finite values and reports no extent for empty data', () => {
    expect(dataExtent([{ x: 0, a: Number.NaN }], ['a'])).toBeNull();
    expect(dataExtent([{ x: 0, a: 2, b: Number.POSITIVE_INFINITY }], ['a', 'b'])).toEqual([2, 2]);
  });
});
