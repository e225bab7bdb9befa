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
  /** Adam's state: steps taken and, per trainable weight, entries '{name}/adam_m' and '{name}/adam_v'. */
  adam?: { iterations: number };
}

/** Adam's moment estimates per weight (tfjs originalName), read from a tfjs AdamOptimizer. */
export interface AdamState {
  iterations: number;
  moments: Map<string, { m: Float32Array; v: Float32Array }>;
}

/** Reads a tfjs Adam optimizer's moments and step count (its getWeights: iter, then every m, then every v). */
export async function adamState(params: { optimizer: tf.Optimizer; model: tf.LayersModel }): Promise<AdamState> {
  const named = await params.optimizer.getWeights();
  const iterations = (await named[0].tensor.data())[0];
  const byVariable = new Map(named.slice(1).map((w) => [w.name, w.tensor]));
  const moments = new Map<string, { m: Float32Array; v: Float32Array }>();
  for (const w of params.model.trainableWeights) {
    // Moments are named after the registered variable ('down0_conv1/kernel_1/m'), weights by originalName.
    const variable = (w.read() as tf.Variable).name;
    const m = byVariable.get(`${variable}/m`);
    const v = byVariable.get(`${variable}/v`);
    if (!m || !v) continue;
    const name = (w as unknown as { originalName?: string }).originalName ?? w.name;
    moments.set(name, { m: (await m.data()) as Float32Array, v: (await v.data()) as Float32Array });
  }
  return { iterations, moments };
}

/** The index and the bytes of every weight of `model` (moving statistics included). */
export function exportWeights(params: { model: tf.LayersModel; spec: ResolvedSpec; adam?: AdamState }): {
  index: WeightIndex;
  bin: Uint8Array;
} {
  const { model, spec, adam } = params;
  // getWeights() returns the variables' own tensors (not copies): read them, never dispose them.
  const values = model.getWeights();
  const parts: Float32Array[] = [];
  const weights: WeightEntry[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], data: Float32Array, trainable: boolean) => {
    parts.push(data);
    weights.push({ name, shape, offset, trainable });
    offset += data.length;
  };
  model.weights.forEach((w, i) => {
    const name = (w as unknown as { originalName?: string }).originalName ?? w.name;
    add(name, [...values[i].shape], values[i].dataSync() as Float32Array, w.trainable);
  });
  for (const [name, { m, v }] of adam?.moments ?? []) {
    const shape = weights.find((w) => w.name === name)!.shape;
    add(`${name}/adam_m`, shape, m, false);
    add(`${name}/adam_v`, shape, v, false);
  }
  const flat = new Float32Array(offset);
  let at = 0;
  for (const p of parts) {
    flat.set(p, at);
    at += p.length;
  }
  const index: WeightIndex = { format: 'segmentation-loss-playground/weights', version: 1, spec, weights };
  if (adam) index.adam = { iterations: adam.iterations };
  return { index, bin: littleEndianBytes(flat) };
}

/** Float32 values as little-endian bytes on any host. */
export function littleEndianBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  return out;
}
