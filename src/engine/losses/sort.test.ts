// The radix sort behind descendingOrder against a comparator sort (ties by index, negatives, -0), and
// permuteAt's inverse-permutation gradient against gatherAt's scatter.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/backend';
import { createRng } from '../data/rng';
import { descendingRows, gatherAt, permuteAt } from './common';

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

describe('permuteAt', () => {
  it('has gatherAt’s value and gradient for a permutation', () => {
    const rng = createRng(8);
    const x = tf.tensor2d(
      Array.from({ length: 60 }, () => rng.next()),
      [3, 20],
    );
    const w = tf.tensor1d(Array.from({ length: 60 }, () => rng.next() - 0.5));
    const perm = Array.from({ length: 60 }, (_, i) => i).sort(() => rng.next() - 0.5);
    const order = tf.tensor1d(perm, 'int32');
    const f = (gather: typeof gatherAt) => (v: tf.Tensor) => tf.sum(tf.mul(gather(v, order), w));
    const a = tf.valueAndGrad(f(permuteAt as typeof gatherAt))(x);
    const b = tf.valueAndGrad(f(gatherAt))(x);
    expect(a.value.dataSync()[0]).toBeCloseTo(b.value.dataSync()[0], 6);
    expect(Array.from(a.grad.dataSync())).toEqual(Array.from(b.grad.dataSync()));
    tf.dispose([x, w, order, a.value, a.grad, b.value, b.grad]);
  });
});
