// Multi-threaded tfjs-wasm in the browser. tfjs starts each pthread from a classic blob: worker that
// evaluates `factory.toString()`; a minified bundle breaks that text (closure names renamed, typeof
// guards folded), so the pthreads get the factory's original source instead (patchThreadedFactory).
// Threads also need a cross-origin isolated worker whose CSP allows blob: workers and scripts.
import { env } from '@tensorflow/tfjs';
// The module tfjs-backend-wasm itself imports (static there too: a dynamic import here splits nothing).
import * as threadedFactoryModule from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';

export interface ThreadContext {
  isNode: boolean;
  inWorker: boolean;
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  /** navigator.hardwareConcurrency (logical cores). */
  cores: number;
}

/** Threads to ask tfjs for (1: single-threaded binary); reason says why 1. */
export interface ThreadPlan {
  threads: number;
  reason?: string;
}

/** At most this many threads (tfjs's own cap is 8, the size of emscripten's prespawned pool). */
export const MAX_WASM_THREADS = 4;

export function threadContext(): ThreadContext {
  const g = globalThis as {
    crossOriginIsolated?: boolean;
    WorkerGlobalScope?: unknown;
    navigator?: { hardwareConcurrency?: number };
  };
  return {
    isNode: env().getBool('IS_NODE'),
    inWorker: g.WorkerGlobalScope !== undefined,
    crossOriginIsolated: g.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    cores: g.navigator?.hardwareConcurrency ?? 1,
  };
}

export function planWasmThreads(params: { context: ThreadContext; wanted?: boolean }): ThreadPlan {
  const { context: c, wanted = true } = params;
  if (!wanted) return { threads: 1, reason: 'single-threaded on request' };
  // tfjs-wasm has no pthreads in Node (its WASM_HAS_MULTITHREAD_SUPPORT flag is false there).
  if (c.isNode) return { threads: 1, reason: 'Node: tfjs-wasm runs single-threaded' };
  // The page's CSP forbids blob: workers; only the engine worker's policy allows them.
  if (!c.inWorker) return { threads: 1, reason: 'engine on the main thread: threads only in the engine worker' };
  if (!c.crossOriginIsolated)
    return { threads: 1, reason: 'not cross-origin isolated (COOP/COEP headers missing): no shared memory' };
  if (!c.sharedArrayBuffer) return { threads: 1, reason: 'SharedArrayBuffer unavailable' };
  if (c.cores < 2) return { threads: 1, reason: 'one logical core' };
  return { threads: Math.min(c.cores, MAX_WASM_THREADS) };
}

/**
 * tfjs-wasm 4.22 caps its thread pool at hardwareConcurrency / 2 (it assumes hyper-threading), read
 * once while the module starts: one thread on a 2-core machine whatever setThreadsCount asks. Until
 * the returned restore() runs, target.hardwareConcurrency reads `value` instead.
 */
export function overrideHardwareConcurrency(params: { value: number; target?: object }): () => void {
  const target = params.target ?? (globalThis as { navigator?: object }).navigator;
  if (!target) return () => undefined;
  const own = Object.getOwnPropertyDescriptor(target, 'hardwareConcurrency');
  Object.defineProperty(target, 'hardwareConcurrency', { configurable: true, get: () => params.value });
  return () => {
    if (own) Object.defineProperty(target, 'hardwareConcurrency', own);
    else delete (target as { hardwareConcurrency?: number }).hardwareConcurrency;
  };
}

/**
 * The text tfjs puts after `var WasmBackendModuleThreadedSimd = ` in each pthread's script: the
 * original emscripten file, evaluated in its own scope, yielding the factory function.
 */
export function threadedFactorySource(raw: string): string {
  const body = raw.replace(/^\/\/# sourceMappingURL=.*$/gm, '');
  return `(() => {\n${body}\nreturn WasmBackendModuleThreadedSimd;\n})()`;
}

/** Makes tfjs hand its pthreads the unminified factory source (idempotent). */
export async function patchThreadedFactory(): Promise<void> {
  const { default: raw } = await import('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw');
  // The same CommonJS module object tfjs imported: its default export or the namespace itself.
  const mod = threadedFactoryModule as unknown as { default?: unknown };
  const factory = (mod.default ?? mod) as { toString(): string };
  const source = threadedFactorySource(raw);
  factory.toString = () => source;
}

/**
 * While a threaded init runs: emscripten rethrows a pthread worker's error inside this worker
 * (its worker.onerror), which would take the whole engine worker down. Those are caught and reported
 * instead, and the Worker objects created are kept so that a failed attempt can terminate them.
 */
export function watchPthreads(params: { onError: (message: string) => void }): { workers: Worker[]; stop(): void } {
  const g = globalThis as unknown as EventTarget & { Worker?: typeof Worker };
  const workers: Worker[] = [];
  const Original = g.Worker;
  if (Original) {
    g.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        workers.push(this);
      }
    };
  }
  const onError = (ev: Event) => {
    // Either emscripten's rethrow (the value thrown is the pthread's own ErrorEvent) or the pthread's
    // unhandled error propagating up: both name the pthread's blob: script.
    const e = ev as ErrorEvent;
    const inner = e.error as { filename?: unknown; message?: unknown } | null;
    const fromPthread = typeof inner?.filename === 'string' ? inner : e;
    if (typeof fromPthread.filename !== 'string' || !fromPthread.filename.startsWith('blob:')) return;
    ev.preventDefault();
    params.onError(`a wasm thread failed: ${String(fromPthread.message)}`);
  };
  g.addEventListener('error', onError);
  return {
    workers,
    stop() {
      if (Original) g.Worker = Original;
      g.removeEventListener('error', onError);
    },
  };
}

// A classic blob: worker that itself loads a blob: script, as each tfjs pthread does.
const PROBE_SOURCE = `try{importScripts(URL.createObjectURL(new Blob([''],{type:'text/javascript'})));
postMessage(self.crossOriginIsolated?'ok':'a blob: worker here is not cross-origin isolated')}
catch(e){postMessage('importScripts(blob:) failed: '+e)}`;

/**
 * Checks that a nested blob: worker starts, may import a blob: script and shares memory, as tfjs's
 * pthreads must: otherwise tfjs's init waits forever. Resolves null when fine, else the reason.
 */
export function probeBlobWorkers(params: { timeoutMs?: number } = {}): Promise<string | null> {
  const { timeoutMs = 5000 } = params;
  const g = globalThis as unknown as EventTarget & { Worker?: typeof Worker };
  if (typeof g.Worker !== 'function') return Promise.resolve('no Worker constructor in the engine worker');
  const url = URL.createObjectURL(new Blob([PROBE_SOURCE], { type: 'text/javascript' }));
  return new Promise((resolve) => {
    let worker: Worker | undefined;
    const finish = (reason: string | null) => {
      clearTimeout(timer);
      g.removeEventListener('securitypolicyviolation', onViolation);
      worker?.terminate();
      URL.revokeObjectURL(url);
      resolve(reason);
    };
    const onViolation = (e: Event) => {
      const v = e as SecurityPolicyViolationEvent;
      if (String(v.blockedURI).startsWith('blob'))
        finish(`Content-Security-Policy blocks blob: workers or scripts (${v.effectiveDirective})`);
    };
    const timer = setTimeout(() => finish(`a blob: worker did not answer within ${timeoutMs} ms`), timeoutMs);
    g.addEventListener('securitypolicyviolation', onViolation);
    try {
      worker = new g.Worker!(url);
      worker.onmessage = (e) => finish(e.data === 'ok' ? null : String(e.data));
      worker.onerror = (e) => {
        e.preventDefault();
        finish(`a blob: worker failed to start${e.message ? `: ${e.message}` : ''}`);
      };
    } catch (err) {
      finish(`a blob: worker could not be created: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}
