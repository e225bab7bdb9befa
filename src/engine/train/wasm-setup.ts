// Registers the wasm backend, serving its .wasm binaries from the app itself (never a CDN).
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** Where the .wasm files are served from (copied to public/tfjs-wasm/ by scripts/copy-wasm.mjs). */
export function wasmBaseUrl(): string | null {
  const loc = (globalThis as { location?: { origin: string } }).location;
  return loc ? `${loc.origin}/tfjs-wasm/` : null;
}

export function registerWasm(): void {
  const base = wasmBaseUrl();
  if (base) setWasmPaths(base);
}
