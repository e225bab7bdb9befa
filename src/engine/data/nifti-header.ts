// NIfTI-1 / NIfTI-2 (and ANALYZE 7.5) header parsing with a DataView: every field checked, every
// failure a NiftiError that names the field. (nifti-reader-js parses the same fields but throws
// generic errors, prefers the qform over the sform when its code is higher, and walks extensions.)
import type { NiftiMeta } from './nifti-meta';
import { DATATYPES, type DatatypeName } from './volume';

/** Every problem with a NIfTI file surfaces as this error, with a message naming what is wrong. */
export class NiftiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NiftiError';
  }
}

/** Largest image accepted, in voxels (2^27 = 134M: 512 MB as float32), so no file can exhaust memory. */
export const NIFTI_MAX_VOXELS = 2 ** 27;

const CODE_TO_NAME = new Map<number, DatatypeName>(
  (Object.entries(DATATYPES) as [DatatypeName, { code: number }][]).map(([name, t]) => [t.code, name]),
);
const UNSUPPORTED: Record<number, string> = {
  0: 'unknown',
  1: 'binary (1 bit)',
  32: 'complex64',
  128: 'RGB24',
  1024: 'int64',
  1280: 'uint64',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

/** Where the voxels are: after the header ('n+1'/'n+2'), in a separate .img ('ni1'/'ni2'), or an ANALYZE 7.5 .img. */
export type NiftiLayout = 'single' | 'pair' | 'analyze';

export interface NiftiHeader extends NiftiMeta {
  version: 1 | 2;
  layout: NiftiLayout;
  littleEndian: boolean;
  headerSize: number;
  /** Image dims, 3 entries, or 4 when the 4th (channels/frames) exceeds 1. */
  dims: number[];
  datatype: DatatypeName;
  datatypeCode: number;
  /** Byte offset of the voxels: in this file when single, in the .img otherwise. */
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  /** SPM's ANALYZE origin (1-based voxel of world 0), 0s when unset; always 0s for NIfTI. */
  analyzeOrigin: [number, number, number];
}

function ascii(view: DataView, offset: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const c = view.getUint8(offset + i);
    if (c === 0) break;
    s += c >= 32 && c < 127 ? String.fromCharCode(c) : '?';
  }
  return s;
}

/** Reads and validates the header at the start of `bytes` (already decompressed). */
export function parseNiftiHeader(bytes: Uint8Array, maxVoxels = NIFTI_MAX_VOXELS): NiftiHeader {
  if (bytes.length < 4) throw new NiftiError(`not a NIfTI file: only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = view.getInt32(0, true);
  const be = view.getInt32(0, false);
  const size = le === 348 || le === 540 ? le : be === 348 || be === 540 ? be : 0;
  if (size === 0) {
    throw new NiftiError(`not a NIfTI file: sizeof_hdr is ${le} (expected 348 for NIfTI-1 or 540 for NIfTI-2)`);
  }
  const littleEndian = le === size;
  const version: 1 | 2 = size === 348 ? 1 : 2;
  if (bytes.length < size) {
    throw new NiftiError(`truncated header: ${bytes.length} bytes, NIfTI-${version} needs ${size}`);
  }
  const magic = ascii(view, version === 1 ? 344 : 4, 4);
  const layout: NiftiLayout | undefined =
    magic === `n+${version}` ? 'single' : magic === `ni${version}` ? 'pair' : version === 1 ? 'analyze' : undefined;
  if (!layout) throw new NiftiError(`missing NIfTI-2 magic "n+2" or "ni2" (found "${magic}")`);
  const i16 = (o: number) => view.getInt16(o, littleEndian);
  const i32 = (o: number) => view.getInt32(o, littleEndian);
  const f32 = (o: number) => view.getFloat32(o, littleEndian);
  const f64 = (o: number) => view.getFloat64(o, littleEndian);
  const i64 = (o: number) => Number(view.getBigInt64(o, littleEndian));
  const v1 = version === 1;
  const dim = Array.from({ length: 8 }, (_, k) => (v1 ? i16(40 + 2 * k) : i64(16 + 8 * k)));
  const pixdim = Array.from({ length: 8 }, (_, k) => (v1 ? f32(76 + 4 * k) : f64(104 + 8 * k)));
  const datatypeCode = v1 ? i16(70) : i16(12);

  const rank = dim[0];
  if (!(rank >= 1 && rank <= 7)) throw new NiftiError(`bad dims: dim[0] = ${rank} (the number of dimensions must be 1 to 7)`);
  for (let k = 1; k <= rank; k++) {
    if (!(dim[k] >= 1) || !Number.isSafeInteger(dim[k])) {
      throw new NiftiError(`bad dims: dim[${k}] = ${dim[k]} (each of the ${rank} dimensions must be a positive integer)`);
    }
  }
  for (let k = 5; k <= rank; k++) {
    if (dim[k] > 1) throw new NiftiError(`bad dims: dim[${k}] = ${dim[k]}: only 3D and 4D images are supported`);
  }
  const d = [1, 2, 3, 4].map((k) => (k <= rank ? dim[k] : 1));
  const voxels = d[0] * d[1] * d[2] * d[3];
  if (voxels > maxVoxels) {
    throw new NiftiError(`image too large: ${d.join('x')} = ${voxels} voxels exceeds the limit of ${maxVoxels}`);
  }

  const datatype = CODE_TO_NAME.get(datatypeCode);
  if (!datatype) {
    const what = UNSUPPORTED[datatypeCode];
    if (datatypeCode === 128 || datatypeCode === 2304) {
      throw new NiftiError(
        `RGB images are not supported (datatype ${datatypeCode}, ${what}): segmentation needs scalar intensities`,
      );
    }
    const supported = Object.keys(DATATYPES).join(', ');
    throw new NiftiError(`unsupported datatype ${datatypeCode}${what ? ` (${what})` : ''}: supported are ${supported}`);
  }

  const rawOffset = v1 ? f32(108) : i64(168);
  // A pair's vox_offset counts from the start of the .img (usually 0); a single file's from its header.
  const minOffset = layout === 'single' ? size : 0;
  if (!Number.isFinite(rawOffset) || rawOffset < minOffset) {
    throw new NiftiError(
      layout === 'single'
        ? `bad vox_offset ${rawOffset}: the voxel data must start after the ${size}-byte header`
        : `bad vox_offset ${rawOffset}: the offset into the .img must be 0 or more`,
    );
  }
  const common = {
    version,
    layout,
    littleEndian,
    headerSize: size,
    dims: d[3] > 1 ? d : d.slice(0, 3),
    datatype,
    datatypeCode,
    pixdim,
    voxOffset: Math.floor(rawOffset),
    // ANALYZE's funused1/funused2 sit where NIfTI's scl_slope/scl_inter do, and SPM uses them so.
    sclSlope: v1 ? f32(112) : f64(176),
    sclInter: v1 ? f32(116) : f64(184),
    description: ascii(view, v1 ? 148 : 240, 80),
  };
  if (layout === 'analyze') {
    // ANALYZE has no orientation, units or intent: those NIfTI bytes hold other (or no) fields there.
    return {
      ...common,
      qformCode: 0,
      sformCode: 0,
      quatern: [0, 0, 0],
      qoffset: [0, 0, 0],
      srow: Array(12).fill(0),
      xyztUnits: 0,
      intentCode: 0,
      intentName: '',
      intentParams: [0, 0, 0],
      analyzeOrigin: [i16(253), i16(255), i16(257)],
    };
  }
  return {
    ...common,
    qformCode: v1 ? i16(252) : i32(344),
    sformCode: v1 ? i16(254) : i32(348),
    quatern: v1 ? [f32(256), f32(260), f32(264)] : [f64(352), f64(360), f64(368)],
    qoffset: v1 ? [f32(268), f32(272), f32(276)] : [f64(376), f64(384), f64(392)],
    srow: Array.from({ length: 12 }, (_, k) => (v1 ? f32(280 + 4 * k) : f64(400 + 8 * k))),
    xyztUnits: v1 ? view.getUint8(123) : i32(500),
    intentCode: v1 ? i16(68) : i32(504),
    intentName: ascii(view, v1 ? 328 : 508, 16),
    intentParams: v1 ? [f32(56), f32(60), f32(64)] : [f64(80), f64(88), f64(96)],
    analyzeOrigin: [0, 0, 0],
  };
}
