// Classifies what the engine catches into an EngineError, once, where it happens (a method call or a
// training step), so no listener ever reads an error's wording to learn what it was.
import { EngineError } from '../domain/errors';

export { EngineError } from '../domain/errors';

// What tfjs, wasm and the browsers say when memory runs out.
const OUT_OF_MEMORY = [
  /out of memory/i,
  /\boom\b/i,
  /allocation failed/i,
  /failed to allocate/i,
  /cannot enlarge memory/i,
  /memory access out of bounds/i,
  /WebAssembly\.Memory/i,
  /array buffer allocation/i,
  /invalid (typed )?array length/i,
  /GPUOutOfMemoryError/i,
  /exceeds? (the )?(max|limit)/i,
  /buffer size .* too large/i,
];

// What a call says when the GPU under it has gone (the device watch reports the loss itself as a fault).
const DEVICE_LOST = [/device (is |was )?lost/i, /context (is |was )?lost/i, /GPUDevice.*destroyed/i];

/** Whether a message reads as running out of memory (wasm heap, GPU, JS arrays). */
export function isOutOfMemory(message: string): boolean {
  return OUT_OF_MEMORY.some((re) => re.test(message));
}

/** The EngineError for anything thrown: EngineErrors as they are, others classified by what they say. */
export function engineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  const name = err instanceof Error ? err.name : 'Error';
  const message = err instanceof Error ? err.message : String(err);
  const text = `${name}: ${message}`;
  if (name === 'AbortError') return new EngineError('aborted', message, { name });
  if (isOutOfMemory(text)) return new EngineError('out-of-memory', message, { name });
  if (DEVICE_LOST.some((re) => re.test(text))) return new EngineError('device-lost', message, { name });
  return new EngineError('internal', message, { name });
}
