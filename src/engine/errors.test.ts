import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { EngineError, engineError, isOutOfMemory } from './errors';
import type { RunEvents } from './train/events';
import { Runner } from './train/runner';
import { createToySource } from './train/toy-source';
import { Trainer } from './train/trainer';

describe('engineError', () => {
  it('classifies out-of-memory messages from wasm, WebGPU, WebGL and JS', () => {
    for (const m of [
      'Aborted(OOM)',
      'RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded',
      'Cannot enlarge memory arrays to size 2147483648 bytes',
      'Failed to allocate buffer of size 1073741824',
      'RangeError: Array buffer allocation failed',
      'GPUOutOfMemoryError: Out of memory',
      'Requested texture size [16384x16384] greater than WebGL maximum on this browser / GPU [8192x8192]. exceeds the max',
    ]) {
      expect(isOutOfMemory(m), m).toBe(true);
      expect(engineError(new Error(m)).code, m).toBe('out-of-memory');
    }
    for (const m of ['loss became NaN at step 3', 'unknown loss', 'patch 20 must be a multiple of 8']) {
      expect(isOutOfMemory(m), m).toBe(false);
      expect(engineError(new Error(m)).code, m).toBe('internal');
    }
  });

  it('an AbortError is aborted and a lost GPU device is device-lost', () => {
    expect(engineError(new DOMException('stopped', 'AbortError')).code).toBe('aborted');
    expect(engineError(new Error('GPU device was lost')).code).toBe('device-lost');
  });

  it('keeps an EngineError as it is and keeps the name and message of anything else', () => {
    const own = new EngineError('no-data', 'no data yet');
    expect(engineError(own)).toBe(own);
    const other = engineError(new TypeError('x is not a function'));
    expect(other).toBeInstanceOf(EngineError);
    expect([other.name, other.code, other.message]).toEqual(['TypeError', 'internal', 'x is not a function']);
    expect(engineError('a thrown string').message).toBe('a thrown string');
  });
});

describe('a failed training step', () => {
  it('ends the run with status error and the code, classified where the step failed', async () => {
    await tf.setBackend('cpu');
    const statuses: RunEvents['status'][] = [];
    const input = tf.input({ shape: [null, null, 1] as unknown as number[] });
    const out = tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'softmax' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const t = new Trainer({
      runId: 'huge',
      model,
      // A batch no typed array can hold: the allocation really fails (RangeError), as a too-big patch does.
      source: createToySource({ batch: 2 ** 28 }),
      loss: (y, p) => tf.losses.meanSquaredError(y, p) as tf.Scalar,
      lr: 0.01,
      steps: 3,
      emit: (name, payload) => {
        if (name === 'status') statuses.push(payload as RunEvents['status']);
      },
    });
    await new Runner([t]).stepOnce();
    expect(statuses.at(-1)).toMatchObject({ runId: 'huge', status: 'error', code: 'out-of-memory' });
    expect(statuses.at(-1)?.message).toMatch(/array length/i);
    t.dispose(); // the trainer owns the model and frees it
  });
});
