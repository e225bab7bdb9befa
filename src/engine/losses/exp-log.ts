// Exponential logarithmic loss (Wong et al. 2018): per-class Dice and frequency-weighted CE, each under
// a power gamma < 1 of its -log, so that classes with poor (small) scores keep large gradients.
import * as tf from '@tensorflow/tfjs';

import { channelDot, type Flat, groupSum, PROB_CLIP, stopGradient } from './common';
import { POW_FLOOR } from './dice';
import type { ExpLogOptions } from '../../domain/loss-option-types';

/** x^gamma with x floored at POW_FLOOR (the derivative of x^gamma is infinite at 0 for gamma < 1). */
function flooredPow(x: tf.Tensor, gamma: number): tf.Tensor {
  return tf.pow(tf.maximum(x, POW_FLOOR), gamma);
}

/** Mean over groups and every class of (-ln Dice_l)^gamma, Dice_l = (2 sum pr + e)/(sum p + r + e). */
export function expLogDice(f: Flat, o: ExpLogOptions, sumR = groupSum(f.r, o.perImage)): tf.Scalar {
  const inter = groupSum(tf.mul(f.p, f.r), o.perImage);
  // sum (p + r) as two small sums: no full-size add (sum r is shared with the frequencies).
  const union = tf.add(groupSum(f.p, o.perImage), sumR);
  const dice = tf.div(tf.add(tf.mul(2, inter), o.epsilon), tf.add(union, o.epsilon));
  return tf.mean(flooredPow(tf.neg(tf.log(dice)), o.expLogGamma));
}

/**
 * (1/N) sum_n sum_l w_l r_ln (-ln p_ln)^gamma, w_l = (sum_k f_k / f_l)^(1/2) with f_l = sum_n r_ln of the
 * group (floored at PROB_CLIP): a constant of the reference, like the paper's label frequencies.
 */
export function expLogCross(f: Flat, o: ExpLogOptions, sumR = groupSum(f.r, o.perImage)): tf.Scalar {
  const freq = stopGradient(tf.maximum(sumR, PROB_CLIP));
  const w = tf.sqrt(tf.div(tf.sum(freq, -1, true), freq));
  // p above 1 gives -ln p < 0, floored below like 0: the clip at 1 of the other losses is not needed.
  const nll = tf.neg(tf.log(tf.maximum(f.p, PROB_CLIP)));
  return tf.mean(channelDot(tf.mul(f.r, flooredPow(nll, o.expLogGamma)) as tf.Tensor3D, w));
}

/** diceWeight * L_Dice + ceWeight * L_Cross (Wong et al.: 0.8 and 0.2). */
export function expLogLoss(f: Flat, o: ExpLogOptions): tf.Scalar {
  const sumR = groupSum(f.r, o.perImage);
  return tf.add(tf.mul(o.diceWeight, expLogDice(f, o, sumR)), tf.mul(o.ceWeight, expLogCross(f, o, sumR)));
}
