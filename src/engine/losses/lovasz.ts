// Lovász-softmax loss (Berman et al. 2018): the convex Lovász extension of the Jaccard loss of each
// class, evaluated on the errors |r - p| sorted in decreasing order.
import * as tf from '@tensorflow/tfjs';

import { constantFrom, descendingOrder, type Flat, gatherAt, permuteAt, stopGradient } from './common';
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

/**
 * jaccardSteps of the reference taken in `order`, in plain JS: on cpu and wasm the data is in memory, and the
 * tensor version's broadcasts, cumsums and slices cost ~10x the whole cross-entropy there. A constant.
 */
function jaccardStepsInOrder(gt: tf.Tensor2D, order: tf.Tensor1D): tf.Tensor2D {
  const [rows, m] = gt.shape;
  const g = gt.dataSync();
  const idx = order.dataSync();
  const steps = new Float32Array(rows * m);
  for (let row = 0; row < rows; row++) {
    const base = row * m;
    let total = 0;
    for (let i = 0; i < m; i++) total += g[base + i];
    let cum = 0;
    let previous = 0;
    for (let i = 0; i < m; i++) {
      cum += g[idx[base + i]];
      // I_i = total - cum, U_i = total + (i + 1 - cum): the reference and the i + 1 highest errors.
      const jaccard = 1 - (total - cum) / Math.max(total + (i + 1 - cum), 1e-12);
      steps[base + i] = jaccard - previous;
      previous = jaccard;
    }
  }
  return tf.tensor2d(steps, [rows, m]);
}

/** Mean over (present) classes and groups of <sorted errors, Jaccard steps>. */
export function lovaszLoss(f: Flat, o: LovaszOptions): tf.Scalar {
  const gt = classRows(stopGradient(f.r), f, o.perImage);
  const errors = classRows(tf.abs(tf.sub(f.r, f.p)), f, o.perImage);
  const [rows, m] = errors.shape;
  // The sort order is a constant for the gradient: the loss is linear in the sorted errors.
  const order = descendingOrder(errors);
  const sortedErrors = tf.reshape(permuteAt(errors, order), [rows, m]);
  const inMemory = tf.getBackend() === 'cpu' || tf.getBackend() === 'wasm';
  const steps = inMemory
    ? (constantFrom(gt, (g) => jaccardStepsInOrder(g as tf.Tensor2D, order)) as tf.Tensor2D)
    : jaccardSteps(tf.reshape(gatherAt(gt, order), [rows, m]) as tf.Tensor2D);
  const perClass = tf.sum(tf.mul(sortedErrors, steps), -1);
  if (o.lovaszClasses === 'all') return tf.mean(perClass);
  // Berman et al. average over the classes present in each group's reference; none present gives 0.
  const byGroup = tf.reshape(perClass, [-1, f.classes]);
  const present = constantFrom(gt, (g) => tf.reshape(tf.cast(tf.greater(tf.sum(g, -1), 0), 'float32'), [-1, f.classes]));
  return tf.mean(tf.div(tf.sum(tf.mul(byGroup, present), -1), tf.maximum(tf.sum(present, -1), 1)));
}
