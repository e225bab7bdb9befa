// The dedicated worker that owns the engine: requests in, responses and events out.
import { ThreadGate } from '../engine/data/phantom-maker';
import { createEngineHost } from '../engine/host';
import { reportAliveBetweenKernels } from '../engine/train/alive';
import { createPhantomPool } from './phantom-pool';
import { type EnginePort, serveEngine } from './serve';

// Typed as the few members used: the DOM lib and the WebWorker lib cannot both be loaded.
serveEngine(self as unknown as EnginePort, (emit) => {
  // The page's heartbeat hears from a long step between its kernels, not only between steps.
  reportAliveBetweenKernels({ alive: (t, longestKernelMs) => emit('alive', { t, longestKernelMs }) });
  const gate = new ThreadGate();
  return createEngineHost(emit, { makePhantoms: createPhantomPool({ gate, eager: true }), gate });
});
