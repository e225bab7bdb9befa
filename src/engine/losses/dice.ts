// The Dice family: the paper's two-class DL2, soft Dice (Milletari/MONAI style), Tversky, focal Tversky,
// log-cosh Dice and the compounds Dice + CE, Dice + focal.
import * as tf from '@tensorflow/tfjs';

import { ceLoss, focalLoss } from './cross-entropy';
import {
  classWeightTensor,
  type Flat,
  foreground,
  groupSum,
  keptClasses,
  pickClasses,
  powConst,
  prepareReference,
  requireTwoClasses,
  smoothing,
} from './common';
import type {
  DiceCeOptions,
  DiceFocalOptions,
  DiceOptions,
  Dl2Options,
  FocalTverskyOptions,
  TverskyOptions,
} from '../../domain/loss-option-types';

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

/** The reference prepared, the kept classes and their weights [1,1,C'] (or null). */
function overlapInputs(f0: Flat, o: DiceOptions | TverskyOptions) {
  const f = prepareReference(f0, o);
  const classes = keptClasses(f, o);
  const w = classWeightTensor(f, o.classWeights);
  // Sums run over every channel and the small [G,1,C] results are sliced: cheaper than slicing p and r.
  const keep = (perClass: tf.Tensor) => pickClasses(perClass, classes);
  return { p: f.p, r: f.r, keep, w: w ? keep(w.reshape([1, 1, -1])) : null };
}

/** Mean over groups and kept classes of w_l * term_l (MONAI: the weight multiplies each class's loss). */
function weightedMean(perClass: tf.Tensor, w: tf.Tensor | null): tf.Scalar {
  return tf.mean(w ? tf.mul(w, perClass) : perClass);
}

/** Per group and class: 1 - (2 sum pr + nr)/(sum p + r + dr) (p^2 + r^2 when squared). */
function dicePerClass(p: tf.Tensor, r: tf.Tensor, o: DiceOptions): tf.Tensor {
  const { nr, dr } = smoothing(o);
  const inter = groupSum(tf.mul(p, r), o.perImage);
  const union = o.squared ? groupSum(tf.add(tf.square(p), tf.square(r)), o.perImage) : groupSum(tf.add(p, r), o.perImage);
  return tf.sub(1, tf.div(tf.add(tf.mul(2, inter), nr), tf.add(union, dr)));
}

/** Mean over classes of w_l (1 - (2 sum pr + nr)/(sum p + r + dr)). */
export function diceLoss(f: Flat, o: DiceOptions): tf.Scalar {
  const { p, r, keep, w } = overlapInputs(f, o);
  return weightedMean(keep(dicePerClass(p, r, o)), w);
}

/** Per group and class: 1 - TI, TI = (TP + nr)/(TP + alpha FP + beta FN + dr), soft counts. */
function tverskyPerClass(p: tf.Tensor, r: tf.Tensor, o: TverskyOptions): tf.Tensor {
  const { nr, dr } = smoothing(o);
  // FP = sum p - TP and FN = sum r - TP: three sums over the voxels instead of three products and sums.
  const tp = groupSum(tf.mul(p, r), o.perImage);
  const fp = tf.sub(groupSum(p, o.perImage), tp);
  const fn = tf.sub(groupSum(r, o.perImage), tp);
  const den = tf.add(tf.addN([tp, tf.mul(o.tverskyAlpha, fp), tf.mul(o.tverskyBeta, fn)]), dr);
  return tf.sub(1, tf.div(tf.add(tp, nr), den));
}

/** Mean over classes of w_l (1 - TI_l). */
export function tverskyLoss(f: Flat, o: TverskyOptions): tf.Scalar {
  const { p, r, keep, w } = overlapInputs(f, o);
  return weightedMean(keep(tverskyPerClass(p, r, o)), w);
}

/** Smallest base of a power below 1 (x^gamma's derivative is infinite at 0, a perfect class; 0 below it). */
export const POW_FLOOR = 1e-20;

/** Mean over classes of w_l (1 - TI_l)^gamma (Abraham and Khan 2019), 1 - TI floored at POW_FLOOR. */
export function focalTverskyLoss(f: Flat, o: FocalTverskyOptions): tf.Scalar {
  const { p, r, keep, w } = overlapInputs(f, o);
  return weightedMean(powConst(tf.maximum(keep(tverskyPerClass(p, r, o)), POW_FLOOR), o.tverskyGamma), w);
}

/** log(cosh(DL)) of the soft Dice loss (Jadon 2020). */
export function logCoshDiceLoss(f: Flat, o: DiceOptions): tf.Scalar {
  return tf.log(tf.cosh(diceLoss(f, o)));
}

/** diceWeight * dice + ceWeight * ce (classWeights, ignoreIndex and labelSmoothing reach both). */
export function diceCeLoss(f: Flat, o: DiceCeOptions): tf.Scalar {
  return tf.add(tf.mul(o.diceWeight, diceLoss(f, o)), tf.mul(o.ceWeight, ceLoss(f, o)));
}

/** diceWeight * dice + focalWeight * focal (includeBackground and the reference options reach both). */
export function diceFocalLoss(f: Flat, o: DiceFocalOptions): tf.Scalar {
  return tf.add(tf.mul(o.diceWeight, diceLoss(f, o)), tf.mul(o.focalWeight, focalLoss(f, o)));
}
