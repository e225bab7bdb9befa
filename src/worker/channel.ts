// The worker protocol within one thread: a worker client and serveEngine on the two ends of a
// MessageChannel (real structured cloning and transfer lists). For tests and scripts in Node.
import type { EngineApi, Emit } from '../engine/api';
import { createWorkerClient, type EngineClient, type WorkerLike } from './client';
import { type EnginePort, serveEngine } from './serve';

export function createChannelClient(createHost: (emit: Emit) => EngineApi): EngineClient {
  const { port1, port2 } = new MessageChannel();
  serveEngine(port2 as unknown as EnginePort, createHost);
  const terminate = () => {
    port1.close();
    port2.close();
  };
  return createWorkerClient(Object.assign(port1, { onerror: null, terminate }) as unknown as WorkerLike);
}
