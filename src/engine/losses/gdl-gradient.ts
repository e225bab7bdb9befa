// Closed-form two-class GDL gradients for the loss explorer: ours (derived, checked against autodiff)
// and the paper's printed formula (section 2.1), which is the NEGATIVE of the true gradient.
// Derivation (p = foreground probability, background = 1 - p; a, b = fg and bg weights of the group):
//   Num = 2(a sum p r1 + b sum (1-p) r0) + e,  Den = a sum (p + r1) + b sum (1 - p + r0) + e
//   dNum/dp_i = 2(a r1_i - b r0_i),  dDen/dp_i = a - b
//   dGDL/dp_i = -[2(a r1_i - b r0_i) Den - (a - b) Num] / Den^2   (times 1/G when averaging G groups)
// With one-hot r (r0 = 1 - r1), e = 0 and S = sum (p + r1), this expands to
//   dGDL/dp_i = +2 [(a^2 - b^2)(sum p r1 - r1_i S) + N b (a + b)(1 - 2 r1_i)] / [(a - b) S + 2 N b]^2
// The printed formula has the same bracket, the same (w1^2 - w2^2) and N terms and the same denominator
// (w1 = fg, w2 = bg), but a leading -2 instead of +2: it is the gradient of the score GDS = 1 - GDL.
import * as tf from '@tensorflow/tfjs';

import { flatten, foreground, groupSum, pooledCount, requireTwoClasses } from './common';
import { gdlWeights } from './gdl';
import type { GdlOptions } from '../../domain/loss-option-types';
import { resolveLossOptions } from '../../domain/loss-options';

interface TwoClassParts {
  p: tf.Tensor;
  r1: tf.Tensor;
  r0: tf.Tensor;
  a: tf.Tensor;
  b: tf.Tensor;
  groups: number;
  n: number;
}

function twoClassParts(yTrue: tf.Tensor, yPred: tf.Tensor, o: GdlOptions): TwoClassParts {
  const f = flatten(yTrue, yPred);
  requireTwoClasses(f, 'the closed-form GDL gradient');
  const w = gdlWeights({ volumes: groupSum(f.r, o.perImage), weightType: o.weightType });
  return {
    p: foreground(f.p),
    r1: foreground(f.r),
    r0: tf.slice(f.r, [0, 0, 0], [-1, -1, 1]),
    a: tf.slice(w, [0, 0, 1], [-1, -1, 1]),
    b: tf.slice(w, [0, 0, 0], [-1, -1, 1]),
    groups: o.perImage ? f.batch : 1,
    n: pooledCount(f, o.perImage),
  };
}

/**
 * d GDL / d p_i for two classes, where yPred's channel 1 is p and the background is taken as 1 - p.
 * Matches tf.grad of computeLoss('gdl', yTrue, stack([1 - p, p], -1), options) with respect to p,
 * epsilon and weight normalisation included. Returns a tensor shaped like yPred without its channel axis.
 */
export function gdlAnalyticGradient(yTrue: tf.Tensor, yPred: tf.Tensor, options?: Partial<GdlOptions>): tf.Tensor {
  const o = resolveLossOptions('gdl', options);
  return tf.tidy(() => {
    const { p, r1, r0, a, b, groups } = twoClassParts(yTrue, yPred, o);
    const g = (x: tf.Tensor) => groupSum(x, o.perImage);
    const num = tf.add(tf.mul(2, tf.add(tf.mul(a, g(tf.mul(p, r1))), tf.mul(b, g(tf.mul(tf.sub(1, p), r0))))), o.epsilon);
    const den = tf.add(tf.add(tf.mul(a, g(tf.add(p, r1))), tf.mul(b, g(tf.add(tf.sub(1, p), r0)))), o.epsilon);
    const dNum = tf.mul(2, tf.sub(tf.mul(a, r1), tf.mul(b, r0)));
    const top = tf.sub(tf.mul(dNum, den), tf.mul(tf.sub(a, b), num));
    const grad = tf.div(tf.neg(top), tf.mul(tf.square(den), groups));
    return grad.reshape(yPred.shape.slice(0, -1));
  });
}

/**
 * The paper's printed formula, literally (no epsilon; w1 = fg weight, w2 = bg weight, N = elements per
 * group; weights normalised, which the formula is invariant to). It equals MINUS the true gradient:
 * kept for the teaching view, not for training.
 */
export function paperPrintedGdlGradient(yTrue: tf.Tensor, yPred: tf.Tensor, options?: Partial<GdlOptions>): tf.Tensor {
  const o = resolveLossOptions('gdl', options);
  return tf.tidy(() => {
    const { p, r1, a: w1, b: w2, groups, n } = twoClassParts(yTrue, yPred, o);
    const s = groupSum(tf.add(p, r1), o.perImage);
    const pr = groupSum(tf.mul(p, r1), o.perImage);
    const first = tf.mul(tf.sub(tf.square(w1), tf.square(w2)), tf.sub(pr, tf.mul(r1, s)));
    const second = tf.mul(tf.mul(tf.mul(n, w2), tf.add(w1, w2)), tf.sub(1, tf.mul(2, r1)));
    const den = tf.square(tf.add(tf.mul(tf.sub(w1, w2), s), tf.mul(2 * n, w2)));
    const grad = tf.div(tf.mul(-2, tf.add(first, second)), tf.mul(den, groups));
    return grad.reshape(yPred.shape.slice(0, -1));
  });
}
