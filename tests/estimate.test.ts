// The run estimate (src/domain/estimate.ts) against the real thing: parameters against the built tfjs
// models, step memory against the peaks bench:memory measured (tests/fixtures/step-peaks.json, within 2x),
// the oversized link of issue #21 refused with advice while the default page fits, and the controller's
// Train waiting for a confirmation (real engine in-thread).
import { describe, expect, it } from 'vitest';
import { estimateRun, paramCount, stepBytes } from '../src/domain/estimate';
import { LOSS_IDS } from '../src/domain/losses';
import { NETWORK_IDS, type NetworkKind } from '../src/domain/networks';
import { countParams, createNetwork } from '../src/engine/networks';
import { PlaygroundController } from '../src/state/playground';
import { DEFAULT_SETTINGS, patchAndBatch } from '../src/state/settings';
import { createEngineClient } from '../src/worker/client';
import fixture from './fixtures/step-peaks.json';

describe('run estimate', () => {
  it.each(NETWORK_IDS)('counts the parameters of %s as the built model has them', (network) => {
    const model = createNetwork({ kind: network });
    expect(paramCount(network)).toBe(countParams(model));
    model.dispose();
  });

  it.each(fixture.peaks)('is within 2x of the measured peak of $network at patch $patch', (m) => {
    const estimated = stepBytes({ network: m.network as NetworkKind, patch: m.patch, batch: m.batch }) / 2 ** 20;
    expect(estimated / m.peakMB).toBeGreaterThan(0.5);
    expect(estimated / m.peakMB).toBeLessThan(2);
  });

  it('refuses unet3d at patch 256, batch 32, nine losses, with the estimate and a way out', () => {
    const e = estimateRun({ network: 'unet3d', patch: 256, batch: 32, runs: 9, steps: 100_000, size: 192, backend: 'wasm' });
    expect(e.fits).toBe(false);
    expect(e.bytes).toBeGreaterThan(100 * 2 ** 30);
    expect(e.problems.join(' ')).toMatch(/needs about \d+ GB, more than wasm/);
    expect(e.suggestion).toMatch(/smaller patch.*smaller batch.*2D network/);
  });

  it('lets the default page (2D U-Net, patch 64, batch 3, four losses) and its 3D defaults through', () => {
    expect(estimateRun({ network: 'unet2d', patch: 64, batch: 3, runs: 4, steps: 300, size: 96, backend: 'wasm' }).fits).toBe(
      true,
    );
    expect(estimateRun({ network: 'unet3d', patch: 32, batch: 2, runs: 1, steps: 300, size: 96, backend: 'wasm' }).fits).toBe(
      true,
    );
    // Memory grows with the batch: doubling it cannot shrink the estimate.
    const one = stepBytes({ network: 'highres3d', patch: 32, batch: 1 });
    expect(stepBytes({ network: 'highres3d', patch: 32, batch: 2 })).toBeGreaterThan(1.9 * one);
  });

  it('takes a speed measured on this device over the model (a real GPU is not software WebGPU)', () => {
    const run = { network: 'highres3d', patch: 32, batch: 2, runs: 1, steps: 300, size: 96, backend: 'webgpu' } as const;
    const modelled = estimateRun(run);
    expect(modelled.problems.join()).toMatch(/takes about .* per step on webgpu/);
    const measured = estimateRun({ ...run, measuredMsPerStep: 400 });
    expect(measured.msPerStep).toBe(400);
    expect(measured.fits).toBe(true);
  });
});

describe("the page's estimate", () => {
  it('uses the speeds this page measured (auto, earlier runs) for its settings', () => {
    const settings = { ...DEFAULT_SETTINGS, backend: 'wasm' as const, network: 'unet2d' as const, size: 48 };
    const c = new PlaygroundController({ settings, createClient: () => createEngineClient({ inline: true }), debounceMs: 0 });
    try {
      const model = c.estimate().msPerStep;
      c.reliability.speeds.add('wasm', { ...patchAndBatch(settings), network: 'unet2d', size: 48 }, 3 * model);
      expect(c.estimate().msPerStep).toBeCloseTo(3 * model, 6);
    } finally {
      c.dispose();
    }
  });
});

describe('Train on runs that would not fit', () => {
  it('asks before preparing or training, with the estimate; Cancel starts nothing', async () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      backend: 'wasm' as const,
      network: 'highres3d' as const,
      size: 48,
      patch: 48,
      batch: 32,
      losses: LOSS_IDS.slice(),
    };
    const c = new PlaygroundController({
      settings,
      createClient: () => createEngineClient({ inline: true }),
      debounceMs: 0,
      throttleMs: 0,
    });
    try {
      await c.start();
      // Not even its data is prepared (minutes and gigabytes at this size): the question comes first.
      expect(c.getState().phase).toBe('ready');
      expect(c.getState().data).toBeNull();
      expect(c.getState().confirm?.fits).toBe(false);
      c.cancelTrain();
      await c.train();
      const e = c.getState().confirm;
      expect(e?.fits).toBe(false);
      expect(e?.problems[0]).toMatch(/needs about \d+ GB/);
      expect(c.getState().phase).toBe('ready');
      expect(c.runs.getState().runs).toEqual([]);
      c.cancelTrain();
      expect(c.getState().confirm).toBeNull();
      await c.step();
      expect(c.getState().confirm).not.toBeNull();
      expect(c.runs.getState().runs).toEqual([]);
    } finally {
      c.dispose();
    }
  }, 60_000);
});
