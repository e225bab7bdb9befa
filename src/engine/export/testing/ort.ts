// Test-only: onnxruntime-node (a devDependency), typed locally so tsc passes where it is not installed.
// Missing, a test skips locally with a notice and fails in CI.

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
