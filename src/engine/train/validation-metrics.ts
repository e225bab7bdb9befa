// The challenge metrics of validation batches: each batch's foreground prediction and reference are put
// back on their subject's grid (the validated slices; both masks empty elsewhere) and scored there.
import type { ValidationMetrics } from '../../domain/metrics';
import { type ChallengeMetrics, segmentationMetrics } from '../metrics/challenge';
import type { Vec3 } from '../metrics/grid';
import type { ArrayBatch, SubjectGrid } from './source';

export interface GridMasks {
  reference: Uint8Array;
  prediction: Uint8Array;
  dims: Vec3;
  spacing: Vec3;
}

/** A batch without a grid: its items stacked along z at 1 mm (the toy source's images). */
function defaultGrid(batch: ArrayBatch): SubjectGrid {
  const s = batch.yShape;
  const [H, W] = s.slice(-3, -1);
  const slices = s.length === 5 ? s[1] : s[0];
  return { dims: [W, H, slices], spacing: [1, 1, 1], slices: Array.from({ length: slices }, (_, k) => k) };
}

/**
 * Reference (one-hot background channel below 0.5) and prediction (`predictedFg`: argmax != background, one
 * byte per batch voxel) on the subject's grid. Padding beyond the subject is dropped; a slice repeated by a
 * clamped 3D slab is written once.
 */
export function masksOnGrid(params: { batch: ArrayBatch; predictedFg: Uint8Array }): GridMasks {
  const { batch, predictedFg } = params;
  const grid = batch.grid ?? defaultGrid(batch);
  const [nx, ny, nz] = grid.dims;
  const K = batch.yShape[batch.yShape.length - 1];
  const [H, W] = batch.yShape.slice(-3, -1);
  if (predictedFg.length * K !== batch.y.length) throw new RangeError('masksOnGrid: prediction and reference sizes differ');
  const reference = new Uint8Array(nx * ny * nz);
  const prediction = new Uint8Array(nx * ny * nz);
  const seen = new Set<number>();
  grid.slices.forEach((z, s) => {
    if (seen.has(z)) return;
    seen.add(z);
    for (let j = 0; j < Math.min(H, ny); j++)
      for (let i = 0; i < Math.min(W, nx); i++) {
        const v = (s * H + j) * W + i;
        const out = i + nx * (j + ny * z);
        reference[out] = batch.y[v * K] < 0.5 ? 1 : 0;
        prediction[out] = predictedFg[v] ? 1 : 0;
      }
  });
  return { reference, prediction, dims: [nx, ny, nz], spacing: grid.spacing };
}

/** One subject's challenge metrics from its validation batch. */
export function batchMetrics(params: { batch: ArrayBatch; predictedFg: Uint8Array }): ChallengeMetrics {
  return segmentationMetrics(masksOnGrid(params));
}

const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;

/**
 * Means over subjects; recall by size pools the subjects' lesions of that size (hit / total summed), NaN
 * when no subject has one (a bin with nothing in it says nothing).
 */
export function summariseMetrics(perSubject: readonly ChallengeMetrics[]): ValidationMetrics {
  const m = (f: (c: ChallengeMetrics) => number) => (perSubject.length ? mean(perSubject.map(f)) : Number.NaN);
  const pooled = (bin: 'small' | 'medium' | 'large') => {
    let hit = 0;
    let total = 0;
    for (const c of perSubject) {
      hit += c.recallBySize[bin].hit;
      total += c.recallBySize[bin].total;
    }
    return total > 0 ? hit / total : Number.NaN;
  };
  return {
    dice: m((c) => c.dice),
    hd95: m((c) => c.hd95),
    avd: m((c) => c.avd),
    lesionRecall: m((c) => c.lesionRecall),
    lesionPrecision: m((c) => c.lesionPrecision),
    lesionF1: m((c) => c.lesionF1),
    recallSmall: pooled('small'),
    recallMedium: pooled('medium'),
    recallLarge: pooled('large'),
  };
}
