// The boundary loss in training: the dataset source's distance maps (mm along the patch axes, brute force
// as the reference), computed only for a run whose loss needs them, and handed to the loss with the step.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../backend/backend';
import type { Subject } from '../data/subjects';
import { computeLoss, type LossId, optionsFor } from '../losses';
import { refSignedMap } from '../losses/testing/reference64-boundary';
import { createNetwork, sizeMultiple } from '../networks';
import type { NetworkKind } from '../../domain/network-spec';
import { buildDatasetFromSubjects, createDatasetSource, type DatasetSource } from './dataset';
import { buildRace } from './race';
import type { BatchSource } from './source';
import { type LossFn, Trainer } from './trainer';

beforeAll(async () => {
  // The app's backend, and several times faster than cpu for the convolutions of a race step.
  await selectBackend({ requested: 'wasm' });
});

const SPACING: [number, number, number] = [0.9, 1.2, 3];

/** A 32 x 32 x 16 subject with two lesion blobs, anisotropic voxels. */
function subject(id: string, shift: number): Subject {
  const dims: [number, number, number] = [32, 32, 16];
  const n = dims[0] * dims[1] * dims[2];
  const label = new Uint8Array(n);
  const image = new Float32Array(n);
  for (let z = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++) {
        const i = x + dims[0] * (y + dims[1] * z);
        const a = (x - 10 - shift) ** 2 + (y - 12) ** 2 + (3 * (z - 8)) ** 2 < 30;
        const b = (x - 22) ** 2 + (y - 20 - shift) ** 2 < 8 && z > 4 && z < 12;
        label[i] = a || b ? 1 : 0;
        image[i] = label[i] * 2 - 1 + 0.1 * Math.sin(i);
      }
  return { id, dims, channels: [image], label, spacing: SPACING };
}

function source(network: NetworkKind, patch: number, batch: number): DatasetSource {
  const ds = buildDatasetFromSubjects({
    train: [subject('a', 0), subject('b', 3)],
    validation: [subject('v', 1)],
    display: { images: [], modalities: ['FLAIR'] },
    seed: 4,
    patch,
    batch,
    network,
  });
  return createDatasetSource(ds, sizeMultiple({ kind: network }));
}

describe('the dataset source delivers signed distance maps of its patches', () => {
  for (const [network, spacing] of [
    ['unet2d', [SPACING[1], SPACING[0]]],
    ['unet3d', [SPACING[2], SPACING[1], SPACING[0]]],
  ] as const) {
    it(`${network}: every item and class is the brute-force map in mm along the patch axes [${spacing}]`, () => {
      const s = source(network, network === 'unet2d' ? 16 : 8, network === 'unet2d' ? 2 : 1);
      const b = s.trainBatch(3);
      const maps = s.trainDistances(3);
      expect(maps.length).toBe(b.y.length);
      const K = b.yShape.at(-1)!;
      const spatial = b.yShape.slice(1, -1);
      const M = spatial.reduce((p, q) => p * q, 1);
      let inside = 0;
      for (let item = 0; item < b.yShape[0]; item++)
        for (let k = 0; k < K; k++) {
          const mask = Array.from({ length: M }, (_, m) => b.y[(item * M + m) * K + k]);
          const phi = refSignedMap(mask, spatial, [...spacing]);
          for (let m = 0; m < M; m++) {
            expect(Math.abs(maps[(item * M + m) * K + k] - phi[m])).toBeLessThan(1e-5);
            if (phi[m] < 0) inside++;
          }
        }
      expect(inside).toBeGreaterThan(0);
      // Asked again (another run of the race), the same maps come back without recomputing.
      expect(s.trainDistances(3)).toBe(maps);
    });
  }
});

/** The source with its distance requests counted. */
function counted(s: DatasetSource): { source: BatchSource; steps: number[] } {
  const steps: number[] = [];
  return {
    steps,
    source: {
      ...s,
      trainDistances: (step: number, stream?: number) => {
        steps.push(step);
        return s.trainDistances(step, stream);
      },
    },
  };
}

async function race(losses: string[], options: Record<string, unknown> = {}) {
  const c = counted(source('unet2d', 16, 2));
  const points: { runId: string; step: number; loss: number }[] = [];
  const { trainers } = buildRace({
    network: 'unet2d',
    inChannels: 1,
    numClasses: 2,
    source: c.source,
    emit: (name, payload) => {
      if (name === 'steps')
        for (const p of (payload as { runId: string; points: { step: number; loss: number }[] }).points)
          points.push({ runId: (payload as { runId: string }).runId, step: p.step, loss: p.loss });
    },
    runs: losses.map((loss) => ({
      runId: loss,
      loss,
      lossOptions: optionsFor(loss as LossId, options),
      lr: 1e-3,
      steps: 3,
      seed: 7,
    })),
    trainer: { validateEvery: 0, snapshotEvery: 0, readEvery: 1 },
  });
  for (let k = 0; k < 3; k++) for (const t of trainers) await t.advance();
  for (const t of trainers) t.dispose();
  return { calls: c.steps, points, source: c.source };
}

describe('a race pays for distance maps only when a run needs them', () => {
  it('gdl and ce: no distance map is computed', async () => {
    expect((await race(['gdl', 'ce'])).calls).toEqual([]);
  });

  it('a boundary run whose weight is still 0 (steps 1-2 here) asks for no maps until it rises', async () => {
    // a = 0 + 0.5 * floor((step - 1) / 2): 0, 0, 0.5
    expect((await race(['boundary'], { boundaryStart: 0, boundaryRate: 0.5, boundaryEvery: 2 })).calls).toEqual([3]);
  });

  it('gdl and boundary: the boundary run asks once per step; its step-1 loss uses the mm maps and a at step 1', async () => {
    const {
      calls,
      points,
      source: s,
    } = await race(['gdl', 'boundary'], { boundaryStart: 0.5, boundaryRate: 0.25, boundaryEvery: 1 });
    expect(calls).toEqual([1, 2, 3]);
    const first = points.find((p) => p.runId === 'boundary' && p.step === 1)!.loss;
    // The same forward pass again (same seed: same initial weights and batch stream) gives the value to expect.
    const recomputed = tf.tidy(() => {
      const b = s.trainBatch(1, 7);
      const model = createNetwork({ kind: 'unet2d', inChannels: 1, numClasses: 2, seed: 7 });
      const pred = model.apply(tf.tensor(b.x, b.xShape), { training: true }) as tf.Tensor;
      const y = tf.tensor(b.y, b.yShape);
      const o = { boundaryStart: 0.5, boundaryRate: 0.25, boundaryEvery: 1 };
      const withMaps = computeLoss('boundary', y, pred, o, { step: 1, distance: tf.tensor(s.trainDistances!(1, 7), b.yShape) });
      const at3 = computeLoss('boundary', y, pred, o, { step: 3, distance: tf.tensor(s.trainDistances!(1, 7), b.yShape) });
      const isotropic = computeLoss('boundary', y, pred, o, { step: 1 });
      const values = [withMaps, at3, isotropic].map((v) => v.dataSync()[0]);
      model.dispose();
      return values;
    });
    expect(first).toBeCloseTo(recomputed[0], 4);
    // The step and the spacing both change the value: the trainer handed over the right ones.
    expect(Math.abs(recomputed[1] - recomputed[0])).toBeGreaterThan(1e-3);
    expect(Math.abs(recomputed[2] - recomputed[0])).toBeGreaterThan(1e-3);
  });
});

describe('the trainer hands each loss its step, and the maps only to a loss that needs them', () => {
  for (const needs of [true, false]) {
    it(`needsDistance ${needs}: context of steps 1-3`, async () => {
      const needsDistance = () => needs;
      const s = source('unet2d', 16, 2);
      const seen: { step?: number; maps: number[] | null }[] = [];
      const loss: LossFn = Object.assign(
        (y: tf.Tensor, p: tf.Tensor, context?: { step?: number; distance?: tf.Tensor }) => {
          seen.push({ step: context?.step, maps: context?.distance ? Array.from(context.distance.dataSync()) : null });
          return computeLoss('gdl', y, p);
        },
        { needsDistance },
      );
      const model = createNetwork({ kind: 'unet2d', inChannels: 1, numClasses: 2, seed: 3 });
      const t = new Trainer({
        runId: 'r',
        model,
        source: s,
        loss,
        lr: 1e-3,
        steps: 3,
        emit: () => undefined,
        validateEvery: 0,
        snapshotEvery: 0,
      });
      for (let k = 0; k < 3; k++) await t.advance();
      t.dispose();
      expect(seen.map((c) => c.step)).toEqual([1, 2, 3]);
      for (const [k, c] of seen.entries()) expect(c.maps).toEqual(needs ? Array.from(s.trainDistances(k + 1)) : null);
    });
  }
});
