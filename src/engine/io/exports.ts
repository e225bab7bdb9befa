// NIfTI exports: predictions back on the input file's own grid (affine, dims), and the shown
// subject (a phantom or the user's volumes on the training grid) as image + label files.
import { writeNifti } from '../data/nifti';
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
}): { segmentation: NamedBytes; probability: NamedBytes } {
  const { probs, geometry, prefix, gzip = true, classes } = params;
  const { working, original } = geometry;
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
  return {
    segmentation: {
      name: `${prefix}_segmentation${ext(gzip)}`,
      bytes: writeNifti(seg, { gzip, description: `${description} (${classes ? 'argmax class' : 'p>0.5'})` }),
    },
    probability: {
      name: `${prefix}_probability${ext(gzip)}`,
      bytes: writeNifti(prob, { gzip, description: `${description} p(fg)` }),
    },
  };
}

/**
 * The display subject of a dataset as NIfTI: one float32 file per modality and the label (0/1, or the kept
 * label values), on the input file's grid when `original` differs from the training grid (user volumes).
 */
export function datasetFiles(params: { ds: Dataset; prefix: string; gzip?: boolean; original?: Grid }): NamedBytes[] {
  const { ds, prefix, gzip = true, original } = params;
  const { images, modalities, subject } = ds.display;
  const g = gridOf(images[0]);
  // Reoriented voxels go back exactly; downsampled volumes are interpolated back (trilinear, label nearest).
  const back = original && !sameGrid(g, original, 0) ? original : null;
  const onto = (v: Volume, method: 'linear' | 'nearest') => (back ? resampleToGrid({ source: v, grid: back, method }) : v);
  const files = images.map((v, i) => {
    const data = v.data instanceof Float32Array ? v.data : Float32Array.from(v.data);
    const vol = onto(createVolume({ dims: v.dims.slice(0, 3), data, affine: v.affine, spacing: v.spacing }), 'linear');
    return {
      name: `${prefix}_${modalities[i]}${ext(gzip)}`,
      bytes: writeNifti(vol, { gzip, description: `${prefix} ${modalities[i]}` }),
    };
  });
  const label = createVolume({
    dims: g.dims,
    data: ds.classValues ? classIndicesToValues(subject.label, ds.classValues) : Uint8Array.from(subject.label),
    affine: g.affine,
    spacing: images[0].spacing,
  });
  files.push({
    name: `${prefix}_label${ext(gzip)}`,
    bytes: writeNifti(onto(label, 'nearest'), { gzip, description: `${prefix} label` }),
  });
  return files;
}
