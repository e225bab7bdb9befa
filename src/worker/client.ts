// One API whether the engine lives in a worker or on this thread (fallback and tests).
import { EngineError, fromErrorData, toErrorData } from '../domain/errors';
import type { DataRequest, EngineApi, EngineEventName, EngineEvents, EngineMethod } from '../engine/api';
import { phantomInputs } from '../engine/train/phantom-inputs';
import { startPageHelpers } from './page-helpers';
import { type FromWorker, type RequestMessage, requestTransferables } from './protocol';

type Handler<K extends EngineEventName> = (payload: EngineEvents[K]) => void;

export interface EngineClient {
  readonly mode: 'worker' | 'inline';
  /**
   * Calls the engine. The ArrayBuffers inside `arg` are transferred: the caller's typed arrays are
   * detached afterwards (send a copy to keep them). Rejects with an EngineError carrying its code.
   */
  call<K extends EngineMethod>(method: K, arg: Parameters<EngineApi[K]>[0]): ReturnType<EngineApi[K]>;
  on<K extends EngineEventName>(name: K, handler: Handler<K>): () => void;
  dispose(): void;
}

class Listeners {
  private map = new Map<EngineEventName, Set<(p: unknown) => void>>();
  on<K extends EngineEventName>(name: K, handler: Handler<K>): () => void {
    let set = this.map.get(name);
    if (!set) this.map.set(name, (set = new Set()));
    set.add(handler as (p: unknown) => void);
    return () => set.delete(handler as (p: unknown) => void);
  }
  emit<K extends EngineEventName>(name: K, payload: EngineEvents[K]): void {
    for (const h of this.map.get(name) ?? []) h(payload);
  }
  clear(): void {
    this.map.clear();
  }
}

// A request that cannot be posted (a function, a buffer already sent) is the caller's mistake.
function unsendable(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new EngineError('invalid-request', `the request cannot be sent to the engine: ${why}`);
}

/** What the engine side gets: its own copy of arg, the buffers moved (the caller's detached), as a worker would. */
function sendLikeAWorker<T>(arg: T): T {
  try {
    return structuredClone(arg, { transfer: requestTransferables(arg) });
  } catch (err) {
    throw unsendable(err);
  }
}

/** Runs the engine on the calling thread; the engine module is loaded only when needed. */
export function createInlineClient(): EngineClient {
  const listeners = new Listeners();
  const hostPromise = import('../engine/host').then((m) => m.createEngineHost((n, p) => listeners.emit(n, p)));
  return {
    mode: 'inline',
    call(method, arg) {
      let sent: typeof arg;
      try {
        sent = sendLikeAWorker(arg);
      } catch (err) {
        return Promise.reject(err) as never;
      }
      // Errors take the same path as from a worker (data and back), so both clients reject alike.
      return hostPromise
        .then((host) => (host[method] as (a: unknown) => Promise<unknown>).call(host, sent))
        .catch((err) => {
          throw fromErrorData(toErrorData(err));
        }) as never;
    },
    on: (name, handler) => listeners.on(name, handler),
    dispose: () => listeners.clear(),
  };
}

/** The members of a Worker the client uses (a MessagePort with terminate does too, in tests). */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate'> & {
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
};

/** Talks to a Worker running engine.worker.ts; `onDispose` ends what was started beside it (its helpers). */
export function createWorkerClient(worker: WorkerLike, onDispose: () => void = () => {}): EngineClient {
  const listeners = new Listeners();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  worker.onmessage = (ev: MessageEvent<FromWorker>) => {
    const msg = ev.data;
    if (msg.kind === 'event') return listeners.emit(msg.name, msg.payload as never);
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(fromErrorData(msg.error));
  };
  worker.onerror = (ev) => {
    const err = new EngineError('internal', `engine worker failed: ${ev.message || 'unknown error'}`);
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    listeners.emit('log', { level: 'error', message: err.message });
  };
  return {
    mode: 'worker',
    call(method, arg) {
      const id = nextId++;
      const msg: RequestMessage = { kind: 'request', id, method, arg };
      return new Promise((resolve, reject) => {
        try {
          worker.postMessage(msg, requestTransferables(arg));
        } catch (err) {
          return reject(unsendable(err));
        }
        pending.set(id, { resolve, reject });
      }) as never;
    },
    on: (name, handler) => listeners.on(name, handler),
    dispose() {
      worker.terminate();
      onDispose();
      listeners.clear();
      for (const p of pending.values()) p.reject(new EngineError('aborted', 'engine client disposed'));
      pending.clear();
    },
  };
}

/** The app's default: a module worker when the platform has one, else the engine in-thread. */
let early: EngineClient | null = null;

/**
 * Starts the engine worker before the page renders, so its script loads and compiles beside React's
 * first render; the next createEngineClient() takes it.
 */
export function startEngineEarly(prefetch: DataRequest | null = null): void {
  if (!early && typeof Worker !== 'undefined') early = createEngineClient({ prefetch });
}

/** `prefetch`: the data the page's first init will ask for; its first phantoms are made while the engine loads. */
export function createEngineClient(opts: { inline?: boolean; prefetch?: DataRequest | null } = {}): EngineClient {
  if (!opts.inline && early) {
    const c = early;
    early = null;
    return c;
  }
  if (!opts.inline && typeof Worker !== 'undefined') {
    try {
      const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
      // Its phantom helpers start now too, beside it: they are ready when it first asks for phantoms.
      const helpers = startPageHelpers(worker, opts.prefetch ? phantomInputs(opts.prefetch) : []);
      return createWorkerClient(worker, () => helpers.terminate());
    } catch {
      // Worker construction can fail (CSP, old browser): fall through to in-thread.
    }
  }
  return createInlineClient();
}
