import { describe, expect, it } from 'vitest';
import { createEngineClient } from './client';
import { collectTransferables } from './protocol';

describe('engine client, in-thread mode', () => {
  it('selects cpu and runs a matmul through the engine', async () => {
    const client = createEngineClient({ inline: true });
    expect(client.mode).toBe('inline');
    const logs: string[] = [];
    client.on('log', (e) => logs.push(e.message));
    const report = await client.call('init', { backend: 'cpu' });
    expect(report.active).toBe('cpu');
    const { result, backend } = await client.call('matmul', {
      a: [
        [1, 2],
        [3, 4],
      ],
      b: [[5], [6]],
    });
    expect(backend).toBe('cpu');
    expect(result).toEqual([[17], [39]]);
    expect(logs).toContain('backend cpu');
    client.dispose();
  });

  it('engine errors reject the call with the message', async () => {
    const client = createEngineClient({ inline: true });
    await expect(client.call('matmul', { a: [[1, 2]], b: [[1, 2]] })).rejects.toThrow(/matMul|inner/i);
  });

  it('collects typed-array buffers for transfer, once each', () => {
    const data = new Float32Array(4);
    const msg = { a: { data, again: data }, b: new Uint8Array(2), n: 3 };
    expect(collectTransferables(msg)).toEqual([data.buffer, msg.b.buffer]);
  });
});
