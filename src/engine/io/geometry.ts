// Voxel-grid geometry for user volumes: affine maths, agreement checks, and lossless reorientation to
// the nearest RAS voxel order (so the 2D nets' "axial" slices are axial, as niivue shows them).
import type { Volume, VolumeArray } from '../data/volume';
import { channelCount } from '../data/volume';

/** A voxel grid: [x, y, z] sizes and the row-major 4x4 voxel -> world (mm) affine. */
export interface Grid {
  dims: [number, number, number];
  affine: number[];
}

export const gridOf = (v: Pick<Volume, 'dims' | 'affine'>): Grid => ({
  dims: [v.dims[0], v.dims[1], v.dims[2]],
  affine: [...v.affine],
});

/** Product of two row-major 4x4 matrices. */
export function matMul4(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) for (let k = 0; k < 4; k++) out[4 * r + c] += a[4 * r + k] * b[4 * k + c];
  return out;
}

/** Inverse of an affine 4x4 (last row 0 0 0 1); throws on a singular matrix. */
export function invertAffine(a: readonly number[]): number[] {
  const [m00, m01, m02, t0, m10, m11, m12, t1, m20, m21, m22, t2] = a;
  const c00 = m11 * m22 - m12 * m21;
  const c01 = m02 * m21 - m01 * m22;
  const c02 = m01 * m12 - m02 * m11;
  const det = m00 * c00 + m10 * c01 + m20 * c02;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new RangeError('the affine is singular (a voxel axis has no extent)');
  const inv = [
    c00,
    c01,
    c02,
    m12 * m20 - m10 * m22,
    m00 * m22 - m02 * m20,
    m02 * m10 - m00 * m12,
    m10 * m21 - m11 * m20,
    m01 * m20 - m00 * m21,
    m00 * m11 - m01 * m10,
  ].map((v) => v / det);
  const t = [0, 1, 2].map((r) => -(inv[3 * r] * t0 + inv[3 * r + 1] * t1 + inv[3 * r + 2] * t2));
  return [inv[0], inv[1], inv[2], t[0], inv[3], inv[4], inv[5], t[1], inv[6], inv[7], inv[8], t[2], 0, 0, 0, 1];
}

/** Largest absolute entry-wise difference of two affines (mm for the translation column). */
export function affineDifference(a: readonly number[], b: readonly number[]): number {
  let d = 0;
  for (let i = 0; i < 12; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Tolerance for "same affine": float32 headers written by different tools differ in the last bits. */
export const AFFINE_TOLERANCE = 1e-3;

export function sameGrid(a: Grid, b: Grid, tolerance = AFFINE_TOLERANCE): boolean {
  return a.dims.every((d, i) => d === b.dims[i]) && affineDifference(a.affine, b.affine) <= tolerance;
}

/** New voxel axis r reads old axis perm[r], reversed when flip[r]. */
export interface Orientation {
  perm: [number, number, number];
  flip: [boolean, boolean, boolean];
}

export const isIdentityOrientation = (o: Orientation) => o.perm.every((p, i) => p === i) && o.flip.every((f) => !f);

/**
 * The permutation and flips that make voxel axes (i, j, k) point as close as possible to world
 * (+x R, +y A, +z S): each world axis takes the voxel axis with the largest share of it, greedily.
 */
export function canonicalOrientation(affine: readonly number[]): Orientation {
  const perm: number[] = [-1, -1, -1];
  const flip = [false, false, false];
  const used = new Set<number>();
  const entries: { r: number; c: number; v: number }[] = [];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) entries.push({ r, c, v: affine[4 * r + c] });
  entries.sort((a, b) => Math.abs(b.v) - Math.abs(a.v));
  for (const e of entries) {
    if (perm[e.r] >= 0 || used.has(e.c)) continue;
    perm[e.r] = e.c;
    flip[e.r] = e.v < 0;
    used.add(e.c);
  }
  return { perm: perm as Orientation['perm'], flip: flip as Orientation['flip'] };
}

/** Matrix taking new voxel coordinates to old ones, for an orientation of a grid with old dims. */
function newToOld(o: Orientation, oldDims: readonly number[]): number[] {
  const m = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  for (let r = 0; r < 3; r++) {
    const c = o.perm[r];
    m[4 * c + r] = o.flip[r] ? -1 : 1;
    m[4 * c + 3] = o.flip[r] ? oldDims[c] - 1 : 0;
  }
  return m;
}

/** The grid after reorienting (same world positions, voxel axes permuted and flipped). */
export function reorientGrid(grid: Grid, o: Orientation): Grid {
  return {
    dims: o.perm.map((c) => grid.dims[c]) as Grid['dims'],
    affine: matMul4(grid.affine, newToOld(o, grid.dims)),
  };
}

/** Reorients a 3D or 4D volume (channels kept); values are moved, never interpolated. */
export function reorientVolume(v: Volume, o: Orientation): Volume {
  if (isIdentityOrientation(o)) return v;
  const grid = reorientGrid(gridOf(v), o);
  const [nx, ny, nz] = grid.dims;
  const old = v.dims;
  const oldStride = [1, old[0], old[0] * old[1]];
  // Old-index step and start for each new axis.
  const step = o.perm.map((c, r) => (o.flip[r] ? -oldStride[c] : oldStride[c]));
  const start = o.perm.reduce((s, c, r) => s + (o.flip[r] ? (old[c] - 1) * oldStride[c] : 0), 0);
  const n = nx * ny * nz;
  const channels = channelCount(v.dims);
  const data = new (v.data.constructor as new (n: number) => VolumeArray)(v.data.length);
  for (let ch = 0; ch < channels; ch++) {
    const src = v.data.subarray(ch * n, (ch + 1) * n);
    let out = ch * n;
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++) {
        let i = start + z * step[2] + y * step[1];
        for (let x = 0; x < nx; x++, i += step[0]) data[out++] = src[i];
      }
  }
  const spacing = o.perm.map((c) => v.spacing[c]);
  const dims = v.dims.length > 3 ? [nx, ny, nz, v.dims[3]] : [nx, ny, nz];
  return { ...v, dims, spacing, affine: grid.affine, data };
}

/** Voxel sizes (column norms of the affine). */
export function spacingOf(affine: readonly number[]): [number, number, number] {
  return [0, 1, 2].map((c) => Math.hypot(affine[c], affine[4 + c], affine[8 + c])) as [number, number, number];
}
