// Chart lines over the store's growing arrays: bounded, redrawn only on change, and equal to cutting the
// whole series at once; the log-scale line keeps only positive losses and still their extremes.
import { describe, expect, it } from 'vitest';
import type { StepPoint } from '../engine/train/events';
import { downsampleMinMax } from '../state/series';
import { CHART_MAX_POINTS, ChartSeries, ChartSeriesCache } from './downsample';

const pt = (step: number): StepPoint => ({
  step,
  loss: step % 97 === 0 ? 0 : 1 + Math.sin(step / 300) + (step % 13) / 10,
  trainDice: Math.abs(Math.cos(step / 700)) * ((step % 7) / 7),
  predictedFg: 0.1,
  msPerStep: 2,
  lr: 1e-3,
});

describe('ChartSeries', () => {
  it('returns a copy of a short series, then the same array until points are added', () => {
    const source = [pt(1), pt(2)];
    const line = new ChartSeries<StepPoint>({ x: (p) => p.step, value: (p) => p.loss });
    const first = line.update(source);
    expect(first).toEqual(source);
    expect(first).not.toBe(source);
    expect(line.update(source)).toBe(first);
    source.push(pt(3));
    const second = line.update(source);
    expect(second).not.toBe(first);
    expect(second.map((p) => p.step)).toEqual([1, 2, 3]);
  });

  it('follows a growing array 10 points at a time to 100,000, each time what one cut of the whole gives', () => {
    const cache = new ChartSeriesCache();
    const source: StepPoint[] = [];
    let drawn: readonly StepPoint[] = [];
    for (let s = 1; s <= 100_000; s += 10) {
      for (let i = 0; i < 10; i++) source.push(pt(s + i));
      drawn = cache.steps('a', 'trainDice', source);
      expect(drawn.length).toBeLessThanOrEqual(CHART_MAX_POINTS);
      if (s === 2_001 || s === 50_001) {
        const once = downsampleMinMax({
          x: (p) => p.step,
          values: [(p) => p.trainDice],
          points: source,
          maxPoints: CHART_MAX_POINTS,
        });
        expect(drawn).toEqual(once);
      }
    }
    expect(drawn.at(-1)).toBe(source.at(-1));
    expect(drawn.length).toBeGreaterThan(CHART_MAX_POINTS / 2);
    const dice = source.map((p) => p.trainDice);
    expect(Math.max(...drawn.map((p) => p.trainDice))).toBe(Math.max(...dice));
    expect(Math.min(...drawn.map((p) => p.trainDice))).toBe(Math.min(...dice));
  });

  it('starts over when the run is reset or restored (a new array)', () => {
    const cache = new ChartSeriesCache(100);
    const old = Array.from({ length: 5_000 }, (_, i) => pt(i + 1));
    cache.steps('a', 'loss', old);
    const fresh = [pt(1), pt(2), pt(3)];
    expect(cache.steps('a', 'loss', fresh)).toEqual(fresh);
  });

  it('draws a log-scale loss from positive losses only, keeping the smallest positive one', () => {
    const cache = new ChartSeriesCache(300);
    const source = Array.from({ length: 30_000 }, (_, i) => pt(i + 1));
    source[12_345] = { ...source[12_345], loss: 1e-6 };
    const drawn = cache.steps('a', 'logLoss', source);
    expect(drawn.length).toBeLessThanOrEqual(300);
    expect(drawn.every((p) => p.loss > 0)).toBe(true);
    expect(drawn).toContain(source[12_345]);
    expect(source.some((p) => p.loss === 0)).toBe(true);
    const short = [pt(96), pt(97), pt(98)];
    expect(cache.steps('b', 'logLoss', short).map((p) => p.step)).toEqual([96, 98]);
  });

  it('keeps lines per run and kind, and forgets runs no longer shown', () => {
    const cache = new ChartSeriesCache();
    const a = [pt(1), pt(2)];
    const val = [{ step: 25, dice: 0.3, perClass: [0.3] }];
    const loss = cache.steps('a', 'loss', a);
    expect(cache.steps('a', 'trainDice', a)).not.toBe(loss);
    expect(cache.steps('a', 'loss', a)).toBe(loss);
    expect(cache.validation('a', val)).toEqual(val);
    cache.retain(['b']);
    expect(cache.steps('a', 'loss', a)).not.toBe(loss); // drawn again from scratch
  });
});
