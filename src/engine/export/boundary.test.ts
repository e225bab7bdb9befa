// The boundary loss in the PyTorch export: python/distance.py's signed distance maps equal the engine's
// (src/engine/data/distance.ts) within float32 rounding, on hand-made masks (empty, full, one voxel, three
// classes, soft labels at the 0.5 threshold, a one-voxel-thick axis, anisotropic spacing) and on the patches
// the engine's batch source measures (trainDistances: 2D axial, coronal and sagittal, 3D, subjects on their
// own anisotropic grids, cut by data.py from the exported NIfTI files); and an exported boundary run's
// train.py steps equal the engine Trainer's (the maps and the schedule's step reach the loss).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { type NetworkKind, sizeMultiple } from '../../domain/network-spec';
import { batchSignedDistances } from '../data/distance';
import type { PatchRef, SliceAxis } from '../data/patches';
import { makeRng } from '../losses/testing/fixtures';
import type { StepPoint } from '../train/events';
import { buildDataset, createDatasetSource, type Dataset } from '../train/dataset';
import { buildRace } from '../train/race';
import { nnunetDataset } from './nnunet';
import { buildProject, type ProjectRun, zipProject } from './project';
import { PYTHON_SOURCES } from './python-sources';
import { readFloats, requireTorch, runPython, skipWithoutTorch, TESTING_DIR, tempDir, writeFloats } from './testing/python';

const skip = skipWithoutTorch('export/boundary.test');

// Exact in float32 (NIfTI pixdim): each training subject on its own grid, x, y, z in mm.
const SPACINGS: [number, number, number][] = [
  [0.75, 1.25, 2.5],
  [1.5, 0.5, 1],
];

/** A phantom dataset whose training subjects have different anisotropic spacings (exported as such). */
function anisotropic(network: NetworkKind, patch: number, axis?: SliceAxis): Dataset {
  const ds = buildDataset({
    seed: 8,
    lesion: 'tumour',
    fraction: 0.04,
    noise: 0.05,
    patch,
    batch: 2,
    network,
    shape: [24, 20, 18],
    trainSubjects: 2,
    validationSubjects: 1,
  });
  const onGrid = (s: Dataset['train'][number], spacing: [number, number, number]) => ({
    ...s,
    spacing,
    affine: s.affine!.map((a, i) => (i < 12 && i % 4 < 3 ? a * spacing[i % 4] : a)),
  });
  return {
    ...ds,
    spec: { ...ds.spec, ...(axis ? { axis } : {}) },
    train: ds.train.map((s, k) => onGrid(s, SPACINGS[k])),
    validation: ds.validation.map((s) => onGrid(s, SPACINGS[0])),
  };
}

/** The dataset's nnU-Net files in a temp folder (what an export holds). */
function writeDataset(ds: Dataset): string {
  const dir = tempDir('export-boundary-data');
  for (const f of nnunetDataset({ ds, name: 'b' }).files) {
    mkdirSync(dirname(join(dir, f.name)), { recursive: true });
    writeFileSync(join(dir, f.name), f.bytes);
  }
  return dir;
}

interface MaskCase {
  what: string;
  shape: number[];
  spacings: number[][];
  label: Float32Array;
}

/** Channels-last one-hot of per-voxel classes (items back to back). */
function oneHot(classes: number[], K: number): Float32Array {
  const out = new Float32Array(classes.length * K);
  for (const [v, c] of classes.entries()) out[v * K + c] = 1;
  return out;
}

function maskCases(): MaskCase[] {
  const rng = makeRng(41);
  const random = (n: number, fg: number, K = 2) =>
    Array.from({ length: n }, () => (rng() < fg ? 1 + Math.floor(rng() * (K - 1)) : 0));
  const M2 = 6 * 7;
  // A 6 x 7 slice: no foreground, all foreground, one voxel, a 3 x 4 block, random.
  const slices = [
    Array(M2).fill(0),
    Array(M2).fill(1),
    Array.from({ length: M2 }, (_, i) => (i === 2 * 7 + 3 ? 1 : 0)),
    Array.from({ length: M2 }, (_, i) => (Math.floor(i / 7) >= 1 && Math.floor(i / 7) <= 3 && i % 7 >= 2 && i % 7 <= 5 ? 1 : 0)),
    random(M2, 0.4),
  ].flat();
  const M3 = 5 * 6 * 7;
  const three = [...random(M3, 0.5, 3), ...random(M3, 0.3, 2), ...random(M3, 0.6, 3)];
  // Two channels that are not complementary, at and around the 0.5 threshold (each map from its own channel).
  const levels = [0, 0.49, 0.5, 0.51, 1];
  const soft = Float32Array.from({ length: 2 * 4 * 5 * 2 }, () => levels[Math.floor(rng() * levels.length)]);
  // Larger blobs: long distances and many equidistant voxels.
  const blob = (dims: number[], centre: number[], radius: number) => {
    const n = dims.reduce((a, b) => a * b, 1);
    return Array.from({ length: n }, (_, i) => {
      let rest = i;
      let d2 = 0;
      for (let a = dims.length - 1; a >= 0; a--) {
        const q = rest % dims[a];
        rest = Math.floor(rest / dims[a]);
        d2 += (q - centre[a]) ** 2;
      }
      return d2 <= radius * radius ? 1 : 0;
    });
  };
  return [
    {
      what: '2D: empty, full, one voxel, a block, random',
      shape: [5, 6, 7, 2],
      spacings: [
        [1, 1],
        [0.75, 1.25],
        [2.5, 0.5],
        [1, 1],
        [0.5, 0.5],
      ],
      label: oneHot(slices, 2),
    },
    {
      what: '3D, three classes (class 2 absent from item 1)',
      shape: [3, 5, 6, 7, 3],
      spacings: [
        [2.5, 1.25, 0.75],
        [1, 1, 1],
        [0.5, 2, 1],
      ],
      label: oneHot(three, 3),
    },
    {
      what: 'soft, non-complementary channels',
      shape: [2, 4, 5, 2],
      spacings: [
        [1, 1],
        [1.5, 0.5],
      ],
      label: soft,
    },
    {
      what: '3D with a one-voxel-thick axis',
      shape: [2, 1, 6, 6, 2],
      spacings: [
        [3, 1, 1],
        [0.5, 2, 2],
      ],
      label: oneHot([...random(36, 0.4), ...random(36, 0.5)], 2),
    },
    {
      what: 'large blobs, 2D and 3D',
      shape: [2, 24, 20, 2],
      spacings: [
        [1, 1],
        [0.7, 1.3],
      ],
      label: oneHot([...blob([24, 20], [10, 8], 6), ...blob([24, 20], [3, 15], 9)], 2),
    },
    {
      what: 'a 3D blob, anisotropic',
      shape: [1, 12, 10, 9, 2],
      spacings: [[2.5, 1, 0.8]],
      label: oneHot(blob([12, 10, 9], [6, 4, 4], 4), 2),
    },
  ];
}

interface PatchCase {
  what: string;
  dataset: string;
  patch: Dataset['spec'];
  classes: number;
  refs: [number, number[]][];
  label: Float32Array;
  maps: Float32Array;
}

/** Worst |python - engine| relative to max(1, |engine|), and how many values differ at all. */
function compare(got: Float32Array, want: Float32Array): { worst: number; differing: number } {
  expect(got.length).toBe(want.length);
  let worst = 0;
  let differing = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
    if (got[i] !== want[i]) differing++;
    if (!(d <= worst)) worst = d;
  }
  return { worst, differing };
}

/** The engine Trainer's losses for every run (as scripts/export.test.ts). */
async function engineLosses(
  ds: Dataset,
  network: NetworkKind,
  runs: ProjectRun[],
  steps: number,
): Promise<Map<string, StepPoint[]>> {
  const out = new Map<string, StepPoint[]>();
  const race = buildRace({
    network,
    inChannels: ds.train[0].channels.length,
    numClasses: ds.numClasses,
    source: createDatasetSource(ds, sizeMultiple({ kind: network })),
    emit: (name, payload) => {
      if (name !== 'steps') return;
      const e = payload as { runId: string; points: StepPoint[] };
      out.set(e.runId, [...(out.get(e.runId) ?? []), ...e.points]);
    },
    runs: runs.map((r) => ({ ...r, steps })),
    trainer: { readEvery: 1, validateEvery: 0, snapshotEvery: 0 },
  });
  for (let s = 0; s < steps; s++) for (const t of race.trainers) await t.advance();
  for (const t of race.trainers) t.dispose();
  return out;
}

describe.skipIf(skip)('the boundary loss in the PyTorch export', () => {
  beforeAll(async () => {
    requireTorch();
    await tf.setBackend('cpu');
  });

  it('distance.py maps equal data/distance.ts within float32 rounding: hand-made masks and real patches', () => {
    const masks = maskCases();
    const patches: PatchCase[] = [];
    const settings: { what: string; network: NetworkKind; patch: number; axis?: SliceAxis }[] = [
      { what: '2D axial', network: 'unet2d', patch: 16 },
      { what: '2D coronal', network: 'unet2d', patch: 16, axis: 'coronal' },
      { what: '2D sagittal', network: 'unet2d', patch: 16, axis: 'sagittal' },
      { what: '3D', network: 'highres3d', patch: 12 },
    ];
    for (const s of settings) {
      const ds = anisotropic(s.network, s.patch, s.axis);
      const dataset = writeDataset(ds);
      const source = createDatasetSource(ds, sizeMultiple({ kind: s.network }));
      for (const step of [1, 2, 3]) {
        // The dataset source's batch keeps its patch origins (what batches.json carries to train.py).
        const b = source.trainBatch(step, 1) as ReturnType<typeof source.trainBatch> & { patches: PatchRef[] };
        expect(b.patches).toHaveLength(ds.spec.batch);
        const refs = b.patches.map((p): [number, number[]] => [p.subject, [...p.origin]]);
        patches.push({
          what: `${s.what} step ${step}`,
          dataset,
          patch: ds.spec,
          classes: ds.numClasses,
          refs,
          label: Float32Array.from(b.y),
          maps: source.trainDistances(step, 1),
        });
      }
      // Both subjects (both spacings) among the patches measured.
      expect(new Set(patches.slice(-3).flatMap((p) => p.refs.map((r) => r[0]))).size).toBe(2);
    }
    const dir = tempDir('export-distance');
    writeFloats(join(dir, 'labels.bin'), Float32Array.from(masks.flatMap((m) => Array.from(m.label))));
    writeFileSync(
      join(dir, 'cases.json'),
      JSON.stringify({
        masks: masks.map((m) => ({ shape: m.shape, spacings: m.spacings })),
        patches: patches.map((p) => ({ dataset: p.dataset, patch: p.patch, classes: p.classes, refs: p.refs })),
      }),
    );
    runPython({ script: join(TESTING_DIR, 'distance_check.py'), args: [dir] });
    const out = readFloats(join(dir, 'maps.bin'));
    let at = 0;
    const take = (n: number) => out.subarray(at, (at += n));
    const lines: string[] = [];
    let worst = 0;
    for (const m of masks) {
      const want = batchSignedDistances({ label: m.label, labelShape: m.shape, spacings: m.spacings });
      const { worst: w, differing } = compare(take(want.length), want);
      lines.push(`${m.what}: ${differing}/${want.length} differ, worst ${w.toExponential(1)}`);
      expect(w, m.what).toBeLessThanOrEqual(1.2e-7);
      worst = Math.max(worst, w);
    }
    // The hand-made edge cases by themselves: empty and full patches map to 0, a one-voxel class to its distances.
    const first = batchSignedDistances({ label: masks[0].label, labelShape: masks[0].shape, spacings: masks[0].spacings });
    expect(first.subarray(0, 2 * 2 * 42).every((v) => v === 0)).toBe(true);
    const single = first.subarray(2 * 2 * 42, 3 * 2 * 42).filter((_, i) => i % 2 === 1);
    expect(single.filter((v) => v === 0)).toHaveLength(1);
    expect(Math.min(...single.filter((v) => v !== 0))).toBeCloseTo(0.5, 6); // the next voxel along x, 0.5 mm
    for (const p of patches) {
      // data.py cuts the same label from the NIfTI files (then the maps of it are compared).
      expect(compare(take(p.label.length), p.label).differing, p.what).toBe(0);
      const { worst: w, differing } = compare(take(p.maps.length), p.maps);
      expect(p.maps.some((v) => v < 0) && p.maps.some((v) => v > 0), p.what).toBe(true);
      lines.push(`${p.what}: ${differing}/${p.maps.length} differ, worst ${w.toExponential(1)}`);
      expect(w, p.what).toBeLessThanOrEqual(1.2e-7);
      worst = Math.max(worst, w);
    }
    expect(at).toBe(out.length);
    console.log(
      `distance maps, python vs engine (relative to max(1, |phi|)): worst ${worst.toExponential(2)}\n  ${lines.join('\n  ')}`,
    );
  }, 60_000);

  for (const network of ['unet2d', 'highres3d'] as const) {
    it(`${network}: an exported boundary run's train.py steps equal the engine Trainer's (maps in mm, the schedule's step)`, async () => {
      const ds = anisotropic(network, network === 'unet2d' ? 16 : 8);
      // a = 0.5, 0.5, 0.7, 0.7, 0.9: the boundary term from step 1, its weight moving at steps 3 and 5.
      const spreads: Record<string, unknown>[] = [
        { boundaryStart: 0.5, boundaryRate: 0.2, boundaryEvery: 2, boundaryMax: 0.9 },
        ...(network === 'unet2d' ? [{ boundaryRegion: 'dice', boundaryStart: 0.3, perImage: true }] : []),
      ];
      const runs: ProjectRun[] = spreads.map((o, k) => ({
        runId: `boundary-${k}`,
        loss: 'boundary',
        lossOptions: o,
        lr: 1e-2,
        steps: 5,
        seed: 3,
      }));
      const files = buildProject({ name: 'boundary', ds, network, runs, query: '', sources: PYTHON_SOURCES, validateEvery: 0 });
      const dir = tempDir('export-boundary');
      for (const [name, bytes] of Object.entries(unzipSync(zipProject(files)))) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), bytes);
      }
      const project = join(dir, 'boundary');
      const readme = readFileSync(join(project, 'README.md'), 'utf8');
      expect(readme).toContain('distance.py');
      runPython({
        script: join(project, 'train.py'),
        args: ['--data', 'nnUNet_raw/Dataset501_boundary', '--device', 'cpu'],
        cwd: project,
        timeoutMs: 240_000,
      });
      const history = JSON.parse(readFileSync(join(project, 'results/history.json'), 'utf8'));
      const engine = await engineLosses(ds, network, runs, 5);
      for (const run of history.experiments[0].runs as { id: string; steps: StepPoint[]; config: Record<string, unknown> }[]) {
        const ours = engine.get(run.id)!;
        expect(run.steps.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
        expect(run.config.loss).toBe('boundary');
        const diffs = run.steps.map((p, k) => Math.abs(p.loss - ours[k].loss));
        console.log(
          `${network} ${run.id}: engine losses ${ours.map((p) => p.loss.toFixed(5)).join(' ')}; |torch - engine| ${diffs.map((d) => d.toExponential(1)).join(' ')}`,
        );
        expect(diffs[0]).toBeLessThan(1e-4);
        // Later steps drift by float noise through Adam (about 1e-6 to 4e-5 for other losses); a wrong map or
        // schedule weight moves a loss of this size by far more.
        for (const d of diffs.slice(1)) expect(d).toBeLessThan(1e-3);
      }
    }, 300_000);
  }
});
