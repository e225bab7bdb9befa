// Test-only: onnxruntime-node (a devDependency), typed locally so tsc passes where it is not installed.
// Missing, a test skips locally with a notice and fails in CI. Also the inputs both ONNX tests feed.
import * as tf from '@tensorflow/tfjs';

/** The part of onnxruntime-node's API the tests use. */
export interface Ort {
  InferenceSession: {
    create(source: string | Uint8Array): Promise<{
      run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
      release(): Promise<void>;
    }>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
}

// The specifier is a variable so that type checking does not need the package.
const ORT = 'onnxruntime-node';
export const ort: Ort | null = await import(/* @vite-ignore */ ORT).catch(() => null);

/** Whether to skip an onnxruntime test (never in CI: there the missing package fails it instead). */
export function skipWithoutOrt(what: string): boolean {
  if (ort || process.env.CI) return false;
  console.warn(`${what}: skipped, onnxruntime-node is not installed (npm install)`);
  return true;
}

export function requireOrt(): Ort {
  if (!ort) throw new Error('onnxruntime-node is not installed');
  return ort;
}

/** [B, ...s, C] -> [B, C, ...s] (tfjs is channels-last, ONNX's convolutions channels-first). */
export function channelsFirst(x: tf.Tensor): tf.Tensor {
  return tf.transpose(x, [0, x.rank - 1, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 1)]);
}

/** A network's input, batch 2, uniform in [-1, 1); its prediction, channels-first; and the input channels-first. */
export function predictCase(p: { model: tf.LayersModel; size: number[]; inChannels: number; rng: () => number }): {
  xFirst: tf.Tensor;
  want: tf.Tensor;
} {
  const shape = [2, ...p.size, p.inChannels];
  const x = tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * p.rng() - 1),
    shape,
  );
  const want = tf.tidy(() => channelsFirst(p.model.predict(x) as tf.Tensor));
  const xFirst = channelsFirst(x);
  x.dispose();
  return { xFirst, want };
}
