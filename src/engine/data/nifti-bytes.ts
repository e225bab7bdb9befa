// Byte helpers for NIfTI I/O: copies that never alias the caller's memory, byte swapping, and a
// gunzip that stops as soon as it has what the header asks for.
import { Gunzip } from 'fflate';
import { NiftiError } from './nifti-header';

export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses each `width`-byte group in place (only ever on our own copies). */
export function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/**
 * A fresh, offset-0 copy of `length` bytes at `start`. Not `src.slice()`: on a Node Buffer that is a
 * view into the caller's memory (often a shared pool), so `.buffer` would start elsewhere and a
 * byte swap would write through to the caller.
 */
export function copyBytes(src: Uint8Array, start: number, length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  out.set(src.subarray(start, start + length));
  return out;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
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
 * Gunzips until `limitOf` says enough: it is asked with what has arrived once 540 bytes are in (the
 * largest header) and returns the total bytes wanted, so a bad header fails before any data are
 * inflated and a gzip bomb costs one chunk. A number instead of a function is a fixed limit.
 */
export function gunzipBounded(bytes: Uint8Array, limitOf: number | ((head: Uint8Array) => number)): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let limit = typeof limitOf === 'number' ? limitOf : Infinity;
  const enough = new Error('enough');
  const stream = new Gunzip((chunk) => {
    chunks.push(chunk);
    total += chunk.length;
    if (limit === Infinity && typeof limitOf === 'function' && total >= 540) limit = limitOf(concat(chunks, total));
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
