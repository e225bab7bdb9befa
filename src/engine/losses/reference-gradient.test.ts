// Soft labels: the gradient with respect to the reference (tf.grad) against central differences of the
// float64 reference, with the constants of the reference (GDL's weights) held at their unperturbed values.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { computeLoss, type LossId } from './index';
import { lossCases } from './testing/configs';
import { type Case, centralDiff, makeRng, randomProbs, randomSoftmax, relMaxError, toTensor } from './testing/fixtures';
import { REFERENCES, refFocal, refGdl, refGdlGroupWeights } from './testing/reference64';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Their reference constants are not a gradient path (WCE's and exp-log's weights, Lovász's sort of r).
const HELD: LossId[] = ['wce', 'exp_log', 'lovasz'];

function gradOfReference(id: LossId, c: Case, o: Record<string, unknown>): Float32Array {
  return tf.tidy(() => {
    const yPred = toTensor(c.p, c.shape);
    return tf
      .grad((r: tf.Tensor) => computeLoss(id, r, yPred, o))(toTensor(c.r, c.shape))
      .dataSync() as Float32Array;
  });
}

function finiteDiffOfReference(id: LossId, c: Case, o: Record<string, unknown>): Float64Array {
  const fixed = id === 'gdl' || id === 'gdl_focal' ? refGdlGroupWeights(c, o) : undefined;
  const fn = (r: Float64Array) => {
    const at: Case = { ...c, r };
    if (!fixed) return REFERENCES[id](at, o);
    const gdl = refGdl(at, o, true, fixed);
    if (id === 'gdl') return gdl;
    return Number(o.diceWeight ?? 1) * gdl + Number(o.focalWeight ?? 1) * refFocal(at, o);
  };
  return centralDiff(fn, c.r);
}

describe('gradient with respect to a soft reference vs central differences', () => {
  const cases = lossCases(5000).filter((k) => !HELD.includes(k.id) && k.shape.length === 4 && k.o.ignoreIndex === undefined);
  for (const { shape, id, o, perImage, seed, name } of cases) {
    it(name, () => {
      const rng = makeRng(seed);
      const c: Case = { shape, r: randomSoftmax(rng, shape), p: randomProbs(rng, shape, 0.05, 0.95) };
      const options = { ...o, perImage };
      const g = gradOfReference(id, c, options);
      const fd = finiteDiffOfReference(id, c, options);
      expect(g.every(Number.isFinite)).toBe(true);
      expect(Math.max(...fd.map(Math.abs))).toBeGreaterThan(1e-4);
      expect(relMaxError(g, fd)).toBeLessThan(5e-5);
    });
  }

  it('gdl with square and simple weights: tf.grad with respect to the reference no longer throws', () => {
    const shape = [1, 2, 3, 2];
    const rng = makeRng(3);
    const c: Case = { shape, r: randomSoftmax(rng, shape), p: randomSoftmax(rng, shape) };
    for (const weightType of ['square', 'simple'])
      expect(gradOfReference('gdl', c, { weightType }).every(Number.isFinite)).toBe(true);
  });
});
