import { describe, expect, it } from 'vitest';
import { stepCostMs } from '../step-cost';
import { estimateSweep } from './estimate';
import { cellKey, checkSweepSpec, formatBurden, formatLr, planSweep, runCount } from './plan';
import { presetSpec, SWEEP_PRESETS } from './presets';
import type { SweepSpec } from './types';

const base = (): SweepSpec => presetSpec('table2');

describe('planSweep', () => {
  it('one run per loss x lr x patch x burden x seed, grouped by shared data', () => {
    const spec = { ...base(), burdens: [0.01, 0.002], seeds: 2, firstSeed: 5 };
    const { cells, groups } = planSweep(spec);
    expect(cells).toHaveLength(4 * 3 * 3 * 2 * 2);
    expect(runCount(spec)).toBe(cells.length);
    expect(new Set(cells.map((c) => c.key)).size).toBe(cells.length);
    expect(groups).toHaveLength(3 * 2 * 2);
    for (const g of groups) {
      expect(g.cells).toHaveLength(12);
      for (const c of g.cells) expect([c.burden, c.patch, c.seed]).toEqual([g.burden, g.patch.id, g.seed]);
    }
    expect(new Set(cells.map((c) => c.seed))).toEqual(new Set([5, 6]));
  });

  it('keys are stable and name their cell', () => {
    const c = { loss: 'gdl' as const, lr: 1e-4, patch: 'M', burden: 0.01, seed: 1 };
    expect(cellKey(c)).toBe(cellKey({ ...c }));
    expect(cellKey(c)).not.toBe(cellKey({ ...c, lr: 1e-3 }));
  });
});

describe('checkSweepSpec', () => {
  it('accepts every preset', () => {
    for (const p of SWEEP_PRESETS) expect(checkSweepSpec(p.spec)).toEqual([]);
  });

  it('names each bad field', () => {
    const bad = {
      ...base(),
      losses: ['gdl', 'nope'],
      lrs: [],
      patches: [{ id: 'S', patch: 3, batch: 0 }],
      burdens: [0.5],
      seeds: 0,
      steps: 10,
      lastK: 20,
      size: 500,
    } as unknown as SweepSpec;
    const problems = checkSweepSpec(bad).join('\n');
    for (const want of [
      'losses: unknown nope',
      'learning rates: choose',
      'patch preset S: side',
      'patch preset S: batch',
      'lesion burdens',
      'seeds per cell',
      'last K',
      'phantom size',
    ])
      expect(problems).toContain(want);
  });

  it('refuses grids that are too large and duplicate values', () => {
    expect(checkSweepSpec({ ...base(), lrs: [1e-3, 1e-3] })).toContain('learning rates: each value once');
    const huge = { ...base(), lrs: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => i * 1e-4), burdens: [0.01, 0.02, 0.03, 0.04], seeds: 10 };
    expect(checkSweepSpec(huge).join()).toMatch(/too many runs/);
  });
});

describe('formats and estimates', () => {
  it('formats LRs and burdens like the paper', () => {
    expect([1e-5, 1e-4, 1e-3, 3e-4, 2.5e-4].map(formatLr)).toEqual(['1e-5', '1e-4', '1e-3', '3e-4', '2.5e-4']);
    expect([0.01, 0.002, 0.3, 0.00005].map(formatBurden)).toEqual(['1%', '0.2%', '30%', '0.005%']);
  });

  it('the estimate adds up data and steps, and skips finished runs', () => {
    const spec = presetSpec('quick');
    const e = estimateSweep({ spec, backend: 'wasm' });
    expect(e.runs).toBe(8);
    expect(e.groups).toBe(2);
    expect(e.runSteps).toBe(8 * 30);
    const steps = spec.patches.reduce(
      (a, p) => a + 4 * 30 * stepCostMs({ network: 'unet2d', patch: p.patch, batch: p.batch, backend: 'wasm' }),
      0,
    );
    expect(e.ms).toBeGreaterThan(steps);
    const keys = planSweep(spec).groups[0].cells.map((c) => c.key);
    const rest = estimateSweep({ spec, backend: 'wasm', skip: new Set(keys) });
    expect(rest.runs).toBe(4);
    expect(rest.groups).toBe(1);
    expect(rest.ms).toBeLessThan(e.ms);
    expect(estimateSweep({ spec, backend: 'cpu' }).ms).toBeGreaterThan(10 * e.ms);
  });
});

describe('checkSweepSpec: difficulty', () => {
  it('accepts each preset, or none (a sweep saved before difficulty existed), and names a bad one', () => {
    for (const difficulty of ['easy', 'realistic', 'hard'] as const)
      expect(checkSweepSpec({ ...base(), difficulty })).toEqual([]);
    const { difficulty: _, ...old } = base();
    expect(checkSweepSpec(old)).toEqual([]);
    expect(checkSweepSpec({ ...base(), difficulty: 'extreme' as 'hard' })).toEqual(['difficulty: one of easy, realistic, hard']);
    expect(SWEEP_PRESETS.every((p) => presetSpec(p.id).difficulty === 'realistic')).toBe(true);
  });
});
