// End to end in Node: phantom data -> U-Net -> GDL, on the wasm backend with our training kernels.
import type { RunRequest } from '../api';
import type { LossId } from '../../domain/losses';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/backend';
import { recorder } from './events.test-utils';
import { Session } from './session';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

const TINY = {
  seed: 1,
  lesion: 'tumour',
  fraction: 0.03,
  noise: 0.02,
  // The pipeline is under test, not the phantom: the easy one trains in 60 steps.
  difficulty: 'easy',
  patch: 32,
  batch: 4,
  network: 'unet2d',
  shape: [48, 48, 32],
} as const;

describe('Session (phantom -> U-Net -> loss -> trainer)', () => {
  it('a 2D U-Net with GDL reaches validation Dice > 0.6 within 60 steps on a tiny phantom', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const r = recorder();
    const s = new Session(r.emit, { trainer: { validateEvery: 20, snapshotEvery: 30 } });
    const data = await s.prepareData({ ...TINY, shape: [...TINY.shape] });
    expect(data.patch).toBe(32);
    expect(data.achievedFraction).toBeCloseTo(0.03, 3);
    expect(data.display.images).toHaveLength(3);
    // The trivial baseline comes with phantom data: a FLAIR threshold on the easy phantom.
    expect(data.baseline).toMatchObject({ modality: 'FLAIR', direction: 'bright' });
    expect(data.baseline!.dice).toBeGreaterThan(0.3);
    await s.createRuns([{ runId: 'g', loss: 'gdl', lossOptions: {}, lr: 1e-2, network: 'unet2d', steps: 60, seed: 1 }]);
    await s.control('play');
    await s.whenIdle();
    const val = r.of('validation');
    expect(val.map((v) => v.step)).toEqual([20, 40, 60]);
    expect(val.at(-1)!.dice).toBeGreaterThan(0.6);
    const snap = r.of('snapshot').at(-1)!;
    expect([snap.height, snap.width]).toEqual([48, 48]);
    expect(r.of('status').at(-1)).toMatchObject({ runId: 'g', status: 'done', step: 60 });
    await s.disposeRuns();
  });

  it('a race from one seed starts every loss from the same weights and batches', async () => {
    const r = recorder();
    const s = new Session(r.emit, { trainer: { validateEvery: 0, snapshotEvery: 0, readEvery: 1 } });
    await s.prepareData({ ...TINY, shape: [...TINY.shape] });
    const runs = (['gdl', 'gdl', 'dl2'] as const).map(
      (loss, i): RunRequest => ({
        runId: `r${i}`,
        loss,
        lossOptions: {},
        lr: 1e-3,
        network: 'unet2d',
        steps: 3,
        seed: 7,
      }),
    );
    await s.createRuns(runs);
    await s.control('play');
    await s.whenIdle();
    const curve = (id: string) => r.of('steps').flatMap((e) => (e.runId === id ? e.points.map((p) => p.loss) : []));
    expect(curve('r0')).toHaveLength(3);
    expect(curve('r0')).toEqual(curve('r1'));
    expect(curve('r2')).not.toEqual(curve('r0'));
    // Same start: hard Dice of step 1 (before any update shows) is the same for every loss.
    const dice1 = (id: string) => r.of('steps').find((e) => e.runId === id)!.points[0].trainDice;
    expect(dice1('r2')).toBe(dice1('r0'));
    await s.disposeRuns();
  });

  it('bad requests fail cleanly', async () => {
    const s = new Session(() => undefined);
    await expect(
      s.createRuns([{ runId: 'x', loss: 'gdl', lossOptions: {}, lr: 1e-3, network: 'unet2d', steps: 1, seed: 1 }]),
    ).rejects.toThrow(/prepare data/);
    await s.prepareData({ ...TINY, shape: [...TINY.shape] });
    await expect(
      s.createRuns([{ runId: 'x', loss: 'gdl', lossOptions: { epsilon: 5 }, lr: 1e-3, network: 'unet2d', steps: 1, seed: 1 }]),
    ).rejects.toThrow(/epsilon/);
    await expect(
      s.createRuns([{ runId: 'x', loss: 'nope' as LossId, lossOptions: {}, lr: 1e-3, network: 'unet2d', steps: 1, seed: 1 }]),
    ).rejects.toThrow(/unknown loss/);
    await expect(
      s.createRuns([{ runId: 'x', loss: 'gdl', lossOptions: {}, lr: 1e-3, network: 'unet3d', steps: 1, seed: 1 }]),
    ).rejects.toThrow(/3D/);
  });
});
