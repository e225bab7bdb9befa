// Tensors of the synthetic probe image: a one-hot reference [1,1,N,2] whose first nFg voxels are
// lesion, and foreground probabilities [1,1,N,1] set per class.
import * as tf from '@tensorflow/tfjs';

import { computeLoss, type LossContext } from '../losses';
import { type LossId, needsDistanceMaps } from '../../domain/losses';
import { syntheticPicture } from './picture';
import type { OptionValues, SyntheticLayout } from './synthetic';

/** 1 on lesion voxels, 0 elsewhere, shaped [1,1,N,1]. */
export function lesionMask(layout: SyntheticLayout): tf.Tensor {
  const m = new Float32Array(layout.voxels);
  m.fill(1, 0, layout.lesionVoxels);
  return tf.tensor(m, [1, 1, layout.voxels, 1]);
}

/** What a loss reads beyond yTrue and yPred: the picture's distance maps [1,1,N,2] for a loss that needs them. */
export function probeContext(id: LossId, layout: SyntheticLayout): LossContext {
  return needsDistanceMaps(id) ? { distance: tf.tensor(syntheticPicture(layout).phi, [1, 1, layout.voxels, 2]) } : {};
}

/** One-hot reference [1,1,N,2] from a mask: channel 0 background, channel 1 lesion. */
export function oneHot(mask: tf.Tensor): tf.Tensor {
  return twoChannel(mask);
}

/** Foreground probability `lesion` on lesion voxels and `background` elsewhere, [1,1,N,1]. */
export function probeInput(params: { mask: tf.Tensor; lesion: number; background: number }): tf.Tensor {
  const { mask, lesion, background } = params;
  return tf.tidy(() => tf.add(tf.mul(mask, lesion - background), background));
}

/** One probe point: the lesion side moves every lesion voxel to x, the background side every background voxel. */
export function probeSideInput(params: {
  mask: tf.Tensor;
  which: 'lesion' | 'background';
  x: number;
  predictor: { lesion: number; background: number };
}): tf.Tensor {
  const { mask, which, x, predictor } = params;
  return which === 'lesion'
    ? probeInput({ mask, lesion: x, background: predictor.background })
    : probeInput({ mask, lesion: predictor.lesion, background: x });
}

/** [1 - p, p] on the last axis: a two-class softmax output whose foreground is p. */
export function twoChannel(p: tf.Tensor): tf.Tensor {
  // 1 * [1, 0] + p * [-1, 1] by broadcasting: concat is a slow kernel on wasm (20 ms at N = 1e5).
  return tf.tidy(() => tf.add(tf.mul(p, tf.tensor1d([-1, 1])), tf.tensor1d([1, 0])));
}

/** The loss and dL/dp at one voxel (p = foreground probability, background 1 - p), as two scalars. */
export function lossAndVoxelGrad(params: {
  id: LossId;
  options?: OptionValues;
  yTrue: tf.Tensor;
  p: tf.Tensor;
  voxel: number;
  context?: LossContext;
}): [tf.Tensor, tf.Tensor] {
  const { id, options, yTrue, p, voxel, context } = params;
  return tf.tidy(() => {
    const f = (q: tf.Tensor) => computeLoss(id, yTrue, twoChannel(q), options as never, context);
    const { value, grad } = tf.valueAndGrad(f)(p);
    return [value, voxelValue(grad, voxel)];
  });
}

/** The element at a flat voxel index, as a scalar. */
export function voxelValue(t: tf.Tensor, voxel: number): tf.Tensor {
  return tf.tidy(() => tf.slice(t.reshape([-1]), [voxel], [1]).reshape([]));
}

/** Reads scalars back in one transfer and disposes them. */
export async function readScalars(scalars: tf.Tensor[]): Promise<number[]> {
  if (scalars.length === 0) return [];
  const stacked = tf.stack(scalars);
  tf.dispose(scalars);
  const values = Array.from(await stacked.data());
  stacked.dispose();
  return values;
}
