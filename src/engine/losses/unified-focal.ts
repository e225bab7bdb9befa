// Asymmetric unified focal loss (Yeung et al. 2022): channel 0 is the background, every other class is rare.
// The background is suppressed (focal modulation, FT term linear); the rare classes are enhanced
// (plain CE, FT exponent 1 - gamma < 1). lambda mixes the two terms as in the paper's equation.
import * as tf from '@tensorflow/tfjs';

import { type Flat, groupSum, PROB_CLIP } from './common';
import { POW_FLOOR } from './dice';
import type { UnifiedFocalOptions } from '../../domain/loss-option-types';

/** L_maF = -(1/N) sum_n [(1 - delta)(1 - p_0)^gamma r_0 log p_0 + delta sum_{l>=1} r_l log p_l]. */
export function asymmetricFocal(f: Flat, o: UnifiedFocalOptions): tf.Scalar {
  const p = tf.clipByValue(f.p, PROB_CLIP, 1 - PROB_CLIP);
  const ce = tf.neg(tf.mul(f.r, tf.log(p)));
  const back = tf.slice(ce, [0, 0, 0], [-1, -1, 1]);
  const modulating = tf.pow(tf.sub(1, tf.slice(p, [0, 0, 0], [-1, -1, 1])), o.unifiedGamma);
  const bg = tf.mul(1 - o.unifiedDelta, tf.mul(modulating, back));
  const rare = tf.mul(o.unifiedDelta, tf.sum(tf.slice(ce, [0, 0, 1], [-1, -1, -1]), -1, true));
  return tf.mean(tf.add(bg, rare));
}

/** L_maFT = mean over classes: 1 - mTI_0 for the background, (1 - mTI_l)^(1 - gamma) for l >= 1. */
export function asymmetricFocalTversky(f: Flat, o: UnifiedFocalOptions): tf.Scalar {
  const tp = groupSum(tf.mul(f.p, f.r), o.perImage);
  const fn = groupSum(tf.mul(tf.sub(1, f.p), f.r), o.perImage);
  const fp = groupSum(tf.mul(f.p, tf.sub(1, f.r)), o.perImage);
  const den = tf.add(tf.addN([tp, tf.mul(o.unifiedDelta, fn), tf.mul(1 - o.unifiedDelta, fp)]), o.epsilon);
  const miss = tf.sub(1, tf.div(tf.add(tp, o.epsilon), den));
  const back = tf.slice(miss, [0, 0, 0], [-1, -1, 1]);
  const rare = tf.pow(tf.maximum(tf.slice(miss, [0, 0, 1], [-1, -1, -1]), POW_FLOOR), 1 - o.unifiedGamma);
  return tf.mean(tf.concat([back, rare], -1));
}

/** lambda L_maF + (1 - lambda) L_maFT. */
export function unifiedFocalLoss(f: Flat, o: UnifiedFocalOptions): tf.Scalar {
  return tf.add(tf.mul(o.unifiedWeight, asymmetricFocal(f, o)), tf.mul(1 - o.unifiedWeight, asymmetricFocalTversky(f, o)));
}
