// tfjs-wasm for Vite: serves the backend's .wasm binaries at /tfjs-wasm/ in dev and emits them into the
// build (no CDN), and pre-bundles the threaded factory that src/engine/backend/wasm-threads.ts imports
// (found late otherwise, inside the worker, which costs a dev-server reload on first use). The factory's
// pthread pool is sized by the engine instead of emscripten's fixed 8 (tfjsPthreadPool below).
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);
const wasmDir = `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist`;
export const TFJS_WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const THREADED_FACTORY = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';

/** The global the engine sets before a threaded init (src/engine/backend/wasm-setup.ts reads the same name). */
export const PTHREAD_POOL_GLOBAL = '__tfjsWasmPthreadPoolSize';
const POOL_LITERAL = 'var pthreadPoolSize=8;';

/**
 * The threaded factory with its pthread pool sized by PTHREAD_POOL_GLOBAL (8 when unset): emscripten
 * starts all 8 workers, each compiling the module, before the backend is ready, whatever the thread count.
 */
export function limitPthreadPool(code: string): string {
  if (!code.includes(POOL_LITERAL)) throw new Error(`tfjs-wasm's threaded factory no longer has '${POOL_LITERAL}'`);
  return code.replace(POOL_LITERAL, `var pthreadPoolSize=globalThis.${PTHREAD_POOL_GLOBAL}??8;`);
}

const isThreadedFactory = (id: string) => id.replace(/\\/g, '/').endsWith('wasm-out/tfjs-backend-wasm-threaded-simd.js');

/** Applies limitPthreadPool to the factory module (not to its ?raw text, which only pthreads evaluate). */
export function tfjsPthreadPool(): Plugin {
  return {
    name: 'tfjs-wasm-pthread-pool',
    transform: (code, id) => (isThreadedFactory(id) ? limitPthreadPool(code) : null),
  };
}

export function tfjsWasm(): Plugin {
  return {
    name: 'tfjs-wasm-files',
    config: () => ({
      // Dev pre-bundles the factory: the same transform runs there.
      optimizeDeps: { include: [THREADED_FACTORY], rolldownOptions: { plugins: [tfjsPthreadPool()] } },
    }),
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
