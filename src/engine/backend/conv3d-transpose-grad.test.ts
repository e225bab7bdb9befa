// The registered conv3dTranspose gradient against the function's own forward values: the loss
// L(x, W) = sum(conv3dTranspose(x, W) * G) is bilinear, so dL/dx_i = L(e_i, W) and dL/dW_j = L(x, e_j)
// exactly, computed with forward calls only (cpu backend).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { registerConv3dTransposeGradient } from './conv3d-transpose-grad';
import { maxRelError, seededValues } from './wasm-test-utils';

type Shape5 = [number, number, number, number, number];

function check(params: { x: Shape5; w: Shape5; out: Shape5; strides: number; pad: 'same' | 'valid' }): number {
  const { x: xs, w: ws, out, strides, pad } = params;
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const xv = seededValues({ size: size(xs), seed: 1 });
  const wv = seededValues({ size: size(ws), seed: 2 });
  const gv = seededValues({ size: size(out), seed: 3 });
  return tf.tidy(() => {
    const x = tf.tensor5d(xv, xs);
    const w = tf.tensor5d(wv, ws);
    const g = tf.tensor5d(gv, out);
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv3dTranspose(a as tf.Tensor5D, b as tf.Tensor5D, out, strides, pad), g));
    const [dx, dw] = tf.grads(loss)([x, w]);
    // dL/dx_i = L(e_i, W): all basis inputs at once, one per batch element (batch 1 per element).
    const n = size(xs);
    const basis = tf.reshape(tf.eye(n), [n, xs[1], xs[2], xs[3], xs[4]]) as tf.Tensor5D;
    const outN: Shape5 = [n, out[1], out[2], out[3], out[4]];
    const perX = tf.sum(tf.mul(tf.conv3dTranspose(basis, w, outN, strides, pad), g), [1, 2, 3, 4]);
    const wantW = new Float32Array(size(ws));
    for (let j = 0; j < wantW.length; j++) {
      const e = new Float32Array(wantW.length);
      e[j] = 1;
      wantW[j] = loss(x, tf.tensor5d(e, ws)).dataSync()[0];
    }
    return Math.max(maxRelError(dx.dataSync(), perX.dataSync()), maxRelError(dw.dataSync(), wantW));
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerConv3dTransposeGradient();
});

describe('conv3dTranspose gradient', () => {
  it('matches the bilinear identities for stride 2 same and stride 1 valid', () => {
    expect(tf.getGradient('Conv3DBackpropInputV2')).toBeDefined();
    const s2 = check({ x: [1, 2, 3, 2, 2], w: [2, 2, 2, 3, 2], out: [1, 4, 6, 4, 3], strides: 2, pad: 'same' });
    const s1 = check({ x: [1, 2, 3, 2, 2], w: [3, 2, 3, 2, 2], out: [1, 4, 4, 4, 2], strides: 1, pad: 'valid' });
    console.log(`conv3dTranspose gradient max rel error: stride 2 ${s2.toExponential(2)}, stride 1 ${s1.toExponential(2)}`);
    expect(s2).toBeLessThan(1e-5);
    expect(s1).toBeLessThan(1e-5);
  });

  it('registers once and leaves a tfjs-provided gradient alone', () => {
    const before = tf.getGradient('Conv3DBackpropInputV2');
    registerConv3dTransposeGradient();
    expect(tf.getGradient('Conv3DBackpropInputV2')).toBe(before);
  });
});
