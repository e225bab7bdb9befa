// Sensitivity-specificity loss (Brosch et al. 2015), as printed in the paper and as NiftyNet sums it.
import * as tf from '@tensorflow/tfjs';

import { type Flat, foreground, groupSum, requireTwoClasses } from './common';
import type { SsOptions } from '../../domain/loss-option-types';

/** Per group and class: lambda sum (r-p)^2 r / (sum r + e) + (1 - lambda) sum (r-p)^2 (1-r) / (sum (1-r) + e). */
function ssTerms(p: tf.Tensor, r: tf.Tensor, o: SsOptions): tf.Tensor {
  const err = tf.square(tf.sub(r, p));
  const notR = tf.sub(1, r);
  const sens = tf.div(groupSum(tf.mul(err, r), o.perImage), tf.add(groupSum(r, o.perImage), o.epsilon));
  const spec = tf.div(groupSum(tf.mul(err, notR), o.perImage), tf.add(groupSum(notR, o.perImage), o.epsilon));
  return tf.add(tf.mul(o.lambda, sens), tf.mul(1 - o.lambda, spec));
}

export function ssLoss(f: Flat, o: SsOptions): tf.Scalar {
  if (o.ssVariant === 'paper') {
    requireTwoClasses(f, "ss with ssVariant 'paper' (use 'niftynet' for C > 2)");
    return tf.mean(ssTerms(foreground(f.p), foreground(f.r), o));
  }
  // NiftyNet: sum over classes of the same terms, then the mean over groups.
  return tf.mean(tf.sum(ssTerms(f.p, f.r, o), -1));
}
