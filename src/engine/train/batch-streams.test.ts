// Replicates: a run's seed is its batch stream. Seed k of every loss sees the same patches (paired), another
// seed other patches; the data seed's stream is the batches a single-seed race always had.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleBatch } from '../data/patches';
import { buildDataset, createDatasetSource } from './dataset';
import { buildRace } from './race';
import type { BatchSource } from './source';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ds = buildDataset({
  seed: 5,
  lesion: 'tumour',
  fraction: 0.02,
  noise: 0.05,
  difficulty: 'easy',
  patch: 16,
  batch: 2,
  network: 'unet2d',
  shape: [32, 32, 16],
});

describe('batch streams', () => {
  it('stream = data seed is the source’s own batches; each stream is sampleBatch with its seed', () => {
    const source = createDatasetSource(ds, 4);
    expect(source.trainBatch(3, 5).x).toEqual(source.trainBatch(3).x);
    const direct = sampleBatch({ subjects: ds.train, spec: ds.spec, seed: 6, step: 3 });
    expect(source.trainBatch(3, 6).x).toEqual(direct.image);
    expect(source.trainBatch(3, 6).x).not.toEqual(source.trainBatch(3, 5).x);
  });

  it('a race asks for each run’s seed as its stream', async () => {
    const inner = createDatasetSource(ds, 4);
    const asked: [number, number | undefined][] = [];
    const source: BatchSource = {
      ...inner,
      trainBatch: (step, stream) => {
        asked.push([step, stream]);
        return inner.trainBatch(step, stream);
      },
    };
    const run = (runId: string, loss: string, seed: number) => ({ runId, loss, lossOptions: {}, lr: 1e-3, steps: 1, seed });
    const { trainers } = buildRace({
      network: 'unet2d',
      inChannels: ds.train[0].channels.length,
      numClasses: 2,
      source,
      emit: () => undefined,
      runs: [run('gdl-5', 'gdl', 5), run('gdl-6', 'gdl', 6), run('wce-5', 'wce', 5), run('wce-6', 'wce', 6)],
      trainer: { validateEvery: 0, snapshotEvery: 0, readEvery: 1 },
    });
    for (const t of trainers) await t.advance();
    expect(asked).toEqual([
      [1, 5],
      [1, 6],
      [1, 5],
      [1, 6],
    ]);
    for (const t of trainers) t.dispose();
  });
});
