// NIfTI exports: predictions back on the input file's own grid (affine, dims), and the shown
// subject (a phantom or the user's volumes on the training grid) as image + label files.
import { type NiftiMeta, writeNifti } from '../data/nifti';
import { createVolume, type Volume } from '../data/volume';
import type { Dataset } from '../train/dataset';
import { type Grid, gridOf, sameGrid, spacingOf } from './geometry';
import { threshold } from './predict';
import { resampleToGrid } from './resample';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/** Where a prediction made on the training grid goes: the input's grid (the same grid for phantoms). */
export interface ExportGeometry {
  working: Grid;
  original: Grid;
  /** The first image's header fields (xform codes, units, TR): exports carry them, so an MNI file stays MNI. */
  meta?: NiftiMeta;
}

/** NIFTI_INTENT_LABEL: the file holds label values (its table, if any, is the .tsv beside it). */
const INTENT_LABEL = 1002;

/** The input's header fields for a label map (intent label) or a float map (no intent). */
function metaFor(meta: NiftiMeta | undefined, kind: 'label' | 'float'): NiftiMeta | undefined {
  if (!meta) return undefined;
  const label = kind === 'label';
  return { ...meta, intentCode: label ? INTENT_LABEL : 0, intentName: label ? 'label' : '', intentParams: [0, 0, 0] };
}

/** A BIDS-style label table (index, name) for the values that have names; null when none has. */
export function labelTableFile(params: {
  name: string;
  values: readonly number[];
  names: ReadonlyMap<number, string>;
}): NamedBytes | null {
  const rows = params.values
    .filter((v) => params.names.has(v))
    .map((v) => `${v}\t${params.names.get(v)!.replace(/[\t\n]/g, ' ')}`);
  if (!rows.length) return null;
  return { name: params.name, bytes: new TextEncoder().encode(`index\tname\n${rows.join('\n')}\n`) };
}

const ext = (gzip: boolean) => (gzip ? '.nii.gz' : '.nii');

/** Class indices -> the label values they stand for (uint8 when they fit, else int32). */
export function classIndicesToValues(indices: ArrayLike<number>, values: readonly number[]): Uint8Array | Int32Array {
  const out = values.every((v) => v <= 255) ? new Uint8Array(indices.length) : new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const v = values[indices[i]];
    if (v === undefined) throw new RangeError(`class index ${indices[i]} has no label value (${values.length} classes)`);
    out[i] = v;
  }
  return out;
}

/**
 * Segmentation (uint8 0/1, or with `classes` the argmax class as its label value) and p(foreground)
 * (float32) NIfTI files on the input's grid.
 */
export function predictionFiles(params: {
  probs: Float32Array;
  geometry: ExportGeometry;
  prefix: string;
  description?: string;
  gzip?: boolean;
  /** Multi-class runs: the argmax class index per voxel and the label value of each class. */
  classes?: { index: ArrayLike<number>; values: readonly number[] };
  /** Two-class runs on one chosen label value: the segmentation holds that value instead of 1. */
  foregroundValue?: number;
}): { segmentation: NamedBytes; probability: NamedBytes } {
  const { probs, geometry, prefix, gzip = true, foregroundValue } = params;
  const classes =
    params.classes ?? (foregroundValue !== undefined ? { index: threshold(probs), values: [0, foregroundValue] } : undefined);
  const { working, original, meta } = geometry;
  const on = (data: Float32Array | Uint8Array | Int32Array) =>
    createVolume({ dims: working.dims, data, affine: working.affine, spacing: spacingOf(working.affine) });
  let prob: Volume = on(probs);
  let seg: Volume = on(classes ? classIndicesToValues(classes.index, classes.values) : threshold(probs));
  // Reoriented or downsampled inputs go back to the file's grid: nearest for labels, trilinear for probabilities.
  if (!sameGrid(working, original, 0)) {
    prob = resampleToGrid({ source: prob, grid: original, method: 'linear' });
    seg = resampleToGrid({ source: seg, grid: original, method: 'nearest' });
  }
  const description = (params.description ?? prefix).slice(0, 60);
  seg = { ...seg, meta: metaFor(meta, 'label') };
  prob = { ...prob, meta: metaFor(meta, 'float') };
  return {
    segmentation: {
      name: `${prefix}_seg${ext(gzip)}`,
      bytes: writeNifti(seg, { gzip, description: `${description} (${params.classes ? 'argmax class' : 'p>0.5'})` }),
    },
    probability: {
      name: `${prefix}_prob${ext(gzip)}`,
      bytes: writeNifti(prob, { gzip, description: `${description} p(fg)` }),
    },
  };
}

/**
 * The display subject of a dataset as NIfTI: one float32 file per modality and the label (0/1, or the kept
 * label values), on the input file's grid when `original` differs from the training grid (user volumes).
 */
export function datasetFiles(params: {
  ds: Dataset;
  prefix: string;
  gzip?: boolean;
  original?: Grid;
  meta?: NiftiMeta;
  /** The label value a merged foreground came from (exported instead of 1). */
  foregroundValue?: number;
}): NamedBytes[] {
  const { ds, prefix, gzip = true, original, meta, foregroundValue } = params;
  const { images, modalities, subject } = ds.display;
  const g = gridOf(images[0]);
  // Reoriented voxels go back exactly; downsampled volumes are interpolated back (trilinear, label nearest).
  const back = original && !sameGrid(g, original, 0) ? original : null;
  const onto = (v: Volume, method: 'linear' | 'nearest') => (back ? resampleToGrid({ source: v, grid: back, method }) : v);
  const files = images.map((v, i) => {
    const data = v.data instanceof Float32Array ? v.data : Float32Array.from(v.data);
    const vol = {
      ...onto(createVolume({ dims: v.dims.slice(0, 3), data, affine: v.affine, spacing: v.spacing }), 'linear'),
      meta: metaFor(meta, 'float'),
    };
    return {
      name: `${prefix}_${modalities[i]}${ext(gzip)}`,
      bytes: writeNifti(vol, { gzip, description: `${prefix} ${modalities[i]}` }),
    };
  });
  const label = createVolume({
    dims: g.dims,
    data: classIndicesToValues(subject.label, ds.classValues ?? [0, foregroundValue ?? 1]),
    affine: g.affine,
    spacing: images[0].spacing,
  });
  files.push({
    name: `${prefix}_label${ext(gzip)}`,
    bytes: writeNifti({ ...onto(label, 'nearest'), meta: metaFor(meta, 'label') }, { gzip, description: `${prefix} label` }),
  });
  return files;
}
