// Values against the float64 loop reference (testing/reference64.ts) on random 2D/3D inputs, C = 2 and 3,
// both pooling rules and every option that changes the formula.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { computeLoss, type LossId } from './index';
import { type Case, makeRng, randomOneHot, randomProbs, randomSoftmax, toTensor } from './testing/fixtures';
import { lossCases } from './testing/configs';
import { REFERENCES } from './testing/reference64';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tfValue(id: LossId, c: Case, o: Record<string, unknown>): number {
  return tf.tidy(() => computeLoss(id, toTensor(c.r, c.shape), toTensor(c.p, c.shape), o).dataSync()[0]);
}

describe('computeLoss vs the float64 reference', () => {
  for (const { shape, id, o, perImage, seed, name } of lossCases(1)) {
    it(name, () => {
      const rng = makeRng(seed);
      for (const probs of [randomProbs(rng, shape), randomSoftmax(rng, shape)]) {
        const c: Case = { shape, r: randomOneHot(rng, shape, 0.25), p: probs };
        const options = { ...o, perImage };
        const want = REFERENCES[id](c, options);
        const got = tfValue(id, c, options);
        expect(Number.isFinite(want)).toBe(true);
        expect(Math.abs(got - want)).toBeLessThan(2e-6 * Math.max(1, Math.abs(want)));
      }
    });
  }

  it('pooling matters: gdl pooled and per image differ on a batch with different foreground sizes', () => {
    const shape = [2, 4, 4, 2];
    const rng = makeRng(99);
    const r = new Float64Array(2 * 16 * 2);
    for (let n = 0; n < 32; n++) r[n * 2 + (n < 2 || (n >= 16 && n < 28) ? 1 : 0)] = 1;
    const c: Case = { shape, r, p: randomSoftmax(rng, shape) };
    const pooled = tfValue('gdl', c, {});
    const perImage = tfValue('gdl', c, { perImage: true });
    expect(Math.abs(pooled - perImage)).toBeGreaterThan(1e-3);
    expect(pooled).toBeCloseTo(REFERENCES.gdl(c, {}), 5);
    expect(perImage).toBeCloseTo(REFERENCES.gdl(c, { perImage: true }), 5);
  });

  it('dl2 and paper ss refuse C = 3 with a clear message; niftynet ss accepts it', () => {
    const shape = [1, 2, 2, 3];
    const rng = makeRng(5);
    const c: Case = { shape, r: randomOneHot(rng, shape), p: randomSoftmax(rng, shape) };
    expect(() => tfValue('dl2', c, {})).toThrow(/two classes/);
    expect(() => tfValue('ss', c, {})).toThrow(/niftynet/);
    expect(Number.isFinite(tfValue('ss', c, { ssVariant: 'niftynet' }))).toBe(true);
  });

  it('rejects bad shapes', () => {
    const a = tf.zeros([1, 2, 2, 2]);
    expect(() => computeLoss('ce', a, tf.zeros([1, 2, 3, 2]))).toThrow(/differs/);
    expect(() => computeLoss('ce', tf.zeros([1, 2, 2, 1]), tf.zeros([1, 2, 2, 1]))).toThrow(/C >= 2/);
    expect(() => computeLoss('ce', tf.zeros([2, 2, 2]), tf.zeros([2, 2, 2]))).toThrow(/\[B,H,W,C\]/);
    tf.dispose(a);
  });
});
