// The threaded factory's pthread pool: sized by the engine's global, 8 when unset, and a tfjs upgrade
// that moves the literal fails the build instead of silently starting 8 workers again.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { limitPthreadPool, PTHREAD_POOL_GLOBAL } from './vite-tfjs-wasm';

const require = createRequire(import.meta.url);
const factoryPath = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');

/** initMainThread of the factory's PThread object, evaluated alone with a counting allocateUnusedWorker. */
function poolSize(code: string, global: number | undefined): number {
  const body = code.match(/initMainThread:function\(\)\{(.*?)\},initWorker:/s)?.[1];
  if (!body) throw new Error('initMainThread not found');
  const g = globalThis as Record<string, unknown>;
  if (global === undefined) delete g[PTHREAD_POOL_GLOBAL];
  else g[PTHREAD_POOL_GLOBAL] = global;
  try {
    const PThread = {
      n: 0,
      allocateUnusedWorker() {
        this.n++;
      },
    };
    new Function('PThread', body)(PThread);
    return PThread.n;
  } finally {
    delete g[PTHREAD_POOL_GLOBAL];
  }
}

describe('limitPthreadPool', () => {
  const installed = readFileSync(factoryPath, 'utf8');

  it('leaves the installed factory starting 8 workers when nothing is set, as before', () => {
    expect(poolSize(installed, undefined)).toBe(8);
    expect(poolSize(limitPthreadPool(installed), undefined)).toBe(8);
  });

  it('starts as many workers as the global asks, none included', () => {
    for (const n of [0, 1, 3]) expect(poolSize(limitPthreadPool(installed), n)).toBe(n);
  });

  it('changes nothing else in the factory', () => {
    const out = limitPthreadPool(installed);
    expect(out.replace(`globalThis.${PTHREAD_POOL_GLOBAL}??8`, '8')).toBe(installed);
  });

  it('throws when the literal it rewrites is gone', () => {
    expect(() => limitPthreadPool(installed.replace('pthreadPoolSize=8', 'pthreadPoolSize=4'))).toThrow(/no longer has/);
  });
});
