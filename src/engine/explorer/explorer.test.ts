// Explorer curves against independent computations: the float64 loop references of the losses, their
// central differences, and closed forms written out by hand for cross-entropy.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import type { LossId } from '../../domain/losses';
import { type Case, centralDiff, twoClass } from '../losses/testing/fixtures';
import { REFERENCES, refWce, refWceWeights } from '../losses/testing/reference64';
import {
  EXPLORER_DEFAULTS,
  explorerCurves,
  logspaceDown,
  type OptionValues,
  type Predictor,
  probeCurves,
  probeGrid,
  type SyntheticLayout,
  sweepCurve,
  sweepLayouts,
  syntheticLayout,
} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The probe state as float64 arrays: lesion voxels first, each at its class's probability. */
function probeCase(layout: SyntheticLayout, lesion: number, background: number): Case {
  const n = layout.voxels;
  const mask = Array.from({ length: n }, (_, i) => (i < layout.lesionVoxels ? 1 : 0));
  const fg = mask.map((m) => (m ? lesion : background));
  return { shape: [1, 1, n, 2], r: twoClass(mask), p: twoClass(fg) };
}

/** Float64 loss of a case, WCE's weight optionally held at given values (the stop-gradient). */
function refLoss(id: LossId, c: Case, o: OptionValues, wceWeights?: number[][]): number {
  return id === 'wce' ? refWce(c, o, wceWeights) : REFERENCES[id](c, o);
}

/** d loss / d p_i by central differences, moving voxel i's foreground p and its background 1 - p together. */
function refVoxelGrad(id: LossId, c: Case, o: OptionValues, voxel: number): number {
  const held = id === 'wce' ? refWceWeights(c, o) : undefined;
  const fn = (x: Float64Array) => {
    const p = Float64Array.from(c.p);
    p[2 * voxel + 1] = x[0];
    p[2 * voxel] = 1 - x[0];
    return refLoss(id, { ...c, p }, o, held);
  };
  return centralDiff(fn, Float64Array.of(c.p[2 * voxel + 1]), 1e-6)[0];
}

const close = (a: number, b: number, rel = 2e-4, abs = 2e-6) => Math.abs(a - b) <= abs + rel * Math.abs(b);

describe('synthetic layout', () => {
  it('keeps N at the base size, or 1/fraction when that is larger, with at least one lesion voxel', () => {
    expect(syntheticLayout({ fraction: 0.01 })).toEqual({ voxels: 10_000, lesionVoxels: 100, fraction: 0.01 });
    expect(syntheticLayout({ fraction: 0.001 })).toMatchObject({ voxels: 10_000, lesionVoxels: 10 });
    expect(syntheticLayout({ fraction: 1e-5 })).toEqual({ voxels: 100_000, lesionVoxels: 1, fraction: 1e-5 });
    expect(syntheticLayout({ fraction: 3e-5 }).voxels).toBe(Math.ceil(1 / 3e-5));
    expect(syntheticLayout({ fraction: 0.37, voxels: 10 })).toEqual({ voxels: 10, lesionVoxels: 4, fraction: 0.4 });
    expect(syntheticLayout({ fraction: 0.999, voxels: 10 }).lesionVoxels).toBe(9);
    expect(() => syntheticLayout({ fraction: 0 })).toThrow(/fraction/);
    expect(() => syntheticLayout({ fraction: 1e-7 })).toThrow(/voxels/);
  });

  it('spaces the probability grid evenly and the sweep fractions logarithmically', () => {
    const g = probeGrid(5);
    expect(g).toEqual([0.02, 0.26, 0.5, 0.74, 0.98].map((x) => expect.closeTo(x, 12)));
    const f = logspaceDown(EXPLORER_DEFAULTS.sweep);
    expect(f[0]).toBeCloseTo(0.5, 12);
    expect(f.at(-1)).toBeCloseTo(1e-5, 15);
    for (let i = 1; i < f.length; i++) expect(f[i - 1] / f[i]).toBeCloseTo(f[0] / f[1], 9);
  });
});

describe('probe curves', () => {
  const layout = syntheticLayout({ fraction: 0.05, voxels: 400 });
  const predictor: Predictor = { lesion: 0.3, background: 0.1 };
  const grid = probeGrid(7);

  it('cross-entropy matches its closed form: L = -(nFg log x + nBg log(1 - b)) / N, N dL/dp_i = -1/x', async () => {
    const c = await probeCurves({ id: 'ce', layout, predictor, grid });
    const n = layout.voxels;
    const nFg = layout.lesionVoxels;
    grid.forEach((x, k) => {
      expect(c.lesion.loss[k]).toBeCloseTo(-(nFg * Math.log(x) + (n - nFg) * Math.log(1 - predictor.background)) / n, 5);
      expect(c.lesion.grad[k] * n).toBeCloseTo(-1 / x, 4);
      expect(c.background.loss[k]).toBeCloseTo(-(nFg * Math.log(predictor.lesion) + (n - nFg) * Math.log(1 - x)) / n, 5);
      expect(c.background.grad[k] * n).toBeCloseTo(1 / (1 - x), 4);
    });
  });

  const cases: [LossId, OptionValues][] = [
    ['wce', {}],
    ['wce', { wceWeight: 'reference' }],
    ['dl2', { epsilon: '0.001' }],
    ['ss', {}],
    ['ss', { lambda: '0.7', ssVariant: 'niftynet' }],
    ['gdl', {}],
    ['gdl', { weightType: 'simple', epsilon: 0 }],
    ['dice', { squared: 'true' }],
    ['focal', { gamma: 1.5 }],
    ['tversky', {}],
    ['dice_ce', { includeBackground: true, ceWeight: 0.5 }],
  ];
  it.each(cases)('%s %j: loss and gradient equal the float64 reference and its central differences', async (id, o) => {
    const c = await probeCurves({ id, options: o, layout, predictor, grid });
    const last = layout.voxels - 1;
    // The float64 reference wants typed values where the engine accepts URL strings.
    const typed = (v: string | number | boolean) =>
      v === 'true' ? true : typeof v === 'string' && Number.isFinite(Number(v)) ? Number(v) : v;
    const opts = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typed(v)]));
    grid.forEach((x, k) => {
      const lc = probeCase(layout, x, predictor.background);
      expect(close(c.lesion.loss[k], refLoss(id, lc, opts))).toBe(true);
      expect(close(c.lesion.grad[k], refVoxelGrad(id, lc, opts, 0), 2e-3, 2e-6)).toBe(true);
      const bc = probeCase(layout, predictor.lesion, x);
      expect(close(c.background.loss[k], refLoss(id, bc, opts))).toBe(true);
      expect(close(c.background.grad[k], refVoxelGrad(id, bc, opts, last), 2e-3, 2e-6)).toBe(true);
    });
  });

  it('lambda moves the paper SS curves and has no effect on NiftyNet two-class SS', async () => {
    const at = (o: OptionValues) => probeCurves({ id: 'ss', options: o, layout, predictor, grid });
    const [p1, p2, n1, n2] = await Promise.all([
      at({ lambda: 0.05 }),
      at({ lambda: 0.95 }),
      at({ lambda: 0.05, ssVariant: 'niftynet' }),
      at({ lambda: 0.95, ssVariant: 'niftynet' }),
    ]);
    expect(Math.max(...p1.lesion.loss.map((v, i) => Math.abs(v - p2.lesion.loss[i])))).toBeGreaterThan(0.05);
    n1.lesion.loss.forEach((v, i) => {
      expect(v).toBeCloseTo(n2.lesion.loss[i], 6);
    });
    n1.background.grad.forEach((v, i) => {
      expect(v).toBeCloseTo(n2.background.grad[i], 6);
    });
  });
});

describe('fraction sweep', () => {
  const predictor: Predictor = { lesion: 0.3, background: 0.02 };
  const fractions = [0.5, 0.01, 1e-4, 1e-5];
  const sweep = sweepLayouts({ fractions, predictor });

  it('gives the thresholded predictor error rate f (every lesion voxel missed) and Dice 0', () => {
    expect(sweep.voxels).toEqual([10_000, 10_000, 10_000, 100_000]);
    expect(sweep.lesionVoxels).toEqual([5000, 100, 1, 1]);
    sweep.fractions.forEach((f, i) => {
      expect(sweep.errorRate[i]).toBeCloseTo(f, 12);
    });
    expect(sweep.oneMinusDice).toEqual([1, 1, 1, 1]);
    const good = sweepLayouts({ fractions, predictor: { lesion: 0.7, background: 0.02 } });
    expect(good.errorRate).toEqual([0, 0, 0, 0]);
    expect(good.oneMinusDice).toEqual([0, 0, 0, 0]);
  });

  it('CE falls towards -log(1 - b) as the lesion shrinks while GDL stays high (reference values)', async () => {
    const ce = await sweepCurve({ id: 'ce', layouts: sweep.layouts, predictor });
    const gdl = await sweepCurve({ id: 'gdl', layouts: sweep.layouts, predictor });
    sweep.layouts.forEach((l, i) => {
      const f = l.fraction;
      expect(ce[i]).toBeCloseTo(-(f * Math.log(predictor.lesion) + (1 - f) * Math.log(1 - predictor.background)), 5);
      const c = probeCase(l, predictor.lesion, predictor.background);
      expect(close(gdl[i], REFERENCES.gdl(c, {}))).toBe(true);
    });
    // At 0.01% and 0.001% CE calls the predictor nearly perfect; GDL still calls it nearly worthless.
    expect(ce.at(-1)).toBeLessThan(0.021);
    expect(Math.min(gdl[2], gdl[3])).toBeGreaterThan(0.99);
  });
});

describe('explorerCurves', () => {
  it('assembles the sections asked for, from the same computations, without leaking tensors', async () => {
    const req = {
      losses: [{ id: 'ss' as const, options: { lambda: '0.3' } }],
      fraction: 0.02,
      voxels: 300,
      points: 5,
      predictor: { lesion: 0.4 },
      gdl: { options: { weightType: 'square' } },
    };
    await explorerCurves(req);
    const before = tf.memory().numTensors;
    const r = await explorerCurves(req);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.setup).toMatchObject({ voxels: 300, lesionVoxels: 6, predictor: { lesion: 0.4, background: 0.02 } });
    expect(r.setup.p).toHaveLength(5);
    const layout = syntheticLayout({ fraction: 0.02, voxels: 300 });
    const direct = await probeCurves({
      id: 'ss',
      options: { lambda: '0.3' },
      layout,
      predictor: r.setup.predictor,
      grid: r.setup.p,
    });
    expect(r.probe).toEqual([direct]);
    expect(r.sweep).toBeUndefined();
    expect(r.gdl?.gradient.lesion.autodiff).toHaveLength(5);
    expect(r.backend).toBe('cpu');
    // Sweep only (probe: false): 21 fractions from 50% down, the same values as sweepCurve.
    const sweepOnly = await explorerCurves({ losses: [{ id: 'ce' }], fraction: 0.02, probe: false, sweep: true });
    expect(sweepOnly.probe).toEqual([]);
    expect(sweepOnly.sweep?.curves[0].loss).toHaveLength(21);
    expect(sweepOnly.sweep?.fractions[0]).toBeCloseTo(0.5, 12);
    const { layouts } = sweepLayouts({ fractions: logspaceDown(EXPLORER_DEFAULTS.sweep), predictor: sweepOnly.setup.predictor });
    expect(sweepOnly.sweep?.curves[0].loss).toEqual(
      await sweepCurve({ id: 'ce', layouts, predictor: sweepOnly.setup.predictor }),
    );
  });

  it('rejects bad requests with a message naming the field', async () => {
    await expect(explorerCurves({ losses: [{ id: 'nope' as LossId }], fraction: 0.1 })).rejects.toThrow(/unknown loss/);
    await expect(explorerCurves({ losses: [], fraction: 0.1, predictor: { lesion: 2 } })).rejects.toThrow(/predictor.lesion/);
    await expect(explorerCurves({ losses: [], fraction: 0.1, points: 1 })).rejects.toThrow(/points/);
    await expect(explorerCurves({ losses: [{ id: 'ss', options: { lambda: 3 } }], fraction: 0.1, voxels: 50 })).rejects.toThrow(
      /lambda/,
    );
  });
});
