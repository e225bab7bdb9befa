// MONAI's channels-first test inputs in the engine's layout (float64, plain JS): activations, one-hot labels,
// channels last, and the engine's value of a loss on them. Used by monai-cases.test.ts.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

import { computeLoss, type LossId } from '../index';
import { toTensor } from './fixtures';

export type Nested = number | Nested[];
/** A channels-last volume [B, ...spatial, C], float64. */
export interface Vol {
  shape: number[];
  data: Float64Array;
}

export const dims = (x: Nested): number[] => (Array.isArray(x) ? [x.length, ...dims(x[0])] : []);
export const values = (x: Nested): number[] => (Array.isArray(x) ? x.flatMap(values) : [x]);
export const channels = (v: Vol) => v.shape[v.shape.length - 1];
export const map = (v: Vol, fn: (x: number) => number): Vol => ({ shape: v.shape, data: v.data.map(fn) });

/** MONAI's channels-first [B, C, ...S] with the channels last; a 1D spatial axis gets a leading 1. */
export function channelsLast(x: Nested): Vol {
  const [B, C, ...S] = dims(x);
  const M = S.reduce((a, b) => a * b, 1);
  const src = values(x);
  const data = new Float64Array(src.length);
  for (let b = 0; b < B; b++)
    for (let c = 0; c < C; c++) for (let m = 0; m < M; m++) data[(b * M + m) * C + c] = src[(b * C + c) * M + m];
  return { shape: [B, ...(S.length === 1 ? [1, ...S] : S), C], data };
}

export const sigmoid = (v: Vol) => map(v, (x) => 1 / (1 + Math.exp(-x)));

/** Softmax (or log-softmax) over the channels. */
export function softmax(v: Vol, log = false): Vol {
  const C = channels(v);
  const out = new Float64Array(v.data.length);
  for (let n = 0; n < out.length; n += C) {
    const row = v.data.subarray(n, n + C);
    const m = Math.max(...row);
    const s = row.reduce((a, x) => a + Math.exp(x - m), 0);
    for (let l = 0; l < C; l++) out[n + l] = log ? row[l] - m - Math.log(s) : Math.exp(row[l] - m) / s;
  }
  return { shape: v.shape, data: out };
}

/** to_onehot_y: a label map (one channel) as C channels. */
export function oneHot(labels: Vol, C: number): Vol {
  const data = new Float64Array(labels.data.length * C);
  for (let n = 0; n < labels.data.length; n++) data[n * C + Math.round(labels.data[n])] = 1;
  return { shape: [...labels.shape.slice(0, -1), C], data };
}

/** Each channel x as the pair (1 - x, x): a single channel, or a sigmoid channel's two outcomes, in softmax layout. */
export function pairs(v: Vol): Vol {
  const data = new Float64Array(v.data.length * 2);
  v.data.forEach((x, i) => {
    data[2 * i] = 1 - x;
    data[2 * i + 1] = x;
  });
  return { shape: [...v.shape.slice(0, -1), 2 * channels(v)], data };
}

/** Channels 1..C-1 (MONAI slices them off before the loss when include_background is False). */
export function dropBackground(v: Vol): Vol {
  const C = channels(v);
  return { shape: [...v.shape.slice(0, -1), C - 1], data: v.data.filter((_, i) => i % C !== 0) };
}

/** Image b as a batch of one. */
export function image(v: Vol, b: number): Vol {
  const size = v.data.length / v.shape[0];
  return { shape: [1, ...v.shape.slice(1)], data: v.data.slice(b * size, (b + 1) * size) };
}

export function loss(id: LossId, r: Vol, p: Vol, o: Record<string, unknown> = {}): number {
  return tf.tidy(() => computeLoss(id, toTensor(r.data, r.shape), toTensor(p.data, p.shape), o as never).dataSync()[0]);
}

/** numpy's assert_allclose: |actual - expected| <= atol + rtol |expected|. */
export function expectClose(actual: number, expected: number, rtol: number, atol = 0): void {
  const ok = Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
  expect(ok, `${actual} against ${expected} (rtol ${rtol}, atol ${atol})`).toBe(true);
}

// biome-ignore format: MONAI's tensors (channels first) one a line, as printed there
