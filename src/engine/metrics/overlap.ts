// Hard (thresholded) segmentation metrics from confusion counts. Empty-set rule: a ratio with a zero
// denominator is 1 when prediction and reference agree that there is nothing to find, else 0.
import { type ClassCounts, classCounts, type SegmentationInput } from './confusion';

/** 2 TP / (2 TP + FP + FN); both empty -> 1. The engine's one Dice: trainer, predictions and metrics call it. */
export function diceFromCounts(k: Pick<ClassCounts, 'tp' | 'fp' | 'fn'>): number {
  const den = 2 * k.tp + k.fp + k.fn;
  return den === 0 ? 1 : (2 * k.tp) / den;
}

/** TP / (TP + FN): the fraction of the reference found; empty reference -> 1 (nothing missed). */
export function sensitivityFromCounts(k: ClassCounts): number {
  const den = k.tp + k.fn;
  return den === 0 ? 1 : k.tp / den;
}

/** TN / (TN + FP); no negatives in the reference -> 1. */
export function specificityFromCounts(k: ClassCounts): number {
  const den = k.tn + k.fp;
  return den === 0 ? 1 : k.tn / den;
}

/** TP / (TP + FP); nothing predicted -> 1 if the reference is empty too, else 0 (as Dice). */
export function precisionFromCounts(k: ClassCounts): number {
  const den = k.tp + k.fp;
  if (den === 0) return k.fn === 0 ? 1 : 0;
  return k.tp / den;
}

/** Signed relative volume difference (|P| - |R|) / |R|; |R| = 0 -> 0 if |P| = 0, else +Infinity. */
export function volumeDifferenceFromCounts(k: ClassCounts): number {
  const predicted = k.tp + k.fp;
  const reference = k.tp + k.fn;
  if (reference === 0) return predicted === 0 ? 0 : Number.POSITIVE_INFINITY;
  return (predicted - reference) / reference;
}

export type GdsWeightType = 'square' | 'simple' | 'uniform';

/**
 * Generalised Dice score (Crum et al. 2006): 2 sum_l w_l TP_l / sum_l w_l (|P_l| + |R_l|), w_l from the
 * reference volumes as in the GDL loss (absent class -> largest finite weight); nothing anywhere -> 1.
 */
export function generalisedDiceFromCounts(params: { counts: ClassCounts[]; weightType?: GdsWeightType }): number {
  const { counts, weightType = 'square' } = params;
  const raw = counts.map(({ tp, fn }) => {
    const v = tp + fn;
    return weightType === 'uniform' ? 1 : weightType === 'simple' ? 1 / v : 1 / (v * v);
  });
  const finite = raw.filter(Number.isFinite);
  const fill = finite.length > 0 ? Math.max(...finite) : 1;
  let top = 0;
  let bottom = 0;
  counts.forEach((k, l) => {
    const w = Number.isFinite(raw[l]) ? raw[l] : fill;
    top += w * k.tp;
    bottom += w * (2 * k.tp + k.fp + k.fn);
  });
  return bottom === 0 ? 1 : (2 * top) / bottom;
}

export interface ClassMetrics {
  dice: number;
  sensitivity: number;
  specificity: number;
  precision: number;
  volumeDifference: number;
  counts: ClassCounts;
}

/** Hard Dice of every class (index 1 = foreground for C = 2). */
export function hardDice(input: SegmentationInput): number[] {
  return classCounts(input).map(diceFromCounts);
}

/** Every metric per class, plus the generalised Dice score over all classes. */
export function perClassMetrics(input: SegmentationInput & { weightType?: GdsWeightType }): {
  perClass: ClassMetrics[];
  generalisedDice: number;
} {
  const counts = classCounts(input);
  return {
    perClass: counts.map((k) => ({
      dice: diceFromCounts(k),
      sensitivity: sensitivityFromCounts(k),
      specificity: specificityFromCounts(k),
      precision: precisionFromCounts(k),
      volumeDifference: volumeDifferenceFromCounts(k),
      counts: k,
    })),
    generalisedDice: generalisedDiceFromCounts({ counts, weightType: input.weightType }),
  };
}
