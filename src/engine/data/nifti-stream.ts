// NIfTI voxels chunk by chunk: the header alone (readNiftiHead), or every voxel handed to a callback a chunk at
// a time (streamNifti), so a volume far bigger than what the caller keeps is read in bounded memory: the
// compressed file, one inflated piece, one chunk. The conversion (byte order, datatype, scl_slope/scl_inter,
// NaN/Inf) is readNifti's own (decodeVoxels, checkFinite); the same file gives the same values either way.
import { Gunzip } from 'fflate';
import { checkFinite, checkPairing, decodeVoxels, headFields, type NiftiHead, truncatedMessage } from './nifti';
import { isGzip } from './nifti-bytes';
import { NIFTI_MAX_VOXELS, NiftiError, parseNiftiHeader } from './nifti-header';
import { DATATYPES, type VolumeArray, voxelCount } from './volume';

export type { NiftiHead } from './nifti';

export interface StreamNiftiOptions {
  /** Voxel limit (all dims); defaults to NIFTI_MAX_VOXELS. */
  maxVoxels?: number;
  /** The .img (or .img.gz) whose voxels a .hdr header describes. */
  pairedImage?: Uint8Array;
  /** Bytes per chunk handed over (rounded down to whole voxels); default 1 MiB. */
  chunkBytes?: number;
}

/**
 * Inflated bytes wanted per push: the compressed piece pushed next is sized from the ratio of the last one
 * (between 1 KB and 64 KB), so a mostly empty volume (BigBrain inflates ~400:1: a fixed 16 KB push would
 * give ~6 MB at once) stays near 1 MB a push and ordinary data (~2-4:1) is not pushed in costly small pieces.
 */
const PUSH_OUT = 1 << 20;
const PUSH_MIN = 1 << 10;
const PUSH_MAX = 1 << 16;
const PLAIN_PIECE = 1 << 20;
const DEFAULT_CHUNK = 1 << 20;
const STOP = new Error('stop');

/**
 * Hands `bytes` (gzip or not) to `take` piece by piece until it returns false or the bytes end. gzip faults
 * become NiftiErrors; whatever `take` throws is rethrown as it is.
 */
function forEachPiece(bytes: Uint8Array, take: (piece: Uint8Array) => boolean): void {
  if (!isGzip(bytes)) {
    for (let at = 0; at < bytes.length; at += PLAIN_PIECE) if (!take(bytes.subarray(at, at + PLAIN_PIECE))) return;
    return;
  }
  let failure: unknown = null;
  let inflated = 0;
  const stream = new Gunzip((chunk) => {
    inflated += chunk.length;
    let more: boolean;
    try {
      more = take(chunk);
    } catch (err) {
      failure = err;
      throw STOP;
    }
    if (!more) throw STOP;
  });
  try {
    for (let at = 0, size = PUSH_MIN; at < bytes.length; ) {
      const piece = bytes.subarray(at, at + size);
      const before = inflated;
      at += piece.length;
      stream.push(piece, at >= bytes.length);
      const ratio = Math.max(1, (inflated - before) / piece.length);
      size = Math.min(PUSH_MAX, Math.max(PUSH_MIN, Math.floor(PUSH_OUT / ratio)));
    }
  } catch (err) {
    if (failure) throw failure;
    if (err === STOP) return;
    if (err instanceof NiftiError) throw err;
    throw new NiftiError(`gzip data is corrupt or truncated (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** The first bytes of a file (inflated when gzip): enough for either header (540 bytes), or all there are. */
function headerBytes(bytes: Uint8Array): Uint8Array {
  const want = 540;
  const out = new Uint8Array(want);
  let have = 0;
  forEachPiece(bytes, (piece) => {
    const n = Math.min(piece.length, want - have);
    out.set(piece.subarray(0, n), have);
    have += n;
    return have < want;
  });
  return out.subarray(0, have);
}

/**
 * What the header of a .nii/.nii.gz/.hdr says, without reading its voxels. Refuses what readNifti refuses before
 * it reads a voxel: a bad header, a pair without its .img, and (when they are not compressed) voxel bytes missing.
 */
export function readNiftiHead(bytes: ArrayBuffer | Uint8Array, options: StreamNiftiOptions = {}): NiftiHead {
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const h = parseNiftiHeader(headerBytes(input), options.maxVoxels ?? NIFTI_MAX_VOXELS);
  checkPairing(h, options.pairedImage);
  const source = h.layout === 'single' ? input : options.pairedImage!;
  const need = voxelCount(h.dims) * DATATYPES[h.datatype].bytes;
  if (!isGzip(source) && h.voxOffset + need > source.length)
    throw new NiftiError(truncatedMessage(h, need, Math.max(0, source.length - h.voxOffset)));
  return headFields(h, isGzip(input));
}

/**
 * Reads the voxels of a .nii/.nii.gz (or a .hdr with its .img as `pairedImage`) in chunks: `onVoxels(start,
 * values)` gets voxels start .. start + values.length - 1 (x fastest, then y, z, the 4th dimension), converted
 * as readNifti converts them with nonFinite 'replace'. `values` is valid only during the call (its memory is
 * reused). Returns the header's fields with the count of NaN/Inf set to 0. Throws NiftiError on bad input,
 * possibly after some chunks were handed over (a truncated or corrupt file shows only at its end).
 */
export function streamNifti(
  bytes: ArrayBuffer | Uint8Array,
  options: StreamNiftiOptions,
  onVoxels: (start: number, values: VolumeArray) => void,
): NiftiHead {
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const h = parseNiftiHeader(headerBytes(input), options.maxVoxels ?? NIFTI_MAX_VOXELS);
  checkPairing(h, options.pairedImage);
  const source = h.layout === 'single' ? input : options.pairedImage!;
  const width = DATATYPES[h.datatype].bytes;
  const need = voxelCount(h.dims) * width;
  const chunk = Math.max(width, Math.floor((options.chunkBytes ?? DEFAULT_CHUNK) / width) * width);
  const buf = new Uint8Array(Math.min(chunk, Math.max(width, need)));
  let skip = h.voxOffset;
  let got = 0;
  let fill = 0;
  let done = 0;
  let nonFinite = 0;
  const flush = () => {
    const values = decodeVoxels(h, buf.subarray(0, fill));
    nonFinite += checkFinite(values, 'replace');
    onVoxels(done, values);
    done += values.length;
    fill = 0;
  };
  forEachPiece(source, (piece) => {
    let at = Math.min(skip, piece.length);
    skip -= at;
    while (at < piece.length && got < need) {
      const n = Math.min(piece.length - at, buf.length - fill, need - got);
      buf.set(piece.subarray(at, at + n), fill);
      fill += n;
      at += n;
      got += n;
      if (fill === buf.length) flush();
    }
    return got < need;
  });
  if (got < need) throw new NiftiError(truncatedMessage(h, need, got));
  if (fill > 0) flush();
  const head = headFields(h, isGzip(input));
  return { ...head, nifti: { ...head.nifti, nonFiniteReplaced: nonFinite } };
}
