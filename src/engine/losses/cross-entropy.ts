// The cross-entropy family: plain CE, the paper's weighted CE (WCE), focal loss and TopK CE.
// All are means over the voxels kept, so pooling and per-image averaging agree except for WCE's weight.
import * as tf from '@tensorflow/tfjs';

import {
  channelDot,
  classWeightTensor,
  type Flat,
  gatherAt,
  groupSum,
  PROB_CLIP,
  pooledCount,
  powConst,
  prepareReference,
  safeLog,
  stopGradient,
  topkFlatIndices,
  voxelMean,
} from './common';
import type { CeFullOptions, FocalOptions, TopkCeOptions, WceOptions } from '../../domain/loss-option-types';

/** Per-voxel CE [B,M]: -sum_l w_l r_ln log p_ln (w_l = 1 without classWeights). */
function ceTerms(f: Flat, classWeights: string | undefined): tf.Tensor {
  const w = classWeightTensor(f, classWeights);
  const t = tf.mul(f.r, safeLog(f.p)) as tf.Tensor3D;
  return tf.neg(channelDot(t, w ?? tf.ones([f.classes])));
}

/** -(1/N) sum_n sum_l w_l r_ln log p_ln over the voxels kept. */
export function ceLoss(f0: Flat, o: Partial<CeFullOptions>): tf.Scalar {
  const f = prepareReference(f0, o);
  return voxelMean(ceTerms(f, o.classWeights), f.mask);
}

/** Mean of the topkPercent % largest per-voxel CE terms, of the batch or of each image. */
export function topkCeLoss(f0: Flat, o: TopkCeOptions): tf.Scalar {
  const f = prepareReference(f0, o);
  const terms = ceTerms(f, o.classWeights);
  const groups = o.perImage ? f.batch : 1;
  const m = (f.batch * f.perImageElements) / groups;
  const k = Math.max(1, Math.round((m * o.topkPercent) / 100));
  const rows = tf.reshape(terms, [groups, m]) as tf.Tensor2D;
  return tf.mean(gatherAt(rows, topkFlatIndices(rows, k)));
}

/**
 * Per-class WCE weights [G,1,C]: w_l = (N - V_l)/V_l for each foreground class l >= 1 (the paper's w
 * for C = 2, applied per class beyond), background weight 1. V_l = sum of p_l or r_l over the group;
 * V_l is floored at PROB_CLIP so an empty class gives a huge finite weight, never Infinity or NaN.
 */
export function wceWeights(f: Flat, o: WceOptions): tf.Tensor {
  const source = o.wceWeight === 'prediction' ? f.p : f.r;
  const n = pooledCount(f, o.perImage);
  const v = tf.maximum(groupSum(source, o.perImage), PROB_CLIP);
  const w = tf.div(tf.sub(n, v), v);
  const bg = tf.onesLike(tf.slice(w, [0, 0, 0], [-1, -1, 1]));
  const weights = tf.concat([bg, tf.slice(w, [0, 0, 1], [-1, -1, -1])], 2);
  // The paper's weight changes with the prediction every step; it is a constant for the gradient.
  return stopGradient(weights);
}

/** -(1/N) sum_n [w r_n log p_n + (1 - r_n) log(1 - p_n)], written per channel: sum_l w_l r_ln log p_ln. */
export function wceLoss(f: Flat, o: WceOptions): tf.Scalar {
  const w = wceWeights(f, o);
  return tf.neg(tf.mean(channelDot(tf.mul(f.r, safeLog(f.p)) as tf.Tensor3D, w)));
}

/** -(1/N) sum_n sum_l alpha_l w_l (1 - p_ln)^gamma r_ln log p_ln; alpha_0 = 0 without the background. */
export function focalLoss(f0: Flat, o: FocalOptions): tf.Scalar {
  const f = prepareReference(f0, o);
  const alphas = Array.from({ length: f.classes }, (_, l) =>
    l === 0 ? (o.includeBackground ? 1 - o.focalAlpha : 0) : o.focalAlpha,
  );
  const w = classWeightTensor(f, o.classWeights);
  const a = w ? tf.mul(tf.tensor1d(alphas), w) : tf.tensor1d(alphas);
  // Clipping below 1 keeps (1 - p)^gamma's gradient finite (gamma * 0^(gamma-1) is NaN at gamma = 0).
  const p = tf.clipByValue(f.p, PROB_CLIP, 1 - PROB_CLIP);
  const modulating = o.gamma === 0 ? tf.onesLike(p) : powConst(tf.sub(1, p), o.gamma);
  const perClass = tf.mul(modulating, tf.mul(f.r, tf.log(p))) as tf.Tensor3D;
  return voxelMean(tf.neg(channelDot(perClass, a)), f.mask);
}
