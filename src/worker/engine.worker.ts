// The dedicated worker that owns the engine: requests in, responses and events out.
import { createEngineHost } from '../engine/host';
import { type EnginePort, serveEngine } from './serve';

// Typed as the few members used: the DOM lib and the WebWorker lib cannot both be loaded.
serveEngine(self as unknown as EnginePort, createEngineHost);
