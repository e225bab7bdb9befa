// Each kernel registered for wasm against the cpu backend's kernel on seeded random inputs, over
// paddings, strides, kernel sizes, odd/even sizes, batch and channel counts (references and the
// registration itself: wasm-kernels-reference.test.ts).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { registerWasmTrainingKernels } from './wasm-kernels';
import { maxRelError, runKernel, seededValues, valuesOn } from './wasm-test-utils';

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
              [2, 4], // the SIMD conv and filter gradient (output channels a multiple of 4)
              [4, 3], // the SIMD input gradient at stride 1 (input channels a multiple of 4)
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
      const f4 = tensor([3, 2, 3, 2, 8]); // the SIMD conv
      for (const pad of ['same', 'valid'] as const)
        for (const [filter, co] of [
          [f, 3],
          [f4, 8],
        ] as const)
          forward.push({
            name: `dilation ${dil} ${pad} width ${width} co ${co}`,
            make: () => tf.conv3d(x() as tf.Tensor5D, filter() as tf.Tensor5D, 1, pad, 'NDHWC', dil),
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
