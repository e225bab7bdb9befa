// The loss explorer's engine side: every curve comes from computeLoss, tf autodiff and the losses'
// own closed forms, on the synthetic inputs described in synthetic.ts. Plain arrays out.
import * as tf from '@tensorflow/tfjs';

import { isLossId } from '../../domain/losses';
import { resolveLossOptions } from '../../domain/loss-options';
import { gdlGradientComparison, gdlWeightCurves } from './gdl';
import { probeCurves } from './probe';
import { sweepCurve, sweepLayouts } from './sweep';
import {
  EXPLORER_DEFAULTS,
  type ExplorerRequest,
  type ExplorerResult,
  logspaceDown,
  type Predictor,
  probeGrid,
  syntheticLayout,
} from './synthetic';

export * from './synthetic';
export { agreement, gdlGradientComparison, gdlGradientsAt, gdlWeightCurves } from './gdl';
export { type SyntheticPicture, syntheticPicture } from './picture';
export { probeCurves } from './probe';
export { sweepCurve, sweepLayouts } from './sweep';

function checkRequest(req: ExplorerRequest): { predictor: Predictor; points: number } {
  const predictor = { ...EXPLORER_DEFAULTS.predictor, ...req.predictor };
  for (const [k, v] of Object.entries(predictor)) {
    if (!(typeof v === 'number' && v >= 0 && v <= 1))
      throw new RangeError(`explorer: predictor.${k} must be in [0, 1], got ${v}`);
  }
  const points = req.points ?? EXPLORER_DEFAULTS.points;
  if (!Number.isInteger(points) || points < 3 || points > 201)
    throw new RangeError(`explorer: points must be in [3, 201], got ${points}`);
  if (req.losses.length > 16) throw new RangeError('explorer: at most 16 losses per request');
  for (const l of req.losses) if (!isLossId(l.id)) throw new RangeError(`explorer: unknown loss '${String(l.id)}'`);
  // Options are checked before any tensor exists (a throw mid-curve would strand tensors).
  for (const l of req.losses) resolveLossOptions(l.id, l.options);
  if (req.gdl) resolveLossOptions('gdl', req.gdl.options);
  return { predictor, points };
}

/** Curves for the explorer view; sections not asked for are left out. */
export async function explorerCurves(req: ExplorerRequest): Promise<ExplorerResult> {
  const t0 = globalThis.performance.now();
  const { predictor, points } = checkRequest(req);
  const layout = syntheticLayout({ fraction: req.fraction, voxels: req.voxels });
  const grid = probeGrid(points);
  const probe = [];
  if (req.probe !== false)
    for (const l of req.losses) probe.push(await probeCurves({ id: l.id, options: l.options, layout, predictor, grid }));
  const result: ExplorerResult = { setup: { ...layout, predictor, p: grid }, probe, ms: 0, backend: tf.getBackend() };
  if (req.sweep) {
    const s = EXPLORER_DEFAULTS.sweep;
    const { layouts, ...reference } = sweepLayouts({ fractions: logspaceDown(s), voxels: req.voxels, predictor });
    const curves = [];
    for (const l of req.losses)
      curves.push({ id: l.id, loss: await sweepCurve({ id: l.id, options: l.options, layouts, predictor }) });
    result.sweep = { ...reference, curves };
  }
  if (req.gdl) {
    result.gdl = {
      weights: await gdlWeightCurves(),
      gradient: await gdlGradientComparison({ options: req.gdl.options, layout, predictor, grid }),
    };
  }
  result.ms = globalThis.performance.now() - t0;
  return result;
}
