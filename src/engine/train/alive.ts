// Signs of life from inside a long training step. A step runs its kernels synchronously (wasm, cpu, and the
// GPU backends' dispatch), so a worker cannot answer a ping until it ends; but it can post a message at any
// time. Wrapping the engine's kernel dispatch gives a cheap hook between ops: one clock read per kernel,
// one 'alive' per everyMs.
import * as tf from '@tensorflow/tfjs';

type RunKernel = (...args: unknown[]) => unknown;

/** Calls `alive` between kernels, at most every `everyMs`; returns the undo. */
export function reportAliveBetweenKernels(p: { alive: (t: number) => void; everyMs?: number; now?: () => number }): () => void {
  const everyMs = p.everyMs ?? 1000;
  const now = p.now ?? Date.now;
  const engine = tf.engine() as unknown as { runKernel: RunKernel };
  const original = engine.runKernel;
  let last = now();
  engine.runKernel = function (this: unknown, ...args: unknown[]) {
    const t = now();
    if (t - last >= everyMs) {
      last = t;
      p.alive(t);
    }
    return original.apply(this, args);
  };
  return () => {
    engine.runKernel = original;
  };
}
