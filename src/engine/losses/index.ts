// Public entry: computeLoss(id, yTrue, yPred, options) -> scalar; the registry and option tools are src/domain's.
// yTrue one-hot, yPred probabilities, both [B,H,W,C] or [B,D,H,W,C]; channel 1 is the foreground.
import * as tf from '@tensorflow/tfjs';

import { boundaryLoss, type LossContext, type ShapedContext } from './boundary';
import { type Flat, flatten } from './common';
import { ceLoss, focalLoss, topkCeLoss, wceLoss } from './cross-entropy';
import { diceCeLoss, diceFocalLoss, diceLoss, dl2Loss, focalTverskyLoss, logCoshDiceLoss, tverskyLoss } from './dice';
import { expLogLoss } from './exp-log';
import { gdlFocalLoss, gdlLoss } from './gdl';
import { gwdlLoss } from './gwdl';
import { lovaszLoss } from './lovasz';
import { unifiedFocalLoss } from './unified-focal';
import type { LossId, LossOptionsMap } from '../../domain/loss-option-types';
import { resolveLossOptions } from '../../domain/loss-options';
import { ssLoss } from './ss';

// A loss that needs per-step inputs (the step, distance maps) reads them from the third argument.
const IMPLEMENTATIONS: { [I in LossId]: (f: Flat, o: LossOptionsMap[I], ctx: ShapedContext) => tf.Scalar } = {
  wce: wceLoss,
  dl2: dl2Loss,
  ss: ssLoss,
  gdl: gdlLoss,
  ce: ceLoss,
  dice: diceLoss,
  focal: focalLoss,
  tversky: tverskyLoss,
  dice_ce: diceCeLoss,
  focal_tversky: focalTverskyLoss,
  log_cosh_dice: logCoshDiceLoss,
  topk_ce: topkCeLoss,
  dice_focal: diceFocalLoss,
  gdl_focal: gdlFocalLoss,
  unified_focal: unifiedFocalLoss,
  exp_log: expLogLoss,
  lovasz: lovaszLoss,
  gwdl: gwdlLoss,
  boundary: boundaryLoss,
};

/**
 * The loss as a scalar tensor (intermediates disposed); options are validated and defaults filled.
 * `context` carries per-step inputs (the step, distance maps) that only some losses read.
 */
export function computeLoss<I extends LossId>(
  id: I,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options?: Partial<LossOptionsMap[I]>,
  context?: LossContext,
): tf.Scalar {
  const o = resolveLossOptions(id, options);
  const impl = IMPLEMENTATIONS[id] as (f: Flat, o: LossOptionsMap[I], ctx: ShapedContext) => tf.Scalar;
  return tf.tidy(() => impl(flatten(yTrue, yPred), o, { ...context, shape: yTrue.shape }));
}

export type { LossContext } from './boundary';

export {
  boundaryWeightAt,
  DEFAULT_LOSS_OPTIONS,
  DISTANCE_LOSSES,
  type FieldSpec,
  isLossId,
  LOSS_IDS,
  LOSSES,
  type LossInfo,
  lossInfo,
  needsDistanceMaps,
  OPTION_SPECS,
  ownedOptions,
  ownersOf,
  PAPER_LOSSES,
} from '../../domain/losses';
export { PROB_CLIP } from './common';
export { gdlWeights } from './gdl';
export { gdlAnalyticGradient, paperPrintedGdlGradient } from './gdl-gradient';
export type * from '../../domain/loss-option-types';
export {
  checkLossOptions,
  type LossOptionProblem,
  LossOptionsError,
  optionsFor,
  resolveLossOptions,
} from '../../domain/loss-options';
