// The trivial baseline: the best single intensity threshold over modalities, searched on the training
// subjects inside the brain (bright and dark lesions both tried), reported on the validation subjects.
// What a network adds is its Dice above this one.
import { diceFromCounts } from '../metrics/overlap';

export type ThresholdDirection = 'bright' | 'dark';

export interface ThresholdBaseline {
  /** Dice on the validation subjects (pooled counts) with the training subjects' best threshold. */
  dice: number;
  /** Name of the modality thresholded. */
  modality: string;
  /** Threshold on that channel's values as given (the subjects' normalised intensities). */
  threshold: number;
  /** bright: lesion where value >= threshold; dark: where value < threshold. */
  direction: ThresholdDirection;
  /** The best Dice on the training subjects (what the search maximised). */
  trainDice: number;
}

/** A subject as the baseline sees it: channels, binary label, and the mask searched (the brain). */
export interface BaselineSubject {
  channels: ArrayLike<number>[];
  label: ArrayLike<number>;
  mask: ArrayLike<number>;
}

/** Histogram bins per channel: thresholds are bin edges, so the search is O(voxels + bins). */
export const BASELINE_BINS = 2048;

interface Binning {
  min: number;
  width: number;
  bins: number;
}

const binOf = (v: number, b: Binning) => Math.max(0, Math.min(b.bins - 1, Math.floor((v - b.min) / b.width)));

/** Best threshold over channels and directions on `train`, its Dice on `validation`. */
export function thresholdBaseline(params: {
  train: BaselineSubject[];
  validation: BaselineSubject[];
  modalities: string[];
  bins?: number;
}): ThresholdBaseline {
  const { train, validation, modalities } = params;
  const bins = params.bins ?? BASELINE_BINS;
  if (train.length === 0 || validation.length === 0)
    throw new RangeError('thresholdBaseline: needs training and validation subjects');
  let best: { dice: number; channel: number; edge: number; direction: ThresholdDirection; binning: Binning } | null = null;
  for (let c = 0; c < modalities.length; c++) {
    let min = Infinity;
    let max = -Infinity;
    for (const s of train) {
      const v = s.channels[c];
      for (let i = 0; i < v.length; i++) {
        if (!s.mask[i]) continue;
        if (v[i] < min) min = v[i];
        if (v[i] > max) max = v[i];
      }
    }
    if (!(max > min)) continue;
    const binning: Binning = { min, width: (max - min) / bins, bins };
    const fg = new Float64Array(bins);
    const bg = new Float64Array(bins);
    let fgTotal = 0;
    let outsideFg = 0; // lesion outside the mask: never predicted, always missed
    for (const s of train) {
      const v = s.channels[c];
      for (let i = 0; i < v.length; i++) {
        const lesion = s.label[i] > 0;
        if (!s.mask[i]) {
          if (lesion) outsideFg++;
          continue;
        }
        if (lesion) {
          fg[binOf(v[i], binning)]++;
          fgTotal++;
        } else bg[binOf(v[i], binning)]++;
      }
    }
    // Bright: predict bins >= e; dark: bins < e. Cumulate from the top once.
    let tpAbove = 0;
    let fpAbove = 0;
    let bgTotal = 0;
    for (let b = 0; b < bins; b++) bgTotal += bg[b];
    for (let e = bins - 1; e >= 1; e--) {
      tpAbove += fg[e];
      fpAbove += bg[e];
      const bright = diceFromCounts({ tp: tpAbove, fp: fpAbove, fn: fgTotal - tpAbove + outsideFg });
      const dark = diceFromCounts({ tp: fgTotal - tpAbove, fp: bgTotal - fpAbove, fn: tpAbove + outsideFg });
      if (!best || bright > best.dice) best = { dice: bright, channel: c, edge: e, direction: 'bright', binning };
      if (dark > best.dice) best = { dice: dark, channel: c, edge: e, direction: 'dark', binning };
    }
  }
  if (!best) return { dice: 0, modality: modalities[0] ?? '', threshold: 0, direction: 'bright', trainDice: 0 };
  const { channel, edge, direction, binning } = best;
  const counts = { tp: 0, fp: 0, fn: 0 };
  for (const s of validation) {
    const v = s.channels[channel];
    for (let i = 0; i < v.length; i++) {
      const above = binOf(v[i], binning) >= edge;
      const predicted = s.mask[i] ? (direction === 'bright' ? above : !above) : false;
      const lesion = s.label[i] > 0;
      if (predicted && lesion) counts.tp++;
      else if (predicted) counts.fp++;
      else if (lesion) counts.fn++;
    }
  }
  return {
    dice: diceFromCounts(counts),
    modality: modalities[channel],
    threshold: binning.min + edge * binning.width,
    direction,
    trainDice: best.dice,
  };
}
