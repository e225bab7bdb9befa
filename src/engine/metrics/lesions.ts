// Lesion-wise detection as the WMH challenge's evaluation.py counts it: lesions are 26-connected
// components; a reference lesion is found when any predicted voxel lies in it.
import { connectedComponents } from './components';
import type { Vec3 } from './grid';

/** Reference-lesion size bins (voxels, inclusive). */
export const LESION_SIZE_BINS = {
  small: { minVoxels: 1, maxVoxels: 9 },
  medium: { minVoxels: 10, maxVoxels: 100 },
  large: { minVoxels: 101, maxVoxels: Number.POSITIVE_INFINITY },
} as const;

export type LesionSizeBin = keyof typeof LESION_SIZE_BINS;

export interface BinRecall {
  /** Reference lesions of this size with at least one predicted voxel. */
  hit: number;
  /** Reference lesions of this size. */
  total: number;
  /** hit / total; 1 when the bin is empty (nothing to find, nothing missed). */
  recall: number;
}

export interface LesionDetection {
  referenceLesions: number;
  predictedLesions: number;
  /** Reference lesions that overlap the prediction. */
  referenceLesionsHit: number;
  /** Predicted components that overlap the reference (not used by the challenge's precision; shown for contrast). */
  predictedLesionsHit: number;
  lesionRecall: number;
  lesionPrecision: number;
  lesionF1: number;
  recallBySize: Record<LesionSizeBin, BinRecall>;
  /** Foreground voxels of the reference, of the prediction and of both (sums over the components). */
  referenceVoxels: number;
  predictedVoxels: number;
  overlapVoxels: number;
}

function binOf(size: number): LesionSizeBin {
  if (size <= LESION_SIZE_BINS.small.maxVoxels) return 'small';
  return size <= LESION_SIZE_BINS.medium.maxVoxels ? 'medium' : 'large';
}

/**
 * Lesion recall = reference lesions hit / reference lesions (1 with no reference lesion).
 * Lesion precision = reference lesions hit / predicted components, exactly as evaluation.py: it counts
 * reference lesions in the numerator, so one component spanning two lesions gives 2 / 1 (it can exceed 1).
 * With no predicted component it is 1 if the reference is empty too, else 0. F1 = 2PR / (P + R), 0 when P + R = 0.
 */
export function lesionDetection(params: { reference: Uint8Array; prediction: Uint8Array; dims: Vec3 }): LesionDetection {
  const { reference, prediction, dims } = params;
  const ref = connectedComponents({ mask: reference, dims, other: prediction });
  const pred = connectedComponents({ mask: prediction, dims, other: reference });
  const recallBySize: Record<LesionSizeBin, BinRecall> = {
    small: { hit: 0, total: 0, recall: 1 },
    medium: { hit: 0, total: 0, recall: 1 },
    large: { hit: 0, total: 0, recall: 1 },
  };
  let referenceLesionsHit = 0;
  let referenceVoxels = 0;
  let overlapVoxels = 0;
  for (let k = 0; k < ref.count; k++) {
    const hit = ref.overlaps[k] > 0 ? 1 : 0;
    const bin = recallBySize[binOf(ref.sizes[k])];
    bin.total++;
    bin.hit += hit;
    referenceLesionsHit += hit;
    referenceVoxels += ref.sizes[k];
    overlapVoxels += ref.overlaps[k];
  }
  for (const bin of Object.values(recallBySize)) if (bin.total > 0) bin.recall = bin.hit / bin.total;
  let predictedLesionsHit = 0;
  let predictedVoxels = 0;
  for (let k = 0; k < pred.count; k++) {
    predictedLesionsHit += pred.overlaps[k] > 0 ? 1 : 0;
    predictedVoxels += pred.sizes[k];
  }
  const lesionRecall = ref.count === 0 ? 1 : referenceLesionsHit / ref.count;
  const lesionPrecision = pred.count === 0 ? (ref.count === 0 ? 1 : 0) : referenceLesionsHit / pred.count;
  const sum = lesionPrecision + lesionRecall;
  return {
    referenceLesions: ref.count,
    predictedLesions: pred.count,
    referenceLesionsHit,
    predictedLesionsHit,
    lesionRecall,
    lesionPrecision,
    lesionF1: sum === 0 ? 0 : (2 * lesionPrecision * lesionRecall) / sum,
    recallBySize,
    referenceVoxels,
    predictedVoxels,
    overlapVoxels,
  };
}
