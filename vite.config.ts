import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { cspPlugin } from './scripts/csp';

// Cross-origin isolation: lets wasm threads use SharedArrayBuffer.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist';
const wasmFiles = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** Serves tfjs's .wasm binaries at /tfjs-wasm/ in dev and emits them into the build: no CDN. */
function tfjsWasm(): Plugin {
  return {
    name: 'tfjs-wasm-files',
    configureServer(server) {
      server.middlewares.use('/tfjs-wasm', (req, res, next) => {
        const file = (req.url ?? '').replace(/^\//, '').split('?')[0];
        if (!wasmFiles.includes(file)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        createReadStream(join(wasmDir, file)).pipe(res);
      });
    },
    generateBundle() {
      for (const file of wasmFiles) {
        this.emitFile({ type: 'asset', fileName: `tfjs-wasm/${file}`, source: readFileSync(join(wasmDir, file)) });
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), tfjsWasm(), cspPlugin()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
});
