import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { activateWasm, setBackendWithRetry } from './wasm-setup';
import {
  MAX_WASM_THREADS,
  overrideHardwareConcurrency,
  planWasmThreads,
  probeBlobWorkers,
  type ThreadContext,
  threadedFactorySource,
} from './wasm-threads';

const BROWSER_WORKER: ThreadContext = {
  isNode: false,
  inWorker: true,
  crossOriginIsolated: true,
  sharedArrayBuffer: true,
  cores: 2,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('planWasmThreads', () => {
  it('threads only in a cross-origin isolated browser worker with SharedArrayBuffer and 2+ cores', () => {
    const cases: [Partial<ThreadContext>, RegExp][] = [
      [{ isNode: true }, /Node/],
      [{ inWorker: false }, /main thread/],
      [{ crossOriginIsolated: false }, /cross-origin isolated/],
      [{ sharedArrayBuffer: false }, /SharedArrayBuffer/],
      [{ cores: 1 }, /one logical core/],
    ];
    for (const [change, reason] of cases) {
      const plan = planWasmThreads({ context: { ...BROWSER_WORKER, ...change } });
      expect(plan.threads, JSON.stringify(change)).toBe(1);
      expect(plan.reason).toMatch(reason);
    }
    expect(planWasmThreads({ context: BROWSER_WORKER, wanted: false })).toEqual({
      threads: 1,
      reason: 'single-threaded on request',
    });
  });

  it('one thread per logical core (not the cores / 2 of tfjs), at most MAX_WASM_THREADS', () => {
    for (const [cores, threads] of [
      [2, 2],
      [3, 3],
      [4, 4],
      [16, MAX_WASM_THREADS],
    ]) {
      expect(planWasmThreads({ context: { ...BROWSER_WORKER, cores } })).toEqual({ threads });
    }
    expect(MAX_WASM_THREADS).toBe(4);
  });
});

describe('overrideHardwareConcurrency', () => {
  it('shadows the prototype getter until restore, then leaves no trace', () => {
    class FakeNavigator {
      get hardwareConcurrency() {
        return 2;
      }
    }
    const nav = new FakeNavigator();
    const restore = overrideHardwareConcurrency({ value: 6, target: nav });
    expect(nav.hardwareConcurrency).toBe(6);
    restore();
    expect(nav.hardwareConcurrency).toBe(2);
    expect(Object.getOwnPropertyNames(nav)).toEqual([]);
  });

  it('puts back an own property that was there', () => {
    const nav = { hardwareConcurrency: 3 };
    const restore = overrideHardwareConcurrency({ value: 8, target: nav });
    expect(nav.hardwareConcurrency).toBe(8);
    restore();
    expect(Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency')).toMatchObject({ value: 3, writable: true });
  });
});

describe('threadedFactorySource', () => {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const raw = readFileSync(file, 'utf8');

  it('evaluates, as tfjs writes it into the pthread blob, to the emscripten factory in a bare scope', () => {
    // What the pthread's classic worker runs: no module, exports, require or bundler closure.
    const ctx: Record<string, unknown> = {};
    runInNewContext(`var WasmBackendModuleThreadedSimd = ${threadedFactorySource(raw)}`, ctx);
    const factory = ctx.WasmBackendModuleThreadedSimd as (m: unknown) => unknown;
    expect(typeof factory).toBe('function');
    expect(factory.length).toBe(1);
    // The emscripten body itself, not a wrapper around it.
    expect(factory.toString()).toContain('GROWABLE_HEAP_I8');
    expect(factory.toString()).toContain('function(WasmBackendModuleThreadedSimd)');
  });

  it('drops source-map comments (a blob: has no map beside it)', () => {
    expect(threadedFactorySource('var a = 1;\n//# sourceMappingURL=x.js.map\n')).not.toContain('sourceMappingURL');
  });
});

describe('probeBlobWorkers', () => {
  it('reports why not, rather than hanging, where there is no Worker (Node)', async () => {
    expect(await probeBlobWorkers({ timeoutMs: 100 })).toMatch(/no Worker/);
  });
});

describe('setBackendWithRetry', () => {
  it('drops an init that hangs and starts the same factory afresh after beforeRetry', async () => {
    let calls = 0;
    let retried = false;
    // First init never settles (as a threaded init whose pthreads never load); the retry works.
    const factory = () => (++calls === 1 ? new Promise<tf.KernelBackend>(() => undefined) : new MathBackendCPU());
    tf.registerBackend('hangs-once', factory, 0);
    const reason = await setBackendWithRetry({
      name: 'hangs-once',
      timeoutMs: 150,
      what: 'test init',
      beforeRetry: () => {
        retried = true;
      },
      priority: 0,
    });
    expect(reason).toBe('test init did not finish within 150 ms');
    expect(retried).toBe(true);
    expect(calls).toBe(2);
    expect(tf.getBackend()).toBe('hangs-once');
    // The retried backend holds data (kernels are registered per backend name, none for this one).
    const t = tf.tensor([1, 2]);
    expect(Array.from(await t.data())).toEqual([1, 2]);
    t.dispose();
    await tf.setBackend('cpu');
    tf.removeBackend('hangs-once');
  });

  it('an init that works is not retried', async () => {
    let calls = 0;
    tf.registerBackend(
      'works',
      () => {
        calls++;
        return new MathBackendCPU();
      },
      0,
    );
    const reason = await setBackendWithRetry({ name: 'works', timeoutMs: 1000, what: 'x', beforeRetry: () => undefined });
    expect(reason).toBeUndefined();
    expect(calls).toBe(1);
    await tf.setBackend('cpu');
    tf.removeBackend('works');
  });
});

describe('activateWasm in Node', () => {
  it('runs single-threaded, says why, and computes', async () => {
    const report = await activateWasm();
    expect(tf.getBackend()).toBe('wasm');
    expect(report.threads).toBe(1);
    expect(report.reason).toMatch(/Node/);
    const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect(Array.from(await y.data())).toEqual([11]);
    // A second activation reuses the decision and leaks nothing.
    const before = tf.memory().numTensors;
    expect(await activateWasm()).toEqual(report);
    expect(tf.memory().numTensors).toBe(before);
  });
});
