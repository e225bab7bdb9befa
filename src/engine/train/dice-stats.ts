// Hard (argmax) overlap counts on the device, so the trainer reads back a few numbers, not volumes.
import * as tf from '@tensorflow/tfjs';

/** Per foreground class l = 1..C-1: [intersection, predicted count, reference count], shape [C-1, 3]. */
export function hardOverlapCounts(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const c = yPred.shape[yPred.shape.length - 1]!;
    const predOneHot = tf.oneHot(tf.argMax(yPred, -1), c).toFloat().reshape([-1, c]) as tf.Tensor2D;
    const ref = yTrue.reshape([-1, c]) as tf.Tensor2D;
    const inter = tf.sum(tf.mul(predOneHot, ref), 0);
    const p = tf.sum(predOneHot, 0);
    const r = tf.sum(ref, 0);
    return tf.stack([inter, p, r], 1).slice([1, 0], [c - 1, 3]) as tf.Tensor2D;
  });
}

/** Mean Dice over foreground classes from counts rows [inter, pred, ref]; a class empty in both scores 1. */
export function diceFromCounts(counts: ArrayLike<number>, classes: number): number {
  let sum = 0;
  for (let l = 0; l < classes; l++) {
    const inter = counts[3 * l];
    const denom = counts[3 * l + 1] + counts[3 * l + 2];
    sum += denom === 0 ? 1 : (2 * inter) / denom;
  }
  return sum / classes;
}
