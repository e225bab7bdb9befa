// Every loss on the wasm backend (the app's default): values match the float64 reference and tf.grad works
// with respect to the prediction and the reference. wasm lacks kernels the cpu backend has (a gather's
// gradient needs UnsortedSegmentSum) and frees a forward pass's tensors, which a closure must not rely on.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backend/backend';
import { computeLoss, LOSS_IDS, ownersOf } from './index';
import { type Case, makeRng, randomOneHot, randomSoftmax, toTensor } from './testing/fixtures';
import { REFERENCES } from './testing/reference64';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

describe('losses on wasm', () => {
  it('runs on wasm', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  const optionSets = [{}, { ignoreIndex: 2 }, { includeBackground: false }];
  for (const id of LOSS_IDS) {
    for (const o of optionSets.filter((x) => Object.keys(x).every((k) => ownersOf(k).includes(id)))) {
      it(`${id} ${JSON.stringify(o)}: value as the float64 reference, finite gradients for p and r`, () => {
        const shape = [2, 3, 4, id === 'dl2' || id === 'ss' ? 2 : 3];
        const rng = makeRng(77);
        const c: Case = { shape, r: randomOneHot(rng, shape, 0.4), p: randomSoftmax(rng, shape) };
        tf.tidy(() => {
          const r = toTensor(c.r, shape);
          const p = toTensor(c.p, shape);
          const got = computeLoss(id, r, p, o as never).dataSync()[0];
          expect(Math.abs(got - REFERENCES[id](c, o))).toBeLessThan(1e-5);
          const gp = tf
            .grad((x: tf.Tensor) => computeLoss(id, r, x, o as never))(p)
            .dataSync();
          const gr = tf
            .grad((x: tf.Tensor) => computeLoss(id, x, p, o as never))(r)
            .dataSync();
          expect(gp.every(Number.isFinite) && gr.every(Number.isFinite)).toBe(true);
        });
      });
    }
  }
});
