// The dedicated worker that owns the engine: requests in, responses and events out.
import { ThreadGate } from '../engine/data/phantom-maker';
import { storedMaker } from '../engine/data/phantom-store';
import { probeDevice } from '../engine/backend/measure';
import { createEngineHost } from '../engine/host';
import { phantomSubject } from '../engine/train/dataset';
import { reportAliveBetweenKernels } from '../engine/train/alive';
import { createHelperLink } from './helper-link';
import { indexedDbPhantomStore } from './phantom-idb';
import { createPhantomPool } from './phantom-pool';
import { isHelperNote } from './protocol';
import { type EnginePort, serveEngine } from './serve';

/** The build's identity: its hashed chunk name changes with the code (dev serves unhashed code: no store there). */
const buildVersion = import.meta.env.DEV ? null : new URL(import.meta.url).pathname;

// Typed as the few members used: the DOM lib and the WebWorker lib cannot both be loaded.
const scope = self as unknown as Pick<EnginePort, 'postMessage'> & { onmessage: ((ev: MessageEvent) => void) | null };
// The page's phantom helpers arrive as a note before its first request; requests go to the engine.
const link = createHelperLink();
const requests: EnginePort = { postMessage: (msg, transfer) => scope.postMessage(msg, transfer), onmessage: null };
scope.onmessage = (ev) => (isHelperNote(ev.data) ? link.take(ev.data) : requests.onmessage?.(ev));

serveEngine(requests, (emit) => {
  // The page's heartbeat hears from a long step between its kernels, not only between steps.
  reportAliveBetweenKernels({ alive: (t, longestKernelMs) => emit('alive', { t, longestKernelMs }) });
  const gate = new ThreadGate();
  // Each phantom's subject is made as it arrives, while this thread waits for the others.
  const pool = createPhantomPool({ gate, adopt: link.helpers, onMade: (p) => setTimeout(() => phantomSubject(p), 0) });
  const store = buildVersion ? indexedDbPhantomStore() : null;
  // A revisit reads the last dataset's phantoms back instead of making them again.
  const makePhantoms = store
    ? storedMaker(pool, store, {
        version: buildVersion as string,
        onResult: ({ stored, made }) => console.info(`phantoms: ${stored} read back from this browser, ${made} made`),
      })
    : pool;
  // The device is probed while the page still loads: auto's plan (time backends or not) is known at init.
  const probe = probeDevice();
  probe.catch(() => undefined); // an init that never comes never awaits it
  // Backends are timed with the cores to themselves: the phantoms the helpers started alone finish first.
  return createEngineHost(emit, { makePhantoms, gate, probe, beforeTiming: () => link.settled() });
});
