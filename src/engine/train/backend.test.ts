import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from './backend';

describe('selectBackend in Node', () => {
  it('auto skips webgpu and webgl (absent in Node) and activates cpu', async () => {
    const report = await selectBackend();
    expect(report.active).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const failed = report.attempts.filter((a) => !a.ok).map((a) => a.name);
    expect(failed).toEqual(['webgpu', 'webgl']);
    expect(report.attempts.at(-1)).toEqual({ name: 'cpu', ok: true });
  });

  it('a forced backend that cannot start falls back and says so', async () => {
    const report = await selectBackend({ requested: 'webgpu' });
    expect(report.requested).toBe('webgpu');
    expect(report.active).toBe('cpu');
    expect(report.attempts[0]).toMatchObject({ name: 'webgpu', ok: false });
    expect(report.attempts[0].error).toMatch(/adapter/);
  });

  it('forcing cpu activates cpu directly', async () => {
    const report = await selectBackend({ requested: 'cpu' });
    expect(report.attempts).toEqual([{ name: 'cpu', ok: true }]);
  });
});
