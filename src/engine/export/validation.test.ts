// train.py's validation on an exported dataset equals the engine Trainer's: the same held-out batches put back
// on each subject's grid (with its spacing from the NIfTI header) and the same challenge metrics, means over
// subjects. The network is a fixed threshold classifier both sides run exactly (a real network's argmax flips
// on float noise near p = 0.5; its forward is checked in networks.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type NetworkKind, sizeMultiple } from '../../domain/network-spec';
import type { ChallengeMetrics } from '../metrics/challenge';
import { buildDataset, createDatasetSource, DATASET_DEFAULTS, type Dataset } from '../train/dataset';
import { batchMetrics, summariseMetrics } from '../train/validation-metrics';
import { nnunetDataset } from './nnunet';
import { requireTorch, runPython, skipWithoutTorch, TESTING_DIR, tempDir } from './testing/python';

const skip = skipWithoutTorch('export/validation.test');
const THRESHOLD = 0.8;
// Exact in float32 (NIfTI pixdim), so both sides measure in the same mm.
const SPACING: [number, number, number] = [0.75, 1.25, 2.5];

/** A phantom dataset whose subjects (and exported files) have an anisotropic spacing. */
function anisotropic(network: NetworkKind): Dataset {
  const ds = buildDataset({
    seed: 6,
    lesion: 'tumour',
    fraction: 0.03,
    noise: 0.05,
    patch: 16,
    batch: 2,
    network,
    shape: [24, 20, 18],
    trainSubjects: 1,
    validationSubjects: 2,
  });
  // The voxel axes scaled in the affine too (NIfTI's pixdim follows it); each subject is exported on its own.
  const scaled = (affine: number[]) => affine.map((a, i) => (i < 12 && i % 4 < 3 ? a * SPACING[i % 4] : a));
  const onGrid = (s: Dataset['train'][number]) => ({ ...s, spacing: SPACING, affine: scaled(s.affine!) });
  return {
    ...ds,
    train: ds.train.map(onGrid),
    validation: ds.validation.map(onGrid),
    // The voxel axes scaled in the affine too (NIfTI's pixdim follows it).
    display: {
      ...ds.display,
      images: ds.display.images.map((v) => ({
        ...v,
        spacing: [...SPACING],
        affine: scaled(v.affine),
      })),
    },
  };
}

/** The engine's validation metrics with the threshold classifier on each held-out batch's first channel. */
function engineMetrics(ds: Dataset, network: NetworkKind): ChallengeMetrics[] {
  const source = createDatasetSource(ds, sizeMultiple({ kind: network }));
  return source.validationBatches().map((b) => {
    const cin = b.xShape[b.xShape.length - 1];
    const predictedFg = Uint8Array.from({ length: b.x.length / cin }, (_, v) => (b.x[v * cin] > THRESHOLD ? 1 : 0));
    return batchMetrics({ batch: b, predictedFg });
  });
}

describe.skipIf(skip)('train.py validation metrics vs the engine Trainer', () => {
  beforeAll(() => requireTorch());

  for (const network of ['unet2d', 'highres3d'] as const) {
    it(`${network}: every challenge metric within 1e-9, subjects on their own grids and spacing`, () => {
      const ds = anisotropic(network);
      const dir = tempDir('export-validation');
      for (const f of nnunetDataset({ ds, name: 'v' }).files) {
        mkdirSync(dirname(join(dir, f.name)), { recursive: true });
        writeFileSync(join(dir, f.name), f.bytes);
      }
      const args = [dir, String(ds.spec.dims), String(sizeMultiple({ kind: network })), String(ds.numClasses)];
      args.push(String(DATASET_DEFAULTS.validationSlices), String(DATASET_DEFAULTS.slab3d), String(THRESHOLD));
      const out = JSON.parse(runPython({ script: join(TESTING_DIR, 'validation_check.py'), args }));
      expect(out.spacing).toEqual([SPACING, SPACING]);
      const perSubject = engineMetrics(ds, network);
      // Not a trivial case: the classifier finds some of the lesion and some false positives.
      expect(perSubject.some((m) => m.dice > 0 && m.dice < 1 && m.hd95 > 0)).toBe(true);
      const want = summariseMetrics(perSubject);
      for (const [id, v] of Object.entries(want)) {
        const got = out.metrics[id] ?? Number.NaN;
        if (Number.isNaN(v)) expect(got, id).toBeNaN();
        else expect(Math.abs(got - v), `${id}: python ${got}, engine ${v}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
      }
    }, 120_000);
  }
});
