// The loss explorer's synthetic inputs, as plain data (tf-free, so the page can describe them):
// one image of N voxels, the first nFg of them lesion, and a predictor of fixed quality.
import type { LossId } from '../../domain/losses';

/** Foreground probability the predictor gives to lesion voxels and to background voxels. */
export interface Predictor {
  lesion: number;
  background: number;
}

export type OptionValues = Record<string, string | number | boolean>;

export const EXPLORER_DEFAULTS = {
  /** Voxels of the probe image: about one M batch of the playground (3 x 64^2 = 12,288). */
  voxels: 10_000,
  /** Points on the probability axis, from pMin to pMax (logs are clipped near 0 and 1). */
  points: 25,
  pMin: 0.02,
  pMax: 0.98,
  /** A predictor that mostly misses the lesion: the case where losses disagree. */
  predictor: { lesion: 0.3, background: 0.02 } as Predictor,
  /** Foreground fractions of the sweep, log-spaced from 50% down to 0.001%. */
  sweep: { max: 0.5, min: 1e-5, points: 21 },
  /** Lesion volumes of the GDL weight chart, log-spaced from 1 voxel to N/2, with N = weightVoxels. */
  weightVoxels: 100_000,
  weightPoints: 31,
} as const;

/** The most voxels one probe image may have (1/fraction at the smallest fraction, with room). */
export const MAX_VOXELS = 1_000_000;

export interface SyntheticLayout {
  /** N: voxels in the image. */
  voxels: number;
  /** Lesion voxels (indices 0..lesionVoxels-1); the rest is background. */
  lesionVoxels: number;
  /** Achieved foreground fraction lesionVoxels / voxels. */
  fraction: number;
}

/**
 * N = max(voxels, ceil(1 / fraction)) so that the lesion keeps at least one voxel; nFg = round(fraction N),
 * at least 1 and at most N - 1 (both classes present).
 */
export function syntheticLayout(params: { fraction: number; voxels?: number }): SyntheticLayout {
  const { fraction } = params;
  const base = params.voxels ?? EXPLORER_DEFAULTS.voxels;
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`explorer: fraction must be in (0, 1), got ${fraction}`);
  if (!Number.isInteger(base) || base < 2) throw new RangeError(`explorer: voxels must be an integer >= 2, got ${base}`);
  // 1e-9 keeps 1/0.001 from becoming 1001 through rounding.
  const voxels = Math.max(base, Math.ceil(1 / fraction - 1e-9));
  if (voxels > MAX_VOXELS) throw new RangeError(`explorer: ${voxels} voxels exceed ${MAX_VOXELS} (fraction too small)`);
  const lesionVoxels = Math.min(voxels - 1, Math.max(1, Math.round(fraction * voxels)));
  return { voxels, lesionVoxels, fraction: lesionVoxels / voxels };
}

/** `points` evenly spaced values from min to max inclusive. */
export function linspace(params: { min: number; max: number; points: number }): number[] {
  const { min, max, points } = params;
  if (points < 2) return [min];
  return Array.from({ length: points }, (_, k) => min + ((max - min) * k) / (points - 1));
}

/** `points` log-spaced values from max down to min inclusive. */
export function logspaceDown(params: { max: number; min: number; points: number }): number[] {
  const hi = Math.log10(params.max);
  const lo = Math.log10(params.min);
  return linspace({ min: hi, max: lo, points: params.points }).map((e) => 10 ** e);
}

export function probeGrid(points: number = EXPLORER_DEFAULTS.points): number[] {
  return linspace({ min: EXPLORER_DEFAULTS.pMin, max: EXPLORER_DEFAULTS.pMax, points });
}

/** Hard metrics of the predictor at a layout (threshold 0.5; a tie goes to background, as argmax does). */
export function predictorHardMetrics(params: { layout: SyntheticLayout; predictor: Predictor }): {
  errorRate: number;
  dice: number;
} {
  const { layout, predictor } = params;
  const bg = layout.voxels - layout.lesionVoxels;
  const tp = predictor.lesion > 0.5 ? layout.lesionVoxels : 0;
  const fn = layout.lesionVoxels - tp;
  const fp = predictor.background > 0.5 ? bg : 0;
  const den = 2 * tp + fp + fn;
  return { errorRate: (fn + fp) / layout.voxels, dice: den === 0 ? 1 : (2 * tp) / den };
}

export interface ExplorerLossRequest {
  id: LossId;
  /** That loss's options (numbers, booleans or their URL strings); checked by the loss validator. */
  options?: OptionValues;
}

export interface ExplorerRequest {
  /** Losses of the probe and sweep sections. */
  losses: ExplorerLossRequest[];
  /** Loss and dL/dp_i of each loss against the predicted probability, at `fraction` (default true). */
  probe?: boolean;
  /** Foreground fraction of the probe image. */
  fraction: number;
  predictor?: Partial<Predictor>;
  /** Base N of the probe image (default 10,000). */
  voxels?: number;
  /** Points on the probability axis (default 25). */
  points?: number;
  /** Also each loss of the predictor against the foreground fraction, 50% .. 0.001%. */
  sweep?: boolean;
  /** Also GDL's weights against class volume and its gradients: autodiff, closed form, paper's print. */
  gdl?: { options?: OptionValues };
}

/** Loss and gradient of one loss while one class's voxels all take probability p (the x axis). */
export interface ProbeSide {
  /** L at each p. */
  loss: number[];
  /** dL/dp_i at one voxel of that class (not scaled: multiply by N for a per-voxel scale). */
  grad: number[];
}

export interface ProbeCurves {
  id: LossId;
  /** Lesion voxels at p, background voxels at the predictor's background value. */
  lesion: ProbeSide;
  /** Background voxels at p, lesion voxels at the predictor's lesion value. */
  background: ProbeSide;
}

export interface SweepResult {
  /** Achieved fractions (descending), their N and lesion voxel counts. */
  fractions: number[];
  voxels: number[];
  lesionVoxels: number[];
  /** 1 - accuracy and 1 - Dice of the thresholded predictor, for reference. */
  errorRate: number[];
  oneMinusDice: number[];
  curves: { id: LossId; loss: number[] }[];
}

export interface GdlWeightCurves {
  /** N of the weight chart and the lesion volumes (voxels) on its x axis. */
  voxels: number;
  volumes: number[];
  /** Normalised weights (they sum to 1) of lesion and background for each weight type. */
  square: { lesion: number[]; background: number[] };
  simple: { lesion: number[]; background: number[] };
  uniform: { lesion: number[]; background: number[] };
  /** The weights when the lesion is absent (volume 0): the infinite weight takes the largest finite one. */
  absent: { square: [number, number]; simple: [number, number]; uniform: [number, number] };
}

export interface GdlGradientSide {
  autodiff: number[];
  closedForm: number[];
  printed: number[];
}

export interface GdlGradientComparison {
  /** Same probes as the loss curves: lesion voxels at p, or background voxels at p. */
  lesion: GdlGradientSide;
  background: GdlGradientSide;
  /** max |closed form - autodiff| / max |autodiff| over both probes. */
  closedFormRelError: number;
  /** Range of printed / autodiff over points where |autodiff| is not tiny: -1 if the print is the negative. */
  printedOverAutodiff: { min: number; max: number };
}

export interface ExplorerResult {
  setup: SyntheticLayout & { predictor: Predictor; p: number[] };
  probe: ProbeCurves[];
  sweep?: SweepResult;
  gdl?: { weights: GdlWeightCurves; gradient: GdlGradientComparison };
  ms: number;
  backend: string;
}
