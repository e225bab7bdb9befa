// Subjects (phantoms or user volumes) -> the trainer's BatchSource: seeded patch batches (shared by every run of a race),
// fixed validation slices of unseen subjects, and the display subject's slice for snapshots.
import type { DataRequest, DataSummary, VolumeData } from '../api';
import { fitThreshold, scoreThreshold, type ThresholdFit } from '../data/baseline';
import { batchSignedDistances } from '../data/distance';
import { generatePhantom, type Phantom } from '../data/phantom';
import { DATASET_DEFAULTS, phantomInputs } from './phantom-inputs';
import type { PhantomMaker } from '../data/phantom-maker';
import { type PatchRef, type PatchSpec, patchImbalance, sampleBatch } from '../data/patches';
import { classCount, type Subject, subjectFromPhantom } from '../data/subjects';
import type { Volume } from '../data/volume';
import { type NetworkKind, nearestValidSize, SPATIAL_DIMS } from '../../domain/network-spec';
import type { ArrayBatch, BatchSource, SubjectGrid } from './source';

export interface Dataset {
  /** The phantom request (absent for datasets built from user volumes). */
  request?: DataRequest;
  /** Seeds the batch stream. */
  seed: number;
  spec: PatchSpec;
  train: Subject[];
  validation: Subject[];
  /** The subject shown in the viewer: the first validation subject (unseen by training). */
  display: { images: Volume[]; modalities: string[]; subject: Subject; phantom?: Phantom };
  achievedFraction: number;
  patchImbalance: number;
  /** Classes trained, background included (2 unless the user kept every class of a label map). */
  numClasses: number;
  /** The label value each class index stands for, where it is not the index itself (user label maps). */
  classValues?: number[];
  /** Best single-threshold Dice on the validation subjects (phantoms, which know their brain). */
  baseline?: DataSummary['baseline'];
}

// The dataset's defaults and its phantoms' inputs live apart (the page's phantom helpers read them too).
export { DATASET_DEFAULTS, phantomInputs } from './phantom-inputs';

export function buildDataset(req: DataRequest): Dataset {
  return datasetFromPhantoms(
    req,
    phantomInputs(req).map((o) => generatePhantom(o)),
  );
}

/** buildDataset with phantoms from `make` (helper threads in the page). */
export async function buildDatasetWith(req: DataRequest, make: PhantomMaker): Promise<Dataset> {
  const inputs = phantomInputs(req);
  const nTrain = req.trainSubjects ?? DATASET_DEFAULTS.trainSubjects;
  const made = new Map<number, Phantom>();
  let done = false;
  let early: EarlyFit | null = null;
  // Once the training phantoms are made, what depends on them alone is done while the others are made.
  const onEach = (i: number, p: Phantom) => {
    made.set(i, p);
    const train = Array.from({ length: nTrain }, (_, k) => made.get(k));
    if (i >= nTrain || made.size === inputs.length || train.some((t) => !t)) return;
    setTimeout(() => {
      if (!done) early = fitOnTraining(req, train as Phantom[]);
    }, 0);
  };
  const phantoms = await make(inputs, onEach);
  done = true;
  return datasetFromPhantoms(req, phantoms, early);
}

const subjects = new WeakMap<Phantom, Subject>();

/** A phantom's subject (normalised channels, binary label), made once: a dataset of the same phantoms reuses it. */
export function phantomSubject(p: Phantom): Subject {
  let s = subjects.get(p);
  if (!s) subjects.set(p, (s = subjectFromPhantom(p)));
  return s;
}

/** The threshold baseline's search on the training phantoms, and the samplers' tables of their subjects. */
interface EarlyFit {
  train: Phantom[];
  fit: ThresholdFit;
}

const baselineSubject = (p: Phantom) => ({ ...phantomSubject(p), mask: p.brainMask.data });

function fitOnTraining(req: DataRequest, train: Phantom[]): EarlyFit {
  const subjects = train.map(phantomSubject);
  // The samplers' per-subject tables (read by the patch imbalance and the first batches), made now.
  patchImbalance({ subjects, spec: patchSpecFor({ ...req, dims: subjects[0].dims }), seed: req.seed });
  return { train, fit: fitThreshold({ train: train.map(baselineSubject), modalities: [...train[0].options.modalities] }) };
}

function datasetFromPhantoms(req: DataRequest, phantoms: Phantom[], early: EarlyFit | null = null): Dataset {
  const nTrain = req.trainSubjects ?? DATASET_DEFAULTS.trainSubjects;
  const subjects = phantoms.map(phantomSubject);
  const shown = phantoms[nTrain];
  const ds = buildDatasetFromSubjects({
    train: subjects.slice(0, nTrain),
    validation: subjects.slice(nTrain),
    display: { images: shown.images, modalities: [...shown.options.modalities] },
    seed: req.seed,
    patch: req.patch,
    batch: req.batch,
    network: req.network,
  });
  const trainPhantoms = phantoms.slice(0, nTrain);
  const fit = early?.train.every((p, k) => p === trainPhantoms[k])
    ? early.fit
    : fitThreshold({ train: trainPhantoms.map(baselineSubject), modalities: [...shown.options.modalities] });
  const { trainDice: _, ...baseline } = scoreThreshold(fit, phantoms.slice(nTrain).map(baselineSubject));
  return { ...ds, request: req, display: { ...ds.display, phantom: shown }, achievedFraction: shown.fraction, baseline };
}

/** Patch spec for a network on volumes of `dims`: the side snaps to what the network accepts and fits the volume. */
export function patchSpecFor(params: { network: string; patch: number; batch: number; dims: readonly number[] }): PatchSpec {
  const kind = params.network as NetworkKind;
  const spatial = SPATIAL_DIMS[kind];
  if (!spatial) throw new Error(`unknown network '${params.network}'`);
  const { dims } = params;
  // The network needs sides divisible by 2^depth: snap to the nearest valid side that fits the volume.
  const fit = Math.min(params.patch, ...(spatial === 2 ? dims.slice(0, 2) : dims.slice(0, 3)));
  let side = nearestValidSize({ kind }, fit);
  while (side > fit && side > nearestValidSize({ kind }, 1)) side -= nearestValidSize({ kind }, 1);
  return { dims: spatial, size: side, batch: params.batch, axis: 'axial', requireForeground: true };
}

/**
 * A dataset from ready subjects (phantoms or user volumes). The first validation subject is shown;
 * `display.images` are its raw (un-normalised) volumes for the viewer.
 */
export function buildDatasetFromSubjects(params: {
  train: Subject[];
  validation: Subject[];
  display: { images: Volume[]; modalities: string[] };
  seed: number;
  patch: number;
  batch: number;
  network: string;
  classValues?: number[];
}): Dataset {
  const { train, validation, seed } = params;
  if (train.length === 0 || validation.length === 0) throw new Error('a dataset needs a training and a validation subject');
  const shown = validation[0];
  const numClasses = classCount(shown);
  if ([...train, ...validation].some((s) => classCount(s) !== numClasses))
    throw new Error('every subject of a dataset needs the same number of classes');
  if (params.classValues && params.classValues.length !== numClasses)
    throw new Error(`classValues has ${params.classValues.length} entries for ${numClasses} classes`);
  const spec = patchSpecFor({ ...params, dims: shown.dims });
  let fg = 0;
  for (let i = 0; i < shown.label.length; i++) if (shown.label[i] > 0) fg++;
  return {
    seed,
    numClasses,
    ...(params.classValues ? { classValues: [...params.classValues] } : {}),
    spec,
    train,
    validation,
    display: { ...params.display, subject: shown },
    achievedFraction: fg / shown.label.length,
    patchImbalance: patchImbalance({ subjects: train, spec, seed }),
  };
}

/** The display subject's raw images and label for the viewer. */
export function displayVolumes(ds: Dataset): { images: VolumeData[]; modalities: string[]; label: Uint8Array } {
  const { modalities } = ds.display;
  const images = ds.display.images.map((v, i) => ({
    name: modalities[i],
    dims: v.dims.slice(0, 3) as [number, number, number],
    spacing: v.spacing.slice(0, 3) as [number, number, number],
    affine: [...v.affine],
    data: Float32Array.from(v.data),
  }));
  return { images, modalities: [...modalities], label: Uint8Array.from(ds.display.subject.label) };
}

/** Rounds up to a multiple of m. */
const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/**
 * Whole axial slices z of a subject, [n, H', W', C] padded at the end (bottom/right) to a multiple of m,
 * with one-hot labels over the subject's K classes (padding is background).
 */
export function axialSlices(s: Subject, zs: number[], m: number): ArrayBatch {
  const [nx, ny] = s.dims;
  const H = roundUp(ny, m);
  const W = roundUp(nx, m);
  const C = s.channels.length;
  const K = classCount(s);
  const x = new Float32Array(zs.length * H * W * C);
  const y = new Float32Array(zs.length * H * W * K);
  zs.forEach((z, b) => {
    for (let j = 0; j < H; j++)
      for (let i = 0; i < W; i++) {
        const out = (b * H + j) * W + i;
        const inside = i < nx && j < ny;
        const idx = i + nx * (j + ny * z);
        for (let c = 0; c < C; c++) x[out * C + c] = inside ? s.channels[c][idx] : 0;
        y[out * K + (inside ? s.label[idx] : 0)] = 1;
      }
  });
  return { x, xShape: [zs.length, H, W, C], y, yShape: [zs.length, H, W, K] };
}

/** A [1, D, H', W', C] slab of d axial slices starting at z0 (clamped), padded to multiples of m. */
export function axialSlab(s: Subject, z0: number, d: number, m: number): ArrayBatch & { start: number } {
  const depth = Math.min(roundUp(d, m), roundUp(s.dims[2], m));
  const start = Math.max(0, Math.min(z0, s.dims[2] - depth));
  const zs = Array.from({ length: depth }, (_, k) => Math.min(start + k, s.dims[2] - 1));
  const slices = axialSlices(s, zs, m);
  const [, H, W, C] = slices.xShape;
  const K = slices.yShape[3];
  return { x: slices.x, xShape: [1, depth, H, W, C], y: slices.y, yShape: [1, depth, H, W, K], start };
}

/** Axial slices with foreground, spread evenly over the lesion's extent (at most `count`). */
export function lesionSlices(s: Subject, count: number): number[] {
  const [nx, ny, nz] = s.dims;
  const withFg: number[] = [];
  for (let z = 0; z < nz; z++) {
    const slice = s.label.subarray(z * nx * ny, (z + 1) * nx * ny);
    if (slice.some((v) => v > 0)) withFg.push(z);
  }
  if (withFg.length <= count) return withFg.length ? withFg : [Math.floor(nz / 2)];
  return Array.from({ length: count }, (_, k) => withFg[Math.round((k * (withFg.length - 1)) / (count - 1 || 1))]);
}

export interface DatasetSource extends BatchSource {
  setSnapshotSlice(z: number): void;
  trainDistances(step: number, stream?: number): Float32Array;
}

/** mm along a patch's axes (patches.ts's layout: 3D [z, y, x]; 2D axial [y, x], coronal [z, x], sagittal [z, y]). */
export function patchSpacing(spec: PatchSpec, spacing: readonly number[] = [1, 1, 1]): number[] {
  const [sx, sy, sz] = spacing;
  if (spec.dims === 3) return [sz, sy, sx];
  const axis = spec.axis ?? 'axial';
  return axis === 'axial' ? [sy, sx] : axis === 'coronal' ? [sz, sx] : [sz, sy];
}

/** A BatchSource over the dataset; `multiple` is the size the network needs every axis to divide by. */
export function createDatasetSource(ds: Dataset, multiple: number): DatasetSource {
  const cache = new Map<string, ArrayBatch & { patches: PatchRef[] }>();
  const distances = new Map<string, Float32Array>();
  const threeD = ds.spec.dims === 3;
  const slab = roundUp(DATASET_DEFAULTS.slab3d, multiple);
  const validation = ds.validation.map((s): ArrayBatch => {
    const zs = lesionSlices(s, DATASET_DEFAULTS.validationSlices);
    const grid = (slices: number[]) => ({ dims: s.dims, spacing: s.spacing ?? [1, 1, 1], slices }) satisfies SubjectGrid;
    if (!threeD) return { ...axialSlices(s, zs, multiple), grid: grid(zs) };
    const b = axialSlab(s, zs[Math.floor(zs.length / 2)] - slab / 2, slab, multiple);
    const depth = b.xShape[1];
    return { ...b, grid: grid(Array.from({ length: depth }, (_, k) => Math.min(b.start + k, s.dims[2] - 1))) };
  });
  let snapZ = Math.floor(ds.display.subject.dims[2] / 2);
  // Cache keys are `${stream}:${step}`.
  const stepOf = (key: string) => Number(key.slice(key.indexOf(':') + 1));
  const trainBatch = (step: number, stream = ds.seed) => {
    // Runs of a race ask for the same step in turn: sample once per stream, keep the last few steps.
    const key = `${stream}:${step}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const b = sampleBatch({ subjects: ds.train, spec: ds.spec, seed: stream, step });
    const batch = { x: b.image, xShape: b.imageShape, y: b.label as Float32Array, yShape: b.labelShape, patches: b.patches };
    cache.set(key, batch);
    for (const k of cache.keys()) if (stepOf(k) < step - 2) cache.delete(k);
    return batch;
  };
  return {
    numClasses: ds.numClasses,
    trainBatch,
    trainDistances(step, stream = ds.seed) {
      // Computed on first request only (a boundary run), once per step and stream for the whole race.
      const key = `${stream}:${step}`;
      const hit = distances.get(key);
      if (hit) return hit;
      const b = trainBatch(step, stream);
      const spacings = b.patches.map((p) => patchSpacing(ds.spec, ds.train[p.subject].spacing));
      const maps = batchSignedDistances({ label: b.y, labelShape: b.yShape, spacings });
      distances.set(key, maps);
      for (const k of distances.keys()) if (stepOf(k) < step - 2) distances.delete(k);
      return maps;
    },
    validationBatches: () => validation,
    snapshotInput() {
      const s = ds.display.subject;
      if (!threeD) return { ...axialSlices(s, [snapZ], multiple), pick: 0 };
      const b = axialSlab(s, snapZ - slab / 2, slab, multiple);
      return { ...b, pick: snapZ - b.start };
    },
    setSnapshotSlice(z: number) {
      snapZ = Math.max(0, Math.min(Math.round(z), ds.display.subject.dims[2] - 1));
    },
  };
}
