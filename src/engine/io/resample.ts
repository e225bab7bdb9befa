// Moving volumes between voxel grids: world-space resampling (nearest for labels, trilinear for
// images and probabilities) and block downsampling for volumes over the voxel limit.
import { channelCount, type Volume, type VolumeArray } from '../data/volume';
import { type Grid, invertAffine, matMul4, spacingOf } from './geometry';

export type ResampleMethod = 'nearest' | 'linear';

/**
 * Resamples `source` (3D or 4D) onto `grid` through world space: target voxel -> world -> source
 * voxel. Points outside the source read 0. Nearest keeps the source's array type; linear gives Float32.
 */
export function resampleToGrid(params: { source: Volume; grid: Grid; method: ResampleMethod }): Volume {
  const { source, grid, method } = params;
  const m = matMul4(invertAffine(source.affine), grid.affine);
  const [sx, sy, sz] = source.dims;
  const [nx, ny, nz] = grid.dims;
  const sn = sx * sy * sz;
  const n = nx * ny * nz;
  const channels = channelCount(source.dims);
  const data: VolumeArray =
    method === 'nearest'
      ? new (source.data.constructor as new (n: number) => VolumeArray)(n * channels)
      : new Float32Array(n * channels);
  let out = 0;
  for (let ch = 0; ch < channels; ch++) {
    const src = source.data.subarray(ch * sn, (ch + 1) * sn);
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, out++) {
          const px = m[0] * x + m[1] * y + m[2] * z + m[3];
          const py = m[4] * x + m[5] * y + m[6] * z + m[7];
          const pz = m[8] * x + m[9] * y + m[10] * z + m[11];
          data[out] = method === 'nearest' ? nearest(src, sx, sy, sz, px, py, pz) : trilinear(src, sx, sy, sz, px, py, pz);
        }
  }
  const dims = source.dims.length > 3 ? [...grid.dims, source.dims[3]] : [...grid.dims];
  return { ...source, dims, spacing: spacingOf(grid.affine), affine: [...grid.affine], data };
}

// Half a voxel of slack so that exact integer positions never fall outside through rounding.
const inside = (p: number, d: number) => p > -0.5 - 1e-6 && p < d - 0.5 + 1e-6;

function nearest(src: VolumeArray, sx: number, sy: number, sz: number, px: number, py: number, pz: number): number {
  if (!inside(px, sx) || !inside(py, sy) || !inside(pz, sz)) return 0;
  const i = Math.min(sx - 1, Math.max(0, Math.round(px)));
  const j = Math.min(sy - 1, Math.max(0, Math.round(py)));
  const k = Math.min(sz - 1, Math.max(0, Math.round(pz)));
  return src[i + sx * (j + sy * k)];
}

function trilinear(src: VolumeArray, sx: number, sy: number, sz: number, px: number, py: number, pz: number): number {
  if (!inside(px, sx) || !inside(py, sy) || !inside(pz, sz)) return 0;
  // Clamp into the grid: the half-voxel border repeats the edge value.
  const cx = Math.min(sx - 1, Math.max(0, px));
  const cy = Math.min(sy - 1, Math.max(0, py));
  const cz = Math.min(sz - 1, Math.max(0, pz));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const z0 = Math.floor(cz);
  const x1 = Math.min(sx - 1, x0 + 1);
  const y1 = Math.min(sy - 1, y0 + 1);
  const z1 = Math.min(sz - 1, z0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const fz = cz - z0;
  const at = (i: number, j: number, k: number) => src[i + sx * (j + sy * k)];
  const c00 = at(x0, y0, z0) * (1 - fx) + at(x1, y0, z0) * fx;
  const c10 = at(x0, y1, z0) * (1 - fx) + at(x1, y1, z0) * fx;
  const c01 = at(x0, y0, z1) * (1 - fx) + at(x1, y0, z1) * fx;
  const c11 = at(x0, y1, z1) * (1 - fx) + at(x1, y1, z1) * fx;
  return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
}

/** Smallest integer factor f such that the grid shrunk by f on every axis has at most maxVoxels voxels. */
export function downsampleFactor(params: { dims: readonly number[]; maxVoxels: number }): number {
  const { dims, maxVoxels } = params;
  let f = 1;
  const count = (k: number) => Math.ceil(dims[0] / k) * Math.ceil(dims[1] / k) * Math.ceil(dims[2] / k);
  while (count(f) > maxVoxels && f < Math.max(dims[0], dims[1], dims[2])) f++;
  return f;
}

/** A shrink factor per voxel axis (x, y, z). */
export type Factors = [number, number, number];

const asFactors = (f: number | readonly number[]): Factors => (typeof f === 'number' ? [f, f, f] : [f[0], f[1], f[2]]);

/**
 * Per-axis factors that fit maxVoxels and keep thick slices: every axis is shrunk towards one common voxel
 * size t (factor floor(t / spacing), at least 1), t as small as fits, so an axis already coarser than t keeps
 * all its slices. Isotropic voxels give equal factors (the same as downsampleFactor).
 */
export function downsampleFactors(params: { dims: readonly number[]; spacing: readonly number[]; maxVoxels: number }): Factors {
  const { dims, spacing, maxVoxels } = params;
  const sp = [0, 1, 2].map((k) => (spacing[k] > 0 ? spacing[k] : 1));
  const count = (f: Factors) => f.reduce((n, fk, k) => n * Math.ceil(dims[k] / fk), 1);
  const at = (t: number) => sp.map((s, k) => Math.min(dims[k], Math.max(1, Math.floor(t / s + 1e-9)))) as Factors;
  if (count([1, 1, 1]) <= maxVoxels) return [1, 1, 1];
  // Candidate voxel sizes: every multiple of every axis's spacing, smallest first.
  const top = Math.max(...sp.map((s, k) => s * dims[k]));
  for (let t = Math.min(...sp); t <= top; ) {
    const f = at(t);
    if (count(f) <= maxVoxels) return f;
    t = Math.min(...sp.map((s, k) => s * (f[k] + 1)));
  }
  return [dims[0], dims[1], dims[2]];
}

/** The grid of fx x fy x fz blocks: voxel i' is the centre of old voxels f*i' .. f*i' + f - 1 on each axis. */
export function downsampledGrid(grid: Grid, factor: number | readonly number[]): Grid {
  const f = asFactors(factor);
  const h = f.map((k) => (k - 1) / 2);
  const scale = [f[0], 0, 0, h[0], 0, f[1], 0, h[1], 0, 0, f[2], h[2], 0, 0, 0, 1];
  return { dims: grid.dims.map((d, k) => Math.ceil(d / f[k])) as Grid['dims'], affine: matMul4(grid.affine, scale) };
}

/**
 * Shrinks by an integer factor: 'mean' averages each block (images), 'mode' takes each block's most
 * frequent value, ties going to the larger value so that small lesions are kept when they can be (labels).
 * Edge blocks use the voxels they have.
 */
export function downsample(params: { volume: Volume; factor: number | readonly number[]; method: 'mean' | 'mode' }): Volume {
  const { volume, method } = params;
  const [fx, fy, fz] = asFactors(params.factor);
  if (fx === 1 && fy === 1 && fz === 1) return volume;
  const grid = downsampledGrid({ dims: [volume.dims[0], volume.dims[1], volume.dims[2]], affine: volume.affine }, [fx, fy, fz]);
  const [sx, sy, sz] = volume.dims;
  const [nx, ny, nz] = grid.dims;
  const channels = channelCount(volume.dims);
  const sn = sx * sy * sz;
  const n = nx * ny * nz;
  const data: VolumeArray =
    method === 'mean'
      ? new Float32Array(n * channels)
      : new (volume.data.constructor as new (n: number) => VolumeArray)(n * channels);
  const counts = new Map<number, number>();
  let out = 0;
  for (let ch = 0; ch < channels; ch++) {
    const src = volume.data.subarray(ch * sn, (ch + 1) * sn);
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, out++) {
          let sum = 0;
          let k = 0;
          counts.clear();
          for (let c = z * fz; c < Math.min(sz, z * fz + fz); c++)
            for (let b = y * fy; b < Math.min(sy, y * fy + fy); b++)
              for (let a = x * fx; a < Math.min(sx, x * fx + fx); a++) {
                const v = src[a + sx * (b + sy * c)];
                if (method === 'mean') sum += v;
                else counts.set(v, (counts.get(v) ?? 0) + 1);
                k++;
              }
          if (method === 'mean') data[out] = sum / k;
          else {
            let best = 0;
            let bestCount = -1;
            for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v > best)) [best, bestCount] = [v, c];
            data[out] = best;
          }
        }
  }
  const dims = volume.dims.length > 3 ? [...grid.dims, volume.dims[3]] : [...grid.dims];
  return {
    ...volume,
    dims,
    spacing: spacingOf(grid.affine),
    affine: grid.affine,
    data,
    datatype: method === 'mean' ? 'float32' : volume.datatype,
  };
}
