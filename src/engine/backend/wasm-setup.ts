// Registers and activates the wasm backend for training: its .wasm binaries come from the app itself
// (never a CDN), the kernels it lacks or runs slowly for conv-net training are replaced
// (wasm-kernels.ts), and it runs multi-threaded where the engine worker allows (wasm-threads.ts).
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './wasm-kernels';
import {
  overrideHardwareConcurrency,
  patchThreadedFactory,
  planWasmThreads,
  probeBlobWorkers,
  threadContext,
  watchPthreads,
} from './wasm-threads';

/** What the wasm backend really runs with; reason says why it is single-threaded. */
export interface WasmThreads {
  threads: number;
  reason?: string;
  /** Worker threads tfjs's module started (threads - 1: the engine thread is the pool's first). */
  pthreadWorkers?: number;
}

/** Read by the threaded factory as its pthread pool size (scripts/vite-tfjs-wasm.ts puts the read there). */
const PTHREAD_POOL_GLOBAL = '__tfjsWasmPthreadPoolSize';

export const WASM_DEFAULTS = {
  /** Threaded init normally takes well under a second; past this it is presumed hung. */
  initTimeoutMs: 20_000,
  probeTimeoutMs: 5_000,
};

/** Where the .wasm files are served from (vite.config.ts serves and emits them at /tfjs-wasm/). */
export function wasmBaseUrl(): string | null {
  const loc = (globalThis as { location?: { origin: string } }).location;
  return loc ? `${loc.origin}/tfjs-wasm/` : null;
}

let registered = false;

export function registerWasm(): void {
  if (registered) return;
  registered = true;
  const base = wasmBaseUrl();
  // In Node the backend finds its binaries next to its own module.
  if (base) setWasmPaths(base);
  registerWasmTrainingKernels();
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, failed?: Promise<never>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout, ...(failed ? [failed] : [])]).finally(() => clearTimeout(timer));
}

/**
 * tf.setBackend(name), but an init that fails, outlasts timeoutMs or is declared `failed` is dropped
 * (tfjs ignores its late result) and the same factory is registered afresh after beforeRetry() and
 * tried once more, without a timeout. Resolves the first attempt's failure (undefined when it
 * worked); throws if the retry fails.
 */
export async function setBackendWithRetry(params: {
  name: string;
  timeoutMs: number;
  what: string;
  beforeRetry: () => void;
  failed?: Promise<never>;
  priority?: number;
}): Promise<string | undefined> {
  const { name, timeoutMs, what, beforeRetry, failed, priority = 2 } = params;
  const factory = tf.findBackendFactory(name);
  if (!factory) throw new Error(`backend ${name} is not registered`);
  let reason: string;
  try {
    if (await withTimeout(tf.setBackend(name), timeoutMs, what, failed)) return undefined;
    reason = `${what} failed`;
  } catch (err) {
    reason = err instanceof Error ? err.message : String(err);
  }
  tf.removeBackend(name);
  beforeRetry();
  tf.registerBackend(name, factory, priority);
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false (${reason})`);
  return reason;
}

let last: WasmThreads | null = null;

/**
 * Activates wasm: multi-threaded when the context allows and the threaded init succeeds in time,
 * else single-threaded SIMD with the reason. Throws only if single-threaded wasm fails too.
 */
export async function activateWasm(
  params: { threads?: boolean; initTimeoutMs?: number; probeTimeoutMs?: number } = {},
): Promise<WasmThreads> {
  const { threads = true, initTimeoutMs, probeTimeoutMs } = { ...WASM_DEFAULTS, ...params };
  registerWasm();
  // Initialised before in this context: the threads are decided, only re-activate. (tf.findBackend
  // would start an init.)
  if (last && 'wasm' in tf.engine().registry) {
    if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') returned false");
    return last;
  }
  const plan = planWasmThreads({ context: threadContext(), wanted: threads });
  let reason = plan.reason;
  if (plan.threads > 1) reason = (await probeBlobWorkers({ timeoutMs: probeTimeoutMs })) ?? undefined;
  const singleThreaded = () => tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  let pthreadWorkers: number | undefined;
  if (plan.threads > 1 && !reason) {
    await patchThreadedFactory();
    setThreadsCount(plan.threads);
    // Lifts tfjs's hardwareConcurrency / 2 cap to exactly plan.threads while the module starts.
    const restore = overrideHardwareConcurrency({ value: 2 * plan.threads });
    let fail: (message: string) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
      fail = (message) => reject(new Error(message));
    });
    failed.catch(() => undefined);
    const pthreads = watchPthreads({ onError: (message) => fail(message) });
    // XNNPACK's pool runs on this thread and threads - 1 others: emscripten would start 8 regardless.
    const g = globalThis as unknown as Record<string, unknown>;
    g[PTHREAD_POOL_GLOBAL] = plan.threads - 1;
    try {
      reason = await setBackendWithRetry({
        name: 'wasm',
        timeoutMs: initTimeoutMs,
        what: 'threaded wasm init',
        failed,
        // The abandoned module's pthread workers are idle or broken: end them.
        beforeRetry: () => {
          for (const w of pthreads.workers) w.terminate();
          singleThreaded();
        },
      });
      pthreadWorkers = pthreads.workers.length;
    } finally {
      pthreads.stop();
      restore();
      delete g[PTHREAD_POOL_GLOBAL];
    }
  } else {
    singleThreaded();
    if (!(await tf.setBackend('wasm'))) throw new Error(`tf.setBackend('wasm') returned false (${reason})`);
  }
  last = {
    threads: getThreadsCount(),
    ...(reason ? { reason } : {}),
    ...(pthreadWorkers !== undefined && !reason ? { pthreadWorkers } : {}),
  };
  return last;
}
