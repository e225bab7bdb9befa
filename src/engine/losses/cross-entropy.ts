// The cross-entropy family: plain CE, the paper's weighted CE (WCE) and focal loss.
// All are means over elements, so pooling and per-image averaging agree except for WCE's weight.
import * as tf from '@tensorflow/tfjs';

import { type Flat, groupSum, PROB_CLIP, pooledCount, safeLog, stopGradient } from './common';
import type { CeOptions, FocalOptions, WceOptions } from '../../domain/loss-option-types';

/** -(1/N) sum_n sum_l r_ln log p_ln. */
export function ceLoss(f: Flat, _o: CeOptions): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(f.r, safeLog(f.p)), -1)));
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
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.mul(w, f.r), safeLog(f.p)), -1)));
}

/** -(1/N) sum_n sum_l alpha_l (1 - p_ln)^gamma r_ln log p_ln. */
export function focalLoss(f: Flat, o: FocalOptions): tf.Scalar {
  const alphas = Array.from({ length: f.classes }, (_, l) => (l === 0 ? 1 - o.focalAlpha : o.focalAlpha));
  // Clipping below 1 keeps (1 - p)^gamma's gradient finite (gamma * 0^(gamma-1) is NaN at gamma = 0).
  const p = tf.clipByValue(f.p, PROB_CLIP, 1 - PROB_CLIP);
  const modulating = tf.pow(tf.sub(1, p), o.gamma);
  const perClass = tf.mul(tf.mul(tf.tensor1d(alphas), modulating), tf.mul(f.r, tf.log(p)));
  return tf.neg(tf.mean(tf.sum(perClass, -1)));
}
