// The boundary loss: by hand, against the float64 reference (value and central differences, with the
// distance maps computed from yTrue or handed in, anisotropic), the schedule, and its options.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { pytorchOptions } from '../export/pytorch-support';
import { boundaryWeightAt, checkLossOptions, computeLoss, resolveLossOptions } from './index';
import {
  type Case,
  centralDiff,
  makeRng,
  randomOneHot,
  randomProbs,
  randomSoftmax,
  relMaxError,
  toTensor,
} from './testing/fixtures';
import { refBoundary, refBoundaryGdlWeights, refBoundaryWeight, refDistanceMaps } from './testing/reference64-boundary';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Opts = Record<string, unknown>;

function value(c: Case, o: Opts, ctx: { step?: number; phi?: Float64Array } = {}): number {
  return tf.tidy(() => {
    const distance = ctx.phi ? toTensor(ctx.phi, c.shape) : undefined;
    return computeLoss('boundary', toTensor(c.r, c.shape), toTensor(c.p, c.shape), o, { step: ctx.step, distance }).dataSync()[0];
  });
}

function grads(c: Case, o: Opts, ctx: { step?: number; phi?: Float64Array } = {}): { p: Float32Array; r: Float32Array } {
  return tf.tidy(() => {
    const distance = ctx.phi ? toTensor(ctx.phi, c.shape) : undefined;
    const r = toTensor(c.r, c.shape);
    const p = toTensor(c.p, c.shape);
    const context = { step: ctx.step, distance };
    const gp = tf
      .grad((x: tf.Tensor) => computeLoss('boundary', r, x, o, context))(p)
      .dataSync() as Float32Array;
    const gr = tf
      .grad((x: tf.Tensor) => computeLoss('boundary', x, p, o, context))(r)
      .dataSync() as Float32Array;
    return { p: gp, r: gr };
  });
}

const SHAPES = [
  [2, 4, 5, 2],
  [1, 5, 6, 3],
  [2, 3, 3, 4, 2],
];
const OPTION_SETS: Opts[] = [
  {},
  { boundaryRegion: 'dice', perImage: true },
  { boundaryStart: 0.2, boundaryRate: 0.1, boundaryEvery: 3, boundaryMax: 0.7 },
  { boundaryStart: 1, boundaryMax: 1 },
];

describe('boundary loss by hand', () => {
  // A 1 x 4 strip, foreground at x = 1, 2: phi = [1, 0, 0, 1] (inner boundary 0, first outside voxel 1 mm).
  const shape = [1, 1, 4, 2];
  const r = [1, 0, 0, 1, 0, 1, 1, 0];
  const p = [0.8, 0.2, 0.1, 0.9, 0.4, 0.6, 0.6, 0.4];
  const c: Case = { shape, r: Float64Array.from(r), p: Float64Array.from(p) };

  it('a = 1: mean of p_fg * phi = (0.2 * 1 + 0.9 * 0 + 0.6 * 0 + 0.4 * 1) / 4 = 0.15', () => {
    expect(value(c, { boundaryStart: 1, boundaryMax: 1 })).toBeCloseTo(0.15, 6);
  });

  it('a perfect prediction of a blob with an interior is negative: [0,1,1,1,0] gives (-1)/5', () => {
    const strip: Case = {
      shape: [1, 1, 5, 2],
      r: Float64Array.from([1, 0, 0, 1, 0, 1, 0, 1, 1, 0]),
      p: Float64Array.from([1, 0, 0, 1, 0, 1, 0, 1, 1, 0]),
    };
    expect(value(strip, { boundaryStart: 1, boundaryMax: 1 })).toBeCloseTo(-0.2, 6);
  });

  it('the reference minimises the boundary term: no random prediction scores lower', () => {
    const rng = makeRng(5);
    const s = [1, 6, 7, 2];
    const ref: Case = { shape: s, r: randomOneHot(rng, s, 0.4), p: new Float64Array(0) };
    const o = { boundaryStart: 1, boundaryMax: 1 };
    const best = value({ ...ref, p: ref.r }, o);
    for (let k = 0; k < 20; k++) expect(value({ ...ref, p: randomSoftmax(rng, s, 4) }, o)).toBeGreaterThanOrEqual(best - 1e-6);
  });
});

describe('boundary loss against the float64 reference', () => {
  for (const shape of SHAPES) {
    for (const o of OPTION_SETS) {
      for (const step of [1, 7, 120]) {
        it(`[${shape}] ${JSON.stringify(o)} step ${step}: value, phi from yTrue and handed in`, () => {
          const rng = makeRng(shape.length * 100 + step);
          const c: Case = { shape, r: randomOneHot(rng, shape, 0.35), p: randomSoftmax(rng, shape) };
          const expected = refBoundary(c, o, { step });
          expect(Math.abs(value(c, o, { step }) - expected)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));
          // Anisotropic maps handed in (as the batch source does) replace the 1 mm ones.
          const spacing = shape.length === 4 ? [2.5, 0.7] : [3, 1, 0.5];
          const phi = refDistanceMaps(c, spacing);
          const handed = refBoundary(c, o, { step, phi });
          expect(Math.abs(value(c, o, { step, phi }) - handed)).toBeLessThan(1e-5 * Math.max(1, Math.abs(handed)));
        });

        it(`[${shape}] ${JSON.stringify(o)} step ${step}: tf.grad = central differences (p; r with phi held)`, () => {
          const rng = makeRng(shape.length * 10 + step);
          const c: Case = { shape, r: randomOneHot(rng, shape, 0.35), p: randomProbs(rng, shape) };
          const phi = refDistanceMaps(c, shape.length === 4 ? [1.5, 1] : [1, 2, 1]);
          const g = grads(c, o, { step, phi });
          const fdP = centralDiff((p) => refBoundary({ ...c, p }, o, { step, phi }), c.p);
          expect(Math.max(...fdP.map(Math.abs))).toBeGreaterThan(1e-4);
          expect(relMaxError(g.p, fdP)).toBeLessThan(5e-5);
          // phi (and GDL's weights) are constants of the reference: only the region's overlap depends on r.
          const gdlWeights = refBoundaryGdlWeights(c, o);
          const fdR = centralDiff((r) => refBoundary({ ...c, r }, o, { step, phi, gdlWeights }), c.r);
          expect(relMaxError(g.r, fdR)).toBeLessThan(5e-5);
          // Without handed-in maps phi comes from r off the tape: the same derivative with phi fixed.
          const own = grads(c, o, { step });
          const fdOwn = centralDiff((r) => refBoundary({ ...c, r }, o, { step, phi: refDistanceMaps(c), gdlWeights }), c.r);
          expect(relMaxError(own.r, fdOwn)).toBeLessThan(5e-5);
        });
      }
    }
  }
});

describe('the schedule from region loss to boundary loss', () => {
  const o = resolveLossOptions('boundary', { boundaryStart: 0.1, boundaryRate: 0.05, boundaryEvery: 4, boundaryMax: 0.3 });

  it('a = start + rate * floor((step - 1) / every), capped at max; the reference agrees', () => {
    const expected = [0.1, 0.1, 0.1, 0.1, 0.15, 0.15, 0.15, 0.15, 0.2];
    for (const [i, a] of expected.entries()) expect(boundaryWeightAt(o, i + 1)).toBeCloseTo(a, 12);
    expect(boundaryWeightAt(o, 1000)).toBe(0.3);
    for (const step of [1, 5, 9, 13, 17, 400])
      expect(boundaryWeightAt(o, step)).toBeCloseTo(refBoundaryWeight({ ...o }, step), 12);
  });

  it('defaults: 0 for steps 1-50 (the region loss alone), then +0.1 every 50 steps, 0.99 from step 501 on', () => {
    const d = resolveLossOptions('boundary', {});
    expect(boundaryWeightAt(d, 1)).toBe(0);
    expect(boundaryWeightAt(d, 50)).toBe(0);
    expect(boundaryWeightAt(d, 51)).toBeCloseTo(0.1, 12);
    expect(boundaryWeightAt(d, 300)).toBeCloseTo(0.5, 12);
    expect(boundaryWeightAt(d, 451)).toBeCloseTo(0.9, 12);
    expect(boundaryWeightAt(d, 501)).toBe(0.99);
  });

  it('the loss moves from the region loss (a = 0) to the boundary term (a = 1) with the step it is given', () => {
    const shape = [2, 5, 5, 2];
    const rng = makeRng(3);
    const c: Case = { shape, r: randomOneHot(rng, shape, 0.3), p: randomSoftmax(rng, shape) };
    const sched = { boundaryStart: 0, boundaryRate: 0.5, boundaryEvery: 1, boundaryMax: 1 };
    const region = value(c, { boundaryStart: 0, boundaryRate: 0, boundaryMax: 0 });
    const term = value(c, { boundaryStart: 1, boundaryMax: 1 });
    expect(Math.abs(region - term)).toBeGreaterThan(0.05);
    expect(value(c, sched, { step: 1 })).toBeCloseTo(region, 5);
    expect(value(c, sched, { step: 2 })).toBeCloseTo(0.5 * region + 0.5 * term, 5);
    expect(value(c, sched, { step: 3 })).toBeCloseTo(term, 5);
    // Without a step the schedule is at its start.
    expect(value(c, sched)).toBeCloseTo(region, 5);
  });
});

describe('boundary options and inputs', () => {
  it('validates each option with a message naming it and its range', () => {
    const problems = checkLossOptions('boundary', {
      boundaryRegion: 'ce',
      boundaryStart: 2,
      boundaryEvery: 1.5,
      boundaryRate: -0.1,
      epsilon: 0.1,
    }).problems.map((p) => p.message);
    expect(problems).toEqual([
      "boundary: boundaryRegion must be one of 'gdl', 'dice', got \"ce\"",
      'boundary: boundaryStart must be a number in [0, 1], got 2',
      'boundary: boundaryEvery must be an integer in [1, 100000], got 1.5',
      'boundary: boundaryRate must be a number in [0, 1], got -0.1',
      expect.stringMatching(/^boundary: unknown option 'epsilon' \(valid: boundaryRegion, boundaryStart/),
    ]);
  });

  it('boundaryStart above boundaryMax is accepted (a link sets them one at a time): the cap holds from step 1', () => {
    const o = resolveLossOptions('boundary', { boundaryStart: 0.5, boundaryMax: 0.3 });
    expect(boundaryWeightAt(o, 1)).toBe(0.3);
    expect(boundaryWeightAt(o, 50)).toBe(0.3);
  });

  it('distance maps of another shape than yTrue are refused', () => {
    const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2).reshape([1, 2, 2, 2]);
    expect(() => computeLoss('boundary', y, y, {}, { distance: tf.zeros([1, 2, 2, 3]) })).toThrow(
      'boundary: distance maps of shape [1,2,2,3] for yTrue [1,2,2,2]',
    );
  });

  it('leaves no tensors behind, with and without handed-in maps', () => {
    const shape = [1, 4, 4, 2];
    const rng = makeRng(1);
    const c: Case = { shape, r: randomOneHot(rng, shape), p: randomSoftmax(rng, shape) };
    const phi = refDistanceMaps(c);
    const run = () => {
      value(c, {}, { step: 3 });
      value(c, {}, { step: 3, phi });
      grads(c, {}, { step: 3 });
    };
    run();
    const before = tf.memory().numTensors;
    run();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('export', () => {
  it('the PyTorch export carries a boundary run with its options (python/losses.py has the loss)', () => {
    const o = resolveLossOptions('boundary', { boundaryStart: 0.3 });
    expect(pytorchOptions('boundary', { ...o })).toEqual({ ...o });
  });
});
