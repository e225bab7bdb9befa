// Generalised Dice loss (Sudre et al. 2017): class weights from the reference volumes, normalised
// before the smoothing is added so that it stays negligible even when w_l ~ 1/V^2 is tiny.
import * as tf from '@tensorflow/tfjs';

import { focalLoss } from './cross-entropy';
import { constantFrom, type Flat, groupSum, keptClasses, pickClasses, prepareReference, smoothing } from './common';
import type { GdlFocalOptions, GdlOptions, GdlWeightType } from '../../domain/loss-option-types';

/**
 * Normalised class weights [G,1,C] from reference volumes [G,1,C]. An absent class (infinite weight)
 * takes the largest finite weight of its group ('max': NiftyNet, MONAI) or 0 ('zero'); if that leaves
 * no weight, all weights are equal. Dividing by the sum keeps GDL unchanged (it is invariant to a
 * common scale of the weights). The weights are a constant of the reference: no gradient flows through.
 */
export function gdlWeights(params: { volumes: tf.Tensor; weightType: GdlWeightType; absentWeight?: 'max' | 'zero' }): tf.Tensor {
  const { weightType, absentWeight = 'max' } = params;
  // isFinite and greater have no gradient: computed off the tape, so tf.grad works for a soft reference.
  return constantFrom(params.volumes, (v) => normalisedWeights(v, weightType, absentWeight));
}

function normalisedWeights(v: tf.Tensor, weightType: GdlWeightType, absentWeight: 'max' | 'zero'): tf.Tensor {
  const classes = v.shape[v.shape.length - 1];
  if (weightType === 'uniform') return tf.div(tf.onesLike(v), classes);
  const raw = weightType === 'square' ? tf.div(1, tf.square(v)) : tf.div(1, v);
  const finite = tf.isFinite(raw);
  const maxFinite = tf.max(tf.where(finite, raw, tf.zerosLike(raw)), -1, true);
  const fill = absentWeight === 'max' ? maxFinite : tf.zerosLike(maxFinite);
  const w = tf.where(finite, raw, tf.broadcastTo(fill, raw.shape));
  const total = tf.sum(w, -1, true);
  // No weight left (every class absent, or 'zero' with none present): equal weights.
  const some = tf.broadcastTo(tf.greater(total, 0), w.shape);
  return tf.where(some, tf.div(w, tf.maximum(total, 1e-30)), tf.fill(w.shape, 1 / classes));
}

/** Per-group sums shared by the loss and its closed-form gradient (kept classes only). */
export function gdlSums(f0: Flat, o: GdlOptions): { w: tf.Tensor; inter: tf.Tensor; union: tf.Tensor } {
  const f = prepareReference(f0, o);
  const classes = keptClasses(f, o);
  const r = pickClasses(f.r, classes);
  const p = pickClasses(f.p, classes);
  return {
    w: gdlWeights({ volumes: groupSum(r, o.perImage), weightType: o.weightType, absentWeight: o.absentWeight }),
    inter: groupSum(tf.mul(r, p), o.perImage),
    union: groupSum(tf.add(r, p), o.perImage),
  };
}

/** 1 - (2 sum_l w_l sum_n r_ln p_ln + nr) / (sum_l w_l sum_n (r_ln + p_ln) + dr), weights normalised. */
export function gdlLoss(f: Flat, o: GdlOptions): tf.Scalar {
  const { nr, dr } = smoothing(o);
  const { w, inter, union } = gdlSums(f, o);
  const num = tf.add(tf.mul(2, tf.sum(tf.mul(w, inter), -1)), nr);
  const den = tf.add(tf.sum(tf.mul(w, union), -1), dr);
  return tf.mean(tf.sub(1, tf.div(num, den)));
}

/** diceWeight * GDL + focalWeight * focal (MONAI GeneralizedDiceFocalLoss). */
export function gdlFocalLoss(f: Flat, o: GdlFocalOptions): tf.Scalar {
  return tf.add(tf.mul(o.diceWeight, gdlLoss(f, o)), tf.mul(o.focalWeight, focalLoss(f, { ...o, classWeights: '' })));
}
