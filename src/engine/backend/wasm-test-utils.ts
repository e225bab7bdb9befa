// Shared helpers for the wasm kernel tests: seeded data, running one computation on a named
// backend, error measures, and the wasm heap size.
import * as tf from '@tensorflow/tfjs';

/** Uniform values in [-1, 1) from a seeded mulberry32 stream. */
export function seededValues(params: { size: number; seed: number }): Float32Array {
  let a = params.seed >>> 0;
  const out = new Float32Array(params.size);
  for (let i = 0; i < params.size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** Runs `make` on `backend` inside tidy and returns its values. */
export async function valuesOn(backend: string, make: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const t = tf.tidy(make);
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

/** max |a - b| relative to max |b| (1 when b is all zero, so zeros compare absolutely). */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    diff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (scale || 1);
}

/** Bytes of the wasm module's linear memory (null when wasm is not the active backend). */
export function wasmHeapBytes(): number | null {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength ?? null;
}

/** Data buffers the active backend holds, including any a kernel forgot to free. */
export function backendDataIds(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

/** Live tensors and the backend's data buffers: equal before and after a run that leaks nothing. */
export function liveCounts(): { tensors: number; buffers: number } {
  return { tensors: tf.memory().numTensors, buffers: backendDataIds() };
}

/** Runs a kernel directly (exactly what the engine calls when an op needs it). */
export function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
}

/** A tf.layers U-Net like the reference net: two 3x3 convs per level, max-pool, transposed conv up. */
export function buildTestUNet(params: {
  dims: 2 | 3;
  size: number;
  depth: number;
  baseFilters: number;
  batchNorm?: boolean;
  seed?: number;
}): tf.LayersModel {
  const { dims, size, depth, baseFilters } = params;
  let seed = params.seed ?? 1;
  const L = tf.layers;
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, activation: 'relu' | 'softmax' | 'linear') => {
    const args = { filters, kernelSize, padding: 'same' as const, kernelInitializer: tf.initializers.heNormal({ seed: seed++ }) };
    const bn = params.batchNorm && activation === 'relu';
    let y = (dims === 2 ? L.conv2d : L.conv3d)({ ...args, activation: bn ? 'linear' : activation }).apply(x) as tf.SymbolicTensor;
    if (bn) y = L.activation({ activation: 'relu' }).apply(L.batchNormalization().apply(y)) as tf.SymbolicTensor;
    return y;
  };
  const level = (x: tf.SymbolicTensor, filters: number) => conv(conv(x, filters, 3, 'relu'), filters, 3, 'relu');
  const input = tf.input({ shape: [...new Array(dims).fill(size), 1] });
  const skips: tf.SymbolicTensor[] = [];
  let x = input;
  for (let l = 0; l < depth; l++) {
    x = level(x, baseFilters * 2 ** l);
    skips.push(x);
    x = (dims === 2 ? L.maxPooling2d({ poolSize: 2 }) : L.maxPooling3d({ poolSize: 2 })).apply(x) as tf.SymbolicTensor;
  }
  x = level(x, baseFilters * 2 ** depth);
  for (let l = depth - 1; l >= 0; l--) {
    const args = { filters: baseFilters * 2 ** l, kernelSize: 2, strides: 2, padding: 'same' as const };
    const init = { kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }) };
    const up = (dims === 2 ? L.conv2dTranspose : L.conv3dTranspose)({ ...args, ...init }).apply(x) as tf.SymbolicTensor;
    x = level(L.concatenate().apply([skips[l], up]) as tf.SymbolicTensor, baseFilters * 2 ** l);
  }
  return tf.model({ inputs: input, outputs: conv(x, 2, 1, 'softmax') });
}

/** Seeded images and one-hot labels (a smooth blob threshold) for a [B, ...size^dims] batch. */
export function testBatch(params: { dims: 2 | 3; size: number; batch: number; seed: number }): {
  x: Float32Array;
  y: Float32Array;
  shape: number[];
} {
  const { dims, size, batch } = params;
  const spatial = size ** dims;
  const noise = seededValues({ size: batch * spatial, seed: params.seed });
  const x = new Float32Array(batch * spatial);
  const y = new Float32Array(batch * spatial * 2);
  for (let i = 0; i < x.length; i++) {
    const p = i % spatial;
    const coords = [p % size, Math.floor(p / size) % size, Math.floor(p / size / size)].slice(0, dims);
    const r = Math.hypot(...coords.map((c) => c - size / 2)) / size;
    const fg = r < 0.25 + 0.05 * Math.sin(i / spatial) ? 1 : 0;
    x[i] = fg + 0.5 * noise[i];
    y[i * 2 + fg] = 1;
  }
  return { x, y, shape: [batch, ...new Array(dims).fill(size)] };
}

/** Softmax cross-entropy of a [.., 2] prediction against one-hot labels. */
export function crossEntropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(yTrue, tf.log(tf.clipByValue(yPred, 1e-7, 1))), -1)));
}
