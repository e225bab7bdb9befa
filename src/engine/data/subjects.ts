// Turning volumes into training subjects: per-modality z-scoring (the paper's white-matter
// normalisation when a WM mask is known) and a seeded train/validation split by subject.
import type { Phantom } from './phantom';
import { createRng } from './rng';
import { channelCount, type Volume, type VolumeArray } from './volume';

/** One subject ready for sampling: normalised channels and a class label per voxel, all x-fastest. */
export interface Subject {
  id: string;
  /** [x, y, z] */
  dims: [number, number, number];
  /** One normalised image per modality. */
  channels: Float32Array[];
  /** Class index 0..numClasses-1 per voxel; 0 is background (0/1 for the usual two classes). */
  label: Uint8Array;
  /** Classes the label distinguishes, background included (absent: 2). */
  numClasses?: number;
  /** Voxel size in mm along [x, y, z] (absent: 1 mm), for distances in the validation metrics. */
  spacing?: [number, number, number];
  /** Row-major voxel -> world (mm) transform of its grid (the images'), so exports place each subject. */
  affine?: number[];
}

/** Classes of a subject's label, background included. */
export const classCount = (s: Pick<Subject, 'numClasses'>): number => s.numClasses ?? 2;

export type NormaliseReference = 'wm' | 'brain' | 'all';

/**
 * z = (v - mean) / sd with mean and sd over the voxels where mask != 0 (all voxels without a mask);
 * `masked` is that mask as its voxel list (maskedVoxels), for channels sharing one mask.
 */
export function zScore(params: { data: ArrayLike<number>; mask?: ArrayLike<number>; masked?: Int32Array }): Float32Array {
  const { data } = params;
  // The statistics read only the reference voxels, listed once (a subject's channels share the list).
  const idx = params.masked ?? (params.mask ? maskedVoxels(params.mask) : null);
  const n = idx ? idx.length : data.length;
  if (n === 0) throw new RangeError('zScore: the mask selects no voxels');
  // One loop per function (V8 then compiles each once, whole: see the data README's loop style).
  const mean = (idx ? sumAt(data, idx) : sumAll(data)) / n;
  const sd = Math.sqrt((idx ? squaresAt(data, idx, mean) : squaresAll(data, mean)) / n);
  const inv = sd > 0 ? 1 / sd : 1; // a flat reference region only gets centred
  return rescaled(data, mean, inv);
}

function sumAt(data: ArrayLike<number>, idx: Int32Array): number {
  let sum = 0;
  for (let j = 0; j < idx.length; j++) sum += data[idx[j]];
  return sum;
}

function sumAll(data: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  return sum;
}

function squaresAt(data: ArrayLike<number>, idx: Int32Array, mean: number): number {
  let ss = 0;
  for (let j = 0; j < idx.length; j++) {
    const d = data[idx[j]] - mean;
    ss += d * d;
  }
  return ss;
}

function squaresAll(data: ArrayLike<number>, mean: number): number {
  let ss = 0;
  for (let i = 0; i < data.length; i++) {
    const d = data[i] - mean;
    ss += d * d;
  }
  return ss;
}

function rescaled(data: ArrayLike<number>, mean: number, inv: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] - mean) * inv;
  return out;
}

/** The indices of a mask's non-zero voxels, in order. */
export function maskedVoxels(mask: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(countSet(mask));
  for (let i = 0, j = 0; i < mask.length; i++) if (mask[i]) idx[j++] = i;
  return idx;
}

function countSet(mask: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  return n;
}

/** Splits a 4D volume into its 3D channels (views, no copy). */
function channelsOf(volume: Volume): VolumeArray[] {
  const c = channelCount(volume.dims);
  const n = volume.dims[0] * volume.dims[1] * volume.dims[2];
  return Array.from({ length: c }, (_, k) => volume.data.subarray(k * n, (k + 1) * n));
}

/**
 * Builds a Subject from image volumes (3D, or 4D with modalities along the 4th dim) and a label.
 * Normalisation reference: 'wm' (default when wmMask is given, as the paper does), else 'brain'
 * (when brainMask is given), else 'all' voxels.
 */
export function prepareSubject(params: {
  images: Volume[];
  label: Volume;
  brainMask?: Volume;
  wmMask?: Volume;
  reference?: NormaliseReference;
  id?: string;
  /** Keep the label's class indices 0..classes-1 (multi-class); absent: every non-zero voxel is foreground. */
  classes?: number;
}): Subject {
  const { images, label, brainMask, wmMask } = params;
  if (images.length === 0) throw new RangeError('prepareSubject: no images');
  const dims = label.dims.slice(0, 3) as [number, number, number];
  const n = dims[0] * dims[1] * dims[2];
  const same = (v: Volume) => v.dims[0] === dims[0] && v.dims[1] === dims[1] && v.dims[2] === dims[2];
  for (const v of [...images, brainMask, wmMask]) {
    if (v && !same(v))
      throw new RangeError(`prepareSubject: ${v.name ?? 'a volume'} is ${v.dims.join('x')}, the label is ${dims.join('x')}`);
  }
  const reference = params.reference ?? (wmMask ? 'wm' : brainMask ? 'brain' : 'all');
  const mask = reference === 'wm' ? wmMask : reference === 'brain' ? brainMask : undefined;
  if (reference !== 'all' && !mask) throw new RangeError(`prepareSubject: reference '${reference}' needs its mask`);
  const classes = params.classes;
  if (classes !== undefined && !(Number.isInteger(classes) && classes >= 2 && classes <= 255))
    throw new RangeError(`prepareSubject: classes must be an integer in [2, 255], got ${classes}`);
  const masked = mask ? maskedVoxels(mask.data) : null;
  const bin = classLabels(label.data, n, classes);
  return {
    id: params.id ?? label.name ?? 'subject',
    dims,
    channels: images.flatMap(channelsOf).map((data) => zScore({ data, ...(masked ? { masked } : {}) })),
    label: bin,
    spacing: label.spacing.slice(0, 3) as [number, number, number],
    affine: [...images[0].affine],
    ...(classes !== undefined && classes !== 2 ? { numClasses: classes } : {}),
  };
}

/** Class indices per voxel: non-zero -> 1 without `classes`, else the values, each checked to be 0..classes-1. */
function classLabels(data: ArrayLike<number>, n: number, classes: number | undefined): Uint8Array {
  const bin = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (classes === undefined) bin[i] = v > 0 ? 1 : 0;
    else if (Number.isInteger(v) && v >= 0 && v < classes) bin[i] = v;
    else throw new RangeError(`prepareSubject: label value ${v} at voxel ${i} is not a class index 0..${classes - 1}`);
  }
  return bin;
}

/** A phantom as a Subject, normalised on its white matter by default. */
export function subjectFromPhantom(phantom: Phantom, reference: NormaliseReference = 'wm'): Subject {
  const { images, label, brainMask, wmMask, options } = phantom;
  return prepareSubject({ images, label, brainMask, wmMask, reference, id: `phantom-${options.seed}` });
}

/**
 * Seeded split of `count` subjects into training and validation indices (validation Dice is
 * measured on unseen subjects). With 2+ subjects and a fraction strictly between 0 and 1, each
 * side gets at least one.
 */
export function splitSubjects(params: { count: number; validationFraction?: number; seed?: number }): {
  train: number[];
  validation: number[];
} {
  const { count, validationFraction = 0.2, seed = 0 } = params;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`splitSubjects: count must be an integer >= 0, got ${count}`);
  if (!(validationFraction >= 0 && validationFraction <= 1)) {
    throw new RangeError(`splitSubjects: validationFraction must be in [0, 1], got ${validationFraction}`);
  }
  const order = Array.from({ length: count }, (_, i) => i);
  const rng = createRng(seed).fork('split');
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  let nVal = Math.round(count * validationFraction);
  if (count >= 2 && validationFraction > 0 && validationFraction < 1) nVal = Math.min(count - 1, Math.max(1, nVal));
  const byIndex = (a: number, b: number) => a - b;
  return { validation: order.slice(0, nVal).sort(byIndex), train: order.slice(nVal).sort(byIndex) };
}
