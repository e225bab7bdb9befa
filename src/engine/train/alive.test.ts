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
    const seen: [number, number][] = [];
    // Every clock read (the first at install, then a start and an end per outermost kernel): the throttle and
    // the longest kernel are checked against them, so a loaded machine still gets an exact expectation.
    const reads: number[] = [];
    const now = () => {
      const t = Date.now();
      reads.push(t);
      return t;
    };
    const undo = reportAliveBetweenKernels({ alive: (t, longest) => seen.push([t, longest]), everyMs: 50, now });
    const start = Date.now();
    // No await in here: the thread is busy the whole time, as in a long training step.
    tf.tidy(() => {
      let x = tf.randomNormal([64, 64]);
      while (Date.now() - start < 400) x = tf.tanh(tf.matMul(x, x).div(64));
      return x;
    });
    undo();
    const expected: [number, number][] = [];
    let last = reads[0];
    let longest = 0;
    for (let i = 1; i < reads.length; i++) {
      const t = reads[i];
      if (i % 2 === 0) longest = Math.max(longest, t - reads[i - 1]); // an end: its kernel's length counts
      if (t - last >= 50) {
        last = t;
        expected.push([t, longest]);
      }
    }
    expect(seen).toEqual(expected);
    expect(seen.length).toBeGreaterThanOrEqual(2); // 400 ms of kernels: several signs of life, however loaded
    const after = seen.length;
    expect(engine.runKernel).toBe(before);
    tf.tidy(() => tf.add(1, 2));
    expect(seen.length).toBe(after); // undone: no more reports
  });
});

describe('the longest kernel', () => {
  it('is reported right after a kernel longer than the period, with its length', async () => {
    await tf.setBackend('cpu');
    const engine = tf.engine() as unknown as { runKernel: (...a: unknown[]) => unknown };
    const real = engine.runKernel;
    // A fake clock that moves while a kernel runs: 5 s for the next one (a 5-s convolution on cpu), else 10 ms.
    let t = 0;
    let nextKernelMs = 10;
    engine.runKernel = function (this: unknown, ...args: unknown[]) {
      t += nextKernelMs;
      nextKernelMs = 10;
      return real.apply(this, args);
    };
    const seen: [number, number][] = [];
    const undo = reportAliveBetweenKernels({ alive: (at, longest) => seen.push([at, longest]), everyMs: 1000, now: () => t });
    const x = tf.ones([2, 2]);
    tf.tidy(() => {
      tf.neg(x);
      nextKernelMs = 5000;
      tf.neg(x);
      tf.neg(x);
    });
    undo();
    engine.runKernel = real;
    x.dispose();
    // Reported as the long kernel ends (not only when the next one starts), with its length.
    expect(seen).toEqual([[5010, 5000]]);
  });
});
