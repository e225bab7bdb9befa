// GDL in the explorer: its class weights against class volume, and its gradient three ways: autodiff
// of computeLoss, the derived closed form, and the formula printed in the paper (which has the wrong sign).
import * as tf from '@tensorflow/tfjs';

import { computeLoss, gdlAnalyticGradient, gdlWeights, paperPrintedGdlGradient } from '../losses';
import type { GdlWeightType } from '../../domain/losses';
import {
  EXPLORER_DEFAULTS,
  type GdlGradientComparison,
  type GdlGradientSide,
  type GdlWeightCurves,
  logspaceDown,
  type OptionValues,
  type Predictor,
  type SyntheticLayout,
} from './synthetic';
import { lesionMask, lossAndVoxelGrad, oneHot, probeSideInput, readScalars, twoChannel, voxelValue } from './tensors';

const WEIGHT_TYPES: GdlWeightType[] = ['square', 'simple', 'uniform'];

/** Normalised GDL weights [background, lesion] for lesion volumes 1 .. N/2 and for an absent lesion. */
export async function gdlWeightCurves(params: { voxels?: number; points?: number } = {}): Promise<GdlWeightCurves> {
  const voxels = params.voxels ?? EXPLORER_DEFAULTS.weightVoxels;
  const points = params.points ?? EXPLORER_DEFAULTS.weightPoints;
  const volumes = logspaceDown({ max: voxels / 2, min: 1, points }).reverse();
  const rows = [...volumes.map((v) => [voxels - v, v]), [voxels, 0]];
  const out = {} as Record<GdlWeightType, number[][]>;
  for (const weightType of WEIGHT_TYPES) {
    const w = tf.tidy(() => gdlWeights({ volumes: tf.tensor3d(rows.map((r) => [r])), weightType }));
    out[weightType] = ((await w.array()) as number[][][]).map((g) => g[0]);
    w.dispose();
  }
  const curve = (t: GdlWeightType) => ({
    lesion: out[t].slice(0, -1).map((w) => w[1]),
    background: out[t].slice(0, -1).map((w) => w[0]),
  });
  const absent = (t: GdlWeightType) => out[t][out[t].length - 1] as [number, number];
  return {
    voxels,
    volumes,
    square: curve('square'),
    simple: curve('simple'),
    uniform: curve('uniform'),
    absent: { square: absent('square'), simple: absent('simple'), uniform: absent('uniform') },
  };
}

/** The three gradients of GDL with respect to p (background = 1 - p) at every voxel of any input. */
export function gdlGradientsAt(params: { yTrue: tf.Tensor; p: tf.Tensor; options?: OptionValues }): {
  autodiff: tf.Tensor;
  closedForm: tf.Tensor;
  printed: tf.Tensor;
} {
  const { yTrue, p, options } = params;
  const o = options as never;
  return tf.tidy(() => {
    const yPred = twoChannel(p);
    const shape = p.shape.slice(0, -1);
    const autodiff = tf
      .grad((q: tf.Tensor) => computeGdl(yTrue, q, o))(p)
      .reshape(shape);
    return { autodiff, closedForm: gdlAnalyticGradient(yTrue, yPred, o), printed: paperPrintedGdlGradient(yTrue, yPred, o) };
  });
}

function computeGdl(yTrue: tf.Tensor, p: tf.Tensor, options: never): tf.Scalar {
  return computeLoss('gdl', yTrue, twoChannel(p), options);
}

/** Autodiff, closed-form and printed gradients at a lesion voxel and a background voxel along the probes. */
export async function gdlGradientComparison(params: {
  options?: OptionValues;
  layout: SyntheticLayout;
  predictor: Predictor;
  grid: number[];
}): Promise<GdlGradientComparison> {
  const { options, layout, predictor, grid } = params;
  const mask = lesionMask(layout);
  const yTrue = oneHot(mask);
  const side = async (which: 'lesion' | 'background'): Promise<GdlGradientSide> => {
    const voxel = which === 'lesion' ? 0 : layout.voxels - 1;
    const scalars: tf.Tensor[] = [];
    for (const x of grid) {
      const p = probeSideInput({ mask, which, x, predictor });
      const [value, auto] = lossAndVoxelGrad({ id: 'gdl', options, yTrue, p, voxel });
      value.dispose();
      const yPred = twoChannel(p);
      const closed = gdlAnalyticGradient(yTrue, yPred, options as never);
      const printed = paperPrintedGdlGradient(yTrue, yPred, options as never);
      scalars.push(auto, voxelValue(closed, voxel), voxelValue(printed, voxel));
      tf.dispose([p, yPred, closed, printed]);
    }
    const v = await readScalars(scalars);
    const pick = (k: number) => v.filter((_, i) => i % 3 === k);
    return { autodiff: pick(0), closedForm: pick(1), printed: pick(2) };
  };
  try {
    const lesion = await side('lesion');
    const background = await side('background');
    return { lesion, background, ...agreement([lesion, background]) };
  } finally {
    tf.dispose([mask, yTrue]);
  }
}

/** How far the closed form is from autodiff, and the ratio printed / autodiff. */
export function agreement(sides: GdlGradientSide[]): Pick<GdlGradientComparison, 'closedFormRelError' | 'printedOverAutodiff'> {
  const auto = sides.flatMap((s) => s.autodiff);
  const scale = Math.max(...auto.map(Math.abs));
  const diff = Math.max(...sides.flatMap((s) => s.closedForm.map((c, i) => Math.abs(c - s.autodiff[i]))));
  // Ratios only where the gradient is well above float32 noise.
  const ratios: number[] = [];
  for (const s of sides)
    s.autodiff.forEach((a, i) => {
      if (Math.abs(a) > 1e-3 * scale) ratios.push(s.printed[i] / a);
    });
  return {
    closedFormRelError: scale > 0 ? diff / scale : diff,
    printedOverAutodiff: { min: Math.min(...ratios), max: Math.max(...ratios) },
  };
}
