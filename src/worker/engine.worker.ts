// The dedicated worker that owns the engine: requests in, responses and events out.
import { createEngineHost } from '../engine/host';
import type { EngineApi } from '../engine/api';
import { collectTransferables, type FromWorker, type RequestMessage } from './protocol';

// Typed as the few members used: the DOM lib and the WebWorker lib cannot both be loaded.
const scope = self as unknown as {
  postMessage(msg: unknown, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent<RequestMessage>) => void) | null;
};
const post = (msg: FromWorker) => scope.postMessage(msg, collectTransferables(msg));

const host = createEngineHost((name, payload) => post({ kind: 'event', name, payload }));

scope.onmessage = async (ev: MessageEvent<RequestMessage>) => {
  const { id, method, arg } = ev.data;
  try {
    const fn = host[method] as (a: unknown) => Promise<unknown>;
    const value = await fn.call(host, arg as Parameters<EngineApi[typeof method]>[0]);
    post({ kind: 'response', id, ok: true, value });
  } catch (err) {
    post({ kind: 'response', id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
