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

/** A subject's voxels inside its mask, lesion (fg) and not (bg), and its lesion voxels outside the mask. */
function insideVoxels(s: BaselineSubject): { fg: Int32Array; bg: Int32Array; outsideFg: number } {
  // One pass: lesion voxels fill the list from the front, the rest from the back.
  const idx = new Int32Array(s.label.length);
  let f = 0;
  let b = idx.length;
  let outsideFg = 0;
  for (let i = 0; i < s.label.length; i++) {
    const lesion = s.label[i] > 0;
    if (!s.mask[i]) outsideFg += lesion ? 1 : 0;
    else if (lesion) idx[f++] = i;
    else idx[--b] = i;
  }
  return { fg: idx.subarray(0, f), bg: idx.subarray(b), outsideFg };
}

/** Counts per bin of channel `c` over the `side` voxels of every subject. */
function histogram(
  subjects: BaselineSubject[],
  split: { fg: Int32Array; bg: Int32Array }[],
  c: number,
  side: 'fg' | 'bg',
  b: Binning,
): Float64Array {
  const h = new Float64Array(b.bins);
  for (const [k, s] of subjects.entries()) {
    const v = s.channels[c];
    const list = split[k][side];
    for (let j = 0; j < list.length; j++) h[binOf(v[list[j]], b)]++;
  }
  return h;
}

/** The search's result on the training subjects, before any validation subject is seen. */
export interface ThresholdFit {
  modalities: string[];
  /** null where no channel varies inside the mask: nothing to threshold. */
  best: { dice: number; channel: number; edge: number; direction: ThresholdDirection; binning: Binning } | null;
}

/** Best threshold over channels and directions on `train` (validation subjects play no part). */
export function fitThreshold(params: { train: BaselineSubject[]; modalities: string[]; bins?: number }): ThresholdFit {
  const { train, modalities } = params;
  const bins = params.bins ?? BASELINE_BINS;
  if (train.length === 0) throw new RangeError('fitThreshold: needs training subjects');
  let best: ThresholdFit['best'] = null;
  // The voxels searched, split by label once: each channel then reads only the brain (a third of a head).
  const split = train.map(insideVoxels);
  const outsideFg = split.reduce((n, s) => n + s.outsideFg, 0); // lesion outside the mask: never predicted, always missed
  const fgTotal = split.reduce((n, s) => n + s.fg.length, 0);
  for (let c = 0; c < modalities.length; c++) {
    let min = Infinity;
    let max = -Infinity;
    for (const [k, s] of train.entries()) {
      const v = s.channels[c];
      for (const list of [split[k].fg, split[k].bg]) {
        for (let j = 0; j < list.length; j++) {
          const x = v[list[j]];
          if (x < min) min = x;
          if (x > max) max = x;
        }
      }
    }
    if (!(max > min)) continue;
    const binning: Binning = { min, width: (max - min) / bins, bins };
    const fg = histogram(train, split, c, 'fg', binning);
    const bg = histogram(train, split, c, 'bg', binning);
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
  return { modalities: [...modalities], best };
}

/** `fit`'s threshold applied to `validation`: its Dice there (pooled counts). */
export function scoreThreshold(fit: ThresholdFit, validation: BaselineSubject[]): ThresholdBaseline {
  const { modalities, best } = fit;
  if (validation.length === 0) throw new RangeError('scoreThreshold: needs validation subjects');
  if (!best) return { dice: 0, modality: modalities[0] ?? '', threshold: 0, direction: 'bright', trainDice: 0 };
  const { channel, edge, direction, binning } = best;
  const counts = { tp: 0, fp: 0, fn: 0 };
  const predicted = (x: number) => binOf(x, binning) >= edge === (direction === 'bright');
  for (const s of validation) {
    const v = s.channels[channel];
    const { fg, bg, outsideFg: missed } = insideVoxels(s);
    counts.fn += missed;
    for (let j = 0; j < fg.length; j++) {
      if (predicted(v[fg[j]])) counts.tp++;
      else counts.fn++;
    }
    for (let j = 0; j < bg.length; j++) if (predicted(v[bg[j]])) counts.fp++;
  }
  return {
    dice: diceFromCounts(counts),
    modality: modalities[channel],
    threshold: binning.min + edge * binning.width,
    direction,
    trainDice: best.dice,
  };
}

/** Best threshold over channels and directions on `train`, its Dice on `validation`. */
export function thresholdBaseline(params: {
  train: BaselineSubject[];
  validation: BaselineSubject[];
  modalities: string[];
  bins?: number;
}): ThresholdBaseline {
  if (params.train.length === 0 || params.validation.length === 0)
    throw new RangeError('thresholdBaseline: needs training and validation subjects');
  return scoreThreshold(fitThreshold(params), params.validation);
}
