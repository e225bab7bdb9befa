// What went wrong with the engine, in words a student can act on, and where training can go next.
import { BACKENDS, type BackendName } from '../../domain/backends';
import { errorCode } from '../../domain/errors';
import { expectText, SpeedBook } from './speeds';

export type FaultCause = 'device-lost' | 'context-lost' | 'worker-silent' | 'worker-error' | 'out-of-memory';

export interface Fault {
  cause: FaultCause;
  /** Backend that failed. */
  backend: string;
  /** One or two sentences: what happened. */
  message: string;
  /** What to do about it. */
  advice: string;
  /** Backends to continue on, fastest first. */
  fallbacks: BackendName[];
  /** What to expect from each fallback ("about 90 ms/step here"). */
  expect: Partial<Record<BackendName, string>>;
}

/** The settings that decide memory use. */
export interface MemorySettings {
  patch: number;
  batch: number;
  network: string;
  size: number;
}

/** Advice for memory trouble: smaller patch, batch, 2D network, smaller phantom, in that order. */
export function memoryAdvice(s: MemorySettings): string {
  const tips: string[] = [];
  const threeD = s.network.endsWith('3d');
  if (s.patch > 32)
    tips.push(`a smaller patch (now ${s.patch} px; try ${Math.max(16, Math.floor(s.patch / 2 / 8) * 8)} or preset S)`);
  if (s.batch > 1) tips.push(`a smaller batch (now ${s.batch}; try ${Math.max(1, Math.floor(s.batch / 2))})`);
  if (threeD) tips.push('a 2D network (3D patches need depth times the memory)');
  if (s.size > 96) tips.push(`a smaller phantom (now ${s.size}; try 96)`);
  if (tips.length === 0) return 'Close other tabs that use the GPU or much memory, then continue.';
  return `Try ${tips.join(', ')}.`;
}

/** Other backends to continue on: hardware GPU backends first when the fault was not the GPU's. */
export function fallbacksFor(params: { cause: FaultCause; backend: string }): BackendName[] {
  const gpuGone = params.cause === 'device-lost' || params.cause === 'context-lost';
  const preference: BackendName[] = gpuGone ? ['wasm', 'cpu', 'webgl', 'webgpu'] : ['wasm', 'webgl', 'webgpu', 'cpu'];
  const others = preference.filter((b) => b !== params.backend && BACKENDS.includes(b));
  // A silent or crashed worker may just be unlucky: the same backend in a fresh worker is worth a try.
  if (!gpuGone && (BACKENDS as readonly string[]).includes(params.backend)) others.push(params.backend as BackendName);
  return others;
}

/** The fault as shown to the user; with speeds, the fallbacks fastest first and what each will do. */
export function describeFault(params: {
  cause: FaultCause;
  backend: string;
  detail?: string;
  settings: MemorySettings;
  speeds?: SpeedBook;
}): Fault {
  const { cause, backend, detail, settings } = params;
  const ranked = (params.speeds ?? new SpeedBook()).rank(fallbacksFor({ cause, backend }), settings);
  const fallbacks = ranked.map((s) => s.backend);
  const expect = Object.fromEntries(ranked.map((s) => [s.backend, expectText(s)]));
  return { ...faultText({ cause, backend, detail, settings, fallbacks }), expect };
}

function faultText(params: {
  cause: FaultCause;
  backend: string;
  detail?: string;
  settings: MemorySettings;
  fallbacks: BackendName[];
}): Omit<Fault, 'expect'> {
  const { cause, backend, detail, settings, fallbacks } = params;
  const advice = memoryAdvice(settings);
  switch (cause) {
    case 'device-lost':
      return {
        cause,
        backend,
        fallbacks,
        message: `${detail ?? 'The GPU device was lost.'} Training on ${backend} stopped.`,
        advice: 'The GPU driver reset or another tab took the GPU. Continue on another backend from the last saved step.',
      };
    case 'context-lost':
      return {
        cause,
        backend,
        fallbacks,
        message: `${detail ?? 'The WebGL context was lost.'} Training on ${backend} stopped.`,
        advice: 'The browser dropped the GPU context (too many GPU tabs, or a driver reset). Continue on another backend.',
      };
    case 'worker-silent':
      return {
        cause,
        backend,
        fallbacks,
        message: `The training engine has stopped answering${detail ? ` (${detail})` : ''}. It may have crashed or run out of memory.`,
        advice: `Continue in a fresh engine from the last saved step. If it happens again: ${advice.charAt(0).toLowerCase()}${advice.slice(1)}`,
      };
    case 'worker-error':
      return {
        cause,
        backend,
        fallbacks,
        message: `The training engine failed${detail ? `: ${detail}` : '.'}`,
        advice: 'Continue in a fresh engine from the last saved step.',
      };
    default:
      return {
        cause,
        backend,
        fallbacks,
        message: `Out of memory on ${backend}${detail ? ` (${detail.slice(0, 160)})` : ''}.`,
        advice,
      };
  }
}

/** An error's message, with memory advice appended when the engine classified it as out of memory. */
export function withMemoryAdvice(err: unknown, s: MemorySettings): string {
  const message = err instanceof Error ? err.message : String(err);
  return errorCode(err) === 'out-of-memory' ? `${message} — out of memory. ${memoryAdvice(s)}` : message;
}
