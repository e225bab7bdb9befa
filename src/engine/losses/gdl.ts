// Generalised Dice loss (Sudre et al. 2017): class weights from the reference volumes, normalised
// before epsilon is added so that epsilon stays negligible even when w_l ~ 1/V^2 is tiny.
import * as tf from '@tensorflow/tfjs';

import { type Flat, groupSum } from './common';
import type { GdlOptions, GdlWeightType } from '../../domain/loss-option-types';

/**
 * Normalised class weights [G,1,C] from reference volumes [G,1,C]. An absent class (infinite weight)
 * takes the largest finite weight of its group (NiftyNet, MONAI); if every class is absent all weights
 * are equal. Dividing by the sum keeps GDL unchanged (it is invariant to a common scale of the weights).
 */
export function gdlWeights(params: { volumes: tf.Tensor; weightType: GdlWeightType }): tf.Tensor {
  const { volumes: v, weightType } = params;
  if (weightType === 'uniform') return tf.div(tf.onesLike(v), v.shape[v.shape.length - 1]);
  const raw = weightType === 'square' ? tf.div(1, tf.square(v)) : tf.div(1, v);
  const finite = tf.isFinite(raw);
  const maxFinite = tf.max(tf.where(finite, raw, tf.zerosLike(raw)), -1, true);
  const fill = tf.where(tf.greater(maxFinite, 0), maxFinite, tf.onesLike(maxFinite));
  const w = tf.where(finite, raw, tf.broadcastTo(fill, raw.shape));
  return tf.div(w, tf.sum(w, -1, true));
}

/** Per-group sums shared by the loss and its closed-form gradient. */
export function gdlSums(f: Flat, o: GdlOptions): { w: tf.Tensor; inter: tf.Tensor; union: tf.Tensor } {
  return {
    w: gdlWeights({ volumes: groupSum(f.r, o.perImage), weightType: o.weightType }),
    inter: groupSum(tf.mul(f.r, f.p), o.perImage),
    union: groupSum(tf.add(f.r, f.p), o.perImage),
  };
}

/** 1 - (2 sum_l w_l sum_n r_ln p_ln + e) / (sum_l w_l sum_n (r_ln + p_ln) + e), weights normalised. */
export function gdlLoss(f: Flat, o: GdlOptions): tf.Scalar {
  const { w, inter, union } = gdlSums(f, o);
  const num = tf.add(tf.mul(2, tf.sum(tf.mul(w, inter), -1)), o.epsilon);
  const den = tf.add(tf.sum(tf.mul(w, union), -1), o.epsilon);
  return tf.mean(tf.sub(1, tf.div(num, den)));
}
