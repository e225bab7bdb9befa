import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC_IDS } from '../../domain/metrics';
import { selectBackend } from '../backend/backend';
import { gridDiagonal } from '../metrics/challenge';
import { recorder } from './events.test-utils';
import { Session } from './session';
import type { ArrayBatch } from './source';
import { batchMetrics, masksOnGrid, summariseMetrics } from './validation-metrics';

/** A 2D batch of n one-hot label images [n, H, W, 2] from a foreground predicate. */
function labelBatch(n: number, H: number, W: number, fg: (b: number, j: number, i: number) => boolean): ArrayBatch {
  const y = new Float32Array(n * H * W * 2);
  for (let b = 0; b < n; b++)
    for (let j = 0; j < H; j++)
      for (let i = 0; i < W; i++) {
        const v = (b * H + j) * W + i;
        y[v * 2 + (fg(b, j, i) ? 1 : 0)] = 1;
      }
  return { x: new Float32Array(n * H * W), xShape: [n, H, W, 1], y, yShape: [n, H, W, 2] };
}

describe('masksOnGrid', () => {
  it('puts each item on its subject slice, drops padding and writes a repeated slice once', () => {
    // Subject 3x2x5; a padded 4x4 batch of slices z = 1, 3 and 3 again (a clamped slab repeats its last slice).
    const batch = labelBatch(3, 4, 4, (b, j, i) => i === 0 && j === 1 && b < 2);
    batch.grid = { dims: [3, 2, 5], spacing: [1, 1, 2], slices: [1, 3, 3] };
    const pred = new Uint8Array(3 * 16);
    pred[(0 * 4 + 0) * 4 + 2] = 1; // item 0, (x 2, y 0)
    pred[(1 * 4 + 3) * 4 + 3] = 1; // padding: outside the 3x2 subject
    pred[(2 * 4 + 1) * 4 + 1] = 1; // the repeat of z = 3: ignored
    const m = masksOnGrid({ batch, predictedFg: pred });
    expect(m.dims).toEqual([3, 2, 5]);
    expect(m.spacing).toEqual([1, 1, 2]);
    const at = (x: number, y: number, z: number) => x + 3 * (y + 2 * z);
    expect([...m.reference.keys()].filter((k) => m.reference[k])).toEqual([at(0, 1, 1), at(0, 1, 3)]);
    expect([...m.prediction.keys()].filter((k) => m.prediction[k])).toEqual([at(2, 0, 1)]);
  });

  it('a perfect prediction scores perfectly and an empty one scores the worst values', () => {
    const batch = labelBatch(2, 8, 8, (b, j, i) => (b === 0 && i < 3 && j < 3) || (b === 1 && i === 6 && j === 6));
    batch.grid = { dims: [8, 8, 4], spacing: [1, 1, 3], slices: [0, 2] };
    const truth = Uint8Array.from({ length: 2 * 64 }, (_, v) => (batch.y[v * 2 + 1] > 0.5 ? 1 : 0));
    const perfect = batchMetrics({ batch, predictedFg: truth });
    expect(perfect).toMatchObject({ dice: 1, hd95: 0, avd: 0, lesionRecall: 1, referenceLesions: 2 });
    expect(perfect.recallBySize.small).toMatchObject({ hit: 2, total: 2 });
    const empty = batchMetrics({ batch, predictedFg: new Uint8Array(2 * 64) });
    expect(empty).toMatchObject({ dice: 0, avd: 100, lesionRecall: 0, lesionF1: 0 });
    expect(empty.hd95).toBeCloseTo(gridDiagonal({ dims: [8, 8, 4], spacing: [1, 1, 3] }), 12);
    const summary = summariseMetrics([perfect, empty]);
    expect(summary).toMatchObject({ dice: 0.5, avd: 50, lesionRecall: 0.5, recallSmall: 0.5 });
    expect(summary.recallLarge).toBeNaN(); // no lesion of over 100 voxels anywhere
  });
});

describe('validation events carry the challenge metrics (real session)', () => {
  beforeAll(async () => {
    await selectBackend({ requested: 'wasm' });
  });

  it('every metric is reported, and its Dice equals the device-count Dice of each subject', async () => {
    const r = recorder();
    const s = new Session(r.emit, { trainer: { validateEvery: 8, snapshotEvery: 0 } });
    const data = { seed: 2, lesion: 'wmh', fraction: 0.02, noise: 0.02, patch: 32, batch: 2, network: 'unet2d' } as const;
    await s.prepareData({ ...data, shape: [48, 48, 32], validationSubjects: 2 });
    await s.createRuns([{ runId: 'g', loss: 'gdl', lossOptions: {}, lr: 1e-2, network: 'unet2d', steps: 16, seed: 1 }]);
    await s.control('play');
    await s.whenIdle();
    const val = r.of('validation');
    expect(val.map((v) => v.step)).toEqual([8, 16]);
    for (const v of val) {
      const m = v.metrics!;
      expect(Object.keys(m).sort()).toEqual([...METRIC_IDS].sort());
      // Two code paths, one answer: tf counts on the device vs masks on the subject grid (two classes).
      const meanDice = v.perSubject.reduce((a, x) => a + x, 0) / v.perSubject.length;
      expect(m.dice).toBeCloseTo(meanDice, 6);
      expect(m.hd95).toBeGreaterThanOrEqual(0);
      expect(m.hd95).toBeLessThanOrEqual(gridDiagonal({ dims: [48, 48, 32], spacing: [1, 1, 1] }));
      for (const id of ['lesionRecall', 'recallSmall', 'recallMedium'] as const) {
        if (!Number.isNaN(m[id])) expect(m[id]).toBeGreaterThanOrEqual(0);
        if (!Number.isNaN(m[id])) expect(m[id]).toBeLessThanOrEqual(1);
      }
    }
    await s.disposeRuns();
  });
});
