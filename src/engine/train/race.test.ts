// The race builder: seeded fair starts, each trainer owning (and freeing) its model, nothing left
// behind when a request fails part-way.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRace, type RaceParams, type RaceRun } from './race';
import { createToySource } from './toy-source';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const run = (runId: string, over: Partial<RaceRun> = {}): RaceRun => ({
  runId,
  loss: 'gdl',
  lossOptions: {},
  lr: 1e-3,
  steps: 4,
  seed: 5,
  ...over,
});

function params(runs: RaceRun[], over: Partial<RaceParams> = {}): RaceParams {
  return {
    network: 'unet2d',
    inChannels: 1,
    numClasses: 2,
    source: createToySource({ seed: 2, size: 16 }),
    emit: () => undefined,
    runs,
    trainer: { validateEvery: 0, snapshotEvery: 0, readEvery: 1 },
    ...over,
  };
}

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('buildRace', () => {
  it('same seed -> same initial weights for every loss; another seed -> other weights', () => {
    const { trainers, problems } = buildRace(params([run('a'), run('b', { loss: 'dl2' }), run('c', { seed: 6 })]));
    expect(trainers.map((t) => t.runId)).toEqual(['a', 'b', 'c']);
    expect(problems).toEqual([null, null, null]);
    const [a, b, c] = trainers.map((t) => weightsOf(t.model));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    for (const t of trainers) t.dispose();
  });

  it('each trainer frees its own model: after training and dispose no tensor is left', async () => {
    const before = tf.memory().numTensors;
    const { trainers } = buildRace(params([run('a'), run('b', { loss: 'wce' })]));
    for (let i = 0; i < 2; i++) for (const t of trainers) await t.advance();
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    for (const t of trainers) {
      t.dispose();
      t.dispose(); // idempotent: a second call must not throw on the freed model
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a bad loss option fails before any model is built', () => {
    const before = tf.memory().numTensors;
    expect(() => buildRace(params([run('a'), run('b', { lossOptions: { epsilon: 5 } })]))).toThrow(/epsilon/);
    expect(() => buildRace(params([run('a', { loss: 'nope' })]))).toThrow(/unknown loss/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a failing warm start leaves no model or trainer behind', () => {
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const initModel = (i: number) => {
      seen.push(i);
      if (i === 1) throw new Error('no such checkpoint');
    };
    expect(() => buildRace(params([run('a'), run('b'), run('c')], { initModel }))).toThrow(/no such checkpoint/);
    expect(seen).toEqual([0, 1]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a loss that cannot train on three classes is reported per run, the others are not', () => {
    const { trainers, problems } = buildRace(params([run('g'), run('d', { loss: 'dl2' })], { numClasses: 3 }));
    expect(problems[0]).toBeNull();
    expect(problems[1]).toMatch(/.+/);
    expect(trainers[0].model.outputs[0].shape.at(-1)).toBe(3);
    for (const t of trainers) t.dispose();
  });
});
