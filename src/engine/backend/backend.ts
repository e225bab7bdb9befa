// Backend selection: try candidates in order, trust only setBackend's return value and the
// backend tf.ready() really leaves active (tf.getBackend() can lie until then).
import * as tf from '@tensorflow/tfjs';

import type { BackendChoice, BackendName, GpuKind } from '../../domain/backends';
import type { WasmThreads } from './wasm-setup';

export { BACKENDS, type BackendChoice, type BackendName, isBackendName } from '../../domain/backends';

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  error?: string;
}

/** One backend auto timed (or left out): ms/step of the page's network, or why there is no figure. */
export interface MeasuredBackend {
  name: BackendName;
  msPerStep?: number;
  /** The first step (kernel compiles, shader builds) on its own. */
  warmupMs?: number;
  error?: string;
  skipped?: string;
}

/** How the active backend was picked: timed here, a remembered timing, the only usable one, or ?backend=. */
export type ChosenBy = 'measured' | 'remembered' | 'only-one' | 'forced';

export interface BackendReport {
  requested: BackendChoice;
  active: BackendName;
  attempts: BackendAttempt[];
  chosenBy: ChosenBy;
  /** auto: what was timed or left out (a remembered choice brings its own figures). */
  measured: MeasuredBackend[];
  /** auto: webgpu adapter, webgl renderer and cores; a remembered choice applies only where this matches. */
  deviceKey: string;
  /** Adapter description when webgpu was probed (e.g. "swiftshader", fallback: true). */
  adapter?: { architecture: string; vendor: string; isFallback: boolean };
  /** wasm only: the threads XNNPACK really uses, and why it is single-threaded when it is. */
  wasm?: WasmThreads;
  /** webgl and webgpu only: a hardware GPU or a software one (the page's time estimates differ). */
  gpu?: GpuKind;
}

/**
 * Order tried for 'auto': webgpu on a hardware adapter, else wasm (XNNPACK plus our training kernels:
 * the fastest CPU path, ~25x webgl on SwiftShader here), else webgl, else cpu.
 */
export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

// Backends that are not bundled with @tensorflow/tfjs are imported on demand (keeps Node light).
const registrars: Partial<Record<BackendName, () => Promise<unknown>>> = {
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
};

export async function probeWebGpuAdapter(): Promise<BackendReport['adapter'] | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info;
  const isFallback =
    Boolean((adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter) ||
    Boolean((info as unknown as { isFallbackAdapter?: boolean })?.isFallbackAdapter) ||
    info?.architecture === 'swiftshader';
  return { architecture: info?.architecture ?? '', vendor: info?.vendor ?? '', isFallback };
}

export async function trySetBackend(name: BackendName, wasmThreads: boolean): Promise<WasmThreads | undefined> {
  let wasm: WasmThreads | undefined;
  if (name === 'wasm') {
    // Threads when the worker allows, else (or on a failed or hung threaded init) single-threaded.
    wasm = await import('./wasm-setup').then((m) => m.activateWasm({ threads: wasmThreads }));
  } else {
    await registrars[name]?.();
    if (!tf.findBackendFactory(name)) throw new Error(`backend ${name} is not registered`);
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  }
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`asked for ${name}, tf.ready() left ${tf.getBackend()}`);
  return wasm;
}

/**
 * Activates the requested backend, or the first that works from AUTO_ORDER ('auto').
 * A forced backend that fails falls back through AUTO_ORDER; the report says what really happened.
 */
export async function selectBackend(
  params: {
    requested?: BackendChoice;
    order?: readonly BackendName[];
    /** false: wasm single-threaded (default true: threads where the worker allows). */
    wasmThreads?: boolean;
  } = {},
): Promise<BackendReport> {
  const requested = params.requested ?? 'auto';
  const order = params.order ?? AUTO_ORDER;
  const candidates = requested === 'auto' ? [...order] : [requested, ...order.filter((b) => b !== requested)];
  const attempts: BackendAttempt[] = [];
  let adapter: BackendReport['adapter'];
  for (const name of candidates) {
    try {
      if (name === 'webgpu') {
        const probed = await probeWebGpuAdapter();
        if (!probed) throw new Error('no WebGPU adapter (navigator.gpu missing or requestAdapter() gave null)');
        adapter = probed;
        // A software adapter (SwiftShader) trains ~70x slower than wasm: auto skips it, ?backend=webgpu still gets it.
        if (probed.isFallback && requested !== 'webgpu')
          throw new Error(`software WebGPU adapter (${probed.architecture || 'fallback'}): skipped`);
      }
      const wasm = await trySetBackend(name, params.wasmThreads ?? true);
      attempts.push({ name, ok: true });
      const chosenBy = requested === 'auto' ? 'only-one' : 'forced';
      return { requested, active: name, attempts, chosenBy, measured: [], deviceKey: '', adapter, ...(wasm ? { wasm } : {}) };
    } catch (err) {
      attempts.push({ name, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new Error(`no backend could be activated: ${attempts.map((a) => `${a.name}: ${a.error}`).join('; ')}`);
}

/** The backend tf really uses now. */
export function activeBackend(): string {
  return tf.getBackend();
}
