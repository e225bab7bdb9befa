// Each kernel registered for wasm against the cpu backend's kernel on seeded random inputs, over
// paddings, strides, kernel sizes, odd/even sizes, batch and channel counts; plus hand-written
// references for the filter gradient and first-max pooling gradient, and a per-kernel leak check.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { registerWasmTrainingKernels, restoreStockWasmKernels, WASM_TRAINING_KERNELS } from './wasm-kernels';
import { backendDataIds, maxRelError, runKernel, seededValues, valuesOn } from './wasm-test-utils';

type Case = { name: string; make: () => tf.Tensor };
type Pad2D = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

// Max relative error allowed vs cpu: float32 sums in another order differ by ~1e-7 per term.
const TOLERANCE = 2e-5;

let seed = 1;
const tensor = (shape: number[], relu = false) => {
  const v = seededValues({ size: shape.reduce((a, b) => a * b, 1), seed: seed++ });
  if (relu) for (let i = 0; i < v.length; i++) v[i] = Math.max(0, v[i]);
  return () => tf.tensor(v, shape);
};

/** Runs every case on cpu and on wasm; returns the worst relative error and its case. */
async function compare(cases: Case[]): Promise<{ worst: number; at: string; count: number }> {
  let worst = 0;
  let at = '';
  for (const c of cases) {
    const want = await valuesOn('cpu', c.make);
    const got = await valuesOn('wasm', c.make);
    const err = maxRelError(got, want);
    if (!(err <= worst)) {
      worst = err;
      at = c.name;
    }
  }
  await tf.setBackend('cpu');
  return { worst, at, count: cases.length };
}

function report(kernel: string, r: { worst: number; at: string; count: number }): void {
  console.log(`${kernel}: ${r.count} cases, max rel error ${r.worst.toExponential(2)} (${r.at})`);
  expect(r.worst, `${kernel} worst case ${r.at}`).toBeLessThan(TOLERANCE);
}

const outSize = (n: number, k: number, s: number, pad: Pad2D | 'same' | 'valid', axis: number): number => {
  if (pad === 'same') return Math.ceil(n / s);
  if (pad === 'valid') return Math.floor((n - k) / s) + 1;
  const [a, b] = pad[axis];
  return Math.floor((n + a + b - k) / s) + 1;
};

function conv2dCases(): { filter: Case[]; input: Case[] } {
  const filter: Case[] = [];
  const input: Case[] = [];
  const pads: Pad2D[] = [
    'same',
    'valid',
    [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  ];
  const strideSet: [number, number][] = [
    [1, 1],
    [2, 2],
    [1, 2],
  ];
  for (const pad of pads)
    for (const strides of strideSet)
      for (const k of [1, 2, 3, 5])
        for (const [h, w] of [
          [6, 6],
          [7, 5],
        ])
          for (const n of [1, 3])
            for (const [ci, co] of [
              [1, 1],
              [3, 4],
            ]) {
              if (pad === 'valid' && (k > h || k > w)) continue;
              const ho = outSize(h, k, strides[0], pad, 1);
              const wo = outSize(w, k, strides[1], pad, 2);
              const name = `pad=${JSON.stringify(pad)} s=${strides} k=${k} ${n}x${h}x${w}x${ci}->${co}`;
              const x = tensor([n, h, w, ci]);
              const f = tensor([k, k, ci, co]);
              const dy = tensor([n, ho, wo, co]);
              const attrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
              filter.push({
                name,
                make: () => runKernel('Conv2DBackpropFilter', { x: x(), dy: dy() }, { ...attrs, filterShape: [k, k, ci, co] }),
              });
              input.push({
                name,
                make: () => runKernel('Conv2DBackpropInput', { dy: dy(), filter: f() }, { ...attrs, inputShape: [n, h, w, ci] }),
              });
            }
  return { filter, input };
}

function conv3dCases(): { forward: Case[]; filter: Case[]; input: Case[] } {
  const forward: Case[] = [];
  const filter: Case[] = [];
  const input: Case[] = [];
  for (const pad of ['same', 'valid'] as const)
    for (const strides of [
      [1, 1, 1],
      [2, 2, 2],
      [2, 1, 2],
    ] as [number, number, number][])
      for (const k of [1, 2, 3, 5])
        for (const [d, h, w] of [
          [5, 6, 7],
          [4, 4, 6],
        ])
          for (const n of [1, 2])
            for (const [ci, co] of [
              [1, 1],
              [3, 2],
            ]) {
              if (pad === 'valid' && k > Math.min(d, h, w)) continue;
              const o = [d, h, w].map((v, i) => outSize(v, k, strides[i], pad, 0));
              const name = `pad=${pad} s=${strides} k=${k} ${n}x${d}x${h}x${w}x${ci}->${co}`;
              const x = tensor([n, d, h, w, ci]);
              const f = tensor([k, k, k, ci, co]);
              const dy = tensor([n, ...o, co]);
              forward.push({ name, make: () => tf.conv3d(x() as tf.Tensor5D, f() as tf.Tensor5D, strides, pad) });
              filter.push({
                name,
                make: () =>
                  runKernel('Conv3DBackpropFilterV2', { x: x(), dy: dy() }, { strides, pad, filterShape: [k, k, k, ci, co] }),
              });
              input.push({
                name,
                make: () =>
                  runKernel('Conv3DBackpropInputV2', { dy: dy(), filter: f() }, { strides, pad, inputShape: [n, d, h, w, ci] }),
              });
            }
  // Dilated forward convs (stride 1): the depth taps skip planes; width 6 at dilation 3 'valid'
  // gives an empty output (XNNPACK must not be called there).
  for (const dil of [2, 3])
    for (const width of [6, 7]) {
      const x = tensor([2, 7, 8, width, 2]);
      const f = tensor([3, 2, 3, 2, 3]);
      for (const pad of ['same', 'valid'] as const)
        forward.push({
          name: `dilation ${dil} ${pad} width ${width}`,
          make: () => tf.conv3d(x() as tf.Tensor5D, f() as tf.Tensor5D, 1, pad, 'NDHWC', dil),
        });
    }
  return { forward, filter, input };
}

function poolCases(): { grad2d: Case[]; fwd3d: Case[]; grad3d: Case[] } {
  const grad2d: Case[] = [];
  const fwd3d: Case[] = [];
  const grad3d: Case[] = [];
  for (const pad of ['same', 'valid'] as const)
    for (const s of [1, 2])
      for (const k of [1, 2, 3])
        for (const [n, c] of [
          [1, 1],
          [2, 3],
        ])
          for (const relu of [false, true]) {
            // relu=true makes many ties (whole windows of zeros): the gradient must pick the first.
            const attrs = { filterSize: k, strides: s, pad, dimRoundingMode: undefined };
            const name = `pad=${pad} s=${s} k=${k} n=${n} c=${c} relu=${relu}`;
            const x2 = tensor([n, 7, 6, c], relu);
            const p2 = tf.tidy(() => tf.maxPool(tf.zeros([n, 7, 6, c]) as tf.Tensor4D, k, s, pad).shape);
            const dy2 = tensor(p2);
            grad2d.push({
              name,
              make: () => {
                const input = x2();
                const output = tf.maxPool(input as tf.Tensor4D, k, s, pad);
                return runKernel('MaxPoolGrad', { dy: dy2(), input, output }, attrs);
              },
            });
            const x3 = tensor([n, 5, 6, 7, c], relu);
            const p3 = tf.tidy(() => tf.maxPool3d(tf.zeros([n, 5, 6, 7, c]) as tf.Tensor5D, k, s, pad).shape);
            const dy3 = tensor(p3);
            fwd3d.push({ name, make: () => tf.maxPool3d(x3() as tf.Tensor5D, k, s, pad) });
            grad3d.push({
              name,
              make: () => {
                const input = x3();
                const output = tf.maxPool3d(input as tf.Tensor5D, k, s, pad);
                return runKernel('MaxPool3DGrad', { dy: dy3(), input, output }, attrs);
              },
            });
          }
  return { grad2d, fwd3d, grad3d };
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  await tf.setBackend('cpu');
});

describe('wasm training kernels vs the cpu backend', () => {
  it('Conv2DBackpropFilter and Conv2DBackpropInput', async () => {
    const { filter, input } = conv2dCases();
    report('Conv2DBackpropFilter', await compare(filter));
    report('Conv2DBackpropInput', await compare(input));
  });

  it('Conv3D, Conv3DBackpropFilterV2 and Conv3DBackpropInputV2', async () => {
    const { forward, filter, input } = conv3dCases();
    report('Conv3D', await compare(forward));
    report('Conv3DBackpropFilterV2', await compare(filter));
    report('Conv3DBackpropInputV2', await compare(input));
  });

  it('MaxPoolGrad, MaxPool3D and MaxPool3DGrad (with ties)', async () => {
    const { grad2d, fwd3d, grad3d } = poolCases();
    report('MaxPoolGrad', await compare(grad2d));
    report('MaxPool3D', await compare(fwd3d));
    report('MaxPool3DGrad', await compare(grad3d));
  });
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
