import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from './backend';

describe('selectBackend in Node', () => {
  it('auto skips webgpu (no adapter in Node) and activates wasm with its training kernels', async () => {
    const report = await selectBackend();
    expect(report.active).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.attempts[0]).toMatchObject({ name: 'webgpu', ok: false });
    expect(report.attempts.at(-1)).toEqual({ name: 'wasm', ok: true });
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('a forced backend that cannot start falls back and says so', async () => {
    const report = await selectBackend({ requested: 'webgpu', order: ['webgpu', 'webgl', 'cpu'] });
    expect(report.requested).toBe('webgpu');
    expect(report.active).toBe('cpu');
    expect(report.attempts.map((a) => [a.name, a.ok])).toEqual([
      ['webgpu', false],
      ['webgl', false],
      ['cpu', true],
    ]);
    expect(report.attempts[0].error).toMatch(/adapter/);
  });

  it('forcing cpu activates cpu directly', async () => {
    const report = await selectBackend({ requested: 'cpu' });
    expect(report.attempts).toEqual([{ name: 'cpu', ok: true }]);
    expect(tf.getBackend()).toBe('cpu');
  });
});
