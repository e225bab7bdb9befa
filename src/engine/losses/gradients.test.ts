// Autodiff gradients (float32, tf.grad) against central differences of the float64 reference,
// for every loss configuration, 2D and 3D, C = 2 and 3, both pooling rules, on random inputs.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { computeLoss, type LossId } from './index';
import { lossCases } from './testing/configs';
import { type Case, centralDiff, makeRng, randomOneHot, randomProbs, relMaxError, toTensor } from './testing/fixtures';
import { REFERENCES, refWce, refWceWeights } from './testing/reference64';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function autodiff(id: LossId, c: Case, o: Record<string, unknown>): Float32Array {
  return tf.tidy(() => {
    const yTrue = toTensor(c.r, c.shape);
    const g = tf.grad((x: tf.Tensor) => computeLoss(id, yTrue, x, o))(toTensor(c.p, c.shape));
    return g.dataSync() as Float32Array;
  });
}

/** Finite differences of the reference; WCE's weight is held at its unperturbed value (stop-gradient). */
function finiteDiff(id: LossId, c: Case, o: Record<string, unknown>): Float64Array {
  const fixed = id === 'wce' ? refWceWeights(c, o) : undefined;
  const fn = (p: Float64Array) => {
    const at: Case = { ...c, p };
    return fixed ? refWce(at, o, fixed) : REFERENCES[id](at, o);
  };
  return centralDiff(fn, c.p);
}

describe('gradients vs central differences of the float64 reference', () => {
  for (const { shape, id, o, perImage, seed, name } of lossCases(1000)) {
    it(name, () => {
      const rng = makeRng(seed);
      const c: Case = { shape, r: randomOneHot(rng, shape, 0.3), p: randomProbs(rng, shape, 0.05, 0.95) };
      const options = { ...o, perImage };
      const fd = finiteDiff(id, c, options);
      const g = autodiff(id, c, options);
      expect(g.every(Number.isFinite)).toBe(true);
      // A non-trivial gradient, so the comparison means something.
      expect(Math.max(...fd.map(Math.abs))).toBeGreaterThan(1e-4);
      expect(relMaxError(g, fd)).toBeLessThan(5e-5);
    });
  }

  it("wce's weight is held constant: the full derivative (weight varying) is a different vector", () => {
    const shape = [1, 3, 4, 2];
    const rng = makeRng(7);
    const c: Case = { shape, r: randomOneHot(rng, shape, 0.3), p: randomProbs(rng, shape) };
    const g = autodiff('wce', c, {});
    const varying = centralDiff((p) => refWce({ ...c, p }, {}), c.p);
    expect(relMaxError(g, varying)).toBeGreaterThan(0.05);
    expect(relMaxError(g, finiteDiff('wce', c, {}))).toBeLessThan(2e-4);
  });
});
