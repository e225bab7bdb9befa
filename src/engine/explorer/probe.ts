// Loss and per-voxel gradient of one loss against the predicted probability of one class's voxels.
import * as tf from '@tensorflow/tfjs';

import type { LossId } from '../../domain/losses';
import type { OptionValues, Predictor, ProbeCurves, ProbeSide, SyntheticLayout } from './synthetic';
import { lesionMask, lossAndVoxelGrad, oneHot, probeContext, probeSideInput, readScalars } from './tensors';

export interface ProbeParams {
  id: LossId;
  options?: OptionValues;
  layout: SyntheticLayout;
  predictor: Predictor;
  /** Probabilities on the x axis. */
  grid: number[];
}

/**
 * Lesion side: every lesion voxel at p, background at predictor.background; gradient at lesion voxel 0.
 * Background side: every background voxel at p, lesion at predictor.lesion; gradient at the last voxel.
 */
export async function probeCurves(params: ProbeParams): Promise<ProbeCurves> {
  const { id, options, layout, predictor, grid } = params;
  const mask = lesionMask(layout);
  const yTrue = oneHot(mask);
  const context = probeContext(id, layout);
  const side = async (which: 'lesion' | 'background'): Promise<ProbeSide> => {
    const voxel = which === 'lesion' ? 0 : layout.voxels - 1;
    const scalars: tf.Tensor[] = [];
    for (const x of grid) {
      const p = probeSideInput({ mask, which, x, predictor });
      scalars.push(...lossAndVoxelGrad({ id, options, yTrue, p, voxel, context }));
      p.dispose();
    }
    const v = await readScalars(scalars);
    return { loss: v.filter((_, i) => i % 2 === 0), grad: v.filter((_, i) => i % 2 === 1) };
  };
  try {
    return { id, lesion: await side('lesion'), background: await side('background') };
  } finally {
    tf.dispose([mask, yTrue, ...(context.distance ? [context.distance] : [])]);
  }
}
