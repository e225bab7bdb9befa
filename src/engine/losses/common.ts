// Shared plumbing for every loss: shape checks, the pooling rule (paper's N vs per image),
// probability clipping and a stop-gradient built from tf.customGrad (tfjs 4.22 has no tf.stopGradient).
import * as tf from '@tensorflow/tfjs';

import { LossOptionsError, listValues } from '../../domain/loss-options';

/** Lower bound applied to probabilities before a log (float32: 1 - 1e-7 is still < 1). */
export const PROB_CLIP = 1e-7;

/** yTrue and yPred reshaped to [B, M, C] (M = elements per image). */
export interface Flat {
  r: tf.Tensor3D;
  p: tf.Tensor3D;
  batch: number;
  perImageElements: number;
  classes: number;
}

/** Throws unless both tensors are [B,H,W,C] or [B,D,H,W,C] with the same shape and C >= 2. */
export function checkShapes(yTrue: tf.Tensor, yPred: tf.Tensor): void {
  const s = yPred.shape;
  if (s.length !== 4 && s.length !== 5) {
    throw new Error(`losses expect [B,H,W,C] or [B,D,H,W,C] tensors, got yPred shape [${s.join(',')}]`);
  }
  if (yTrue.shape.length !== s.length || yTrue.shape.some((d, i) => d !== s[i])) {
    throw new Error(`yTrue shape [${yTrue.shape.join(',')}] differs from yPred shape [${s.join(',')}]`);
  }
  if (s[s.length - 1] < 2) throw new Error(`losses need C >= 2 channels (channel 1 = foreground), got C = ${s.at(-1)}`);
}

/** Validates and flattens to [B, M, C]; call inside a tidy. */
export function flatten(yTrue: tf.Tensor, yPred: tf.Tensor): Flat {
  checkShapes(yTrue, yPred);
  const s = yPred.shape;
  const batch = s[0];
  const classes = s[s.length - 1];
  const perImageElements = s.slice(1, -1).reduce((a, b) => a * b, 1);
  const shape: [number, number, number] = [batch, perImageElements, classes];
  return {
    r: tf.cast(yTrue, 'float32').reshape(shape) as tf.Tensor3D,
    p: tf.cast(yPred, 'float32').reshape(shape) as tf.Tensor3D,
    batch,
    perImageElements,
    classes,
  };
}

/** Number of elements pooled into one loss term: every element of the batch, or one image's. */
export function pooledCount(f: Flat, perImage: boolean): number {
  return perImage ? f.perImageElements : f.batch * f.perImageElements;
}

/** The cpu and wasm backends keep tensors in CPU memory (a read-back costs a copy, not a GPU sync). */
export function inMemoryBackend(): boolean {
  const b = tf.getBackend();
  return b === 'cpu' || b === 'wasm';
}

/**
 * Sum over elements, keeping dims: [1,1,C'] when pooled (the paper's N), [B,1,C'] per image. On cpu and wasm
 * it is a product with a row of ones: tf.sum's gradient broadcasts [G,1,C'] over [B,M,C'] through their slow
 * general broadcasting path (2-8 ms on [4,4096,2], measured by tf.profile), the product's is an outer
 * product. GPU backends keep tf.sum (a matMul with one output row would run on a handful of threads).
 */
export function groupSum(x: tf.Tensor, perImage: boolean): tf.Tensor {
  // wasm broadcasts a single channel fast (dl2's foreground: 1.0x CE with tf.sum, 1.7x with the product).
  const broadcastIsSlow = tf.getBackend() === 'cpu' || (tf.getBackend() === 'wasm' && x.shape.at(-1)! > 1);
  if (!broadcastIsSlow || x.rank !== 3) return perImage ? tf.sum(x, 1, true) : tf.sum(x, [0, 1], true);
  const [b, m, c] = x.shape;
  const rows = perImage ? (x as tf.Tensor3D) : (tf.reshape(x, [1, b * m, c]) as tf.Tensor3D);
  return tf.matMul(tf.ones([rows.shape[0], 1, rows.shape[1]]), rows);
}

/**
 * sum_l w_l x_l over the last axis of x [B,M,C]: [B,M]. w is [C] (one weight per channel) or [G,1,C] (per
 * group, G = 1 or B). A matMul with a [C,1] column: a broadcast multiply [C] x [B,M,C] and its gradient take
 * the backends' general broadcasting path, several times slower than a product whose gradient is another.
 */
export function channelDot(x: tf.Tensor3D, w: tf.Tensor): tf.Tensor2D {
  const [b, m, c] = x.shape;
  if (w.size === c) return tf.reshape(tf.matMul(tf.reshape(x, [b * m, c]), tf.reshape(w, [c, 1])), [b, m]);
  const g = w.size / c;
  const rows = tf.reshape(x, [g, (b * m) / g, c]) as tf.Tensor3D;
  return tf.reshape(tf.matMul(rows, tf.reshape(w, [g, c, 1])), [b, m]);
}

/** Channel l of x [B,M,C] as [B,M,1]: a slice, except on cpu, a product with a one-hot column (cpu's last-axis
 * slice walks the elements one by one: ~20 ms for [4,4096,2]; wasm's slice is fast, its matMul slower). */
export function channel(x: tf.Tensor3D, l: number): tf.Tensor3D {
  const [b, m, c] = x.shape;
  if (tf.getBackend() !== 'cpu') return tf.slice(x, [0, 0, l], [-1, -1, 1]);
  const pick = tf.tensor2d(
    Array.from({ length: c }, (_, k) => (k === l ? 1 : 0)),
    [c, 1],
  );
  return tf.reshape(tf.matMul(tf.reshape(x, [b * m, c]), pick), [b, m, 1]);
}

/** Foreground channel (channel 1) as [B, M, 1]. */
export function foreground(x: tf.Tensor3D): tf.Tensor3D {
  return channel(x, 1);
}

/** Channels 1..C-1 (or all channels) as [B, M, C']. */
export function selectClasses(x: tf.Tensor3D, includeBackground: boolean): tf.Tensor3D {
  return includeBackground ? x : tf.slice(x, [0, 0, 1], [-1, -1, -1]);
}

/** log(p) with p clipped to [PROB_CLIP, 1]: finite at p = 0 (the gradient is 0 there, as in Keras). */
export function safeLog(p: tf.Tensor): tf.Tensor {
  return tf.log(tf.clipByValue(p, PROB_CLIP, 1));
}

/** Identity forward, zero gradient: holds a value constant for differentiation. */
export const stopGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;

/**
 * fn(x) held constant for differentiation: computed inside a tf.customGrad with a zero gradient, so its
 * non-differentiable ops (isFinite, greater, less) are off the tape that tf.grad walks.
 */
export function constantFrom(x: tf.Tensor, fn: (x: tf.Tensor) => tf.Tensor): tf.Tensor {
  const op = tf.customGrad(((v: tf.Tensor) => ({
    value: fn(v),
    gradFunc: () => tf.zeros(v.shape),
  })) as unknown as Parameters<typeof tf.customGrad>[0]) as (v: tf.Tensor) => tf.Tensor;
  return op(x);
}

/** Throws a clear error for the paper's two-class formulas when C != 2. */
export function requireTwoClasses(f: Flat, what: string): void {
  if (f.classes !== 2) throw new Error(`${what} is defined for two classes (C = 2), got C = ${f.classes}`);
}

/** The smoothing of a numerator and a denominator: smoothNr / smoothDr, or epsilon where they are -1. */
export function smoothing(o: { epsilon: number; smoothNr?: number; smoothDr?: number }): { nr: number; dr: number } {
  const pick = (s: number | undefined) => (s === undefined || s < 0 ? o.epsilon : s);
  return { nr: pick(o.smoothNr), dr: pick(o.smoothDr) };
}

/** A run-time option problem (one that needs C), as the same typed error the validator throws. */
export function optionError(field: string, message: string): LossOptionsError {
  return new LossOptionsError([{ field, message }]);
}

/** Parsed classWeights as a [C] tensor, or null; throws unless there is one weight per channel. */
export function classWeightTensor(f: Flat, text: string | undefined): tf.Tensor1D | null {
  const w = text === undefined ? null : listValues(text);
  if (w === null) return null;
  if (w.length !== f.classes)
    throw optionError('classWeights', `classWeights needs one weight per class (C = ${f.classes}), got ${w.length}: '${text}'`);
  return tf.tensor1d(w);
}

/**
 * Label smoothing and the ignore label applied to a Flat: r' = (1 - s) r + s/C; voxels whose (unsmoothed)
 * reference is >= 0.5 in channel ignoreIndex get r = p = 0, and `mask` [B,M,1] marks the voxels kept.
 */
export function prepareReference(
  f: Flat,
  o: { ignoreIndex?: number; labelSmoothing?: number },
): Flat & { mask: tf.Tensor | null } {
  // A label no channel has (like 255 in label maps) marks no voxel: nothing is ignored.
  const ignore = (o.ignoreIndex ?? -1) < f.classes ? (o.ignoreIndex ?? -1) : -1;
  const s = o.labelSmoothing ?? 0;
  const r = s > 0 ? tf.add(tf.mul(1 - s, f.r), s / f.classes) : f.r;
  if (ignore < 0) return { ...f, r: r as tf.Tensor3D, mask: null };
  // The mask is a constant of the reference (and `less` has no gradient).
  const mask = constantFrom(f.r, (r) => tf.cast(tf.less(tf.slice(r, [0, 0, ignore], [-1, -1, 1]), 0.5), 'float32'));
  return { ...f, r: tf.mul(r, mask) as tf.Tensor3D, p: tf.mul(f.p, mask) as tf.Tensor3D, mask };
}

/** Channels a loss averages: all or 1..C-1, without the ignored class. */
export function keptClasses(f: Flat, o: { includeBackground: boolean; ignoreIndex?: number }): number[] {
  const ignore = o.ignoreIndex ?? -1;
  const kept = Array.from({ length: f.classes }, (_, l) => l).filter((l) => (o.includeBackground || l > 0) && l !== ignore);
  if (kept.length === 0)
    throw optionError(
      'ignoreIndex',
      `no class left to average (C = ${f.classes}, includeBackground false, ignoreIndex ${ignore})`,
    );
  return kept;
}

/** x [..., C] restricted to the given (ascending) channels: slices of contiguous runs (gather's gradient
 * needs UnsortedSegmentSum, which the wasm backend lacks). */
export function pickClasses(x: tf.Tensor, classes: number[]): tf.Tensor {
  const axis = x.shape.length - 1;
  if (classes.length === x.shape[axis]) return x;
  const runs: Array<[number, number]> = [];
  for (const l of classes) {
    const last = runs.at(-1);
    if (last && last[0] + last[1] === l) last[1]++;
    else runs.push([l, 1]);
  }
  const parts = runs.map(([start, size]) => {
    const begin = x.shape.map((_, i) => (i === axis ? start : 0));
    const sizes = x.shape.map((d, i) => (i === axis ? size : d));
    return tf.slice(x, begin, sizes);
  });
  return parts.length === 1 ? parts[0] : tf.concat(parts, axis);
}

/** Mean of per-voxel terms [B,M] over the voxels kept (every voxel of the batch without a mask). */
export function voxelMean(perVoxel: tf.Tensor, mask: tf.Tensor | null): tf.Scalar {
  if (mask === null) return tf.mean(perVoxel);
  const m = tf.reshape(mask, perVoxel.shape);
  return tf.div(tf.sum(tf.mul(perVoxel, m)), tf.maximum(tf.sum(m), 1));
}

/**
 * x's elements at flat indices that are a constant (a sort order, a top-k set): the gradient scatters dy
 * back to those positions. Needed because tf.gather's gradient fails on int indices that tf.grad sees as
 * depending on x (through a stop-gradient).
 */
export function gatherAt(x: tf.Tensor, flatIndices: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  // The indices are saved for the gradient: a closure's tensor is disposed once the forward pass ends.
  const op = tf.customGrad(((v: tf.Tensor, idx: tf.Tensor, save: (ts: tf.Tensor[]) => void) => {
    save([idx]);
    return {
      value: tf.gather(tf.reshape(v, [-1]), idx),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.reshape(tf.scatterND(tf.reshape(saved[0], [-1, 1]), dy, [v.size]), shape),
        tf.zeros(saved[0].shape),
      ],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (v: tf.Tensor, idx: tf.Tensor) => tf.Tensor;
  return op(x, flatIndices);
}

/** Flat indices [rows * k] of each row's k largest values of rows [R, M] (a constant for the gradient). */
export function topkFlatIndices(rows: tf.Tensor2D, k: number): tf.Tensor1D {
  const [r, m] = rows.shape;
  // TopK has no gradient: the indices are computed off the tape.
  return constantFrom(rows, (v) => {
    const { indices } = tf.topk(v, k);
    const offsets = tf.mul(tf.range(0, r, 1, 'int32').reshape([r, 1]), tf.scalar(m, 'int32'));
    return tf.reshape(tf.add(indices, offsets), [-1]);
  }) as tf.Tensor1D;
}

/** x^g for a constant g; a square root, squares and plain products for g = 0.5, 1, 2, 3 (tf.pow is an exp and a log per element). */
export function powConst(x: tf.Tensor, g: number): tf.Tensor {
  if (g === 1) return x;
  if (g === 0.5) return tf.sqrt(x);
  if (g === 2) return tf.square(x);
  if (g === 3) return tf.mul(tf.square(x), x);
  return tf.pow(x, g);
}

/**
 * Flat indices [R * M] sorting each row of rows [R, M] in decreasing order (a constant for the gradient).
 * On the cpu and wasm backends the data already lies in CPU memory and a typed-array sort is ~10x faster
 * than tf.topk's (measured by scripts/bench-losses.ts); GPU backends keep tf.topk (no read-back).
 */
export function descendingOrder(rows: tf.Tensor2D): tf.Tensor1D {
  const [r, m] = rows.shape;
  if (!inMemoryBackend()) return topkFlatIndices(rows, m);
  return constantFrom(rows, (v) => tf.tensor1d(descendingRows(v.dataSync() as Float32Array, r, m), 'int32')) as tf.Tensor1D;
}

const KEY_F32 = new Float32Array(1);
const KEY_U32 = new Uint32Array(KEY_F32.buffer);

/**
 * Flat indices sorting each row of `data` ([r, m], row-major) in decreasing order, ties by index (as a stable
 * comparator sort gives). Each float32 maps to an order-preserving uint32 key, sorted by a stable 3-pass
 * radix sort (11 bits a pass): no comparator calls, linear time. NaN sorts first.
 */
export function descendingRows(data: Float32Array, r: number, m: number): Int32Array {
  const out = new Int32Array(r * m);
  let keys = new Uint32Array(m);
  let idx = new Uint32Array(m);
  let keys2 = new Uint32Array(m);
  let idx2 = new Uint32Array(m);
  const count = new Uint32Array(2048);
  for (let row = 0; row < r; row++) {
    const base = row * m;
    for (let i = 0; i < m; i++) {
      KEY_F32[0] = data[base + i];
      const u = KEY_U32[0];
      // Ascending uint32 order of floats: flip every bit of a negative, the sign bit of the rest (-0 as +0);
      // the complement sorts the largest value first.
      const asc = u === 0x80000000 ? 0x80000000 : u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
      keys[i] = (0xffffffff - asc) >>> 0;
      idx[i] = i;
    }
    for (let shift = 0; shift < 33; shift += 11) {
      count.fill(0);
      for (let i = 0; i < m; i++) count[(keys[i] >>> shift) & 2047]++;
      let sum = 0;
      for (let b = 0; b < 2048; b++) {
        const c = count[b];
        count[b] = sum;
        sum += c;
      }
      for (let i = 0; i < m; i++) {
        const k = keys[i];
        const at = count[(k >>> shift) & 2047]++;
        keys2[at] = k;
        idx2[at] = idx[i];
      }
      [keys, keys2] = [keys2, keys];
      [idx, idx2] = [idx2, idx];
    }
    for (let i = 0; i < m; i++) out[base + i] = base + idx[i];
  }
  return out;
}
