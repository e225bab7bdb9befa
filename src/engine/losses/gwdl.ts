// Generalised Wasserstein Dice loss (Fidon et al. 2017; MONAI GeneralizedWassersteinDiceLoss, default
// weighting): errors are Wasserstein distances between p_n and r_n under a class-distance matrix M.
import * as tf from '@tensorflow/tfjs';

import { type Flat, groupSum, optionError, smoothing } from './common';
import type { GwdlOptions } from '../../domain/loss-option-types';
import { listValues } from '../../domain/loss-options';

/** M as a C x C array: the option's row-major list, or 0 on the diagonal and 1 elsewhere. */
export function classDistanceMatrix(text: string, classes: number): number[][] {
  const values = listValues(text);
  if (values === null)
    return Array.from({ length: classes }, (_, i) => Array.from({ length: classes }, (_, j) => (i === j ? 0 : 1)));
  if (values.length !== classes * classes)
    throw optionError(
      'classDistances',
      `classDistances needs C × C = ${classes * classes} values (C = ${classes}), got ${values.length}`,
    );
  const m = Array.from({ length: classes }, (_, i) => values.slice(i * classes, (i + 1) * classes));
  if (m.some((row, i) => row[i] !== 0)) throw optionError('classDistances', 'classDistances must have a zero diagonal');
  return m;
}

/**
 * 1 - (2 TP + nr)/(2 TP + sum_n W_n + dr), TP = sum_n a_n (1 - W_n), W_n = sum_{l,l'} M_ll' r_ln p_l'n,
 * a_n = sum_{l>=1} r_ln (alpha = 0 for the background, 1 for every other class, as in Fidon et al.).
 */
export function gwdlLoss(f: Flat, o: GwdlOptions): tf.Scalar {
  const { nr, dr } = smoothing(o);
  const m = tf.tensor2d(classDistanceMatrix(o.classDistances, f.classes));
  // (p M^T)_{n,l} = sum_l' M_ll' p_l'n; W_n = sum_l r_ln (p M^T)_{n,l}.
  const pm = tf.reshape(tf.matMul(tf.reshape(f.p, [-1, f.classes]), m, false, true), f.p.shape);
  const w = tf.sum(tf.mul(f.r, pm), -1, true);
  const a = tf.sum(tf.slice(f.r, [0, 0, 1], [-1, -1, -1]), -1, true);
  const tp = groupSum(tf.mul(a, tf.sub(1, w)), o.perImage);
  const errors = groupSum(w, o.perImage);
  return tf.mean(tf.sub(1, tf.div(tf.add(tf.mul(2, tp), nr), tf.add(tf.add(tf.mul(2, tp), errors), dr))));
}
