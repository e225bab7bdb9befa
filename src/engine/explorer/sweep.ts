// The loss of one fixed predictor against the foreground fraction (50% .. 0.001%): unweighted losses
// tend to their perfect-prediction value as the lesion shrinks, though the lesion is still missed.
import * as tf from '@tensorflow/tfjs';

import { computeLoss } from '../losses';
import type { LossId } from '../../domain/losses';
import { type OptionValues, type Predictor, predictorHardMetrics, type SyntheticLayout, syntheticLayout } from './synthetic';
import { lesionMask, oneHot, probeContext, probeInput, readScalars, twoChannel } from './tensors';

/** Layouts of the sweep (each keeps at least one lesion voxel) and the hard metrics of the predictor. */
export function sweepLayouts(params: { fractions: number[]; voxels?: number; predictor: Predictor }) {
  const layouts = params.fractions.map((fraction) => syntheticLayout({ fraction, voxels: params.voxels }));
  const hard = layouts.map((layout) => predictorHardMetrics({ layout, predictor: params.predictor }));
  return {
    layouts,
    fractions: layouts.map((l) => l.fraction),
    voxels: layouts.map((l) => l.voxels),
    lesionVoxels: layouts.map((l) => l.lesionVoxels),
    errorRate: hard.map((h) => h.errorRate),
    oneMinusDice: hard.map((h) => 1 - h.dice),
  };
}

/** computeLoss of the predictor at each layout. */
export async function sweepCurve(params: {
  id: LossId;
  options?: OptionValues;
  layouts: SyntheticLayout[];
  predictor: Predictor;
}): Promise<number[]> {
  const { id, options, layouts, predictor } = params;
  const scalars = layouts.map((layout) =>
    tf.tidy(() => {
      const mask = lesionMask(layout);
      const p = probeInput({ mask, lesion: predictor.lesion, background: predictor.background });
      return computeLoss(id, oneHot(mask), twoChannel(p), options as never, probeContext(id, layout));
    }),
  );
  return readScalars(scalars);
}
