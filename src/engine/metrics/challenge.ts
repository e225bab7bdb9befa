// The WMH Segmentation Challenge's metrics (Kuijf et al. 2019, evaluation.py) on binary masks, with one
// finite rule for empty masks so every result is plain JSON (no NaN, no Infinity).
import { checkGrid, cropToUnion, type Vec3 } from './grid';
import { hausdorff95 } from './hausdorff';
import { type LesionDetection, lesionDetection } from './lesions';
import { diceFromCounts } from './overlap';

export interface ChallengeInput {
  /** Binary masks, x fastest (NIfTI order), nonzero = foreground; both of length x * y * z. */
  reference: Uint8Array;
  prediction: Uint8Array;
  /** Voxels along [x, y, z]. */
  dims: Vec3;
  /** Voxel size in mm along [x, y, z]. */
  spacing: Vec3;
}

export interface ChallengeMetrics extends LesionDetection {
  /** 2 |R and P| / (|R| + |P|). */
  dice: number;
  /** 95th-percentile Hausdorff distance between the in-plane boundaries, mm. */
  hd95: number;
  /** Absolute volume difference |V_R - V_P| / V_R, percent. */
  avd: number;
}

/** The field of view's diagonal in mm: longer than any distance between two voxels, so the worst hd95. */
export function gridDiagonal(params: { dims: Vec3; spacing: Vec3 }): number {
  const { dims, spacing } = params;
  return Math.hypot(dims[0] * spacing[0], dims[1] * spacing[1], dims[2] * spacing[2]);
}

/**
 * Dice, hd95 (mm), avd (%), lesion recall, precision and F1, lesion counts and recall by reference-lesion
 * size, as the WMH challenge defines them. Lesion precision is evaluation.py's reference lesions hit /
 * predicted components: asymmetric, it exceeds 1 when one component spans several lesions (lesionDetection).
 *
 * Empty masks (one rule: nothing to find and nothing found is perfect; otherwise the worst finite value):
 * - both empty: dice 1, hd95 0, avd 0, lesion recall, precision and F1 1;
 * - one empty, the other not: dice 0, hd95 = the grid diagonal in mm (gridDiagonal);
 * - avd divides by max(V_R, 1 voxel): an empty reference gives 100 x the predicted voxel count;
 * - empty reference, some prediction: lesion recall 1 (nothing missed), precision 0, F1 0;
 * - empty prediction, some reference: lesion recall 0, precision 0, F1 0.
 */
export function segmentationMetrics(input: ChallengeInput): ChallengeMetrics {
  const { reference, prediction, dims, spacing } = input;
  checkGrid({ dims, spacing, masks: { reference, prediction } });
  const crop = cropToUnion({ a: reference, b: prediction, dims });
  // Both empty: the same rules on a one-voxel empty grid.
  const box = crop ?? { dims: [1, 1, 1] as [number, number, number], a: new Uint8Array(1), b: new Uint8Array(1) };
  const lesions = lesionDetection({ reference: box.a, prediction: box.b, dims: box.dims });
  const { referenceVoxels, predictedVoxels, overlapVoxels } = lesions;
  const total = referenceVoxels + predictedVoxels;
  let hd95 = 0;
  if (referenceVoxels > 0 && predictedVoxels > 0) hd95 = hausdorff95({ a: box.a, b: box.b, dims: box.dims, spacing });
  else if (total > 0) hd95 = gridDiagonal({ dims, spacing });
  return {
    dice: diceFromCounts({ tp: overlapVoxels, fp: predictedVoxels - overlapVoxels, fn: referenceVoxels - overlapVoxels }),
    hd95,
    avd: (Math.abs(referenceVoxels - predictedVoxels) / Math.max(referenceVoxels, 1)) * 100,
    ...lesions,
  };
}
