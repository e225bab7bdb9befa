import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChannelBatchNorm } from './batch-norm';
import { depthToSpace2x, UpConv, upConv2x } from './up-conv';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('upConv2x: a transposed conv (kernel 2, stride 2) that trains in 3D', () => {
  it('depth-to-space by hand: channels (row, col) of one pixel become a 2x2 block', () => {
    const x = tf.tensor4d([0, 1, 2, 3], [1, 1, 1, 4]);
    const y = depthToSpace2x({ x });
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(y.dataSync())).toEqual([0, 1, 2, 3]);
    // two pixels side by side: their blocks interleave along the width
    const x2 = tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7], [1, 1, 2, 4]);
    expect(Array.from(depthToSpace2x({ x: x2 }).dataSync())).toEqual([0, 1, 4, 5, 2, 3, 6, 7]);
    tf.dispose([x, y, x2]);
  });

  it('equals tf.conv3dTranspose forward (3D) and tf.conv2dTranspose (2D)', () => {
    const x3 = tf.randomNormal([2, 3, 4, 5, 3], 0, 1, 'float32', 1);
    const k3 = tf.randomNormal([2, 2, 2, 4, 3], 0, 1, 'float32', 2);
    const bias = tf.tensor1d([1, -1, 0.5, 0]);
    const ref3 = tf.add(tf.conv3dTranspose(x3 as tf.Tensor5D, k3 as tf.Tensor5D, [2, 6, 8, 10, 4], 2, 'same'), bias);
    const ours3 = upConv2x({ x: x3, kernel: k3, bias });
    expect(ours3.shape).toEqual([2, 6, 8, 10, 4]);
    expect(maxAbsDiff(ours3, ref3)).toBeLessThan(1e-4);
    const x2 = tf.randomNormal([2, 3, 5, 3], 0, 1, 'float32', 3);
    const k2 = tf.randomNormal([2, 2, 4, 3], 0, 1, 'float32', 4);
    const ref2 = tf.conv2dTranspose(x2 as tf.Tensor4D, k2 as tf.Tensor4D, [2, 6, 10, 4], 2, 'same');
    expect(maxAbsDiff(upConv2x({ x: x2, kernel: k2 }), ref2)).toBeLessThan(1e-4);
    tf.dispose([x3, k3, bias, ref3, ours3, x2, k2, ref2]);
  });

  it('tfjs cannot differentiate conv3dTranspose; upConv2x matches finite differences', () => {
    const x = tf.randomNormal([1, 2, 3, 2, 2], 0, 1, 'float32', 5);
    const k = tf.randomNormal([2, 2, 2, 3, 2], 0, 1, 'float32', 6);
    // stock tfjs 4.22 has no gradient for it (src/engine/backend may register one; this file does not import it)
    if (!tf.getGradient('Conv3DBackpropInputV2')) {
      const transposed = (t: tf.Tensor) =>
        tf.conv3dTranspose(t as tf.Tensor5D, k as tf.Tensor5D, [1, 4, 6, 4, 3], 2, 'same').sum();
      expect(() => tf.grad(transposed)(x)).toThrow(/gradient/);
    }
    const r = tf.randomNormal([1, 4, 6, 4, 3], 0, 1, 'float32', 7);
    // linear in x and in k: central differences are exact up to rounding
    const f = (xx: tf.Tensor, kk: tf.Tensor) => tf.tidy(() => tf.sum(tf.mul(r, upConv2x({ x: xx, kernel: kk }))));
    const [gx, gk] = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a, b))([x, k]);
    const args = [x, k];
    [gx, gk].forEach((g, which) => {
      const base = args[which].dataSync();
      const grad = g.dataSync();
      for (let i = 0; i < base.length; i += 3) {
        const at = (delta: number) => {
          const data = Float32Array.from(base);
          data[i] += delta;
          const moved = tf.tensor(data, args[which].shape);
          const v = which === 0 ? f(moved, k) : f(x, moved);
          const out = v.dataSync()[0];
          tf.dispose([moved, v]);
          return out;
        };
        const numeric = (at(0.1) - at(-0.1)) / 0.2;
        expect(Math.abs(grad[i] - numeric)).toBeLessThan(1e-2 * Math.max(1, Math.abs(numeric)));
      }
    });
    tf.dispose([x, k, r, gx, gk]);
  });

  it('UpConv layer has conv3dTranspose weight shapes and serialises', () => {
    const layer = new UpConv({ filters: 4, rank: 3, seed: 3, name: 'up' });
    const out = layer.apply(tf.input({ shape: [null, 5, null, 6] })) as tf.SymbolicTensor;
    expect(out.shape).toEqual([null, null, 10, null, 4]);
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[2, 2, 2, 4, 6], [4]]);
    expect(layer.getConfig()).toMatchObject({ filters: 4, rank: 3, seed: 3 });
    expect(tf.serialization.SerializationMap.getMap().classNameMap.UpConv).toBeDefined();
    layer.dispose();
  });
});

describe('ChannelBatchNorm equals tfjs BatchNormalization (which stops at rank 4)', () => {
  it('training and inference outputs, and moving statistics, on a 5D batch', () => {
    const x5 = tf.randomNormal([2, 3, 4, 5, 3], 2, 3, 'float32', 8);
    const x4 = x5.reshape([2, 3, 20, 3]);
    const ours = new ChannelBatchNorm({ name: 'ours' });
    const ref = tf.layers.batchNormalization({ axis: -1, name: 'ref' });
    ours.apply(tf.input({ shape: [null, null, null, 3] }));
    ref.apply(tf.input({ shape: [null, null, 3] }));
    // same non-trivial gamma/beta in both
    const gb = [tf.tensor1d([1.5, 0.5, 2]), tf.tensor1d([0.1, -0.2, 0.3])];
    const stats = [tf.zeros([3]), tf.ones([3])];
    ours.setWeights([...gb, ...stats]);
    ref.setWeights([...gb, ...stats]);
    expect(() => tf.layers.batchNormalization({ axis: -1 }).apply(x5, { training: true })).toThrow(/rank 5/);
    for (const training of [true, true, false]) {
      const a = ours.apply(x5, { training }) as tf.Tensor;
      const b = (ref.apply(x4, { training }) as tf.Tensor).reshape(x5.shape);
      expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
      tf.dispose([a, b]);
    }
    for (const [i, w] of ours.getWeights().entries()) expect(maxAbsDiff(w, ref.getWeights()[i])).toBeLessThan(1e-5);
    // the moving statistics moved off their start, towards the batch's mean 2 and variance 9
    expect(ours.getWeights()[2].dataSync()[0]).toBeGreaterThan(0.01);
    expect(ours.getConfig()).toMatchObject({ momentum: 0.99, epsilon: 1e-3 });
    tf.dispose([x5, x4, ...gb, ...stats]);
    ours.dispose();
    ref.dispose();
  });
});
