// Typed messages between the page and the engine worker.
import { EngineError, type ErrorData } from '../domain/errors';
import type { EngineApi, EngineEventName, EngineEvents, EngineMethod } from '../engine/api';

export type RequestMessage<K extends EngineMethod = EngineMethod> = {
  kind: 'request';
  id: number;
  method: K;
  arg: Parameters<EngineApi[K]>[0];
};

export type ResponseMessage =
  | { kind: 'response'; id: number; ok: true; value: unknown }
  | { kind: 'response'; id: number; ok: false; error: ErrorData };

export type EventMessage<K extends EngineEventName = EngineEventName> = {
  kind: 'event';
  name: K;
  payload: EngineEvents[K];
};

export type FromWorker = ResponseMessage | EventMessage;

/** What the page tells the engine worker besides requests: the phantom helpers it started (a port to each), one failing. */
export type HelperNote = { kind: 'helpers'; ports: MessagePort[] } | { kind: 'helper-failed'; index: number };

export const isHelperNote = (msg: unknown): msg is HelperNote => {
  const kind = (msg as { kind?: unknown } | null)?.kind;
  return kind === 'helpers' || kind === 'helper-failed';
};

/** ArrayBuffers inside a value, so big typed arrays move instead of being copied. */
export function collectTransferables(value: unknown, out: Set<ArrayBuffer> = new Set(), depth = 0): ArrayBuffer[] {
  if (depth > 6 || value === null || typeof value !== 'object') return [...out];
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (value instanceof ArrayBuffer) {
    out.add(value);
  } else {
    for (const v of Object.values(value)) collectTransferables(v, out, depth + 1);
  }
  return [...out];
}

// A detached buffer (already transferred) cannot be constructed on; an empty fresh one can.
function isDetached(buffer: ArrayBuffer): boolean {
  if (buffer.byteLength > 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** The buffers to transfer with a request; throws when one was sent before (Node would drop the message). */
export function requestTransferables(arg: unknown): ArrayBuffer[] {
  const buffers = collectTransferables(arg);
  if (buffers.some(isDetached))
    throw new EngineError(
      'invalid-request',
      'the request cannot be sent to the engine: it holds a buffer already sent (detached)',
    );
  return buffers;
}
