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
});
