// Lovász-softmax loss (Berman et al. 2018): the convex Lovász extension of the Jaccard loss of each
// class, evaluated on the errors |r - p| sorted in decreasing order.
import * as tf from '@tensorflow/tfjs';

import {
  constantFrom,
  descendingOrder,
  descendingRows,
  type Flat,
  gatherAt,
  groupSum,
  inMemoryBackend,
  stopGradient,
} from './common';
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
 * The Lovász gradient as weights on the unsorted errors, in plain JS (cpu and wasm keep the data in memory):
 * w at each voxel of each class row is the Jaccard step of its rank among the row's errors sorted in decreasing
 * order, so <sorted errors, steps> = sum of w * errors, with no gather, transpose or sort on the tape. Rows are
 * one class of one group (the batch pooled, or one image), read with stride C from [B,M,C].
 */
function lovaszWeights(errors: Float32Array, gt: Float32Array, groups: number, classes: number): Float32Array {
  const m = errors.length / classes / groups;
  const w = new Float32Array(errors.length);
  const row = new Float32Array(m);
  const gRow = new Float32Array(m);
  for (let g = 0; g < groups; g++)
    for (let c = 0; c < classes; c++) {
      const at = (i: number) => (g * m + i) * classes + c;
      let total = 0;
      for (let i = 0; i < m; i++) {
        row[i] = errors[at(i)];
        gRow[i] = gt[at(i)];
        total += gRow[i];
      }
      const order = descendingRows(row, 1, m);
      let cum = 0;
      let previous = 0;
      for (let i = 0; i < m; i++) {
        cum += gRow[order[i]];
        // I_i = total - cum, U_i = total + (i + 1 - cum): the reference and the i + 1 highest errors.
        const jaccard = 1 - (total - cum) / Math.max(total + (i + 1 - cum), 1e-12);
        w[at(order[i])] = jaccard - previous;
        previous = jaccard;
      }
    }
  return w;
}

/** Per row [G*C]: the Lovász extension on cpu and wasm (see lovaszWeights). */
function lovaszInMemory(f: Flat, o: LovaszOptions): tf.Tensor {
  const errors = tf.abs(tf.sub(f.r, f.p));
  const groups = o.perImage ? f.batch : 1;
  const w = constantFrom(errors, (e) =>
    tf.tensor(lovaszWeights(e.dataSync() as Float32Array, f.r.dataSync() as Float32Array, groups, f.classes), e.shape),
  );
  return tf.reshape(groupSum(tf.mul(errors, w), o.perImage), [-1]);
}

/** Mean over (present) classes and groups of <sorted errors, Jaccard steps>. */
export function lovaszLoss(f: Flat, o: LovaszOptions): tf.Scalar {
  return inMemoryBackend() ? lovaszMean(f, o, lovaszInMemory(f, o)) : lovaszByTensors(f, o);
}

/** The tensor path (GPU backends: no read-back): sort by tf.topk, gather, and the Jaccard steps as tensors. */
export function lovaszByTensors(f: Flat, o: LovaszOptions): tf.Scalar {
  const gt = classRows(stopGradient(f.r), f, o.perImage);
  const errors = classRows(tf.abs(tf.sub(f.r, f.p)), f, o.perImage);
  const [rows, m] = errors.shape;
  // The sort order is a constant for the gradient: the loss is linear in the sorted errors.
  const order = descendingOrder(errors);
  const sortedErrors = tf.reshape(gatherAt(errors, order), [rows, m]);
  const steps = jaccardSteps(tf.reshape(gatherAt(gt, order), [rows, m]) as tf.Tensor2D);
  return lovaszMean(f, o, tf.sum(tf.mul(sortedErrors, steps), -1));
}

/** Mean over (present) classes and groups of the per-row losses [G*C] (rows: group-major, class-minor). */
function lovaszMean(f: Flat, o: LovaszOptions, perClass: tf.Tensor): tf.Scalar {
  if (o.lovaszClasses === 'all') return tf.mean(perClass);
  // Berman et al. average over the classes present in each group's reference; none present gives 0.
  const byGroup = tf.reshape(perClass, [-1, f.classes]);
  const present = constantFrom(f.r, (r) =>
    tf.reshape(tf.cast(tf.greater(groupSum(r, o.perImage), 0), 'float32'), [-1, f.classes]),
  );
  return tf.mean(tf.div(tf.sum(tf.mul(byGroup, present), -1), tf.maximum(tf.sum(present, -1), 1)));
}
