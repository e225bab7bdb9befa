// Notices when the GPU under the active backend goes away (WebGPU device lost, WebGL context lost)
// and reports it once; also the test-only drills that cause those faults on purpose.
import * as tf from '@tensorflow/tfjs';

export type FaultKind = 'device-lost' | 'context-lost';

export interface EngineFault {
  kind: FaultKind;
  backend: string;
  message: string;
}

interface WebGpuLike {
  device?: GPUDevice;
}
interface WebGlLike {
  gpgpu?: { gl?: WebGLRenderingContext | WebGL2RenderingContext };
}

function activeDevice(): GPUDevice | null {
  return tf.getBackend() === 'webgpu' ? ((tf.backend() as unknown as WebGpuLike).device ?? null) : null;
}

function activeGl(): WebGLRenderingContext | WebGL2RenderingContext | null {
  return tf.getBackend() === 'webgl' ? ((tf.backend() as unknown as WebGlLike).gpgpu?.gl ?? null) : null;
}

/** Watches the active backend's device; calls onFault at most once. Returns a function that stops watching. */
export function watchDevice(onFault: (fault: EngineFault) => void): () => void {
  let live = true;
  const report = (fault: EngineFault) => {
    if (!live) return;
    live = false;
    onFault(fault);
  };
  const device = activeDevice();
  if (device) {
    void device.lost.then((info) =>
      report({
        kind: 'device-lost',
        backend: 'webgpu',
        message: `The GPU device was lost (${info.reason ?? 'unknown'}${info.message ? `: ${info.message.replace(/\.$/, '')}` : ''}).`,
      }),
    );
  }
  const canvas = activeGl()?.canvas as (EventTarget & { addEventListener?: unknown }) | undefined;
  const onLost = () => report({ kind: 'context-lost', backend: 'webgl', message: 'The WebGL context was lost.' });
  if (canvas && typeof canvas.addEventListener === 'function') canvas.addEventListener('webglcontextlost', onLost);
  return () => {
    live = false;
    if (canvas && typeof canvas.addEventListener === 'function') canvas.removeEventListener('webglcontextlost', onLost);
  };
}

export type FaultDrill = 'lose-device' | 'crash';

/** Causes a fault on purpose (tests, teaching). Throws when the drill makes no sense here. */
export function runFaultDrill(drill: FaultDrill): string {
  if (drill === 'lose-device') {
    const device = activeDevice();
    if (device) {
      device.destroy();
      return 'destroyed the WebGPU device';
    }
    const lose = activeGl()?.getExtension('WEBGL_lose_context');
    if (lose) {
      lose.loseContext();
      return 'lost the WebGL context';
    }
    throw new Error(`backend ${tf.getBackend()} has no GPU device to lose`);
  }
  // A dedicated worker can end itself without an error event: only the page's heartbeat notices.
  const scope = globalThis as { close?: () => void; WorkerGlobalScope?: unknown };
  if (scope.WorkerGlobalScope === undefined || typeof scope.close !== 'function')
    throw new Error('the engine is not in a worker: nothing to crash');
  setTimeout(() => scope.close!(), 0);
  return 'the engine worker will stop';
}
