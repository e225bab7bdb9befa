// GDL specifics: weights (absent classes, normalisation), extreme imbalance, the closed-form gradient
// against autodiff and finite differences, and the paper's printed gradient (off by its sign).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { computeLoss, gdlAnalyticGradient, gdlWeights, paperPrintedGdlGradient } from './index';
import { type Case, centralDiff, makeRng, randomOneHot, randomProbs, relMaxError, toTensor, twoClass } from './testing/fixtures';
import { refGdl } from './testing/reference64';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const close = (values: number[]) => values.map((v) => expect.closeTo(v, 6));
const weights = (v: number[][], type: 'square' | 'simple' | 'uniform') =>
  tf.tidy(() =>
    gdlWeights({ volumes: tf.tensor(v).reshape([v.length, 1, v[0].length]), weightType: type }).arraySync(),
  ) as number[][][];

describe('gdlWeights', () => {
  it('an absent class takes the largest finite weight, then weights sum to 1', () => {
    expect(weights([[4, 0]], 'square')[0][0]).toEqual([0.5, 0.5]);
    // square: [1/16, 1/4, inf] -> [1/16, 1/4, 1/4] / (9/16)
    expect(Array.from(weights([[4, 2, 0]], 'square')[0][0])).toEqual(close([1 / 9, 4 / 9, 4 / 9]));
    // simple: [1/4, 1/2, inf] -> [1/4, 1/2, 1/2] / (5/4)
    expect(Array.from(weights([[4, 2, 0]], 'simple')[0][0])).toEqual(close([0.2, 0.4, 0.4]));
    expect(Array.from(weights([[4, 2, 0]], 'uniform')[0][0])).toEqual(close([1 / 3, 1 / 3, 1 / 3]));
  });

  it('every class absent -> equal weights; groups are handled separately', () => {
    expect(Array.from(weights([[0, 0, 0]], 'square')[0][0])).toEqual(close([1 / 3, 1 / 3, 1 / 3]));
    const w = weights(
      [
        [3, 1],
        [4, 0],
      ],
      'square',
    );
    // group 1: [1/9, 1] -> [0.1, 0.9]; group 2: [1/16, inf] -> [0.5, 0.5]
    expect(Array.from(w[0][0])).toEqual(close([0.1, 0.9]));
    expect(Array.from(w[1][0])).toEqual(close([0.5, 0.5]));
  });
});

function gdlValue(c: Case, o: Record<string, unknown> = {}): number {
  return tf.tidy(() => computeLoss('gdl', toTensor(c.r, c.shape), toTensor(c.p, c.shape), o).dataSync()[0]);
}

describe('gdl under extreme imbalance and absent classes', () => {
  it('1e-4 foreground: perfect prediction ~0, all-background prediction ~1 (weights not swamped)', () => {
    const size = 100 * 100;
    const fg = new Float64Array(size);
    fg[4321] = 1;
    const shape = [1, 100, 100, 2];
    expect(gdlValue({ shape, r: twoClass(fg), p: twoClass(fg) })).toBeLessThan(1e-6);
    // All background: 1 - 2 w_b V_b / (w_f 1 + w_b 2 V_b) with w ~ 1/V^2 -> 1 - 2/(V_b + 2) ~ 1 - 2e-4.
    const allBg = gdlValue({ shape, r: twoClass(fg), p: twoClass(new Float64Array(size)) });
    expect(allBg).toBeCloseTo(1 - 2 / (size - 1 + 2), 4);
    expect(allBg).toBeGreaterThan(0.999);
  });

  it('epsilon does not dominate when raw weights are ~1e-10 (1M voxels, 100k foreground)', () => {
    const n = 64 * 128 * 128;
    const vf = 100_000;
    const vb = n - vf;
    const fg = new Float64Array(n);
    const pf = new Float64Array(n);
    for (let i = 0; i < vf; i++) {
      fg[i] = 1;
      pf[i] = 0.5;
    }
    // Hand sums: I_f = vf/2, U_f = 1.5 vf; I_b = vb, U_b = 2 vb + vf/2.
    const [wf, wb] = [1 / vf ** 2, 1 / vb ** 2];
    const top = 2 * (wf * 0.5 * vf + wb * vb);
    const bottom = wf * 1.5 * vf + wb * (2 * vb + 0.5 * vf);
    const exact = 1 - top / bottom;
    // Raw weights with epsilon 1e-5 added after weighting: the sums are ~1e-5, so epsilon swamps them.
    const swamped = 1 - (top + 1e-5) / (bottom + 1e-5);
    expect(Math.abs(swamped - exact)).toBeGreaterThan(0.05);
    const got = gdlValue({ shape: [1, 64, 128, 128, 2], r: twoClass(fg), p: twoClass(pf) });
    expect(Math.abs(got - exact)).toBeLessThan(1e-4);
  });

  it('absent foreground, all foreground and an all-zero reference: finite, as the reference says', () => {
    const shape = [2, 3, 4, 2];
    const rng = makeRng(3);
    const p = randomProbs(rng, shape, 0, 1);
    const none = twoClass(new Float64Array(24));
    const all = twoClass(new Float64Array(24).fill(1));
    const zero = new Float64Array(48);
    for (const r of [none, all, zero]) {
      for (const perImage of [false, true]) {
        const c: Case = { shape, r, p };
        const got = gdlValue(c, { perImage });
        expect(Number.isFinite(got)).toBe(true);
        expect(got).toBeCloseTo(refGdl(c, { perImage }), 5);
      }
    }
    // Perfect predictions of an absent foreground and of a full foreground both score 0.
    expect(gdlValue({ shape, r: none, p: none })).toBeLessThan(1e-6);
    expect(gdlValue({ shape, r: all, p: all })).toBeLessThan(1e-6);
  });
});

/** Autodiff of computeLoss('gdl') with respect to the foreground p, background 1 - p. */
function autodiffFg(r: tf.Tensor, p: tf.Tensor, o: Record<string, unknown>): tf.Tensor {
  return tf.grad((x: tf.Tensor) => computeLoss('gdl', r, tf.stack([tf.sub(1, x), x], -1), o))(p);
}

describe('closed-form GDL gradient', () => {
  const cases = [
    { shape: [2, 4, 5], seed: 11 },
    { shape: [1, 3, 3, 4], seed: 12 },
  ];
  for (const { shape, seed } of cases) {
    for (const weightType of ['square', 'simple', 'uniform'] as const) {
      for (const perImage of [false, true]) {
        for (const epsilon of [1e-5, 0]) {
          const o = { weightType, perImage, epsilon };
          it(`matches autodiff and finite differences: [${shape}] ${JSON.stringify(o)}`, () => {
            const rng = makeRng(seed);
            const fullShape = [...shape, 2];
            const r = randomOneHot(rng, fullShape, 0.2);
            const p = randomProbs(rng, shape, 0.05, 0.95);
            const [analytic, auto] = tf.tidy(() => {
              const yTrue = toTensor(r, fullShape);
              const pt = toTensor(p, shape);
              const a = gdlAnalyticGradient(yTrue, tf.stack([tf.sub(1, pt), pt], -1), o);
              expect(a.shape).toEqual(shape);
              return [a.dataSync(), autodiffFg(yTrue, pt, o).dataSync()];
            });
            expect(relMaxError(analytic, auto)).toBeLessThan(1e-4);
            const fd = centralDiff((q) => refGdl({ shape: fullShape, r, p: twoClass(q) }, o), p);
            expect(relMaxError(analytic, fd)).toBeLessThan(1e-4);
          });
        }
      }
    }
  }

  it('stays finite when the foreground is absent', () => {
    const shape = [1, 4, 4];
    const p = randomProbs(makeRng(2), shape);
    const g = tf.tidy(() => {
      const pt = toTensor(p, shape);
      return gdlAnalyticGradient(
        toTensor(twoClass(new Float64Array(16)), [1, 4, 4, 2]),
        tf.stack([tf.sub(1, pt), pt], -1),
      ).dataSync();
    });
    expect(g.every(Number.isFinite)).toBe(true);
  });
});

describe("the paper's printed gradient (section 2.1)", () => {
  for (const weightType of ['square', 'simple', 'uniform'] as const) {
    it(`is exactly minus the true gradient (${weightType}): same bracket and denominator, wrong sign`, () => {
      const shape = [2, 5, 6];
      const rng = makeRng(21);
      const r = randomOneHot(rng, [...shape, 2], 0.15);
      const p = randomProbs(rng, shape);
      const o = { weightType, epsilon: 0 };
      const [printed, auto] = tf.tidy(() => {
        const yTrue = toTensor(r, [...shape, 2]);
        const pt = toTensor(p, shape);
        return [
          paperPrintedGdlGradient(yTrue, tf.stack([tf.sub(1, pt), pt], -1), o).dataSync(),
          autodiffFg(yTrue, pt, o).dataSync(),
        ];
      });
      const negated = Array.from(auto, (x) => -x);
      expect(relMaxError(printed, negated)).toBeLessThan(1e-4);
      // As printed it disagrees with autodiff by 2|g|: relative error 2.
      expect(relMaxError(printed, auto)).toBeGreaterThan(1.99);
    });
  }

  it('on a hand case: at a foreground voxel the true gradient is negative, the printed one positive', () => {
    // r = [1,0,0,0], p = [.9,.2,.6,.1], uniform weights (w1 = w2 = 1/2): S = 2.8, N = 4.
    // Printed: -2 [0 + 4 (1/2)(1)(1 - 2 r_i)] / (2 * 4 * 1/2)^2 = -(1 - 2 r_i) / 4 -> +1/4 at i = 0.
    const r = toTensor(twoClass([1, 0, 0, 0]), [1, 2, 2, 2]);
    const y = toTensor(twoClass([0.9, 0.2, 0.6, 0.1]), [1, 2, 2, 2]);
    const o = { weightType: 'uniform' as const, epsilon: 0 };
    const printed = Array.from(paperPrintedGdlGradient(r, y, o).dataSync());
    const ours = Array.from(gdlAnalyticGradient(r, y, o).dataSync());
    expect(Array.from(printed)).toEqual(close([0.25, -0.25, -0.25, -0.25]));
    expect(Array.from(ours)).toEqual(close([-0.25, 0.25, 0.25, 0.25]));
    tf.dispose([r, y]);
  });
});
