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
    // Every clock read (one per kernel, the first at install): the throttle is checked against them, so a
    // loaded machine that runs fewer kernels still gets an exact expectation.
    const reads: number[] = [];
    const now = () => {
      const t = Date.now();
      reads.push(t);
      return t;
    };
    const undo = reportAliveBetweenKernels({ alive: (t) => seen.push(t), everyMs: 50, now });
    const start = Date.now();
    // No await in here: the thread is busy the whole time, as in a long training step.
    tf.tidy(() => {
      let x = tf.randomNormal([64, 64]);
      while (Date.now() - start < 400) x = tf.tanh(tf.matMul(x, x).div(64));
      return x;
    });
    undo();
    const expected: number[] = [];
    let last = reads[0];
    for (const t of reads.slice(1))
      if (t - last >= 50) {
        last = t;
        expected.push(t);
      }
    expect(seen).toEqual(expected);
    expect(seen.length).toBeGreaterThanOrEqual(2); // 400 ms of kernels: several signs of life, however loaded
    const after = seen.length;
    expect(engine.runKernel).toBe(before);
    tf.tidy(() => tf.add(1, 2));
    expect(seen.length).toBe(after); // undone: no more reports
  });
});
