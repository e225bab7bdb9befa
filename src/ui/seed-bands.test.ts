import { describe, expect, it } from 'vitest';
import type { StepPoint } from '../engine/train/events';
import type { SeedGroup } from '../state/replicates';
import type { RunSummary } from '../state/store';
import { CHART_MAX_POINTS } from './downsample';
import { SeedBandCache } from './SeedBands';

const pt = (step: number, trainDice: number): StepPoint => ({ step, loss: 1, trainDice, predictedFg: 0, msPerStep: 1, lr: 1e-3 });

/** Two seeds of one loss, as the store holds them (append-only arrays). */
function group(steps: number): SeedGroup {
  const runs = [0, 1].map((s) => ({
    id: `gdl-${s + 1}`,
    status: 'running',
    steps: Array.from({ length: steps }, (_, i) => pt(i + 1, ((i * (s + 2)) % 97) / 97)),
    validation: [],
  })) as unknown as RunSummary[];
  return { loss: 'gdl', color: '#3bb273', runs };
}

describe('SeedBandCache: what the chart draws of a band', () => {
  it('a short band comes whole, the same array until a seed adds a step, then a new one', () => {
    const g = group(30);
    const cache = new SeedBandCache();
    const first = cache.trainDice(g);
    expect(first.map((p) => p.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(first[4]).toMatchObject({ lo: 8 / 97, hi: 12 / 97, n: 2 });
    expect(cache.trainDice(g)).toBe(first);
    g.runs[0].steps.push(pt(31, 0.5));
    const next = cache.trainDice(g);
    expect(next).not.toBe(first);
    // Step 31 has one seed so far: provisional, drawn from that seed alone.
    expect(next.at(-1)).toEqual({ step: 31, median: 0.5, lo: 0.5, hi: 0.5, n: 1 });
  });

  it('a long band is cut to the chart budget and keeps the extremes', () => {
    const g = group(50_000);
    const drawn = new SeedBandCache().trainDice(g);
    expect(drawn.length).toBeLessThanOrEqual(CHART_MAX_POINTS);
    expect(drawn.length).toBeGreaterThan(CHART_MAX_POINTS / 4);
    const lo = Math.min(...g.runs.flatMap((r) => r.steps.map((p) => p.trainDice)));
    const hi = Math.max(...g.runs.flatMap((r) => r.steps.map((p) => p.trainDice)));
    expect(Math.min(...drawn.map((p) => p.lo))).toBe(lo);
    expect(Math.max(...drawn.map((p) => p.hi))).toBe(hi);
    expect(drawn[0].step).toBe(1);
    expect(drawn.at(-1)!.step).toBe(50_000);
  });
  it("the loss band: median, min and max of the seeds' losses; on a log axis non-positive losses are left out", () => {
    const runs = [
      [2, 0.5, 0],
      [4, 1.5, 3],
      [3, 1, 0.2],
    ].map((losses, s) => ({
      id: `gdl-${s + 1}`,
      status: 'done',
      steps: losses.map((loss, i) => ({ ...pt(i + 1, 0.5), loss })),
      validation: [],
    })) as unknown as RunSummary[];
    const g: SeedGroup = { loss: 'gdl', color: '#3bb273', runs };
    const cache = new SeedBandCache();
    expect(cache.loss(g, false).map((p) => [p.median, p.lo, p.hi])).toEqual([
      [3, 2, 4],
      [1, 0.5, 1.5],
      [0.2, 0, 3],
    ]);
    // Step 3 on a log axis: the seed at loss 0 has no point there.
    expect(cache.loss(g, true).at(-1)).toMatchObject({ step: 3, lo: 0.2, hi: 3, n: 2 });
    // Separate series: the linear band is unchanged by the log one.
    expect(cache.loss(g, false).at(-1)).toMatchObject({ lo: 0, hi: 3, n: 3 });
  });
});
