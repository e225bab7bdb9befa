// The shipped checkpoints (models/index.json): each loads, is the network and size the manifest says,
// and reaches the manifest's validation Dice on the validation data its settings rebuild. The Dice is
// recomputed here from the predictions (argmax vs label, per subject, then averaged), not by the trainer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParams, sizeMultiple } from '../networks';
import type { NetworkKind } from '../../domain/network-spec';
import { selectBackend } from '../backend/backend';
import type { Difficulty } from '../../domain/difficulty';
import { generatePhantom, type LesionKind } from '../data/phantom';
import { type Subject, subjectFromPhantom } from '../data/subjects';
import { buildDatasetFromSubjects, createDatasetSource, DATASET_DEFAULTS, type Dataset } from '../train/dataset';
import { parseManifest } from './manifest';
import { describeModel, loadModelFiles } from './model-io';

const MODELS = join(process.cwd(), 'models');
const manifest = parseManifest(JSON.parse(readFileSync(join(MODELS, 'index.json'), 'utf8')));

beforeAll(async () => {
  // The backend the checkpoints were trained and validated on.
  await selectBackend({ requested: 'wasm' });
});

// Only the validation phantom is generated (the slow part), with buildDataset's seeds: subject i of a
// request has seed * 1000 + i and the validation subject comes after DATASET_DEFAULTS.trainSubjects.
const phantoms = new Map<string, Subject>();
function datasetFor(c: (typeof manifest.checkpoints)[number]): Dataset {
  const s = c.settings;
  const shape = String(s.shape).split('x').map(Number) as [number, number, number];
  // Checkpoints recorded before difficulty existed were trained on the easy phantom.
  const difficulty = (s.difficulty ?? 'easy') as Difficulty;
  const key = JSON.stringify([shape, s.lesion, s.fraction, s.noise, difficulty, c.seed]);
  let subject = phantoms.get(key);
  if (!subject) {
    const seed = c.seed * 1000 + DATASET_DEFAULTS.trainSubjects;
    const p = generatePhantom({
      seed,
      noise: Number(s.noise),
      difficulty,
      lesion: { kind: s.lesion as LesionKind, fraction: Number(s.fraction) },
      shape,
    });
    subject = subjectFromPhantom(p);
    phantoms.set(key, subject);
  }
  return buildDatasetFromSubjects({
    train: [subject],
    validation: [subject],
    display: { images: [], modalities: [] },
    seed: c.seed,
    patch: Number(s.patch),
    batch: Number(s.batch),
    network: c.network,
  });
}

/** Hard Dice of the foreground: argmax of the prediction against the one-hot label. */
function hardDice(pred: Float32Array, label: Float32Array): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < pred.length; i += 2) {
    const p = pred[i + 1] > pred[i];
    const r = label[i + 1] > 0.5;
    if (p && r) tp++;
    else if (p) fp++;
    else if (r) fn++;
  }
  return tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn);
}

describe('models/index.json checkpoints', () => {
  it('the manifest lists one checkpoint per network, each small', () => {
    const networks = manifest.checkpoints.map((c) => c.network);
    expect(new Set(networks).size).toBe(networks.length);
    for (const c of manifest.checkpoints) {
      expect(c.bytes).toBeLessThan(200 * 1024);
      expect(c.command).toMatch(new RegExp(`^npm run train -- .*--network ${c.network} .*--save models/${c.id} --id ${c.id}$`));
    }
  });

  for (const c of manifest.checkpoints) {
    it(`${c.id} loads and reaches its validation Dice ${c.validationDice.toFixed(3)}`, async () => {
      const modelJson = readFileSync(join(MODELS, c.modelJson), 'utf8');
      const weights = readFileSync(join(MODELS, c.weights));
      const model = await loadModelFiles({ modelJson, weights });
      const info = describeModel(c.id, model);
      expect(info).toMatchObject({ network: c.network, inChannels: c.inChannels, params: c.params });
      expect(countParams(model)).toBe(c.params);
      const ds = datasetFor(c);
      const source = createDatasetSource(ds, sizeMultiple({ kind: c.network as NetworkKind }));
      const before = tf.memory().numTensors;
      const perSubject: number[] = [];
      for (const b of source.validationBatches()) {
        const pred = tf.tidy(() => (model.predict(tf.tensor(b.x, b.xShape)) as tf.Tensor).dataSync() as Float32Array);
        perSubject.push(hardDice(pred, b.y));
      }
      expect(tf.memory().numTensors).toBe(before);
      const dice = perSubject.reduce((a, v) => a + v, 0) / perSubject.length;
      expect(dice).toBeGreaterThanOrEqual(c.validationDice - 0.005);
      expect(dice).toBeCloseTo(c.validationDice, 2);
      model.dispose();
    });
  }
});
