// A model's weights for PyTorch: one float32 little-endian file and a JSON index of names, tfjs shapes
// and offsets (in floats), in model.getWeights() order. python/weights.py turns them into a state dict.
import type * as tf from '@tensorflow/tfjs';
import type { ResolvedSpec } from '../../domain/network-spec';

export interface WeightEntry {
  /** 'layer/weight' as tfjs names it (originalName: no uniquifying suffix). */
  name: string;
  /** tfjs (channels-last) shape. */
  shape: number[];
  /** Start in the flat float32 array. */
  offset: number;
  trainable: boolean;
}

export interface WeightIndex {
  format: 'segmentation-loss-playground/weights';
  version: 1;
  spec: ResolvedSpec;
  weights: WeightEntry[];
}

/** The index and the bytes of every weight of `model` (moving statistics included). */
export function exportWeights(params: { model: tf.LayersModel; spec: ResolvedSpec }): { index: WeightIndex; bin: Uint8Array } {
  const { model, spec } = params;
  // getWeights() returns the variables' own tensors (not copies): read them, never dispose them.
  const values = model.getWeights();
  const total = values.reduce((n, v) => n + v.size, 0);
  const flat = new Float32Array(total);
  const weights: WeightEntry[] = [];
  let offset = 0;
  model.weights.forEach((w, i) => {
    const data = values[i].dataSync() as Float32Array;
    flat.set(data, offset);
    const name = (w as unknown as { originalName?: string }).originalName ?? w.name;
    weights.push({ name, shape: [...values[i].shape], offset, trainable: w.trainable });
    offset += data.length;
  });
  return { index: { format: 'segmentation-loss-playground/weights', version: 1, spec, weights }, bin: littleEndianBytes(flat) };
}

/** Float32 values as little-endian bytes on any host. */
export function littleEndianBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  return out;
}
