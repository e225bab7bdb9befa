// Signs of life from inside a long training step. A step runs its kernels synchronously (wasm, cpu, and the
// GPU backends' dispatch), so a worker cannot answer a ping until it ends; but it can post a message at any
// time. Wrapping the engine's kernel dispatch gives a cheap hook between ops: two clock reads per kernel,
// one 'alive' per everyMs, carrying the longest single kernel so far (a silence that long is not a death).
import * as tf from '@tensorflow/tfjs';

type RunKernel = (...args: unknown[]) => unknown;

/** Calls `alive` between kernels, at most every `everyMs`; returns the undo. */
export function reportAliveBetweenKernels(p: {
  alive: (t: number, longestKernelMs: number) => void;
  everyMs?: number;
  now?: () => number;
}): () => void {
  const everyMs = p.everyMs ?? 1000;
  const now = p.now ?? Date.now;
  const engine = tf.engine() as unknown as { runKernel: RunKernel };
  const original = engine.runKernel;
  let last = now();
  let longest = 0;
  // Kernels dispatched from inside a kernel are part of the outer one's time (and read no clock).
  let depth = 0;
  const maybeReport = (t: number) => {
    if (t - last < everyMs) return;
    last = t;
    p.alive(t, longest);
  };
  engine.runKernel = function (this: unknown, ...args: unknown[]) {
    if (depth > 0) return original.apply(this, args);
    const start = now();
    maybeReport(start);
    depth++;
    try {
      return original.apply(this, args);
    } finally {
      depth--;
      const end = now();
      longest = Math.max(longest, end - start);
      // Right after a long kernel, so the page learns its length before the next one starts.
      maybeReport(end);
    }
  };
  return () => {
    engine.runKernel = original;
  };
}
