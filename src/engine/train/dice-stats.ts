// Hard (argmax) overlap counts on the device, so the trainer reads back a few numbers, not volumes;
// the host turns them into Dice with the metrics' diceFromCounts (the engine's one Dice).
import * as tf from '@tensorflow/tfjs';
import { diceFromCounts } from '../metrics/overlap';

/** Per foreground class l = 1..C-1: [tp, fp, fn] of the argmax prediction, shape [C-1, 3]. */
export function hardOverlapCounts(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const c = yPred.shape[yPred.shape.length - 1]!;
    const predOneHot = tf.oneHot(tf.argMax(yPred, -1), c).toFloat().reshape([-1, c]) as tf.Tensor2D;
    const ref = yTrue.reshape([-1, c]) as tf.Tensor2D;
    const tp = tf.sum(tf.mul(predOneHot, ref), 0);
    const fp = tf.sub(tf.sum(predOneHot, 0), tp);
    const fn = tf.sub(tf.sum(ref, 0), tp);
    return tf.stack([tp, fp, fn], 1).slice([1, 0], [c - 1, 3]) as tf.Tensor2D;
  });
}

/** Foreground class l's counts in rows read back from hardOverlapCounts (row l holds class l + 1). */
export function rowCounts(rows: ArrayLike<number>, l: number): { tp: number; fp: number; fn: number } {
  return { tp: rows[3 * l], fp: rows[3 * l + 1], fn: rows[3 * l + 2] };
}

/** Mean Dice over the `classes` foreground classes of read-back rows. */
export function meanDice(rows: ArrayLike<number>, classes: number): number {
  let sum = 0;
  for (let l = 0; l < classes; l++) sum += diceFromCounts(rowCounts(rows, l));
  return sum / classes;
}
