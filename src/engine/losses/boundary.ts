// Boundary loss (Kervadec et al. 2019): (1 - a_t) region + a_t mean(p_l phi_l) over the foreground classes,
// phi the reference's signed distance map (mm) and a_t the step's weight (the schedule is in src/domain).
import * as tf from '@tensorflow/tfjs';

import { batchSignedDistances } from '../data/distance';
import { boundaryWeightAt, DEFAULT_LOSS_OPTIONS } from '../../domain/losses';
import type { BoundaryOptions } from '../../domain/loss-option-types';
import { constantFrom, type Flat } from './common';
import { diceLoss } from './dice';
import { gdlLoss } from './gdl';

/** Per-step inputs a loss may need beyond yTrue and yPred; losses that need none ignore them. */
export interface LossContext {
  /** The training step (1-based) the loss is computed at: the boundary loss's schedule reads it. */
  step?: number;
  /** Signed distance maps of yTrue (mm), yTrue's shape (data/distance.ts); absent: computed from yTrue. */
  distance?: tf.Tensor;
}

/** The context with yTrue's full shape, as computeLoss hands it to a loss. */
export interface ShapedContext extends LossContext {
  shape: readonly number[];
}

/**
 * phi as [B, M, C]: the given maps, or those of r (>= 0.5 inside) with 1 mm voxels, computed off the tape
 * (a constant of the reference, so the gradient with respect to r is the one with phi held fixed).
 */
function distanceOf(f: Flat, ctx: ShapedContext): tf.Tensor3D {
  const shape: [number, number, number] = [f.batch, f.perImageElements, f.classes];
  if (ctx.distance) {
    return tf.reshape(tf.cast(ctx.distance, 'float32'), shape) as tf.Tensor3D;
  }
  const spatial = ctx.shape.slice(1, -1);
  return constantFrom(f.r, (r) => {
    const label = r.dataSync();
    const maps = batchSignedDistances({ label, labelShape: ctx.shape, spacings: Array(f.batch).fill(spatial.map(() => 1)) });
    return tf.tensor3d(maps, shape);
  }) as tf.Tensor3D;
}

/** mean over items, voxels and foreground classes of p * phi (Kervadec's SurfaceLoss, idc = 1..C-1). */
export function boundaryTerm(f: Flat, phi: tf.Tensor3D): tf.Scalar {
  const C = f.classes;
  // sum_n p_nl phi_nl is the diagonal of the C x C product p^T phi: value + gradient 2 ms on [4, 4096, 2] on
  // cpu, where an elementwise product and a sum took 16-25 ms (measured side by side).
  const gram = tf.matMul(tf.reshape(f.p, [-1, C]), tf.reshape(phi, [-1, C]), true, false);
  const foregroundDiagonal = tf.tensor2d(
    Array.from({ length: C * C }, (_, i) => (i % (C + 1) === 0 && i > 0 ? 1 : 0)),
    [C, C],
  );
  return tf.div(tf.sum(tf.mul(gram, foregroundDiagonal)), f.batch * f.perImageElements * (C - 1));
}

/** (1 - a) region + a boundary, a = boundaryWeightAt(options, step); step 1 without a context. */
export function boundaryLoss(f: Flat, o: BoundaryOptions, ctx: ShapedContext): tf.Scalar {
  const d = ctx.distance?.shape;
  if (d && (d.length !== ctx.shape.length || d.some((v, i) => v !== ctx.shape[i])))
    throw new Error(`boundary: distance maps of shape [${d.join(',')}] for yTrue [${ctx.shape.join(',')}]`);
  const a = boundaryWeightAt(o, ctx.step ?? 1);
  const region = () =>
    o.boundaryRegion === 'gdl'
      ? gdlLoss(f, { ...DEFAULT_LOSS_OPTIONS.gdl, perImage: o.perImage })
      : diceLoss(f, { ...DEFAULT_LOSS_OPTIONS.dice, perImage: o.perImage });
  // While a = 0 the maps are not needed. (At a = 1 the region stays: it is the loss's only path to r.)
  if (a === 0) return region();
  return tf.add(tf.mul(1 - a, region()), tf.mul(a, boundaryTerm(f, distanceOf(f, ctx))));
}
