// The nnU-Net export of a seeded phantom opens in nibabel with the engine's shapes, affines, label values
// and image sums, and dataset.json carries what nnU-Net v2 reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareSubject } from '../data/subjects';
import { createVolume } from '../data/volume';
import { buildDataset, buildDatasetFromSubjects } from '../train/dataset';
import { nnunetDataset, safeName } from './nnunet';
import { requireTorch, runPython, skipWithoutTorch, TESTING_DIR, tempDir } from './testing/python';

const skip = skipWithoutTorch('export/nnunet.test');

describe('safeName', () => {
  it('keeps letters, digits, _ and -; never empty', () => {
    expect(safeName('my run: GDL/ε=1e-5 <test>')).toBe('my_run_GDL_1e-5_test');
    expect(safeName('..//CON')).toBe('CON');
    expect(safeName('***')).toBe('playground');
  });
});

describe.skipIf(skip)('nnU-Net dataset in nibabel', () => {
  it('same shapes, affines, label values and image sums as the engine', () => {
    requireTorch();
    const ds = buildDataset({
      seed: 4,
      lesion: 'tumour',
      fraction: 0.02,
      noise: 0.02,
      patch: 16,
      batch: 2,
      network: 'unet2d',
      shape: [20, 18, 12],
      trainSubjects: 2,
      validationSubjects: 1,
    });
    const { files, json, cases } = nnunetDataset({ ds, name: 'tiny phantom' });
    expect(cases.map((c) => c.id)).toEqual(['tiny_phantom_000', 'tiny_phantom_001', 'tiny_phantom_002']);
    const dir = tempDir('export-nnunet');
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.name)), { recursive: true });
      writeFileSync(join(dir, f.name), f.bytes);
    }
    const report = JSON.parse(runPython({ script: join(TESTING_DIR, 'nibabel_check.py'), args: [dir] }));
    const affine = ds.display.images[0].affine;
    const subjects = [...ds.train, ...ds.validation];
    cases.forEach((c, k) => {
      const s = subjects[k];
      const [images, labels] = c.split === 'train' ? ['imagesTr', 'labelsTr'] : ['imagesTs', 'labelsTs'];
      s.channels.forEach((channel, m) => {
        const e = report[`${images}/${c.id}_000${m}.nii.gz`];
        expect(e.shape).toEqual(s.dims);
        expect(e.dtype).toBe('float32');
        e.affine.forEach((v: number, i: number) => {
          expect(v).toBeCloseTo(affine[i], 5);
        });
        const sum = channel.reduce((a, v) => a + v, 0);
        expect(Math.abs(e.sum - sum)).toBeLessThan(1e-3 * (1 + Math.abs(sum)));
      });
      const l = report[`${labels}/${c.id}.nii.gz`];
      expect(l.shape).toEqual(s.dims);
      expect(l.values).toEqual([0, 1]);
      expect(l.values).toEqual([...new Set(s.label)].sort());
      expect(l.foreground).toBe(s.label.reduce((a, v) => a + (v > 0 ? 1 : 0), 0));
    });
    expect(report['dataset.json']).toEqual(json);
    expect(json).toMatchObject({
      channel_names: { 0: 'T1', 1: 'T2', 2: 'FLAIR' },
      labels: { background: 0, lesion: 1 },
      numTraining: 2,
      file_ending: '.nii.gz',
    });
  });

  it('user subjects on their own grids: each file carries its subject’s affine and spacing', () => {
    requireTorch();
    const grids = [
      [0.9, 0, 0, -10, 0, 0.9, 0, 12, 0, 0, 3, -5, 0, 0, 0, 1],
      [-1.2, 0, 0, 30, 0, 1.1, 0, -7, 0, 0, 2.5, 4, 0, 0, 0, 1],
    ];
    const subject = (affine: number[], k: number) => {
      const dims = [16, 12, 6];
      const n = 16 * 12 * 6;
      const image = createVolume({ dims, affine, data: Float32Array.from({ length: n }, (_, i) => ((i * (k + 3)) % 17) + 1) });
      const label = createVolume({ dims, affine, data: Uint8Array.from({ length: n }, (_, i) => (i % 9 === 0 ? 1 : 0)) });
      return prepareSubject({ images: [image], label, id: `s${k}` });
    };
    const [a, b] = grids.map(subject);
    const ds = buildDatasetFromSubjects({
      train: [a],
      validation: [b],
      display: {
        images: [createVolume({ dims: [16, 12, 6], affine: grids[1], data: new Float32Array(16 * 12 * 6) })],
        modalities: ['T1'],
      },
      seed: 1,
      patch: 8,
      batch: 1,
      network: 'unet2d',
    });
    const { files, cases } = nnunetDataset({ ds, name: 'grids' });
    const dir = tempDir('export-nnunet-grids');
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.name)), { recursive: true });
      writeFileSync(join(dir, f.name), f.bytes);
    }
    const report = JSON.parse(runPython({ script: join(TESTING_DIR, 'nibabel_check.py'), args: [dir] }));
    cases.forEach((c, k) => {
      const [images, labels] = c.split === 'train' ? ['imagesTr', 'labelsTr'] : ['imagesTs', 'labelsTs'];
      for (const file of [`${images}/${c.id}_0000.nii.gz`, `${labels}/${c.id}.nii.gz`])
        report[file].affine.forEach((v: number, i: number) => {
          expect(v, `${file} affine[${i}]`).toBeCloseTo(grids[k][i], 5);
        });
    });
  });
});
