// Wasm training kernels against hand-written references (float64 sums, first-max pooling ties)
// and the registration itself: idempotent, wasm-only, reversible, no buffers left behind.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { registerWasmTrainingKernels, restoreStockWasmKernels, WASM_TRAINING_KERNELS } from './wasm-kernels';
import { backendDataIds, maxRelError, runKernel, seededValues, valuesOn } from './wasm-test-utils';

// Max relative error allowed: float32 sums in another order differ by ~1e-7 per term.
const TOLERANCE = 2e-5;

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  await tf.setBackend('cpu');
});

describe('wasm training kernels vs hand-written references', () => {
  it('Conv2DBackpropFilter equals the direct sum over positions', async () => {
    const [n, h, w, ci, co, k, s] = [2, 7, 6, 2, 3, 3, 2];
    const [top, left] = [1, 0]; // 'same' for 7x6 with k3 s2: out 4x3, total pads 2 and 1
    const [ho, wo] = [4, 3];
    const x = seededValues({ size: n * h * w * ci, seed: 101 });
    const dy = seededValues({ size: n * ho * wo * co, seed: 102 });
    const want = new Float64Array(k * k * ci * co);
    for (let b = 0; b < n; b++)
      for (let i = 0; i < ho; i++)
        for (let j = 0; j < wo; j++)
          for (let a = 0; a < k; a++)
            for (let c = 0; c < k; c++) {
              const y = i * s - top + a;
              const z = j * s - left + c;
              if (y < 0 || y >= h || z < 0 || z >= w) continue;
              for (let p = 0; p < ci; p++)
                for (let q = 0; q < co; q++)
                  want[((a * k + c) * ci + p) * co + q] +=
                    x[((b * h + y) * w + z) * ci + p] * dy[((b * ho + i) * wo + j) * co + q];
            }
    const got = await valuesOn('wasm', () =>
      runKernel(
        'Conv2DBackpropFilter',
        { x: tf.tensor4d(x, [n, h, w, ci]), dy: tf.tensor4d(dy, [n, ho, wo, co]) },
        { strides: s, pad: 'same', dataFormat: 'NHWC', filterShape: [k, k, ci, co] },
      ),
    );
    await tf.setBackend('cpu');
    expect(maxRelError(got, want)).toBeLessThan(TOLERANCE);
  });

  it('filter and input gradients stay float32-accurate on a reference-sized layer (float64 sums)', async () => {
    // [4,64,64,8] -> 8, 3x3 same: 16384 terms per filter tap; ReLU-like x, small dy of one sign bias.
    const [n, h, w, ci, co, k] = [4, 64, 64, 8, 8, 3];
    const x = seededValues({ size: n * h * w * ci, seed: 201 }).map((v) => Math.max(0, v));
    const dy = seededValues({ size: n * h * w * co, seed: 202 }).map((v) => v * 1e-3 + 1e-5);
    const f = seededValues({ size: k * k * ci * co, seed: 203 });
    const dW = new Float64Array(k * k * ci * co);
    const dX = new Float64Array(n * h * w * ci);
    for (let b = 0; b < n; b++)
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++)
          for (let a = 0; a < k; a++)
            for (let c = 0; c < k; c++) {
              const y = i - 1 + a;
              const z = j - 1 + c;
              if (y < 0 || y >= h || z < 0 || z >= w) continue;
              const xo = ((b * h + y) * w + z) * ci;
              const go = ((b * h + i) * w + j) * co;
              const fo = (a * k + c) * ci;
              for (let p = 0; p < ci; p++)
                for (let q = 0; q < co; q++) {
                  dW[(fo + p) * co + q] += x[xo + p] * dy[go + q];
                  dX[xo + p] += f[(fo + p) * co + q] * dy[go + q];
                }
            }
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC' };
    const gotW = await valuesOn('wasm', () =>
      runKernel(
        'Conv2DBackpropFilter',
        { x: tf.tensor4d(x, [n, h, w, ci]), dy: tf.tensor4d(dy, [n, h, w, co]) },
        { ...attrs, filterShape: [k, k, ci, co] },
      ),
    );
    const gotX = await valuesOn('wasm', () =>
      runKernel(
        'Conv2DBackpropInput',
        { dy: tf.tensor4d(dy, [n, h, w, co]), filter: tf.tensor4d(f, [k, k, ci, co]) },
        { ...attrs, inputShape: [n, h, w, ci] },
      ),
    );
    await tf.setBackend('cpu');
    // XNNPACK sums in float32 (the cpu backend in float64): ~3e-6 measured for dW, ~3e-7 for dx.
    console.log(
      `reference layer vs float64: dW ${maxRelError(gotW, dW).toExponential(2)}, dx ${maxRelError(gotX, dX).toExponential(2)}`,
    );
    expect(maxRelError(gotW, dW)).toBeLessThan(2e-5);
    expect(maxRelError(gotX, dX)).toBeLessThan(2e-5);
  });

  it('MaxPoolGrad sends each window gradient to its first maximum', async () => {
    // One 2x2 window per quadrant of a 4x4 map, channel 0 all ties, channel 1 a clear max.
    const x = new Float32Array(32);
    for (let p = 0; p < 16; p++) x[p * 2 + 1] = p === 5 ? 1 : 0;
    const dy = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const got = await valuesOn('wasm', () => {
      const input = tf.tensor4d(x, [1, 4, 4, 2]);
      const output = tf.maxPool(input, 2, 2, 'valid');
      return runKernel(
        'MaxPoolGrad',
        { dy: tf.tensor4d(dy, [1, 2, 2, 2]), input, output },
        {
          filterSize: 2,
          strides: 2,
          pad: 'valid',
        },
      );
    });
    await tf.setBackend('cpu');
    const want = new Float32Array(32);
    // channel 0: top-left element of each window; channel 1: window 0 has its max at (1,1) = pixel 5.
    [0, 2, 8, 10].forEach((p, win) => {
      want[p * 2] = dy[win * 2];
      want[(win === 0 ? 5 : p) * 2 + 1] = dy[win * 2 + 1];
    });
    expect(Array.from(got)).toEqual(Array.from(want));
  });
});

describe('registration', () => {
  it('is idempotent, wasm-only, reversible, and leaves no buffers behind', async () => {
    const cpuBefore = tf.getKernel('Conv2DBackpropFilter', 'cpu');
    const active = () => WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k.kernelName, 'wasm')?.kernelFunc);
    const ours = WASM_TRAINING_KERNELS.map((k) => k.kernelFunc);
    registerWasmTrainingKernels();
    expect(active()).toEqual(ours);
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).toBe(cpuBefore);
    restoreStockWasmKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(active().filter((f, i) => f === ours[i])).toEqual([]);
    // Stock kernels still work after a restore (their setup ran although ours were registered first).
    const v = seededValues({ size: 2 * 3 * 4 * 5 * 2, seed: 3 });
    const make = () => tf.sum(tf.tensor5d(v, [2, 3, 4, 5, 2]), [0, 1, 2, 3]);
    expect(maxRelError(await valuesOn('wasm', make), await valuesOn('cpu', make))).toBeLessThan(1e-6);
    registerWasmTrainingKernels();
    expect(active()).toEqual(ours);

    await tf.setBackend('wasm');
    const x = tf.tensor5d(seededValues({ size: 2 * 5 * 6 * 7 * 3, seed: 7 }), [2, 5, 6, 7, 3]);
    const f = tf.tensor5d(seededValues({ size: 3 * 3 * 3 * 3 * 2, seed: 8 }), [3, 3, 3, 3, 2]);
    const f2 = tf.tensor4d(seededValues({ size: 3 * 3 * 3 * 2, seed: 9 }), [3, 3, 3, 2]);
    const x2 = tf.tensor4d(seededValues({ size: 2 * 7 * 6 * 3, seed: 10 }), [2, 7, 6, 3]);
    const step = () =>
      tf.tidy(() => {
        const g3 = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.maxPool3d(tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, [2, 1, 2], 'same'), 2, 2, 'same')),
        )([x, f]);
        const g2 = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), 3, 2, 'same')),
        )([x2, f2]);
        return tf.addN([tf.sum(g3[0]), tf.sum(g3[1]), tf.sum(g2[0]), tf.sum(g2[1])]);
      });
    step().dispose();
    const tensors = tf.memory().numTensors;
    const buffers = backendDataIds();
    for (let i = 0; i < 3; i++) step().dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backendDataIds()).toBe(buffers);
    tf.dispose([x, f, f2, x2]);
    await tf.setBackend('cpu');
  });
});
