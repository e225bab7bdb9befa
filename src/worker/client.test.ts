import { describe, expect, it } from 'vitest';
import { createEngineClient } from './client';
import { collectTransferables } from './protocol';

describe('engine client, in-thread mode', () => {
  it('selects cpu and prepares a tiny phantom through the engine', async () => {
    const client = createEngineClient({ inline: true });
    expect(client.mode).toBe('inline');
    const logs: string[] = [];
    client.on('log', (e) => logs.push(e.message));
    const report = await client.call('init', { backend: 'cpu' });
    expect(report.active).toBe('cpu');
    const data = await client.call('prepareData', {
      seed: 1,
      lesion: 'tumour',
      fraction: 0.03,
      noise: 0.02,
      patch: 16,
      batch: 2,
      network: 'unet2d',
      shape: [24, 24, 16],
    });
    expect(data.patch).toBe(16);
    expect(data.display.images[0].dims).toEqual([24, 24, 16]);
    expect(logs).toContain('backend cpu');
    client.dispose();
  });

  it('engine errors reject the call with the message', async () => {
    const client = createEngineClient({ inline: true });
    await expect(client.call('control', { action: 'play' })).rejects.toThrow(/create runs first/);
    client.dispose();
  });

  it('collects typed-array buffers for transfer, once each', () => {
    const data = new Float32Array(4);
    const msg = { a: { data, again: data }, b: new Uint8Array(2), n: 3 };
    expect(collectTransferables(msg)).toEqual([data.buffer, msg.b.buffer]);
  });
});
