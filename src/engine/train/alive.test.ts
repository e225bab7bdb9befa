// The between-kernels sign of life: fires inside one synchronous stretch of real tfjs ops (a step), at most
// once per period, and the undo puts the engine's dispatch back.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { reportAliveBetweenKernels } from './alive';

describe('reportAliveBetweenKernels', () => {
  it('reports during a synchronous run of kernels, throttled, and undoes cleanly', async () => {
    await tf.setBackend('cpu');
    const engine = tf.engine() as unknown as { runKernel: unknown };
    const before = engine.runKernel;
    const seen: number[] = [];
    const undo = reportAliveBetweenKernels({ alive: (t) => seen.push(t), everyMs: 50 });
    const start = Date.now();
    // No await in here: the thread is busy the whole time, as in a long training step.
    tf.tidy(() => {
      let x = tf.randomNormal([64, 64]);
      while (Date.now() - start < 400) x = tf.tanh(tf.matMul(x, x).div(64));
      return x;
    });
    const took = Date.now() - start;
    undo();
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(took / 50));
    for (let i = 1; i < seen.length; i++) expect(seen[i] - seen[i - 1]).toBeGreaterThanOrEqual(50);
    expect(engine.runKernel).toBe(before);
    tf.tidy(() => tf.add(1, 2));
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(took / 50));
  });
});
