// "Keep all classes" of a user label map (issue 9): checks, class indices, training, and NIfTI exports
// that give back the file's own label values.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvents } from '../api';
import { readNifti, writeNifti } from '../data/nifti';
import { generatePhantom } from '../data/phantom';
import { createVolume } from '../data/volume';
import { selectBackend } from '../backend/backend';
import { axialSlices } from '../train/dataset';
import { Session } from '../train/session';
import { classIndicesToValues } from './exports';
import type { UserFile } from './files';
import { IoController } from './io-host';
import { loadUserSubjects } from './validate';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

/** Two phantom subjects as NIfTI files: T1, FLAIR and a label of 0, 5 (white matter) and 7 (lesion). */
function files(): UserFile[] {
  return [11, 12].flatMap((seed) => {
    const p = generatePhantom({ seed, noise: 0.02, lesion: { kind: 'tumour', fraction: 0.03 }, shape: [32, 32, 12] });
    const label = createVolume({
      dims: [32, 32, 12],
      data: Uint8Array.from(p.tissue.data, (t) => (t === 7 || t === 5 ? t : 0)),
      affine: p.images[0].affine,
    });
    return [
      { name: `s${seed}_T1.nii`, bytes: writeNifti(p.images[0]) },
      { name: `s${seed}_FLAIR.nii`, bytes: writeNifti(p.images[2]) },
      { name: `s${seed}_seg.nii`, bytes: writeNifti(label) },
    ];
  });
}

describe('keeping every class of a label map', () => {
  it('maps label values to class indices in ascending order; merging stays the default', () => {
    const f = files();
    const all = loadUserSubjects({ files: f, choices: { classes: 'all' } });
    expect(all.report.errors).toEqual([]);
    expect(all.report.classValues).toEqual([0, 5, 7]);
    const read = readNifti(f[2].bytes).data;
    const idx = all.subjects[0].label!.data;
    for (let i = 0; i < read.length; i++) expect(idx[i]).toBe(read[i] === 7 ? 2 : read[i] === 5 ? 1 : 0);
    expect(all.subjects[0].classValues).toEqual([0, 5, 7]);

    const merged = loadUserSubjects({ files: f, choices: {} });
    expect(merged.report.classValues).toBeUndefined();
    expect(Math.max(...merged.subjects[0].label!.data)).toBe(1);
    expect(merged.report.notices.join(' ')).toMatch(/5, 7: all merged into one foreground.*keep all classes/);
  });

  it('refuses more classes than the networks are given, with a message that says what to do', () => {
    const img = createVolume({ dims: [8, 8, 4], data: Float32Array.from({ length: 256 }, (_, i) => i % 13) });
    const lab = createVolume({ dims: [8, 8, 4], data: Uint8Array.from({ length: 256 }, (_, i) => i % 20) });
    const f = [
      { name: 'a_T1.nii', bytes: writeNifti(img) },
      { name: 'a_seg.nii', bytes: writeNifti(lab) },
    ];
    const r = loadUserSubjects({ files: f, choices: { classes: 'all' } }).report;
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatch(
      /19 label values are chosen as classes; keeping classes works up to 15 foreground classes: pick at most 15/,
    );
    expect(loadUserSubjects({ files: f, choices: {} }).report.ok).toBe(true);
  });

  it('class indices go back to label values (int32 when a value does not fit a byte)', () => {
    expect(Array.from(classIndicesToValues([0, 2, 1, 2], [0, 5, 7]))).toEqual([0, 7, 5, 7]);
    const big = classIndicesToValues([1, 0], [0, 1024]);
    expect(big).toBeInstanceOf(Int32Array);
    expect(Array.from(big)).toEqual([1024, 0]);
    expect(() => classIndicesToValues([3], [0, 5, 7])).toThrow(/class index 3/);
  });

  it('volume exports go back to the file grid: exactly when reoriented, resized when downsampled', async () => {
    const lps = [-1, 0, 0, 20, 0, -1, 0, 15, 0, 0, 2, -4, 0, 0, 0, 1];
    const dims = [20, 16, 6];
    const n = 20 * 16 * 6;
    const img = createVolume({ dims, data: Float32Array.from({ length: n }, (_, i) => (i * 7) % 31), affine: lps });
    const lab = createVolume({ dims, data: Uint8Array.from({ length: n }, (_, i) => [0, 0, 5, 7][(i >> 3) % 4]), affine: lps });
    const f = [
      { name: 'o_T1.nii', bytes: writeNifti(img) },
      { name: 'o_seg.nii', bytes: writeNifti(lab) },
    ];
    for (const maxVoxels of [undefined, 400]) {
      const emit = (() => undefined) as unknown as <K extends keyof EngineEvents>(n: K, p: EngineEvents[K]) => void;
      const io = new IoController(new Session(emit));
      const choices = { classes: 'all' as const, ...(maxVoxels ? { maxVoxels } : {}) };
      await io.validateUserData({ files: f, choices });
      const summary = await io.prepareUserData({ choices, seed: 1, patch: 16, batch: 1, network: 'unet2d' });
      const shownDims = summary.display.images[0].dims;
      const { files: out } = await io.exportData({ gzip: false });
      const t1 = readNifti(out.find((x) => x.name.endsWith('_T1.nii'))!.bytes);
      const seg = readNifti(out.find((x) => x.name.endsWith('_label.nii'))!.bytes);
      for (const v of [t1, seg]) {
        expect(v.dims.slice(0, 3)).toEqual(dims);
        v.affine.forEach((a, i) => {
          expect(a).toBeCloseTo(lps[i], 5);
        });
      }
      if (!maxVoxels) {
        expect(shownDims).toEqual(dims); // reoriented only: same size, other voxel order
        t1.data.forEach((v, i) => {
          expect(v).toBeCloseTo(img.data[i], 4);
        });
        expect(Array.from(seg.data)).toEqual(Array.from(lab.data));
      } else {
        // The smallest common voxel size that fits 400 voxels (~2.2 mm): 1 mm in-plane voxels shrink by ~2.2, the 2 mm
        // slices by ~1.1 (9 x 8 x 5 = 360); exported back at full size.
        expect(shownDims).toEqual([9, 8, 5]);
        expect(new Set(seg.data)).toEqual(new Set([0, 5, 7]));
      }
    }
  });

  it('trains on three classes; data and prediction exports hold the file label values', async () => {
    const emit = (() => undefined) as unknown as <K extends keyof EngineEvents>(n: K, p: EngineEvents[K]) => void;
    const session = new Session(emit, { trainer: { validateEvery: 0, snapshotEvery: 0 } });
    const io = new IoController(session);
    const f = files();
    await io.validateUserData({ files: f, choices: { classes: 'all' } });
    const summary = await io.prepareUserData({ choices: { classes: 'all' }, seed: 1, patch: 32, batch: 2, network: 'unet2d' });
    expect(summary.numClasses).toBe(3);
    expect(summary.classValues).toEqual([0, 5, 7]);
    expect(Math.max(...summary.display.label)).toBe(2);

    // The exported label is the shown file's label, values and all.
    const { files: out } = await io.exportData({ gzip: false });
    const shownId = summary.split.validation[0];
    const original = readNifti(f.find((x) => x.name === `${shownId}_seg.nii`)!.bytes).data;
    expect(Array.from(readNifti(out.find((x) => x.name.endsWith('_label.nii'))!.bytes).data)).toEqual(Array.from(original));

    await session.createRuns([{ runId: 'g', loss: 'gdl', lossOptions: {}, lr: 1e-2, network: 'unet2d', steps: 15, seed: 1 }]);
    await session.control('play');
    await session.whenIdle();
    const pred = await io.exportPrediction({ runId: 'g', gzip: false });
    const seg = readNifti(pred.segmentation.bytes);
    const prob = readNifti(pred.probability.bytes);

    // Independent: the model on every axial slice, argmax and 1 - p(background) in plain JS.
    const ds = session.data!;
    const s = ds.display.subject;
    const [nx, ny, nz] = s.dims;
    const b = axialSlices(
      s,
      Array.from({ length: nz }, (_, z) => z),
      16,
    );
    const p = session.modelOf('g')!.predict(tf.tensor(b.x, b.xShape)) as tf.Tensor;
    const probs = await p.data();
    p.dispose();
    const [, H, W] = b.xShape;
    let mismatched = 0;
    const seen = new Set<number>();
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) {
          const at = 3 * (x + W * (y + H * z));
          const row = [probs[at], probs[at + 1], probs[at + 2]];
          const want = [0, 5, 7][row.indexOf(Math.max(...row))];
          const v = x + nx * (y + ny * z);
          seen.add(seg.data[v]);
          if (seg.data[v] !== want) mismatched++;
          expect(prob.data[v]).toBeCloseTo(1 - row[0], 5);
        }
    expect(mismatched).toBe(0);
    expect([...seen].every((v) => [0, 5, 7].includes(v))).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
    await session.disposeRuns();
  }, 60_000);
});
