// Asymmetric unified focal loss (Yeung et al. 2022): channel 0 is the background, every other class is rare.
// The background is suppressed (focal modulation, FT term linear); the rare classes are enhanced
// (plain CE, FT exponent 1 - gamma < 1). lambda mixes the two terms as in the paper's equation.
import * as tf from '@tensorflow/tfjs';

import { channelDot, type Flat, groupSum, PROB_CLIP, powConst } from './common';
import { POW_FLOOR } from './dice';
import type { UnifiedFocalOptions } from '../../domain/loss-option-types';

/** [C] vector: `bg` for channel 0, `rare` for the others (per-channel constants without slicing). */
function byChannel(classes: number, bg: number, rare: number): tf.Tensor1D {
  return tf.tensor1d(Array.from({ length: classes }, (_, l) => (l === 0 ? bg : rare)));
}

/** L_maF = -(1/N) sum_n [(1 - delta)(1 - p_0)^gamma r_0 log p_0 + delta sum_{l>=1} r_l log p_l]. */
export function asymmetricFocal(f: Flat, o: UnifiedFocalOptions): tf.Scalar {
  const p = tf.clipByValue(f.p, PROB_CLIP, 1 - PROB_CLIP);
  const t = tf.mul(f.r, tf.log(p)) as tf.Tensor3D;
  // Only the background is modulated: its term from the modulated product, the rare classes' from the plain one.
  const background = channelDot(
    tf.mul(powConst(tf.sub(1, p), o.unifiedGamma), t) as tf.Tensor3D,
    byChannel(f.classes, 1 - o.unifiedDelta, 0),
  );
  const rare = channelDot(t, byChannel(f.classes, 0, o.unifiedDelta));
  return tf.neg(tf.mean(tf.add(background, rare)));
}

/** L_maFT = mean over classes: 1 - mTI_0 for the background, (1 - mTI_l)^(1 - gamma) for l >= 1. */
export function asymmetricFocalTversky(f: Flat, o: UnifiedFocalOptions): tf.Scalar {
  const tp = groupSum(tf.mul(f.p, f.r), o.perImage);
  const fn = tf.sub(groupSum(f.r, o.perImage), tp);
  const fp = tf.sub(groupSum(f.p, o.perImage), tp);
  const den = tf.add(tf.addN([tp, tf.mul(o.unifiedDelta, fn), tf.mul(1 - o.unifiedDelta, fp)]), o.epsilon);
  const miss = tf.sub(1, tf.div(tf.add(tp, o.epsilon), den));
  return tf.mean(tf.pow(tf.maximum(miss, POW_FLOOR), byChannel(f.classes, 1, 1 - o.unifiedGamma)));
}

/** lambda L_maF + (1 - lambda) L_maFT. */
export function unifiedFocalLoss(f: Flat, o: UnifiedFocalOptions): tf.Scalar {
  return tf.add(tf.mul(o.unifiedWeight, asymmetricFocal(f, o)), tf.mul(1 - o.unifiedWeight, asymmetricFocalTversky(f, o)));
}
