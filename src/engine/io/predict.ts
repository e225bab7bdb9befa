// Whole-volume inference: foreground probabilities for every voxel of a subject, the way the trainer
// predicts its snapshots (axial slices for 2D nets, axial slabs for 3D nets), x-fastest like the volume.
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../../domain/errors';
import type { Subject } from '../data/subjects';
import { sizeMultiple } from '../networks';
import { type NetworkKind, SPATIAL_DIMS } from '../../domain/network-spec';
import { axialSlab, axialSlices } from '../train/dataset';
import type { ArrayBatch } from '../train/source';
import { yieldMacrotask } from '../train/yield';

export const PREDICT_DEFAULTS = { slicesPerBatch: 8, slab3d: 32 };

/** What a volume prediction holds per voxel: p(foreground) = 1 - p(background), or the argmax class index. */
export type PredictOutput = 'foreground' | 'classes';

/** One value per voxel of a batch, [n, D?, H', W'] flattened; padding still included. */
async function foreground(
  model: tf.LayersModel,
  b: ArrayBatch,
  output: PredictOutput,
): Promise<{ probs: Float32Array; shape: number[] }> {
  const fg = tf.tidy(() => {
    const pred = model.predict(tf.tensor(b.x, b.xShape)) as tf.Tensor;
    if (output === 'classes') return tf.argMax(pred, -1).toFloat();
    // 1 - p(background): with more than two classes, any foreground class counts.
    const size = [...pred.shape.slice(0, -1), 1];
    return tf.sub(1, tf.slice(pred, Array(pred.rank).fill(0), size)).reshape(size.slice(0, -1));
  });
  const probs = (await fg.data()) as Float32Array;
  const shape = fg.shape;
  fg.dispose();
  return { probs, shape };
}

/**
 * p(foreground) (or, with output 'classes', the argmax class) for every voxel of `subject`, [nz][ny][nx].
 * 2D nets see whole axial slices in batches; 3D nets see overlapping slabs and each slice keeps the slab
 * where it sits farthest from an edge.
 */
export async function predictVolume(params: {
  model: tf.LayersModel;
  subject: Subject;
  slicesPerBatch?: number;
  output?: PredictOutput;
}): Promise<Float32Array> {
  const { model, subject: s, output = 'foreground' } = params;
  const kind = model.name as NetworkKind;
  const dims = SPATIAL_DIMS[kind];
  if (!dims) throw new EngineError('invalid-request', `cannot predict with model '${model.name}': not a playground network`);
  const inCh = model.inputs[0].shape.at(-1);
  if (inCh !== s.channels.length)
    throw new EngineError('invalid-request', `the model takes ${inCh} image channel(s), the volume has ${s.channels.length}`);
  const m = sizeMultiple({ kind });
  const [nx, ny, nz] = s.dims;
  const out = new Float32Array(nx * ny * nz);
  const copySlice = (src: Float32Array, offset: number, W: number, z: number) => {
    for (let y = 0; y < ny; y++) out.set(src.subarray(offset + y * W, offset + y * W + nx), nx * (y + ny * z));
  };
  if (dims === 2) {
    const per = params.slicesPerBatch ?? PREDICT_DEFAULTS.slicesPerBatch;
    for (let z0 = 0; z0 < nz; z0 += per) {
      const zs = Array.from({ length: Math.min(per, nz - z0) }, (_, k) => z0 + k);
      const { probs, shape } = await foreground(model, axialSlices(s, zs, m), output);
      const [, H, W] = shape;
      for (const [b, z] of zs.entries()) copySlice(probs, b * H * W, W, z);
      await yieldMacrotask(); // let messages through between batches
    }
    return out;
  }
  const depth = Math.min(Math.ceil(PREDICT_DEFAULTS.slab3d / m) * m, Math.ceil(nz / m) * m);
  const margin = new Float32Array(nz).fill(-1);
  const step = Math.max(1, depth / 2);
  for (let start = 0; ; start += step) {
    const slab = axialSlab(s, start, depth, m);
    const { probs, shape } = await foreground(model, slab, output);
    const [, D, H, W] = shape;
    for (let d = 0; d < D; d++) {
      const z = slab.start + d;
      if (z >= nz) break;
      const edge = Math.min(d, D - 1 - d);
      if (edge <= margin[z]) continue;
      margin[z] = edge;
      copySlice(probs, d * H * W, W, z);
    }
    await yieldMacrotask();
    if (slab.start + D >= nz) break;
  }
  return out;
}

/** Hard segmentation (p > 0.5, the argmax of two classes) as 0/1. */
export function threshold(probs: Float32Array): Uint8Array {
  const seg = new Uint8Array(probs.length);
  for (let i = 0; i < probs.length; i++) seg[i] = probs[i] > 0.5 ? 1 : 0;
  return seg;
}
