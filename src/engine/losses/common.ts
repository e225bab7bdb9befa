// Shared plumbing for every loss: shape checks, the pooling rule (paper's N vs per image),
// probability clipping and a stop-gradient built from tf.customGrad (tfjs 4.22 has no tf.stopGradient).
import * as tf from '@tensorflow/tfjs';

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

/** Sum over elements, keeping dims: [1,1,C'] when pooled (the paper's N), [B,1,C'] per image. */
export function groupSum(x: tf.Tensor, perImage: boolean): tf.Tensor {
  return perImage ? tf.sum(x, 1, true) : tf.sum(x, [0, 1], true);
}

/** Foreground channel (channel 1) as [B, M, 1]. */
export function foreground(x: tf.Tensor3D): tf.Tensor3D {
  return tf.slice(x, [0, 0, 1], [-1, -1, 1]);
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

/** Throws a clear error for the paper's two-class formulas when C != 2. */
export function requireTwoClasses(f: Flat, what: string): void {
  if (f.classes !== 2) throw new Error(`${what} is defined for two classes (C = 2), got C = ${f.classes}`);
}
