// NIfTI read/write: NIfTI-1 and -2, .nii and .nii.gz, either endianness, 3D and 4D. Bad input
// always ends in a NiftiError that names the problem, never another exception or a hang.
import { Gunzip, gzipSync } from 'fflate';
import { affineToQform, qformToAffine } from './nifti-affine';
import { NIFTI_MAX_VOXELS, NiftiError, type NiftiHeader, parseNiftiHeader } from './nifti-header';
import { DATATYPES, datatypeOf, type Volume, type VolumeArray, voxelCount } from './volume';

export { NIFTI_MAX_VOXELS, NiftiError } from './nifti-header';

export interface ReadNiftiOptions {
  /** NaN/Inf in the (scaled) data: 'error' (default) refuses the file, 'replace' writes 0 and counts them. */
  nonFinite?: 'error' | 'replace';
  /** Voxel limit; defaults to NIFTI_MAX_VOXELS. */
  maxVoxels?: number;
}

/** What the file said beyond the Volume itself. */
export interface NiftiInfo {
  version: 1 | 2;
  littleEndian: boolean;
  gzipped: boolean;
  datatypeCode: number;
  sclSlope: number;
  sclInter: number;
  qformCode: number;
  sformCode: number;
  /** Which header fields gave the affine (sform when set, else qform, else pixdim). */
  affineSource: 'sform' | 'qform' | 'pixdim';
  description: string;
  /** Non-finite values replaced by 0 (only with nonFinite: 'replace'). */
  nonFiniteReplaced: number;
}

export interface NiftiVolume extends Volume {
  nifti: NiftiInfo;
}

const GZIP_CHUNK = 1 << 14; // compressed bytes per push: bounds what one push can inflate (<= 16 MB)

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  chunks.splice(0, chunks.length, out);
  return out;
}

/**
 * Gunzips only what the image needs: once the header has arrived it is checked (a bad header fails
 * before any data are inflated, so a gzip bomb costs one chunk) and gives the byte count, where
 * inflating stops.
 */
function gunzipBounded(bytes: Uint8Array, maxVoxels: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let limit = Infinity;
  const enough = new Error('enough');
  const stream = new Gunzip((chunk) => {
    chunks.push(chunk);
    total += chunk.length;
    if (limit === Infinity && total >= 540) {
      const h = parseNiftiHeader(concat(chunks, total), maxVoxels);
      limit = h.voxOffset + voxelCount(h.dims) * DATATYPES[h.datatype].bytes;
    }
    if (total >= limit) throw enough;
  });
  try {
    for (let at = 0; at < bytes.length; at += GZIP_CHUNK) {
      stream.push(bytes.subarray(at, at + GZIP_CHUNK), at + GZIP_CHUNK >= bytes.length);
    }
  } catch (err) {
    if (err instanceof NiftiError) throw err;
    if (err !== enough) {
      throw new NiftiError(`gzip data is corrupt or truncated (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return concat(chunks, total);
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

const ARRAY_OF: Record<string, new (buffer: ArrayBuffer) => VolumeArray> = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
};

function chooseAffine(h: NiftiHeader): { affine: number[]; source: NiftiInfo['affineSource'] } {
  const finite = (xs: readonly number[]) => xs.every(Number.isFinite);
  if (h.sformCode > 0 && finite(h.srow) && h.srow.some((v, k) => k % 4 !== 3 && v !== 0)) {
    return { affine: [...h.srow, 0, 0, 0, 1], source: 'sform' };
  }
  const pix: [number, number, number] = [h.pixdim[1], h.pixdim[2], h.pixdim[3]].map((p) =>
    Number.isFinite(p) && p !== 0 ? Math.abs(p) : 1,
  ) as [number, number, number];
  if (h.qformCode > 0 && finite(h.quatern) && finite(h.qoffset)) {
    const affine = qformToAffine({
      b: h.quatern[0],
      c: h.quatern[1],
      d: h.quatern[2],
      offset: h.qoffset,
      pixdim: pix,
      qfac: h.pixdim[0] < 0 ? -1 : 1,
    });
    if (finite(affine)) return { affine, source: 'qform' };
  }
  return { affine: [pix[0], 0, 0, 0, 0, pix[1], 0, 0, 0, 0, pix[2], 0, 0, 0, 0, 1], source: 'pixdim' };
}

/** Reads a .nii or .nii.gz (NIfTI-1 or -2) into a Volume with scaling applied; throws NiftiError on bad input. */
export function readNifti(bytes: ArrayBuffer | Uint8Array, options: ReadNiftiOptions = {}): NiftiVolume {
  const maxVoxels = options.maxVoxels ?? NIFTI_MAX_VOXELS;
  let u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const gzipped = u8.length >= 2 && u8[0] === 0x1f && u8[1] === 0x8b;
  if (gzipped) u8 = gunzipBounded(u8, maxVoxels);
  const h = parseNiftiHeader(u8, maxVoxels);

  const width = DATATYPES[h.datatype].bytes;
  const count = voxelCount(h.dims);
  const need = count * width;
  if (h.voxOffset + need > u8.length) {
    const have = Math.max(0, u8.length - h.voxOffset);
    throw new NiftiError(
      `truncated data: ${h.dims.join('x')} ${h.datatype} needs ${need} bytes after offset ${h.voxOffset}, file has ${have}`,
    );
  }
  const raw = u8.slice(h.voxOffset, h.voxOffset + need); // a copy: aligned, and safe to byte-swap
  if (width > 1 && h.littleEndian !== HOST_LITTLE_ENDIAN) swapBytes(raw, width);
  let data: VolumeArray = new ARRAY_OF[h.datatype](raw.buffer);

  // scl_slope 0 (or non-finite) means "no scaling" in the NIfTI standard.
  const slope = Number.isFinite(h.sclSlope) && h.sclSlope !== 0 ? h.sclSlope : 1;
  const inter = Number.isFinite(h.sclInter) && Number.isFinite(h.sclSlope) && h.sclSlope !== 0 ? h.sclInter : 0;
  if (slope !== 1 || inter !== 0) {
    const scaled = h.datatype === 'float64' ? new Float64Array(count) : new Float32Array(count);
    for (let i = 0; i < count; i++) scaled[i] = data[i] * slope + inter;
    data = scaled;
  }
  let nonFiniteReplaced = 0;
  if (data instanceof Float32Array || data instanceof Float64Array) {
    let first = -1;
    for (let i = 0; i < count; i++) {
      if (!Number.isFinite(data[i])) {
        if (first < 0) first = i;
        nonFiniteReplaced++;
      }
    }
    if (nonFiniteReplaced > 0 && options.nonFinite !== 'replace') {
      throw new NiftiError(
        `data contain ${nonFiniteReplaced} non-finite values (NaN or Inf), the first at voxel ${first}; read with { nonFinite: 'replace' } to set them to 0`,
      );
    }
    if (nonFiniteReplaced > 0) for (let i = 0; i < count; i++) if (!Number.isFinite(data[i])) data[i] = 0;
  }

  const { affine, source } = chooseAffine(h);
  const spacing = [1, 2, 3].map((k) => {
    const p = Math.abs(h.pixdim[k]);
    if (Number.isFinite(p) && p > 0) return p;
    const n = Math.hypot(affine[k - 1], affine[k + 3], affine[k + 7]); // column norm of the affine
    return n > 0 ? n : 1;
  });
  return {
    dims: h.dims,
    spacing,
    affine,
    data,
    datatype: h.datatype,
    nifti: {
      version: h.version,
      littleEndian: h.littleEndian,
      gzipped,
      datatypeCode: h.datatypeCode,
      sclSlope: h.sclSlope,
      sclInter: h.sclInter,
      qformCode: h.qformCode,
      sformCode: h.sformCode,
      affineSource: source,
      description: h.description,
      nonFiniteReplaced,
    },
  };
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

export interface WriteNiftiOptions {
  gzip?: boolean;
  /** Header descrip (79 ASCII characters at most); defaults to the volume's name. */
  description?: string;
  /** NIfTI xform codes: 1 scanner, 2 aligned, 3 Talairach, 4 MNI. Both default to 1. */
  qformCode?: number;
  sformCode?: number;
}

/**
 * Writes NIfTI-1 single-file bytes (.nii, or .nii.gz with gzip): 348-byte header, vox_offset 352,
 * magic "n+1", qform and sform from the affine, data in its own typed-array datatype, little endian.
 */
export function writeNifti(volume: Volume, options: WriteNiftiOptions = {}): Uint8Array {
  const { dims, data } = volume;
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
  view.setInt32(0, 348, le);
  view.setInt16(40, dims.length, le);
  for (let k = 0; k < 7; k++) view.setInt16(42 + 2 * k, k < dims.length ? dims[k] : 1, le);
  view.setInt16(70, code, le);
  view.setInt16(72, 8 * width, le);
  const q = affineToQform(volume.affine);
  const pixdim = [q.qfac, ...q.pixdim, 1, 1, 1, 1];
  for (let k = 0; k < 8; k++) view.setFloat32(76 + 4 * k, pixdim[k], le);
  view.setFloat32(108, 352, le);
  view.setFloat32(112, 1, le); // scl_slope 1, scl_inter 0: values stored as they are
  view.setFloat32(116, 0, le);
  view.setUint8(123, 2); // xyzt_units: mm
  const text = (options.description ?? volume.name ?? '').slice(0, 79);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    view.setUint8(148 + i, c >= 32 && c < 127 ? c : 63);
  }
  view.setInt16(252, options.qformCode ?? 1, le);
  view.setInt16(254, options.sformCode ?? 1, le);
  const quatern = [...float32Quatern(q.b, q.c, q.d), ...q.offset];
  for (let k = 0; k < 6; k++) view.setFloat32(256 + 4 * k, quatern[k], le);
  for (let k = 0; k < 12; k++) view.setFloat32(280 + 4 * k, volume.affine[k], le);
  out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"; bytes 348-351 (no extensions) stay 0
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (!HOST_LITTLE_ENDIAN && width > 1) swapBytes(body, width);
  out.set(body, 352);
  return options.gzip ? gzipSync(out, { level: 6, mtime: 0 }) : out;
}
