// Own data end to end in Node: phantom -> NIfTI export -> checked back in as user volumes -> a run ->
// prediction NIfTI equal to the run's snapshot; model export -> checkpoint -> segment and warm start.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvents } from '../api';
import { readNifti } from '../data/nifti';
import { createVolume } from '../data/volume';
import { selectBackend } from '../backend/backend';
import { Session } from '../train/session';
import { predictionFiles } from './exports';
import { canonicalOrientation, gridOf, reorientVolume } from './geometry';
import { IoController } from './io-host';

beforeAll(async () => {
  // wasm with the project's training kernels: the cpu backend takes ~40 s for this file.
  await selectBackend({ requested: 'wasm' });
});

const TINY = {
  seed: 2,
  lesion: 'tumour',
  fraction: 0.03,
  noise: 0.02,
  patch: 32,
  batch: 2,
  network: 'unet2d',
  shape: [32, 32, 12],
} as const;

function setup() {
  const events: { name: keyof EngineEvents; payload: unknown }[] = [];
  const emit = <K extends keyof EngineEvents>(name: K, payload: EngineEvents[K]) => void events.push({ name, payload });
  const session = new Session(emit, {
    trainer: { validateEvery: 0, snapshotEvery: 4 },
    warmStart: (id, model) => io.checkpoints.applyTo(id, model),
  });
  const io = new IoController(session);
  const of = <K extends keyof EngineEvents>(name: K) =>
    events.filter((e) => e.name === name).map((e) => e.payload as EngineEvents[K]);
  return { session, io, of };
}

describe('prediction exports go back to the input grid', () => {
  it('reoriented working grid -> the file grid exactly; segmentation is p > 0.5', () => {
    const lps = [-2, 0, 0, 10, 0, -2, 0, 8, 0, 0, 3, -5, 0, 0, 0, 1];
    const probs0 = Float32Array.from({ length: 5 * 4 * 3 }, (_, i) => (i % 10) / 9);
    const original = createVolume({ dims: [5, 4, 3], data: probs0, affine: lps });
    const working = reorientVolume(original, canonicalOrientation(lps));
    const files = predictionFiles({
      probs: working.data as Float32Array,
      geometry: { working: gridOf(working), original: gridOf(original) },
      prefix: 'x',
      gzip: false,
    });
    const p = readNifti(files.probability.bytes);
    const s = readNifti(files.segmentation.bytes);
    expect(files.probability.name).toBe('x_prob.nii');
    expect(files.segmentation.name).toBe('x_seg.nii');
    expect(p.dims).toEqual([5, 4, 3]);
    p.affine.forEach((v, i) => {
      expect(v).toBeCloseTo(lps[i], 5);
    });
    p.data.forEach((v, i) => {
      expect(v).toBeCloseTo(probs0[i], 6);
    });
    expect(s.datatype).toBe('uint8');
    s.data.forEach((v, i) => {
      expect(v).toBe(probs0[i] > 0.5 ? 1 : 0);
    });
  });
});

describe('IoController', () => {
  it('phantom -> NIfTI -> user volumes -> run -> prediction NIfTI equal to the snapshot; model -> checkpoint', async () => {
    const { session, io, of } = setup();
    const phantom = await session.prepareData({ ...TINY, shape: [...TINY.shape] });
    const { files } = await io.exportData({});
    expect(files.map((f) => f.name)).toEqual([
      'phantom-2002_T1.nii.gz',
      'phantom-2002_T2.nii.gz',
      'phantom-2002_FLAIR.nii.gz',
      'phantom-2002_label.nii.gz',
    ]);

    // Back in as the user's volumes: one subject, three channels, the same voxels.
    io.addUserFiles({ files: files.map((f) => ({ name: f.name, bytes: f.bytes })) });
    const report = await io.validateUserData({ choices: {} });
    expect(report.errors).toEqual([]);
    expect(report.subjects.map((s) => [s.id, s.images.length, s.label])).toEqual([
      ['phantom-2002', 3, 'phantom-2002_label.nii.gz'],
    ]);
    const user = await io.prepareUserData({ choices: {}, seed: 1, patch: 32, batch: 2, network: 'unet2d' });
    expect(user.notices[0]).toMatch(/one subject/);
    expect(user.display.modalities).toEqual(['T1', 'T2', 'FLAIR']);
    expect(Array.from(user.display.images[2].data)).toEqual(Array.from(phantom.display.images[2].data));
    expect(Array.from(user.display.label)).toEqual(Array.from(phantom.display.label));

    await session.createRuns([{ runId: 'r', loss: 'gdl', lossOptions: {}, lr: 1e-2, network: 'unet2d', steps: 8, seed: 1 }]);
    await session.setSnapshotSlice(6);
    await session.control('play');
    await session.whenIdle();
    const snap = of('snapshot').at(-1)!;
    expect(snap.step).toBe(8);
    const pred = await io.exportPrediction({ runId: 'r' });
    expect(pred.step).toBe(8);
    expect([pred.segmentation.name, pred.probability.name]).toEqual([
      'phantom-2002_pred-r_step-8_seg.nii.gz',
      'phantom-2002_pred-r_step-8_prob.nii.gz',
    ]);
    const probs = readNifti(pred.probability.bytes);
    const seg = readNifti(pred.segmentation.bytes);
    expect(probs.dims).toEqual([32, 32, 12]);
    probs.affine.forEach((v, i) => {
      expect(v).toBeCloseTo(phantom.display.images[0].affine[i], 5);
    });
    // What the viewer showed (the snapshot of slice 6) is what the file holds there.
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) {
        const shown = snap.probs[y * snap.width + x];
        const i = x + 32 * (y + 32 * 6);
        expect(probs.data[i]).toBeCloseTo(shown, 5);
        expect(seg.data[i]).toBe(shown > 0.5 ? 1 : 0);
      }

    // The run's model as a checkpoint: segmenting gives the same probabilities and an honest Dice.
    const model = await io.exportModel({ runId: 'r' });
    const info = await io.loadCheckpoint({ id: 'mine', modelJson: model.modelJson, weights: model.weights });
    expect(info).toMatchObject({ network: 'unet2d', inChannels: 3, modalities: ['T1', 'T2', 'FLAIR'] });
    const result = await io.segment({ checkpoint: 'mine' });
    result.probs.forEach((v, i) => {
      expect(v).toBeCloseTo(probs.data[i], 5);
    });
    let tp = 0;
    let fp = 0;
    let fn = 0;
    seg.data.forEach((v, i) => {
      const ref = phantom.display.label[i] > 0;
      if (v && ref) tp++;
      else if (v) fp++;
      else if (ref) fn++;
    });
    expect(result.dice).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 10);

    // Warm start: a new run begins with the checkpoint's weights, not its seed's.
    await session.createRuns([
      { runId: 'w', loss: 'gdl', lossOptions: {}, lr: 1e-3, network: 'unet2d', steps: 1, seed: 5, init: 'mine' },
    ]);
    const warm = session
      .modelOf('w')!
      .getWeights()
      .map((w) => Array.from(w.dataSync()));
    const ck = io.checkpoints
      .get('mine')
      .model.getWeights()
      .map((w) => Array.from(w.dataSync()));
    expect(warm).toEqual(ck);
    await expect(
      session.createRuns([
        { runId: 'v', loss: 'gdl', lossOptions: {}, lr: 1e-3, network: 'unet2d', steps: 1, seed: 5, init: 'nope' },
      ]),
    ).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/checkpoint 'nope' is not loaded/) });
    await session.disposeRuns();
    io.checkpoints.dispose();
  });

  it('refuses to train on volumes that failed their checks, with the first reason', async () => {
    const { io } = setup();
    await io.validateUserData({ files: [{ name: 'bad.nii', bytes: new Uint8Array(400) }], choices: {} });
    await expect(io.prepareUserData({ choices: {}, seed: 1, patch: 16, batch: 1, network: 'unet2d' })).rejects.toThrow(
      /did not pass the checks: bad.nii: cannot read it as NIfTI/,
    );
    await expect(io.exportPrediction({ runId: 'x' })).rejects.toMatchObject({ code: 'no-runs' });
  });
});
