// NIfTI-1 writer: single file (.nii or .nii.gz), little endian, the data array's own datatype, and
// the header fields of the file a volume came from (its `meta`) kept as they were read.
import { gzipSync } from 'fflate';
import { affineToQform, niftiAffine } from './nifti-affine';
import { HOST_LITTLE_ENDIAN, swapBytes } from './nifti-bytes';
import { NiftiError } from './nifti-header';
import type { NiftiMeta } from './nifti-meta';
import { DATATYPES, datatypeOf, type Volume, voxelCount } from './volume';

export interface WriteNiftiOptions {
  gzip?: boolean;
  /** Header descrip (79 ASCII characters at most); defaults to the meta's, else the volume's name. */
  description?: string;
  /** NIfTI xform codes: 1 scanner, 2 aligned, 3 Talairach, 4 MNI. Default: the meta's, else 1. */
  qformCode?: number;
  sformCode?: number;
}

/**
 * (b, c, d) rounded to float32 with b^2 + c^2 + d^2 <= 1: readers compute a = sqrt(1 - that), and a
 * 180-degree rotation (a = 0) would otherwise round to NaN in some of them (nifti-reader-js does).
 */
function float32Quatern(b: number, c: number, d: number): number[] {
  let q = [b, c, d].map(Math.fround);
  for (let shrink = 1 - 2 ** -24; q[0] ** 2 + q[1] ** 2 + q[2] ** 2 > 1; shrink *= shrink) {
    q = [b, c, d].map((v) => Math.fround(v * shrink));
  }
  return q;
}

function sameAffine(a: readonly number[], b: readonly number[]): boolean {
  return a.every((v, k) => Math.abs(v - b[k]) <= 1e-6 * (1 + Math.abs(b[k])));
}

/** Orientation fields to write: the meta's as read while they still give the volume's affine, else derived from it. */
function xformFields(volume: Volume, options: WriteNiftiOptions) {
  const meta: NiftiMeta | undefined = volume.meta;
  if (meta && sameAffine(niftiAffine(meta).affine, volume.affine)) {
    return {
      qformCode: options.qformCode ?? meta.qformCode,
      sformCode: options.sformCode ?? meta.sformCode,
      pixdim0to3: meta.pixdim.slice(0, 4),
      quatern: [...meta.quatern, ...meta.qoffset],
      srow: meta.srow,
    };
  }
  // The affine changed (or never came from a NIfTI header): a written affine needs codes > 0.
  const q = affineToQform(volume.affine);
  return {
    qformCode: options.qformCode ?? (meta?.qformCode || 1),
    sformCode: options.sformCode ?? (meta?.sformCode || 1),
    pixdim0to3: [q.qfac, ...q.pixdim],
    quatern: [...float32Quatern(q.b, q.c, q.d), ...q.offset],
    srow: volume.affine.slice(0, 12),
  };
}

function writeAscii(view: DataView, at: number, text: string, max: number): void {
  const s = text.slice(0, max);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    view.setUint8(at + i, c >= 32 && c < 127 ? c : 63);
  }
}

/**
 * Writes NIfTI-1 single-file bytes (.nii, or .nii.gz with gzip): 348-byte header, vox_offset 352,
 * magic "n+1", qform and sform (the meta's as read, else from the affine), data in its own typed-array
 * datatype with scl_slope 1, little endian.
 */
export function writeNifti(volume: Volume, options: WriteNiftiOptions = {}): Uint8Array {
  const { dims, data, meta } = volume;
  if (dims.length !== 3 && dims.length !== 4) throw new NiftiError(`cannot write ${dims.length} dims: a volume has 3 or 4`);
  if (dims.some((d) => !Number.isInteger(d) || d < 1 || d > 32767)) {
    throw new NiftiError(`cannot write dims ${dims.join('x')}: NIfTI-1 needs integers in 1..32767`);
  }
  if (voxelCount(dims) !== data.length)
    throw new NiftiError(`data has ${data.length} values, dims ${dims.join('x')} need ${voxelCount(dims)}`);
  if (volume.affine.length !== 16 || !volume.affine.every(Number.isFinite))
    throw new NiftiError('the affine needs 16 finite numbers');
  const datatype = datatypeOf(data);
  const { code, bytes: width } = DATATYPES[datatype];
  const out = new Uint8Array(352 + data.length * width);
  const view = new DataView(out.buffer);
  const le = true;
  const x = xformFields(volume, options);
  view.setInt32(0, 348, le);
  view.setInt16(40, dims.length, le);
  for (let k = 0; k < 7; k++) view.setInt16(42 + 2 * k, k < dims.length ? dims[k] : 1, le);
  (meta?.intentParams ?? [0, 0, 0]).forEach((p, k) => {
    view.setFloat32(56 + 4 * k, p, le);
  });
  view.setInt16(68, meta?.intentCode ?? 0, le);
  view.setInt16(70, code, le);
  view.setInt16(72, 8 * width, le);
  const pixdim = [...x.pixdim0to3, ...(meta?.pixdim.slice(4, 8) ?? [1, 1, 1, 1])];
  for (let k = 0; k < 8; k++) view.setFloat32(76 + 4 * k, pixdim[k], le);
  view.setFloat32(108, 352, le);
  view.setFloat32(112, 1, le); // scl_slope 1, scl_inter 0: values stored as they are
  view.setFloat32(116, 0, le);
  view.setUint8(123, meta?.xyztUnits ?? 2); // default: mm, no time unit
  writeAscii(view, 148, options.description ?? meta?.description ?? volume.name ?? '', 79);
  view.setInt16(252, x.qformCode, le);
  view.setInt16(254, x.sformCode, le);
  for (let k = 0; k < 6; k++) view.setFloat32(256 + 4 * k, x.quatern[k], le);
  for (let k = 0; k < 12; k++) view.setFloat32(280 + 4 * k, x.srow[k], le);
  writeAscii(view, 328, meta?.intentName ?? '', 15);
  out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"; bytes 348-351 (no extensions) stay 0
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (!HOST_LITTLE_ENDIAN && width > 1) swapBytes(body, width);
  out.set(body, 352);
  return options.gzip ? gzipSync(out, { level: 6, mtime: 0 }) : out;
}
