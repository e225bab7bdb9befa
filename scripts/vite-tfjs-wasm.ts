// tfjs-wasm for Vite: serves the backend's .wasm binaries at /tfjs-wasm/ in dev and emits them into the
// build (no CDN), and pre-bundles the threaded factory that src/engine/backend/wasm-threads.ts imports
// (found late otherwise, inside the worker, which costs a dev-server reload on first use).
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
const wasmDir = `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist`;
export const TFJS_WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const THREADED_FACTORY = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';

export function tfjsWasm(): Plugin {
  return {
    name: 'tfjs-wasm-files',
    config: () => ({ optimizeDeps: { include: [THREADED_FACTORY] } }),
    configureServer(server) {
      server.middlewares.use('/tfjs-wasm', (req, res, next) => {
        const file = (req.url ?? '').replace(/^\//, '').split('?')[0];
        if (!TFJS_WASM_FILES.includes(file)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        createReadStream(join(wasmDir, file)).pipe(res);
      });
    },
    generateBundle() {
      for (const file of TFJS_WASM_FILES) {
        this.emitFile({ type: 'asset', fileName: `tfjs-wasm/${file}`, source: readFileSync(join(wasmDir, file)) });
      }
    },
  };
}
