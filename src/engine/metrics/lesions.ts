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
}

function binOf(size: number): LesionSizeBin {
  if (size <= LESION_SIZE_BINS.small.maxVoxels) return 'small';
  return size <= LESION_SIZE_BINS.medium.maxVoxels ? 'medium' : 'large';
}

/** hit[k] = 1 when component k of `labels` contains a foreground voxel of `other`. */
function hitComponents(labels: Int32Array, count: number, other: Uint8Array): Uint8Array {
  const hit = new Uint8Array(count + 1);
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0 && other[i] !== 0) hit[labels[i]] = 1;
  return hit;
}

/**
 * Lesion recall = reference lesions hit / reference lesions (1 with no reference lesion).
 * Lesion precision = reference lesions hit / predicted components, exactly as evaluation.py: it counts
 * reference lesions in the numerator, so one component spanning two lesions gives 2 / 1 (it can exceed 1).
 * With no predicted component it is 1 if the reference is empty too, else 0. F1 = 2PR / (P + R), 0 when P + R = 0.
 */
export function lesionDetection(params: { reference: Uint8Array; prediction: Uint8Array; dims: Vec3 }): LesionDetection {
  const { reference, prediction, dims } = params;
  const ref = connectedComponents({ mask: reference, dims });
  const pred = connectedComponents({ mask: prediction, dims });
  const refHit = hitComponents(ref.labels, ref.count, prediction);
  const predHit = hitComponents(pred.labels, pred.count, reference);
  const recallBySize: Record<LesionSizeBin, BinRecall> = {
    small: { hit: 0, total: 0, recall: 1 },
    medium: { hit: 0, total: 0, recall: 1 },
    large: { hit: 0, total: 0, recall: 1 },
  };
  let referenceLesionsHit = 0;
  for (let k = 1; k <= ref.count; k++) {
    const bin = recallBySize[binOf(ref.sizes[k - 1])];
    bin.total++;
    bin.hit += refHit[k];
    referenceLesionsHit += refHit[k];
  }
  for (const bin of Object.values(recallBySize)) if (bin.total > 0) bin.recall = bin.hit / bin.total;
  let predictedLesionsHit = 0;
  for (let k = 1; k <= pred.count; k++) predictedLesionsHit += predHit[k];
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
  };
}
