import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchToSpace, DilatedConv, dilatedConv, spaceToBatch } from './dilated-conv';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('spaceToBatch / batchToSpace', () => {
  it('splits one axis into its phases, by hand', () => {
    const x = tf.tensor3d([0, 1, 2, 3, 4, 5], [1, 6, 1]);
    const y = spaceToBatch({ x, dilation: 2 });
    expect(y.shape).toEqual([2, 3, 1]);
    // phase 0 holds even positions, phase 1 odd ones
    expect(Array.from(y.dataSync())).toEqual([0, 2, 4, 1, 3, 5]);
    tf.dispose([x, y]);
  });

  it('puts every voxel of a 3D batch back where it was', () => {
    const x = tf.randomNormal([2, 4, 6, 8, 3], 0, 1, 'float32', 7);
    const s = spaceToBatch({ x, dilation: 2 });
    expect(s.shape).toEqual([16, 2, 3, 4, 3]);
    const back = batchToSpace({ x: s, dilation: 2 });
    expect(maxAbsDiff(back, x)).toBe(0);
    tf.dispose([x, s, back]);
  });
});

describe('dilatedConv forward equals tfjs dilated conv (forward is allowed there)', () => {
  // sizes that are not multiples of the dilation exercise the end padding
  for (const dilation of [1, 2, 3, 4]) {
    it(`3D, dilation ${dilation}`, () => {
      const x = tf.randomNormal([2, 7, 6, 5, 2], 0, 1, 'float32', 1);
      const kernel = tf.randomNormal([3, 3, 3, 2, 3], 0, 1, 'float32', 2);
      const bias = tf.tensor1d([0.5, -1, 2]);
      const ours = dilatedConv({ x, kernel, bias, dilation });
      const ref = tf.add(tf.conv3d(x as tf.Tensor5D, kernel as tf.Tensor5D, 1, 'same', 'NDHWC', dilation), bias);
      expect(ours.shape).toEqual([2, 7, 6, 5, 3]);
      expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-4);
      tf.dispose([x, kernel, bias, ours, ref]);
    });
  }

  it('2D, dilation 2 and 4', () => {
    const x = tf.randomNormal([2, 9, 10, 3], 0, 1, 'float32', 3);
    const kernel = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 4);
    for (const dilation of [2, 4]) {
      const ours = dilatedConv({ x, kernel, dilation });
      const ref = tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same', 'NHWC', dilation);
      expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-4);
      tf.dispose([ours, ref]);
    }
    tf.dispose([x, kernel]);
  });
});

describe('dilatedConv gradient', () => {
  it('tfjs itself refuses this gradient (why the layer exists)', () => {
    const x = tf.ones([1, 4, 4, 4, 1]);
    const k = tf.ones([3, 3, 3, 1, 1]);
    expect(() =>
      tf.grad((t: tf.Tensor) => tf.conv3d(t as tf.Tensor5D, k as tf.Tensor5D, 1, 'same', 'NDHWC', 2).sum())(x),
    ).toThrow(/dilation/);
    tf.dispose([x, k]);
  });

  it('matches central finite differences for input, kernel and bias (3D, dilation 2)', () => {
    const x = tf.randomNormal([1, 5, 4, 6, 2], 0, 1, 'float32', 11);
    const kernel = tf.randomNormal([3, 3, 3, 2, 2], 0, 1, 'float32', 12);
    const bias = tf.tensor1d([0.3, -0.2]);
    const r = tf.randomNormal([1, 5, 4, 6, 2], 0, 1, 'float32', 13);
    // f is quadratic in each argument, so central differences are exact up to rounding for any h
    const f = (xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor) =>
      tf.tidy(() => {
        const y = dilatedConv({ x: xx, kernel: kk, bias: bb, dilation: 2 });
        return tf.add(tf.sum(tf.mul(r, y)), tf.mul(0.05, tf.sum(tf.square(y))));
      });
    const [gx, gk, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => f(a, b, c))([x, kernel, bias]);
    const args = [x, kernel, bias];
    const grads = [gx, gk, gb].map((g) => g.dataSync());
    const h = 0.05;
    for (let which = 0; which < 3; which++) {
      const base = args[which].dataSync();
      // every bias entry, and a spread of input and kernel entries (corners included)
      const n = base.length;
      const idx = which === 2 ? [0, 1] : [0, n - 1, ...Array.from({ length: 24 }, (_, i) => Math.floor(((i + 0.5) * n) / 24))];
      for (const i of idx) {
        const value = (delta: number) => {
          const data = Float32Array.from(base);
          data[i] += delta;
          const moved = tf.tensor(data, args[which].shape);
          const call = args.map((a, j) => (j === which ? moved : a));
          const v = f(call[0], call[1], call[2]);
          const out = v.dataSync()[0];
          tf.dispose([moved, v]);
          return out;
        };
        const numeric = (value(h) - value(-h)) / (2 * h);
        expect(Math.abs(grads[which][i] - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
      }
    }
    tf.dispose([x, kernel, bias, r, gx, gk, gb]);
  });

  it('leaks no tensors (after warm-up)', () => {
    const x = tf.randomNormal([1, 6, 6, 6, 2]);
    const kernel = tf.randomNormal([3, 3, 3, 2, 2]);
    const run = () =>
      tf.tidy(() =>
        tf
          .grad((t: tf.Tensor) => dilatedConv({ x: t, kernel, dilation: 4 }).sum())(x)
          .sum(),
      );
    run().dispose();
    const before = tf.memory().numTensors;
    run().dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, kernel]);
  });
});

describe('DilatedConv layer', () => {
  it('is registered for (de)serialisation and rebuilds the same kernel from its seed', () => {
    const args = { filters: 3, kernelSize: 3, dilation: 2, rank: 3 as const, seed: 5, name: 'dil' };
    const a = new DilatedConv(args);
    a.apply(tf.input({ shape: [null, null, null, 2] }));
    const config = a.getConfig();
    expect(config).toMatchObject({ filters: 3, kernelSize: 3, dilation: 2, rank: 3, seed: 5, useBias: true, init: 'he' });
    const registered = tf.serialization.SerializationMap.getMap().classNameMap.DilatedConv;
    expect(registered).toBeDefined();
    const b = new DilatedConv({ ...(config as unknown as typeof args), name: 'dil2' });
    b.apply(tf.input({ shape: [null, null, null, 2] }));
    const [ka, kb] = [a.getWeights()[0], b.getWeights()[0]];
    expect(ka.shape).toEqual([3, 3, 3, 2, 3]);
    expect(maxAbsDiff(ka, kb)).toBe(0);
    a.dispose();
    b.dispose();
  });
});
