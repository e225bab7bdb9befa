// Binary masks on the grid: bounding boxes, crops and dilations (the cortex is a dilation of the CSF).
import type { Dims3 } from './fields';

export interface Box {
  min: [number, number, number];
  size: [number, number, number];
}

/** Bounding box of the set voxels, grown by `margin` and clipped to the grid. */
export function boundingBox(mask: Uint8Array, dims: Dims3, margin: number): Box {
  const [nx, ny] = dims;
  const lo = [nx, ny, dims[2]];
  const hi = [-1, -1, -1];
  // One flat loop (x, y, z kept by hand): V8 optimises it whole, where nested loops have it enter and
  // leave compiled code once per row.
  for (let i = 0, x = 0, y = 0, z = 0; i < mask.length; i++) {
    if (mask[i]) {
      if (x < lo[0]) lo[0] = x;
      if (x > hi[0]) hi[0] = x;
      if (y < lo[1]) lo[1] = y;
      if (y > hi[1]) hi[1] = y;
      if (z < lo[2]) lo[2] = z;
      if (z > hi[2]) hi[2] = z;
    }
    if (++x === nx) {
      x = 0;
      if (++y === ny) {
        y = 0;
        z++;
      }
    }
  }
  if (hi[0] < 0) return { min: [0, 0, 0], size: [1, 1, 1] };
  const min = [0, 1, 2].map((a) => Math.max(0, lo[a] - margin)) as [number, number, number];
  const size = [0, 1, 2].map((a) => Math.min(dims[a] - 1, hi[a] + margin) - min[a] + 1) as [number, number, number];
  return { min, size };
}

/** The grid index of every voxel of `box`, x fastest: loops over a box then need no nesting. */
export function boxIndices(box: Box, dims: Dims3): Int32Array {
  const [bx, by, bz] = box.size;
  const [nx, ny] = dims;
  const out = new Int32Array(bx * by * bz);
  let row = box.min[0] + nx * (box.min[1] + ny * box.min[2]);
  for (let j = 0, x = 0, y = 0, z = 0; j < out.length; j++) {
    out[j] = row + x;
    if (++x === bx) {
      x = 0;
      if (++y === by) {
        y = 0;
        z++;
      }
      row = box.min[0] + nx * (box.min[1] + y + ny * (box.min[2] + z));
    }
  }
  return out;
}

/** Binary dilation by a box of half-widths `radius` (voxels per axis), one axis at a time. */
export function dilate(params: { mask: Uint8Array; dims: Dims3; radius: Dims3 }): Uint8Array {
  const { dims, radius } = params;
  let src = params.mask.slice();
  let dst = new Uint8Array(src.length);
  const strides = [1, dims[0], dims[0] * dims[1]];
  for (let axis = 0; axis < 3; axis++) {
    const r = Math.round(radius[axis]);
    if (!(r >= 1)) continue;
    // Each voxel ORs its neighbours d = -r..r along the axis: a copy, then one flat pass per shift.
    dst.set(src);
    for (let d = -r; d <= r; d++) if (d !== 0) orShifted(src, dst, dims[axis], strides[axis], d);
    [src, dst] = [dst, src];
  }
  return src;
}

/** dst |= src shifted by `d` along an axis of length `len` and memory stride `stride` (no wrap-around). */
function orShifted(src: Uint8Array, dst: Uint8Array, len: number, stride: number, d: number): void {
  const off = d * stride;
  if (stride === 1) {
    for (let i = 0, j = 0; i < src.length; i++) {
      const jj = j + d;
      if (jj >= 0 && jj < len) dst[i] |= src[i + off];
      if (++j === len) j = 0;
    }
    return;
  }
  // Whole lines of `stride` voxels at a time (contiguous inner loops, in their own function).
  const lines = src.length / stride;
  for (let line = 0, j = 0; line < lines; line++) {
    const jj = j + d;
    if (jj >= 0 && jj < len) orLine(src, dst, line * stride, stride, off);
    if (++j === len) j = 0;
  }
}

function orLine(src: Uint8Array, dst: Uint8Array, at: number, n: number, off: number): void {
  for (let s = at; s < at + n; s++) dst[s] |= src[s + off];
}

/** One step of 6-neighbour (face) dilation. One flat loop: V8 compiles it whole (nested loops it enters per row). */
function dilateCross(src: Uint8Array, dims: Dims3): Uint8Array {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const out = src.slice();
  for (let i = 0, x = 0, y = 0, z = 0; i < src.length; i++) {
    if (
      !src[i] &&
      ((x > 0 && src[i - 1]) ||
        (x < nx - 1 && src[i + 1]) ||
        (y > 0 && src[i - nx]) ||
        (y < ny - 1 && src[i + nx]) ||
        (z > 0 && src[i - plane]) ||
        (z < nz - 1 && src[i + plane]))
    ) {
      out[i] = 1;
    }
    if (++x === nx) {
      x = 0;
      if (++y === ny) {
        y = 0;
        z++;
      }
    }
  }
  return out;
}

/**
 * Dilation by a near-round ball of `radius` voxels: alternating face (cross) and box steps, the
 * classic octagonal approximation of a Euclidean distance (a box alone reaches 1.7x too far diagonally).
 */
export function dilateBall(params: { mask: Uint8Array; dims: Dims3; radius: number }): Uint8Array {
  const { dims } = params;
  let out = params.mask;
  for (let step = 0; step < Math.round(params.radius); step++) {
    out = step % 2 === 0 ? dilateCross(out, dims) : dilate({ mask: out, dims, radius: [1, 1, 1] });
  }
  return out === params.mask ? out.slice() : out;
}
