// NIfTI read/write: NIfTI-1 and -2, .nii and .nii.gz, .hdr/.img pairs and ANALYZE 7.5, either
// endianness, 3D and 4D. Bad input always ends in a NiftiError that names the problem, never another
// exception or a hang.
import { type AffineSource, analyzeAffine, niftiAffine } from './nifti-affine';
import { copyBytes, gunzipBounded, HOST_LITTLE_ENDIAN, isGzip, swapBytes } from './nifti-bytes';
import { NIFTI_MAX_VOXELS, NiftiError, type NiftiHeader, type NiftiLayout, parseNiftiHeader } from './nifti-header';
import { pickMeta } from './nifti-meta';
import { DATATYPES, type Volume, type VolumeArray, voxelCount } from './volume';

export { NIFTI_MAX_VOXELS, NiftiError } from './nifti-header';
export type { NiftiMeta } from './nifti-meta';
export { type WriteNiftiOptions, writeNifti } from './nifti-write';

export interface ReadNiftiOptions {
  /** NaN/Inf in the (scaled) data: 'error' (default) refuses the file, 'replace' writes 0 and counts them. */
  nonFinite?: 'error' | 'replace';
  /** Voxel limit; defaults to NIFTI_MAX_VOXELS. */
  maxVoxels?: number;
  /** The .img (or .img.gz) whose voxels a .hdr header ('ni1' or ANALYZE 7.5) describes. */
  pairedImage?: Uint8Array;
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
  /** Which header fields gave the affine (sform when set, else qform, else pixdim; ANALYZE: its own rule). */
  affineSource: AffineSource;
  description: string;
  /** Non-finite values replaced by 0 (only with nonFinite: 'replace'). */
  nonFiniteReplaced: number;
  /** 'single' (.nii), 'pair' (NIfTI .hdr/.img) or 'analyze' (ANALYZE 7.5 .hdr/.img). */
  layout: NiftiLayout;
  /** What the reader assumed where the file says nothing, one sentence each. */
  notes: string[];
}

export interface NiftiVolume extends Volume {
  nifti: NiftiInfo;
}

const ARRAY_OF: Record<string, new (buffer: ArrayBuffer, byteOffset: number, length: number) => VolumeArray> = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** Bytes the single file needs in all (header and voxels); a pair's header file needs only the header. */
function bytesWanted(head: Uint8Array, maxVoxels: number): number {
  const h = parseNiftiHeader(head, maxVoxels);
  return h.layout === 'single' ? h.voxOffset + voxelCount(h.dims) * DATATYPES[h.datatype].bytes : h.headerSize;
}

/** Checks that header and pairedImage go together: a single file holds its own voxels, a pair's header needs its .img. */
export function checkPairing(h: NiftiHeader, pairedImage: Uint8Array | undefined): void {
  if (h.layout === 'single') {
    if (pairedImage) {
      throw new NiftiError(
        `a pairedImage was given, but this is a single-file NIfTI (magic "n+${h.version}") that holds its own voxels`,
      );
    }
    return;
  }
  if (!pairedImage) {
    throw new NiftiError(
      h.layout === 'pair'
        ? `a .hdr/.img pair header (magic "ni${h.version}"): its voxels live in the matching .img file; read it with readNifti(hdr, { pairedImage: img })`
        : 'missing NIfTI-1 magic "n+1": an ANALYZE 7.5 .hdr header? its voxels live in the matching .img file; read it with readNifti(hdr, { pairedImage: img })',
    );
  }
}

/** Checks that header and pairedImage go together, and returns the bytes that hold the voxels. */
function voxelSource(h: NiftiHeader, file: Uint8Array, pairedImage: Uint8Array | undefined, need: number): Uint8Array {
  checkPairing(h, pairedImage);
  if (h.layout === 'single') return file;
  return isGzip(pairedImage!) ? gunzipBounded(pairedImage!, h.voxOffset + need) : pairedImage!;
}

/** The truncated-data message: `have` voxel bytes after the offset where `need` were due. */
export function truncatedMessage(h: NiftiHeader, need: number, have: number): string {
  const where = h.layout === 'single' ? 'file' : '.img';
  return `truncated data: ${h.dims.join('x')} ${h.datatype} needs ${need} bytes after offset ${h.voxOffset}, the ${where} has ${have}`;
}

/**
 * Whole voxels in the file's byte order (`raw`: our own bytes, at an offset aligned to the voxel width; byte
 * swapped in place when the file's endianness is not the host's) -> the header's array type over the same
 * memory, or with scl_slope/scl_inter applied a new Float32Array (Float64Array for float64 files). Used for a
 * whole file (readNifti) and for each chunk of a streamed one (nifti-stream.ts), so both convert alike.
 */
export function decodeVoxels(h: NiftiHeader, raw: Uint8Array<ArrayBuffer>): VolumeArray {
  const width = DATATYPES[h.datatype].bytes;
  const count = Math.floor(raw.length / width);
  if (width > 1 && h.littleEndian !== HOST_LITTLE_ENDIAN) swapBytes(raw, width);
  const data: VolumeArray = new ARRAY_OF[h.datatype](raw.buffer, raw.byteOffset, count);
  // scl_slope 0 (or non-finite) means "no scaling" in the NIfTI standard.
  const slope = Number.isFinite(h.sclSlope) && h.sclSlope !== 0 ? h.sclSlope : 1;
  const inter = Number.isFinite(h.sclInter) && Number.isFinite(h.sclSlope) && h.sclSlope !== 0 ? h.sclInter : 0;
  if (slope === 1 && inter === 0) return data;
  const scaled = h.datatype === 'float64' ? new Float64Array(count) : new Float32Array(count);
  for (let i = 0; i < count; i++) scaled[i] = data[i] * slope + inter;
  return scaled;
}

function notesFor(h: NiftiHeader, source: AffineSource): string[] {
  if (h.layout === 'analyze') {
    return [
      'ANALYZE 7.5 header: it stores no orientation, so the affine follows nibabel: LAS (x flipped), world 0 at the image centre or at the SPM origin field when set.',
    ];
  }
  if (source === 'pixdim') {
    return [
      'no qform or sform: affine = diag(pixdim), origin at voxel 0 (the NIfTI standard; nibabel instead centres it and flips x).',
    ];
  }
  return [];
}

/** A NiftiVolume without its voxels: what the header alone says (nonFiniteReplaced still 0). */
export type NiftiHead = Omit<NiftiVolume, 'data'>;

/** Everything but the voxels, from the header: dims, spacing, affine, datatype, meta and the reader's info. */
export function headFields(h: NiftiHeader, gzipped: boolean): NiftiHead {
  const { affine, source: affineSource } =
    h.layout === 'analyze'
      ? { affine: analyzeAffine({ dims: h.dims, pixdim: h.pixdim, origin: h.analyzeOrigin }), source: 'analyze' as const }
      : niftiAffine(h);
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
    datatype: h.datatype,
    meta: pickMeta(h),
    nifti: {
      version: h.version,
      littleEndian: h.littleEndian,
      gzipped,
      datatypeCode: h.datatypeCode,
      sclSlope: h.sclSlope,
      sclInter: h.sclInter,
      qformCode: h.qformCode,
      sformCode: h.sformCode,
      affineSource,
      description: h.description,
      nonFiniteReplaced: 0,
      layout: h.layout,
      notes: notesFor(h, affineSource),
    },
  };
}

/**
 * Reads a .nii or .nii.gz (NIfTI-1 or -2), or a .hdr with its .img as `pairedImage` (NIfTI pair or
 * ANALYZE 7.5), into a Volume with scaling applied. Any Uint8Array view (a Node Buffer at any offset)
 * is read where it starts, and the caller's bytes are never written. Throws NiftiError on bad input.
 * (`streamNifti` in nifti-stream.ts hands the same voxels over chunk by chunk instead.)
 */
export function readNifti(bytes: ArrayBuffer | Uint8Array, options: ReadNiftiOptions = {}): NiftiVolume {
  const maxVoxels = options.maxVoxels ?? NIFTI_MAX_VOXELS;
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const gzipped = isGzip(input);
  const file = gzipped ? gunzipBounded(input, (head) => bytesWanted(head, maxVoxels)) : input;
  const h = parseNiftiHeader(file, maxVoxels);

  const width = DATATYPES[h.datatype].bytes;
  const count = voxelCount(h.dims);
  const need = count * width;
  const source = voxelSource(h, file, options.pairedImage, need);
  if (h.voxOffset + need > source.length) {
    throw new NiftiError(truncatedMessage(h, need, Math.max(0, source.length - h.voxOffset)));
  }
  const raw = copyBytes(source, h.voxOffset, need); // our own aligned copy: safe to byte-swap
  const data = decodeVoxels(h, raw);
  const nonFiniteReplaced = checkFinite(data, options.nonFinite);
  const head = headFields(h, gzipped);
  return { ...head, data, nifti: { ...head.nifti, nonFiniteReplaced } };
}

/** Counts NaN/Inf in float data: refuses them, or (with 'replace') sets them to 0 and returns the count. */
export function checkFinite(data: VolumeArray, mode: ReadNiftiOptions['nonFinite']): number {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return 0;
  let count = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (count > 0 && mode !== 'replace') {
    throw new NiftiError(
      `data contain ${count} non-finite values (NaN or Inf), the first at voxel ${first}; read with { nonFinite: 'replace' } to set them to 0`,
    );
  }
  if (count > 0) for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) data[i] = 0;
  return count;
}
