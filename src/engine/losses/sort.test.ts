// The radix sort behind descendingOrder against a comparator sort (ties by index, negatives, -0), and the
// Lovász loss's in-memory weights against its tensor path (the one GPU backends run).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/backend';
import { createRng } from '../data/rng';
import { descendingRows, flatten } from './common';
import { lovaszByTensors, lovaszLoss } from './lovasz';
import { makeRng, randomOneHot, randomSoftmax } from './testing/fixtures';

beforeAll(async () => {
  await selectBackend({ requested: 'cpu' });
});

function comparatorOrder(data: Float32Array, r: number, m: number): Int32Array {
  const out = new Int32Array(r * m);
  for (let row = 0; row < r; row++) {
    const idx = Array.from({ length: m }, (_, i) => i);
    idx.sort((a, b) => data[row * m + b] - data[row * m + a]); // stable: ties keep index order
    idx.forEach((v, i) => {
      out[row * m + i] = row * m + v;
    });
  }
  return out;
}

describe('descendingRows', () => {
  it('equals a stable comparator sort on values with ties, negatives, zeros of both signs and extremes', () => {
    const rng = createRng(5);
    for (const [r, m] of [
      [1, 1],
      [2, 7],
      [3, 1000],
      [2, 5000],
    ]) {
      const data = new Float32Array(r * m);
      for (let i = 0; i < data.length; i++) {
        const u = rng.next();
        // A few distinct values give many ties; the rest spans signs and magnitudes.
        data[i] =
          u < 0.3
            ? [0, -0, 1, 0.5][rng.int(4)]
            : u < 0.6
              ? (rng.next() - 0.5) * 1e-30
              : u < 0.9
                ? (rng.next() - 0.5) * 2
                : [3.4e38, -3.4e38, 1e-45, -1e-45][rng.int(4)];
      }
      expect(Array.from(descendingRows(data, r, m)), `${r}x${m}`).toEqual(Array.from(comparatorOrder(data, r, m)));
    }
  });
});

describe('Lovász on cpu and wasm: weights on the unsorted errors', () => {
  it('equals the tensor path (sorted errors, gathered Jaccard steps) in value and gradient', () => {
    const rng = makeRng(8);
    for (const [shape, perImage, lovaszClasses] of [
      [[2, 6, 5, 3], false, 'present'],
      [[3, 4, 4, 2], true, 'all'],
      [[2, 3, 3, 4, 3], true, 'present'],
    ] as const) {
      const r = tf.tensor(Float32Array.from(randomOneHot(rng, [...shape], 0.2)), [...shape]);
      const p = tf.tensor(Float32Array.from(randomSoftmax(rng, [...shape])), [...shape]);
      const o = { perImage, lovaszClasses };
      const loss = (path: typeof lovaszLoss) => (x: tf.Tensor) => path(flatten(r, x), o as never);
      const a = tf.valueAndGrad(loss(lovaszLoss))(p);
      const b = tf.valueAndGrad(loss(lovaszByTensors))(p);
      expect(a.value.dataSync()[0]).toBeCloseTo(b.value.dataSync()[0], 6);
      const [ga, gb] = [a.grad.dataSync(), b.grad.dataSync()];
      for (let k = 0; k < ga.length; k++) expect(ga[k]).toBeCloseTo(gb[k], 6);
      tf.dispose([r, p, a.value, a.grad, b.value, b.grad]);
    }
  });
});
