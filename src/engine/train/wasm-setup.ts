// Registers the wasm backend for training: its .wasm binaries come from the app itself (never a
// CDN) and the kernels it lacks or runs slowly for conv-net training are replaced (wasm-kernels.ts).
import { env } from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './wasm-kernels';

/** Where the .wasm files are served from (vite.config.ts serves and emits them at /tfjs-wasm/). */
export function wasmBaseUrl(): string | null {
  const loc = (globalThis as { location?: { origin: string } }).location;
  return loc ? `${loc.origin}/tfjs-wasm/` : null;
}

export function registerWasm(): void {
  const base = wasmBaseUrl();
  // In Node the backend finds its binaries next to its own module.
  if (base) setWasmPaths(base);
  // tfjs starts its pthreads from the factory's Function.toString(), which loses the bundler's closure
  // variables ("e is not defined" in every pthread after a Vite build): use the single-threaded SIMD binary.
  if (base) env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  registerWasmTrainingKernels();
}
