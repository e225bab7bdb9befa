// Every class of a label map kept (issue 9): patches, slices, the session and its runs with C = 3.
import type { RunRequest } from '../api';
import type { LossId } from '../../domain/losses';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleBatch } from '../data/patches';
import { generatePhantom } from '../data/phantom';
import { prepareSubject, type Subject } from '../data/subjects';
import { createVolume } from '../data/volume';
import { selectBackend } from '../backend/backend';
import { axialSlices, buildDatasetFromSubjects } from './dataset';
import { recorder } from './events.test-utils';
import { Session } from './session';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

/** A phantom whose label keeps white matter (class 1) and lesion (class 2) apart: tissue wm = 5, lesion = 7. */
function threeClassSubject(seed: number): { subject: Subject; images: ReturnType<typeof generatePhantom>['images'] } {
  const p = generatePhantom({ seed, noise: 0.02, lesion: { kind: 'tumour', fraction: 0.03 }, shape: [48, 48, 32] });
  const data = Uint8Array.from(p.tissue.data, (t) => (t === 7 ? 2 : t === 5 ? 1 : 0));
  const label = createVolume({ dims: [48, 48, 32], data });
  const subject = prepareSubject({ images: p.images, label, wmMask: p.wmMask, classes: 3, id: `p${seed}` });
  return { subject, images: p.images };
}

describe('multi-class patches and slices', () => {
  const { subject } = threeClassSubject(3);

  it('one-hot patches carry every class where the volume has it, and foreground counts any class', () => {
    const b = sampleBatch({ subjects: [subject], spec: { dims: 2, size: 16, batch: 3 }, seed: 2, step: 5 });
    expect(b.labelShape).toEqual([3, 16, 16, 3]);
    const [nx, ny] = subject.dims;
    for (const [k, ref] of b.patches.entries()) {
      const [x0, y0, z] = ref.origin;
      let fg = 0;
      for (let j = 0; j < 16; j++)
        for (let i = 0; i < 16; i++) {
          const want = subject.label[x0 + i + nx * (y0 + j + ny * z)];
          if (want > 0) fg++;
          const at = ((k * 16 + j) * 16 + i) * 3;
          expect(Array.from(b.label.subarray(at, at + 3))).toEqual([0, 1, 2].map((c) => (c === want ? 1 : 0)));
        }
      expect(b.foreground[k]).toBeCloseTo(fg / 256, 6);
    }
    const idx = sampleBatch({ subjects: [subject], spec: { dims: 2, size: 16, batch: 3, labels: 'index' }, seed: 2, step: 5 });
    expect(Math.max(...idx.label)).toBe(2);
  });

  it('whole slices are one-hot over the three classes, padding is background', () => {
    const s = axialSlices(subject, [16], 32);
    expect(s.yShape).toEqual([1, 64, 64, 3]);
    const counts = [0, 0, 0];
    for (let v = 0; v < 64 * 64; v++) {
      const row = s.y.subarray(3 * v, 3 * v + 3);
      expect(row[0] + row[1] + row[2]).toBe(1);
      counts[row.indexOf(1)]++;
    }
    const slice = subject.label.subarray(16 * 48 * 48, 17 * 48 * 48);
    for (const c of [1, 2]) expect(counts[c]).toBe(slice.filter((l) => l === c).length);
    expect(counts[1]).toBeGreaterThan(0);
    expect(counts[2]).toBeGreaterThan(0);
  });

  it('subjects with different class counts cannot share a dataset', () => {
    const two = { ...subject, numClasses: undefined, label: subject.label.map((l) => (l > 0 ? 1 : 0)) };
    expect(() =>
      buildDatasetFromSubjects({
        train: [two],
        validation: [subject],
        display: { images: [], modalities: [] },
        seed: 1,
        patch: 32,
        batch: 2,
        network: 'unet2d',
      }),
    ).toThrow(/same number of classes/);
  });
});

describe('a three-class session', () => {
  it('GDL and WCE train every class; the two-class DL2 and SS (paper) runs end with the reason', async () => {
    const subjects = [1, 2, 3].map(threeClassSubject);
    const ds = buildDatasetFromSubjects({
      train: [subjects[0].subject, subjects[1].subject],
      validation: [subjects[2].subject],
      display: { images: subjects[2].images, modalities: ['T1', 'T2', 'FLAIR'] },
      seed: 1,
      patch: 32,
      batch: 4,
      network: 'unet2d',
      classValues: [0, 5, 7],
    });
    const r = recorder();
    const s = new Session(r.emit, { trainer: { validateEvery: 30, snapshotEvery: 60 } });
    const summary = await s.adoptDataset(ds);
    expect(summary.numClasses).toBe(3);
    expect(summary.classValues).toEqual([0, 5, 7]);
    const run = (runId: string, loss: LossId, lossOptions = {}): RunRequest => ({
      runId,
      loss,
      lossOptions,
      lr: 1e-2,
      network: 'unet2d',
      steps: 60,
      seed: 1,
    });
    await s.createRuns([run('gdl', 'gdl'), run('wce', 'wce'), run('dl2', 'dl2'), run('ss', 'ss', { ssVariant: 'paper' })]);
    expect(s.modelOf('gdl')!.outputs[0].shape.at(-1)).toBe(3);
    const errors = r.of('status').filter((e) => e.status === 'error');
    expect(errors.map((e) => e.runId).sort()).toEqual(['dl2', 'ss']);
    for (const e of errors) expect(e.message).toMatch(/cannot train on 3 classes: .*two classes \(C = 2\), got C = 3/);
    await s.control('play');
    await s.whenIdle();
    const val = (id: string) => r.of('validation').filter((v) => v.runId === id);
    for (const id of ['gdl', 'wce']) {
      const last = val(id).at(-1)!;
      expect(last.step).toBe(60);
      expect(last.perClass).toHaveLength(2);
      // The reported Dice is the mean of the per-class Dice (one validation subject).
      expect(last.dice).toBeCloseTo((last.perClass![0] + last.perClass![1]) / 2, 6);
      expect(
        r
          .of('status')
          .filter((e) => e.runId === id)
          .at(-1)!.status,
      ).toBe('done');
    }
    const gdl = val('gdl').at(-1)!.perClass!;
    // White matter (large) and the lesion (3%) are both found, not just the big class.
    expect(gdl[0]).toBeGreaterThan(0.75);
    expect(gdl[1]).toBeGreaterThan(0.6);
    expect(val('dl2')).toHaveLength(0);
    // Snapshots show p(any foreground) = 1 - p(background), a probability.
    const snap = r.of('snapshot').find((e) => e.runId === 'gdl')!;
    expect(Math.min(...snap.probs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...snap.probs)).toBeLessThanOrEqual(1 + 1e-6);
    await s.disposeRuns();
    expect(tf.memory().numTensors).toBeLessThan(50);
  }, 120_000);
});
