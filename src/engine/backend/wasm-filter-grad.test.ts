// The generated SIMD filter-gradient kernel against a float64 sum written here (no shared code),
// through the registered wasm kernels, for every register-blocking variant, padding, stride and 3D.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { blocking, compiledShapes, filterGradSimd, filterGradSupported } from './wasm-filter-grad';
import { MAX_KERNEL_BYTES } from './wasm-simd-heap';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { asWasm } from './wasm-kernel-ops';
import { liveCounts, maxRelError, runKernel, seededValues } from './wasm-test-utils';

// float32 sums of up to ~2,000 products in another order than float64's.
const TOLERANCE = 2e-5;

interface Case {
  n: number;
  size: number[]; // [h, w] or [d, h, w]
  ci: number;
  co: number;
  k: number[];
  strides: number[];
  pad: 'same' | 'valid' | [number, number][]; // explicit: per spatial axis, before and after (2D only)
}

/** Output sizes and pads per spatial axis, by TensorFlow's rules for 'same' and 'valid'. */
function geometry(c: Case): { out: number[]; pads: [number, number][] } {
  const out: number[] = [];
  const pads: [number, number][] = [];
  c.size.forEach((n, i) => {
    const [k, s] = [c.k[i], c.strides[i]];
    if (c.pad === 'same') {
      out.push(Math.ceil(n / s));
      const total = Math.max(0, (out[i] - 1) * s + k - n);
      pads.push([Math.floor(total / 2), total - Math.floor(total / 2)]);
    } else if (c.pad === 'valid') {
      out.push(Math.ceil((n - k + 1) / s));
      pads.push([0, 0]);
    } else {
      out.push(Math.floor((n + c.pad[i][0] + c.pad[i][1] - k) / s) + 1);
      pads.push(c.pad[i]);
    }
  });
  return { out, pads };
}

/** dW by the definition: every output position times every tap, in float64. */
function reference(c: Case, x: Float32Array, dy: Float32Array): Float64Array {
  const g = geometry(c);
  const lift = <T>(v: T[], one: T): T[] => (v.length === 2 ? [one, ...v] : v);
  const [size, k, st, out] = [lift(c.size, 1), lift(c.k, 1), lift(c.strides, 1), lift(g.out, 1)];
  const pads = lift(g.pads, [0, 0] as [number, number]);
  const dw = new Float64Array(k[0] * k[1] * k[2] * c.ci * c.co);
  for (let b = 0; b < c.n; b++)
    for (let od = 0; od < out[0]; od++)
      for (let oh = 0; oh < out[1]; oh++)
        for (let ow = 0; ow < out[2]; ow++)
          for (let a0 = 0; a0 < k[0]; a0++)
            for (let a1 = 0; a1 < k[1]; a1++)
              for (let a2 = 0; a2 < k[2]; a2++) {
                const z = od * st[0] + a0 - pads[0][0];
                const y = oh * st[1] + a1 - pads[1][0];
                const v = ow * st[2] + a2 - pads[2][0];
                if (z < 0 || z >= size[0] || y < 0 || y >= size[1] || v < 0 || v >= size[2]) continue;
                const xAt = (((b * size[0] + z) * size[1] + y) * size[2] + v) * c.ci;
                const dyAt = (((b * out[0] + od) * out[1] + oh) * out[2] + ow) * c.co;
                const wAt = ((a0 * k[1] + a1) * k[2] + a2) * c.ci * c.co;
                for (let p = 0; p < c.ci; p++) for (let q = 0; q < c.co; q++) dw[wAt + p * c.co + q] += x[xAt + p] * dy[dyAt + q];
              }
  return dw;
}

/** The registered wasm kernel's dW for a case (explicit pads in 2D, 'same'/'valid' in 3D). */
async function wasmGradient(c: Case, x: Float32Array, dy: Float32Array): Promise<Float32Array> {
  const xt = tf.tensor(x, [c.n, ...c.size, c.ci]);
  const dyt = tf.tensor(dy, [c.n, ...geometry(c).out, c.co]);
  const filterShape = [...c.k, c.ci, c.co];
  const pad = typeof c.pad === 'string' ? c.pad : [[0, 0], ...c.pad, [0, 0]];
  const result =
    c.size.length === 2
      ? runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, { strides: c.strides, pad, dataFormat: 'NHWC', filterShape })
      : runKernel('Conv3DBackpropFilterV2', { x: xt, dy: dyt }, { strides: c.strides, pad, filterShape });
  const values = (await result.data()) as Float32Array;
  tf.dispose([xt, dyt, result]);
  return values;
}

const S2 = [1, 1];
const S3 = [1, 1, 1];
const CASES: Case[] = [
  // the reference U-Net's layers at 16x16 (co 8: vb 2; co 16 and 32: vb 4)
  { n: 4, size: [16, 16], ci: 3, co: 8, k: [3, 3], strides: S2, pad: 'same' },
  { n: 2, size: [16, 16], ci: 16, co: 16, k: [3, 3], strides: S2, pad: 'same' },
  { n: 2, size: [8, 8], ci: 32, co: 32, k: [3, 3], strides: S2, pad: 'same' },
  // co 4 (vb 1), 12 (vb 3), 20 (vb 1, 5 blocks); ci tails 1, 5 and 9 against cb 8, 4 and 2
  { n: 1, size: [7, 5], ci: 9, co: 4, k: [3, 3], strides: S2, pad: 'same' },
  {
    n: 3,
    size: [6, 9],
    ci: 5,
    co: 12,
    k: [3, 2],
    strides: S2,
    pad: [
      [1, 1],
      [0, 1],
    ],
  },
  { n: 2, size: [5, 6], ci: 1, co: 20, k: [5, 5], strides: S2, pad: 'same' },
  // 'valid', uneven explicit pads, a 1x1 kernel, an input larger than one output + taps
  { n: 2, size: [9, 8], ci: 4, co: 8, k: [3, 3], strides: S2, pad: 'valid' },
  {
    n: 1,
    size: [6, 7],
    ci: 3,
    co: 8,
    k: [3, 3],
    strides: S2,
    pad: [
      [2, 0],
      [0, 1],
    ],
  },
  { n: 3, size: [5, 5], ci: 6, co: 16, k: [1, 1], strides: S2, pad: 'valid' },
  // strides: the U-Net's up-conv (its filter gradient is this kernel's with stride 2), odd sizes, mixed
  { n: 4, size: [32, 32], ci: 8, co: 16, k: [2, 2], strides: [2, 2], pad: 'same' },
  { n: 2, size: [7, 9], ci: 3, co: 8, k: [3, 3], strides: [2, 2], pad: 'same' },
  { n: 1, size: [8, 9], ci: 5, co: 4, k: [3, 2], strides: [2, 1], pad: 'valid' },
  {
    n: 2,
    size: [9, 7],
    ci: 2,
    co: 8,
    k: [3, 3],
    strides: [3, 2],
    pad: [
      [1, 0],
      [2, 1],
    ],
  },
  // a large one last: the kernel's memory grows
  { n: 4, size: [64, 64], ci: 16, co: 8, k: [3, 3], strides: S2, pad: 'same' },
  // 3D: 'same' with 3^3 taps, 'valid' with uneven taps, strided, the 3D U-Net's first layer
  { n: 2, size: [5, 6, 7], ci: 3, co: 8, k: [3, 3, 3], strides: S3, pad: 'same' },
  { n: 1, size: [6, 5, 7], ci: 5, co: 12, k: [2, 3, 1], strides: S3, pad: 'valid' },
  { n: 2, size: [7, 6, 5], ci: 3, co: 8, k: [3, 2, 3], strides: [2, 2, 1], pad: 'same' },
  { n: 1, size: [8, 8, 8], ci: 4, co: 16, k: [2, 2, 2], strides: [2, 2, 2], pad: 'valid' },
  { n: 2, size: [16, 16, 16], ci: 2, co: 8, k: [3, 3, 3], strides: S3, pad: 'same' },
];

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('SIMD filter gradient', () => {
  it('blocks channels to fit the registers and takes only whole vectors of output channels', () => {
    expect(blocking(8, 8)).toEqual({ cb: 4, vb: 2 });
    expect(blocking(16, 16)).toEqual({ cb: 2, vb: 4 });
    expect(blocking(3, 8)).toEqual({ cb: 3, vb: 2 });
    expect(blocking(9, 12)).toEqual({ cb: 2, vb: 3 });
    expect(blocking(9, 20)).toEqual({ cb: 8, vb: 1 });
    expect(filterGradSupported({ co: 2 })).toBe(false);
    expect(filterGradSupported({ co: 8 })).toBe(true);
  });

  it('declines a layer past its memory bound before touching anything (the caller keeps its general path)', () => {
    const side = Math.ceil(Math.cbrt(MAX_KERNEL_BYTES / 4 / 16)) + 2;
    const shape = { n: 1, d: side, h: side, w: side, ci: 16, od: side, oh: side, ow: side, co: 16 };
    const geometry = { kd: 1, kh: 1, kw: 1, sd: 1, sh: 1, sw: 1, front: 0, top: 0, left: 0 };
    const fake = { dataId: {}, shape: [], dtype: 'float32' as const };
    const shapes = compiledShapes();
    expect(filterGradSimd(asWasm(tf.backend()), fake, fake, { ...shape, ...geometry }, [1, 1, 1, 16, 16])).toBeNull();
    expect(compiledShapes()).toBe(shapes);
  });

  for (const c of CASES) {
    const name = `${c.n}x${c.size.join('x')}x${c.ci} -> ${c.co}, k ${c.k.join('x')}, s ${c.strides}, ${JSON.stringify(c.pad)}`;
    it(`equals the float64 sum: ${name}`, async () => {
      const x = seededValues({ size: c.n * c.size.reduce((a, b) => a * b) * c.ci, seed: 7 });
      const dy = seededValues({ size: c.n * geometry(c).out.reduce((a, b) => a * b) * c.co, seed: 8 });
      const before = liveCounts();
      const shapes = compiledShapes();
      const got = await wasmGradient(c, x, dy);
      expect(compiledShapes()).toBe(shapes + 1); // the SIMD kernel ran (a new shape compiled)
      expect(liveCounts()).toEqual(before);
      const err = maxRelError(got, reference(c, x, dy));
      expect(err).toBeLessThan(TOLERANCE);
      // The same shape again reuses the compiled kernel and gives the same numbers.
      expect(Array.from(await wasmGradient(c, x, dy))).toEqual(Array.from(got));
      expect(compiledShapes()).toBe(shapes + 1);
    });
  }
});
