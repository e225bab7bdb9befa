// Lovász-softmax loss (Berman et al. 2018): the convex Lovász extension of the Jaccard loss of each
// class, evaluated on the errors |r - p| sorted in decreasing order.
import * as tf from '@tensorflow/tfjs';

import { constantFrom, descendingOrder, type Flat, gatherAt, stopGradient } from './common';
import type { LovaszOptions } from '../../domain/loss-option-types';

/** Rows [G*C, M'] of one class in one group each: the batch pooled (G = 1) or per image (G = B). */
function classRows(x: tf.Tensor, f: Flat, perImage: boolean): tf.Tensor2D {
  const groups = perImage ? f.batch : 1;
  const m = (f.batch * f.perImageElements) / groups;
  return tf.reshape(tf.transpose(tf.reshape(x, [groups, m, f.classes]), [0, 2, 1]), [groups * f.classes, m]) as tf.Tensor2D;
}

/** Gradient of the Jaccard loss at the sorted ground truth: J_i - J_{i-1}, J_i = 1 - I_i/U_i (cumulative). */
function jaccardSteps(gtSorted: tf.Tensor2D): tf.Tensor2D {
  const total = tf.sum(gtSorted, -1, true);
  const inter = tf.sub(total, tf.cumsum(gtSorted, 1));
  const union = tf.add(total, tf.cumsum(tf.sub(1, gtSorted), 1));
  const jaccard = tf.sub(1, tf.div(inter, tf.maximum(union, 1e-12)));
  const previous = tf.pad(tf.slice(jaccard, [0, 0], [-1, (jaccard.shape[1] ?? 1) - 1]), [
    [0, 0],
    [1, 0],
  ]);
  return tf.sub(jaccard, previous) as tf.Tensor2D;
}

/** Mean over (present) classes and groups of <sorted errors, Jaccard steps>. */
export function lovaszLoss(f: Flat, o: LovaszOptions): tf.Scalar {
  const gt = classRows(stopGradient(f.r), f, o.perImage);
  const errors = classRows(tf.abs(tf.sub(f.r, f.p)), f, o.perImage);
  const [rows, m] = errors.shape;
  // The sort order is a constant for the gradient: the loss is linear in the sorted errors.
  const order = descendingOrder(errors);
  const sortedErrors = tf.reshape(gatherAt(errors, order), [rows, m]);
  const sortedGt = tf.reshape(gatherAt(gt, order), [rows, m]) as tf.Tensor2D;
  const perClass = tf.sum(tf.mul(sortedErrors, jaccardSteps(sortedGt)), -1);
  if (o.lovaszClasses === 'all') return tf.mean(perClass);
  // Berman et al. average over the classes present in each group's reference; none present gives 0.
  const byGroup = tf.reshape(perClass, [-1, f.classes]);
  const present = constantFrom(gt, (g) => tf.reshape(tf.cast(tf.greater(tf.sum(g, -1), 0), 'float32'), [-1, f.classes]));
  return tf.mean(tf.div(tf.sum(tf.mul(byGroup, present), -1), tf.maximum(tf.sum(present, -1), 1)));
}
