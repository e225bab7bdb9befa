// Binary masks on the grid: bounding boxes, crops and dilations (the cortex is a dilation of the CSF).
import type { Dims3 } from './fields';

export interface Box {
  min: [number, number, number];
  size: [number, number, number];
}

/** Bounding box of the set voxels, grown by `margin` and clipped to the grid. */
export function boundingBox(mask: Uint8Array, dims: Dims3, margin: number): Box {
  const [nx, ny, nz] = dims;
  const lo = [nx, ny, nz];
  const hi = [-1, -1, -1];
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (!mask[i]) continue;
        if (x < lo[0]) lo[0] = x;
        if (x > hi[0]) hi[0] = x;
        if (y < lo[1]) lo[1] = y;
        if (y > hi[1]) hi[1] = y;
        if (z < lo[2]) lo[2] = z;
        if (z > hi[2]) hi[2] = z;
      }
    }
  }
  if (hi[0] < 0) return { min: [0, 0, 0], size: [1, 1, 1] };
  const min = [0, 1, 2].map((a) => Math.max(0, lo[a] - margin)) as [number, number, number];
  const size = [0, 1, 2].map((a) => Math.min(dims[a] - 1, hi[a] + margin) - min[a] + 1) as [number, number, number];
  return { min, size };
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
    const len = dims[axis];
    const stride = strides[axis];
    const block = len * stride;
    if (stride === 1) {
      for (let base = 0; base < src.length; base += block) {
        for (let j = 0; j < len; j++) {
          let v = 0;
          for (let jj = Math.max(0, j - r); jj <= Math.min(len - 1, j + r); jj++) v |= src[base + jj];
          dst[base + j] = v;
        }
      }
    } else {
      // Row-wise OR of the neighbouring rows: contiguous inner loops.
      for (let base = 0; base < src.length; base += block) {
        for (let j = 0; j < len; j++) {
          const row = base + j * stride;
          dst.set(src.subarray(row, row + stride), row);
          for (let jj = Math.max(0, j - r); jj <= Math.min(len - 1, j + r); jj++) {
            if (jj === j) continue;
            const off = base + jj * stride - row;
            for (let s = row; s < row + stride; s++) dst[s] |= src[s + off];
          }
        }
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** One step of 6-neighbour (face) dilation. */
function dilateCross(src: Uint8Array, dims: Dims3): Uint8Array {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const out = src.slice();
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (src[i]) continue;
        if (
          (x > 0 && src[i - 1]) ||
          (x < nx - 1 && src[i + 1]) ||
          (y > 0 && src[i - nx]) ||
          (y < ny - 1 && src[i + nx]) ||
          (z > 0 && src[i - plane]) ||
          (z < nz - 1 && src[i + plane])
        ) {
          out[i] = 1;
        }
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
