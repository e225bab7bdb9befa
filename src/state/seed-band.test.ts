import { describe, expect, it } from 'vitest';
import { type BandPoint, SeedBand } from './seed-band';

interface Pt {
  step: number;
  v: number;
}

/** The band straight from its definition: for each step any seed has, the sorted values of the seeds that have it. */
function direct(series: readonly Pt[][]): BandPoint[] {
  const byStep = new Map<number, number[]>();
  for (const s of series) for (const p of s) if (!Number.isNaN(p.v)) byStep.set(p.step, [...(byStep.get(p.step) ?? []), p.v]);
  return [...byStep.keys()]
    .sort((a, b) => a - b)
    .map((step) => {
      const v = byStep
        .get(step)!
        .slice()
        .sort((a, b) => a - b);
      const m = v.length % 2 === 1 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
      return { step, median: m, lo: v[0], hi: v[v.length - 1], n: v.length };
    });
}

const band = () => new SeedBand<Pt>({ step: (p) => p.step, value: (p) => p.v });
const all = (r: { settled: readonly BandPoint[]; tail: BandPoint[] }) => [...r.settled, ...r.tail];

/** Same steps and counts; values to 1e-12 (the median is interpolated, so the last bit may differ). */
function expectBand(actual: readonly BandPoint[], expected: readonly BandPoint[]) {
  expect(actual.map((p) => [p.step, p.n])).toEqual(expected.map((p) => [p.step, p.n]));
  actual.forEach((p, i) => {
    for (const k of ['median', 'lo', 'hi'] as const) expect(p[k]).toBeCloseTo(expected[i][k], 12);
  });
}

describe('SeedBand: median and min–max across seeds at each step', () => {
  it('three seeds on small arrays, by hand', () => {
    const a = [
      { step: 1, v: 0.1 },
      { step: 2, v: 0.5 },
    ];
    const b = [
      { step: 1, v: 0.3 },
      { step: 2, v: 0.2 },
    ];
    const c = [
      { step: 1, v: 0.2 },
      { step: 2, v: 0.9 },
    ];
    const out = band().update([a, b, c].map((points) => ({ points, final: true })));
    expect(out.tail).toEqual([]);
    expectBand(out.settled, [
      { step: 1, median: 0.2, lo: 0.1, hi: 0.3, n: 3 },
      { step: 2, median: 0.5, lo: 0.2, hi: 0.9, n: 3 },
    ]);
  });

  it('ragged: one seed behind, one ended early; growing series match the direct computation at every update', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const full = [0, 1, 2, 3].map(() => Array.from({ length: 40 }, (_, i) => ({ step: i + 1, v: rand() })));
    full[1][5].v = Number.NaN; // a missing value is skipped, not counted
    const grown: Pt[][] = [[], [], [], []];
    const b = band();
    const ends = [40, 40, 40, 12]; // seed 3 diverged at step 12
    for (let round = 0; round < 20; round++) {
      for (let s = 0; s < 4; s++) {
        // Seed 2 lags by up to five steps; the others read in chunks of 2 or 3.
        const target = Math.min(ends[s], s === 2 ? Math.max(0, 2 * round - 5) : 2 * round + 2 + (round % 2));
        while (grown[s].length < target) grown[s].push(full[s][grown[s].length]);
      }
      const out = b.update(grown.map((points, s) => ({ points, final: points.length >= ends[s] })));
      expectBand(all(out), direct(grown));
      // Only steps the lagging seed has passed are final.
      const lag = grown[2].at(-1)?.step ?? 0;
      expect(out.settled.every((p) => p.step <= lag)).toBe(true);
    }
    for (let s = 0; s < 4; s++) grown[s] = full[s].slice(0, ends[s]);
    const last = b.update(grown.map((points) => ({ points, final: true })));
    expect(last.tail).toEqual([]);
    expectBand(last.settled, direct(grown));
    expect(last.settled.find((p) => p.step === 13)?.n).toBe(3);
    expect(last.settled.find((p) => p.step === 6)?.n).toBe(3);
  });

  it('settled points are computed once: a later update appends to the same array', () => {
    const x = [{ step: 1, v: 0.4 }];
    const y = [{ step: 1, v: 0.6 }];
    const b = band();
    const first = b.update([
      { points: x, final: false },
      { points: y, final: false },
    ]).settled;
    x.push({ step: 2, v: 0.1 });
    y.push({ step: 2, v: 0.3 });
    const second = b.update([
      { points: x, final: false },
      { points: y, final: false },
    ]).settled;
    expect(second).toBe(first);
    expect(second).toHaveLength(2);
    expect(second[0].median).toBeCloseTo(0.5, 12);
    expect(second[1].median).toBeCloseTo(0.2, 12);
  });

  it('new series (a reset) start the band again', () => {
    const b = band();
    b.update([{ points: [{ step: 1, v: 1 }], final: true }]);
    const out = b.update([{ points: [{ step: 3, v: 0.25 }], final: true }]);
    expect(all(out)).toEqual([{ step: 3, median: 0.25, lo: 0.25, hi: 0.25, n: 1 }]);
  });
});
