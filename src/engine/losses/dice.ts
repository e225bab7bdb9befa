// The Dice family: the paper's two-class DL2, soft Dice (Milletari/MONAI style), Tversky and Dice + CE.
import * as tf from '@tensorflow/tfjs';

import { ceLoss } from './cross-entropy';
import { type Flat, foreground, groupSum, requireTwoClasses, selectClasses } from './common';
import type { DiceCeOptions, DiceOptions, Dl2Options, TverskyOptions } from '../../domain/loss-option-types';

/** 1 - (sum pr + e)/(sum p + r + e) - (sum (1-p)(1-r) + e)/(sum 2 - p - r + e), p, r = channel 1, as printed. */
export function dl2Loss(f: Flat, o: Dl2Options): tf.Scalar {
  requireTwoClasses(f, 'dl2 (the paper two-class Dice loss)');
  const p = foreground(f.p);
  const r = foreground(f.r);
  const e = o.epsilon;
  const fgI = groupSum(tf.mul(p, r), o.perImage);
  const fgU = groupSum(tf.add(p, r), o.perImage);
  const bgI = groupSum(tf.mul(tf.sub(1, p), tf.sub(1, r)), o.perImage);
  const bgU = groupSum(tf.sub(2, tf.add(p, r)), o.perImage);
  const fg = tf.div(tf.add(fgI, e), tf.add(fgU, e));
  const bg = tf.div(tf.add(bgI, e), tf.add(bgU, e));
  return tf.mean(tf.sub(tf.sub(1, fg), bg));
}

/** Mean over classes of 1 - (2 sum pr + e)/(sum p + r + e) (or p^2 + r^2 when squared). */
export function diceLoss(f: Flat, o: DiceOptions): tf.Scalar {
  const p = selectClasses(f.p, o.includeBackground);
  const r = selectClasses(f.r, o.includeBackground);
  const inter = groupSum(tf.mul(p, r), o.perImage);
  const union = o.squared ? groupSum(tf.add(tf.square(p), tf.square(r)), o.perImage) : groupSum(tf.add(p, r), o.perImage);
  const dice = tf.div(tf.add(tf.mul(2, inter), o.epsilon), tf.add(union, o.epsilon));
  return tf.mean(tf.sub(1, dice));
}

/** Mean over classes of 1 - (TP + e)/(TP + alpha FP + beta FN + e), soft counts. */
export function tverskyLoss(f: Flat, o: TverskyOptions): tf.Scalar {
  const p = selectClasses(f.p, o.includeBackground);
  const r = selectClasses(f.r, o.includeBackground);
  const tp = groupSum(tf.mul(p, r), o.perImage);
  const fp = groupSum(tf.mul(p, tf.sub(1, r)), o.perImage);
  const fn = groupSum(tf.mul(tf.sub(1, p), r), o.perImage);
  const den = tf.add(tf.addN([tp, tf.mul(o.tverskyAlpha, fp), tf.mul(o.tverskyBeta, fn)]), o.epsilon);
  return tf.mean(tf.sub(1, tf.div(tf.add(tp, o.epsilon), den)));
}

/** diceWeight * dice + ceWeight * ce. */
export function diceCeLoss(f: Flat, o: DiceCeOptions): tf.Scalar {
  return tf.add(tf.mul(o.diceWeight, diceLoss(f, o)), tf.mul(o.ceWeight, ceLoss(f, o)));
}
