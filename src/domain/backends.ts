// Backend names without tfjs, so the page and the URL parser can validate settings cheaply.
export const BACKENDS = ['webgpu', 'wasm', 'webgl', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';
/** Where a GPU backend's work runs: on a GPU, or on the CPU (SwiftShader, llvmpipe: slower than wasm here). */
export type GpuKind = 'hardware' | 'software';

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKENDS as readonly string[]).includes(value);
}
