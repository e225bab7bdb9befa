// The worker's side of the protocol: requests in, responses and events out, errors as data, buffers moved.
import { toErrorData } from '../domain/errors';
import type { EngineApi, Emit } from '../engine/api';
import { collectTransferables, type FromWorker, type RequestMessage } from './protocol';

/** The few members of a worker scope (or a MessagePort) the engine side needs. */
export interface EnginePort {
  postMessage(msg: unknown, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent<RequestMessage>) => void) | null;
}

/** Answers requests on `port` with a host made by `createHost`, which emits its events there too. */
export function serveEngine(port: EnginePort, createHost: (emit: Emit) => EngineApi): EngineApi {
  const post = (msg: FromWorker) => port.postMessage(msg, collectTransferables(msg));
  const host = createHost((name, payload) => post({ kind: 'event', name, payload }));
  port.onmessage = async (ev) => {
    const { id, method, arg } = ev.data;
    try {
      const fn = host[method] as (a: unknown) => Promise<unknown>;
      const value = await fn.call(host, arg);
      post({ kind: 'response', id, ok: true, value });
    } catch (err) {
      post({ kind: 'response', id, ok: false, error: toErrorData(err) });
    }
  };
  return host;
}
