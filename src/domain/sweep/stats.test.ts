import { describe, expect, it } from 'vitest';
import { cellStats, downsampleCurve, runValues, runWindow } from './stats';
import type { RunResult } from './types';

function run(partial: Partial<RunResult>): RunResult {
  return {
    key: 'k',
    loss: 'gdl',
    lr: 1e-3,
    patch: 'S',
    burden: 0.01,
    seed: 1,
    status: 'done',
    step: 10,
    window: [],
    curve: [],
    ...partial,
  };
}

describe('runValues: what one run puts into its cell', () => {
  it('done and collapsed runs give their last K values; diverged K zeros; errors nothing', () => {
    const window = [0.1, 0.2, 0.3, 0.4, 0.5];
    expect(runValues({ result: run({ window }), lastK: 3 })).toEqual([0.3, 0.4, 0.5]);
    expect(runValues({ result: run({ window, status: 'collapsed' }), lastK: 5 })).toEqual(window);
    expect(runValues({ result: run({ window, status: 'diverged' }), lastK: 4 })).toEqual([0, 0, 0, 0]);
    expect(runValues({ result: run({ window, status: 'error' }), lastK: 4 })).toEqual([]);
  });
});

describe('cellStats: median (IQR) over the last K steps, pooled over seeds', () => {
  it('one seed: numpy linear quantiles by hand', () => {
    // sorted [.1 .2 .3 .4 .5]: median .3; q1 at h=1 -> .2; q3 at h=3 -> .4.
    const c = cellStats({ results: [run({ window: [0.5, 0.1, 0.4, 0.2, 0.3] })], seeds: 1, lastK: 5 });
    expect(c.median).toBeCloseTo(0.3, 12);
    expect(c.q1).toBeCloseTo(0.2, 12);
    expect(c.q3).toBeCloseTo(0.4, 12);
    expect(c.iqr).toBeCloseTo(0.2, 12);
    expect(c).toMatchObject({ state: 'ok', count: 5, seedsDone: 1, seedsTotal: 1, failures: [], text: '0.30 (0.20)' });
  });

  it('only the last K values count', () => {
    const c = cellStats({ results: [run({ window: [0.9, 0.9, 0.9, 0.2, 0.4] })], seeds: 1, lastK: 2 });
    expect(c.count).toBe(2);
    expect(c.median).toBeCloseTo(0.3, 12);
  });

  it('two seeds pool their windows', () => {
    // 0.1..1.0: median .55; q1 h=2.25 -> .3 + .25*.1; q3 h=6.75 -> .7 + .75*.1.
    const a = run({ seed: 1, window: [0.1, 0.2, 0.3, 0.4, 0.5] });
    const b = run({ seed: 2, window: [0.6, 0.7, 0.8, 0.9, 1.0] });
    const c = cellStats({ results: [a, b], seeds: 2, lastK: 5 });
    expect(c.median).toBeCloseTo(0.55, 12);
    expect(c.q1).toBeCloseTo(0.325, 12);
    expect(c.q3).toBeCloseTo(0.775, 12);
    expect(c.pooledText).toBe('0.55 (0.45)');
  });

  it('a diverged run is the paper\u2019s "0 (0)" and a failed cell', () => {
    const c = cellStats({ results: [run({ status: 'diverged', window: [0.6, 0.7] })], seeds: 1, lastK: 4 });
    expect(c).toMatchObject({ state: 'failed', median: 0, iqr: 0, text: '0 (0)', failures: ['diverged'], count: 4 });
  });

  it('a collapsed run keeps its real values but is failed', () => {
    const zero = cellStats({ results: [run({ status: 'collapsed', window: [0, 0, 0] })], seeds: 1, lastK: 3 });
    expect(zero).toMatchObject({ state: 'failed', text: '0 (0)', failures: ['collapsed'] });
    const some = cellStats({ results: [run({ status: 'collapsed', window: [0.02, 0.04, 0.06] })], seeds: 1, lastK: 3 });
    expect(some.median).toBeCloseTo(0.04, 12);
    expect(some.state).toBe('failed');
  });

  it('one failed seed of two makes a partial cell whose zeros pull the median down', () => {
    // values [0 0 0 0 .8 .8 .8 .8]: median .4; q1 h=1.75 -> 0; q3 h=5.25 -> .8.
    const ok = run({ seed: 1, window: [0.8, 0.8, 0.8, 0.8] });
    const bad = run({ seed: 2, status: 'diverged' });
    const c = cellStats({ results: [ok, bad], seeds: 2, lastK: 4 });
    expect(c).toMatchObject({ state: 'partial', failures: ['diverged'], seedsDone: 2 });
    expect(c.median).toBeCloseTo(0.4, 12);
    expect(c.iqr).toBeCloseTo(0.8, 12);
  });

  it('errors and pending cells have no numbers', () => {
    expect(cellStats({ results: [run({ status: 'error' })], seeds: 1, lastK: 3 })).toMatchObject({
      state: 'failed',
      text: 'error',
    });
    const pending = cellStats({ results: [], seeds: 3, lastK: 3 });
    expect(pending).toMatchObject({ state: 'pending', text: '…', seedsDone: 0, seedsTotal: 3 });
    expect(pending.median).toBeNaN();
  });
});

describe('windows and curves', () => {
  it('runWindow keeps the last K values rounded to 5 decimals', () => {
    expect(runWindow({ dice: [0.1, 0.123456789, 0.987654321], lastK: 2 })).toEqual([0.12346, 0.98765]);
  });

  it('downsampleCurve averages equal bins', () => {
    const values = Array.from({ length: 10 }, (_, i) => i / 10);
    expect(downsampleCurve({ values, points: 20 })).toEqual(values);
    // 10 values into 4 bins: [0,1], [2,3,4], [5,6], [7,8,9] (floor boundaries 0, 2, 5, 7, 10).
    const got = downsampleCurve({ values, points: 4 });
    const want = [
      [0, 1],
      [2, 3, 4],
      [5, 6],
      [7, 8, 9],
    ].map((b) => b.reduce((a, i) => a + i / 10, 0) / b.length);
    got.forEach((g, i) => {
      expect(g).toBeCloseTo(want[i], 5);
    });
  });
});

describe('a validation metric as the cell statistic', () => {
  const m = (hd95: number, lesionF1: number) => ({
    dice: 0.5,
    hd95,
    avd: 10,
    lesionRecall: 0.5,
    lesionPrecision: 0.5,
    lesionF1,
    recallSmall: Number.NaN,
    recallMedium: 1,
    recallLarge: 1,
  });
  const validation = [
    { step: 8, metrics: m(4, 0.2) },
    { step: 10, metrics: m(2, 0.6) },
  ];

  it('a run gives its window validations; diverged: zeros where higher is better, nothing where lower is', () => {
    expect(runValues({ result: run({ validation }), lastK: 5, statistic: 'hd95' })).toEqual([4, 2]);
    expect(runValues({ result: run({ validation }), lastK: 5, statistic: 'recallSmall' })).toEqual([]); // NaN skipped
    expect(runValues({ result: run({ validation, status: 'diverged' }), lastK: 5, statistic: 'lesionF1' })).toEqual([0, 0, 0, 0]);
    expect(runValues({ result: run({ validation, status: 'diverged' }), lastK: 5, statistic: 'hd95' })).toEqual([]);
    expect(runValues({ result: run({}), lastK: 5, statistic: 'hd95' })).toEqual([]); // an old file: no validations
  });

  it('seeds pool their validations: median (IQR) by hand', () => {
    const b = run({
      seed: 2,
      validation: [
        { step: 8, metrics: m(6, 0) },
        { step: 10, metrics: m(8, 0) },
      ],
    });
    // hd95 values [2 4 6 8]: median 5; q1 h=0.75 -> 2 + .75*2 = 3.5; q3 h=2.25 -> 6 + .25*2 = 6.5.
    const c = cellStats({ results: [run({ validation }), b], seeds: 2, lastK: 5, statistic: 'hd95' });
    expect([c.median, c.q1, c.q3, c.count]).toEqual([5, 3.5, 6.5, 4]);
    expect(c.pooledText).toBe('5.00 (3.00)');
    // Per seed: medians 3 and 7; mean 5 +- t(0.975, 1) x sd 2 sqrt 2 / sqrt 2 = 12.706 x 2.
    expect(c.perSeed.map((s) => s.value)).toEqual([3, 7]);
    expect(c.text).toBe('5.00 [-20.41, 30.41]');
    const old = cellStats({ results: [run({})], seeds: 1, lastK: 5, statistic: 'lesionF1' });
    expect(old).toMatchObject({ state: 'ok', count: 0, text: 'n/a' });
  });
});

// Independent of the code under test: sorted-middle median and a t interval with the tabled t quantile.
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const T975 = { 1: 12.706204736174705, 2: 4.302652729749464 } as Record<number, number>;
function directCi(xs: number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, v) => a + v, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = (T975[n - 1] * sd) / Math.sqrt(n);
  return { mean, lo: mean - half, hi: mean + half };
}

describe('cellStats: each seed\u2019s statistic and the mean [95% CI] across seeds', () => {
  const w1 = [0.7, 0.9, 0.8, 0.6];
  const w2 = [0.5, 0.4, 0.45];
  const w3 = [0.2, 0.3, 0.1, 0.25];

  it('per-seed medians of the last K, their mean and t interval match a direct computation', () => {
    // Given out of seed order: perSeed comes back by seed.
    const results = [run({ seed: 3, window: w3 }), run({ seed: 1, window: w1 }), run({ seed: 2, window: w2 })];
    const c = cellStats({ results, seeds: 3, lastK: 4 });
    const want = [median(w1), median(w2), median(w3)];
    expect(c.perSeed.map((s) => s.seed)).toEqual([1, 2, 3]);
    c.perSeed.forEach((s, i) => {
      expect(s.value).toBeCloseTo(want[i], 12);
      expect(s.failure).toBeNull();
    });
    const d = directCi(want);
    expect(c.acrossSeeds.n).toBe(3);
    expect(c.acrossSeeds.mean).toBeCloseTo(d.mean, 12);
    expect(c.acrossSeeds.lo).toBeCloseTo(d.lo, 9);
    expect(c.acrossSeeds.hi).toBeCloseTo(d.hi, 9);
    expect(c.text).toBe(`${d.mean.toFixed(2)} [${d.lo.toFixed(2)}, ${d.hi.toFixed(2)}]`);
    // The paper's pooled median (IQR) is kept beside it.
    expect(c.median).toBeCloseTo(median([...w1, ...w2, ...w3]), 12);
    expect(c.pooledText).toBe(`${c.median.toFixed(2)} (${c.iqr.toFixed(2)})`);
  });

  it('ragged: a seed missing and a diverged seed counting zeros, as the pooled statistic does', () => {
    // Seeds 1 and 3 of 3 reported; seed 3 diverged: its K zeros give it a median of 0.
    const c = cellStats({ results: [run({ seed: 1, window: w1 }), run({ seed: 3, status: 'diverged' })], seeds: 3, lastK: 4 });
    expect(c.perSeed).toEqual([
      { seed: 1, value: median(w1), failure: null },
      { seed: 3, value: 0, failure: 'diverged' },
    ]);
    const d = directCi([median(w1), 0]);
    expect(c.acrossSeeds).toMatchObject({ n: 2 });
    expect(c.acrossSeeds.mean).toBeCloseTo(d.mean, 12);
    expect(c.acrossSeeds.lo).toBeCloseTo(d.lo, 9);
    expect(c.acrossSeeds.hi).toBeCloseTo(d.hi, 9);
    expect(c).toMatchObject({ state: 'partial', seedsDone: 2, seedsTotal: 3 });
    expect(c.median).toBeCloseTo(median([...w1, 0, 0, 0, 0]), 12);
  });

  it('an errored seed has no value and is left out of the interval; one value has no interval', () => {
    const c = cellStats({ results: [run({ seed: 1, window: w1 }), run({ seed: 2, status: 'error' })], seeds: 2, lastK: 4 });
    expect(c.perSeed[1].value).toBeNaN();
    expect(c.acrossSeeds).toMatchObject({ n: 1, mean: median(w1) });
    expect(c.text).toBe('0.75 (1 seed)');
  });

  it('one seed per cell keeps the paper\u2019s text; all seeds diverged read "0 [0, 0]"', () => {
    const one = cellStats({ results: [run({ window: w1 })], seeds: 1, lastK: 4 });
    expect(one.text).toBe(one.pooledText);
    expect(one.text).toBe('0.75 (0.15)');
    const dead = cellStats({
      results: [run({ seed: 1, status: 'diverged' }), run({ seed: 2, status: 'diverged' })],
      seeds: 2,
      lastK: 4,
    });
    expect(dead).toMatchObject({ state: 'failed', text: '0 [0, 0]', pooledText: '0 (0)' });
  });
});
