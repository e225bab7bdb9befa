// The exports controller's "Take it further" over a real MessageChannel to the engine: the request is
// built from the settings (runs, query), the status names what is being built, and the zip comes back.
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineHost } from '../engine/host';
import { createChannelClient } from '../worker/channel';
import type { EngineClient } from '../worker/client';
import { ExportsController } from './exports';
import { buildRunRequests } from './run-requests';
import { DEFAULT_SETTINGS, type Settings } from './settings';

let client: EngineClient | null = null;
afterEach(() => client?.dispose());

describe('ExportsController.exportProject', () => {
  it('asks the engine for the zip of the race in the settings', async () => {
    client = createChannelClient(createEngineHost);
    const c = client;
    const s: Settings = { ...DEFAULT_SETTINGS, losses: ['gdl', 'dl2'], network: 'unet2d', seed: 3, steps: 20 };
    await c.call('init', { backend: 'cpu' });
    await c.call('prepareData', {
      seed: 3,
      lesion: 'tumour',
      fraction: 0.02,
      noise: 0.02,
      patch: 16,
      batch: 2,
      network: 'unet2d',
      shape: [24, 24, 12],
    });
    await c.call('createRuns', { runs: buildRunRequests(s) });
    await c.call('control', { action: 'step' });
    const exports = new ExportsController(() => c);
    const shown = [
      { id: 'gdl-3', label: 'GDL', color: '#3bb273' },
      { id: 'dl2-3', label: 'DL2', color: '#2e86ab' },
    ];
    const pending = exports.exportProject(s, shown);
    expect(exports.getState().status?.text).toMatch(/Building the PyTorch project/);
    const out = await pending;
    expect(out.name).toBe('unet2d-gdl-dl2-seed3.zip');
    expect(out.trainedRuns).toEqual(['gdl-3', 'dl2-3']);
    const files = unzipSync(out.bytes);
    const experiment = JSON.parse(new TextDecoder().decode(files['unet2d-gdl-dl2-seed3/experiment.json']));
    expect(experiment.runs.map((r: { runId: string; label: string; steps: number }) => [r.runId, r.label, r.steps])).toEqual([
      ['gdl-3', 'GDL', 20],
      ['dl2-3', 'DL2', 20],
    ]);
    expect(experiment.query).toContain('losses=gdl%2Cdl2');
  });
});
