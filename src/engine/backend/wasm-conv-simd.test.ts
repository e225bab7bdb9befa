// The generated SIMD conv (Conv3D, and the stride-1 Conv3DBackpropInputV2 through it) against float64
// sums written here, on the 3D U-Net's layer sizes, through the registered wasm kernels.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { compiledConvShapes, convBlocking, convSimdSupported } from './wasm-conv-simd';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { liveCounts, maxRelError, runKernel, seededValues } from './wasm-test-utils';

const TOLERANCE = 2e-5;

/**
 * A 'same' 3x3x3 stride-1 conv by its definition, in float64: y sums each tap's input inside the
 * volume; dx sends each output's gradient dy back through the same taps.
 */
function references(p: { x: Float32Array; w: Float32Array; dy: Float32Array; n: number; s: number; ci: number; co: number }) {
  const { x, w, dy, n, s, ci, co } = p;
  const y = new Float64Array(n * s ** 3 * co);
  const dx = new Float64Array(n * s ** 3 * ci);
  for (let b = 0; b < n; b++)
    for (let z = 0; z < s; z++)
      for (let i = 0; i < s; i++)
        for (let j = 0; j < s; j++)
          for (let a = 0; a < 27; a++) {
            const [u, v, t] = [z + Math.floor(a / 9) - 1, i + (Math.floor(a / 3) % 3) - 1, j + (a % 3) - 1];
            if (u < 0 || u >= s || v < 0 || v >= s || t < 0 || t >= s) continue;
            const xAt = (((b * s + u) * s + v) * s + t) * ci;
            const yAt = (((b * s + z) * s + i) * s + j) * co;
            for (let c = 0; c < ci; c++)
              for (let o = 0; o < co; o++) {
                const tap = w[(a * ci + c) * co + o];
                y[yAt + o] += x[xAt + c] * tap;
                dx[xAt + c] += dy[yAt + o] * tap;
              }
          }
  return { y, dx };
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('SIMD conv', () => {
  it('blocks outputs to fit the registers and takes only whole vectors of output channels', () => {
    expect(convBlocking(4, 32)).toEqual({ pb: 8, vb: 1 });
    expect(convBlocking(8, 32)).toEqual({ pb: 4, vb: 2 });
    expect(convBlocking(16, 3)).toEqual({ pb: 2, vb: 4 });
    expect(convSimdSupported({ co: 2 })).toBe(false);
  });

  // The 3D U-Net's first layer (3 -> 4) and a decoder one (16 -> 8), at 16^3 and batch 2.
  for (const [ci, co] of [
    [3, 4],
    [16, 8],
  ]) {
    it(`Conv3D and its input gradient equal the float64 sums: 2x16^3x${ci} -> ${co}`, async () => {
      const [n, s] = [2, 16];
      const x = seededValues({ size: n * s ** 3 * ci, seed: 11 });
      const w = seededValues({ size: 27 * ci * co, seed: 12 });
      const dy = seededValues({ size: n * s ** 3 * co, seed: 13 });
      const before = liveCounts();
      const shapes = compiledConvShapes();
      const [xt, wt, dyt] = [tf.tensor(x, [n, s, s, s, ci]), tf.tensor(w, [3, 3, 3, ci, co]), tf.tensor(dy, [n, s, s, s, co])];
      const y = runKernel('Conv3D', { x: xt, filter: wt }, { strides: [1, 1, 1], pad: 'same', dilations: [1, 1, 1] });
      const dx = runKernel(
        'Conv3DBackpropInputV2',
        { dy: dyt, filter: wt },
        { strides: [1, 1, 1], pad: 'same', inputShape: [n, s, s, s, ci] },
      );
      const [yv, dxv] = [await y.data(), await dx.data()];
      tf.dispose([xt, wt, dyt, y, dx]);
      expect(liveCounts()).toEqual(before);
      // The forward conv took the SIMD path; the input gradient too where ci is a multiple of 4.
      expect(compiledConvShapes()).toBe(shapes + (ci % 4 === 0 ? 2 : 1));
      const want = references({ x, w, dy, n, s, ci, co });
      expect(maxRelError(yv, want.y)).toBeLessThan(TOLERANCE);
      expect(maxRelError(dxv, want.dx)).toBeLessThan(TOLERANCE);
    });
  }
});
