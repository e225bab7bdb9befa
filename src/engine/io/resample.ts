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

/** A shrink factor per voxel axis (x, y, z); any real number >= 1. */
export type Factors = [number, number, number];

const asFactors = (f: number | readonly number[]): Factors => (typeof f === 'number' ? [f, f, f] : [f[0], f[1], f[2]]);

/**
 * Voxels along an axis of d voxels shrunk by r >= 1: target voxel i is the box [i r, (i + 1) r) in voxel
 * units and gathers the source voxels whose centres (j + 0.5) fall in it; the last box must hold one.
 * For an integer r this is ceil(d / r).
 */
export const shrunkCount = (d: number, r: number): number => Math.floor((d - 0.5) / r) + 1;

/** The source voxels [lo, hi) of target voxel i (centres in its box; the last box takes the rest). */
export function boxRange(i: number, r: number, d: number, n: number): [number, number] {
  const lo = Math.max(0, Math.ceil(i * r - 0.5));
  const hi = i === n - 1 ? d : Math.min(d, Math.ceil((i + 1) * r - 0.5));
  return [lo, hi];
}

/**
 * Per-axis factors that fit maxVoxels and keep thick slices: every axis is shrunk towards one common voxel
 * size t (factor t / spacing, at least 1), so an axis already coarser than t keeps all its slices. t is the
 * smallest multiple of 1/1000 of the finest spacing that fits: real factors, so a volume just over the
 * limit loses little, not half its resolution.
 */
export function downsampleFactors(params: { dims: readonly number[]; spacing: readonly number[]; maxVoxels: number }): Factors {
  const { dims, maxVoxels } = params;
  const sp = [0, 1, 2].map((k) => (params.spacing[k] > 0 ? params.spacing[k] : 1));
  const finest = Math.min(...sp);
  const at = (m: number) => sp.map((s, k) => Math.min(dims[k], Math.max(1, (finest * m) / 1000 / s))) as Factors;
  const fits = (m: number) => at(m).reduce((n, f, k) => n * shrunkCount(dims[k], f), 1) <= maxVoxels;
  if (fits(1000)) return [1, 1, 1];
  // The voxel count falls as m grows: bisect for the smallest m that fits.
  let lo = 1000;
  let hi = 2000;
  while (!fits(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 1e12) return [dims[0], dims[1], dims[2]];
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return at(hi);
}

/** The grid of boxes fx x fy x fz: voxel i' is centred on old voxel coordinate f i' + (f - 1) / 2 on each axis. */
export function downsampledGrid(grid: Grid, factor: number | readonly number[]): Grid {
  const f = asFactors(factor);
  const h = f.map((k) => (k - 1) / 2);
  const scale = [f[0], 0, 0, h[0], 0, f[1], 0, h[1], 0, 0, f[2], h[2], 0, 0, 0, 1];
  return { dims: grid.dims.map((d, k) => shrunkCount(d, f[k])) as Grid['dims'], affine: matMul4(grid.affine, scale) };
}

/**
 * Shrinks by real factors >= 1 (boxes as shrunkCount defines them; an integer factor gives plain blocks):
 * 'mean' averages each box (images), 'mode' takes each box's most frequent value, ties going to the larger
 * value so that small lesions are kept when they can be (labels). Edge boxes use the voxels they have.
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
  const ranges = (f: number, d: number, m: number) => Array.from({ length: m }, (_, i) => boxRange(i, f, d, m));
  const rx = ranges(fx, sx, nx);
  const ry = ranges(fy, sy, ny);
  const rz = ranges(fz, sz, nz);
  for (let ch = 0; ch < channels; ch++) {
    const src = volume.data.subarray(ch * sn, (ch + 1) * sn);
    const out = data.subarray(ch * n, (ch + 1) * n);
    if (method === 'mean') boxMeans(src, out as Float32Array, [sx, sy, sz], [rx, ry, rz]);
    else boxModes(src, out, [sx, sy, sz], [rx, ry, rz]);
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

type Ranges = [number, number][];

/** Box means as three separable passes of box sums (x, then y, then z) in float64, then / box size. */
function boxMeans(src: VolumeArray, out: Float32Array, [sx, sy, sz]: number[], [rx, ry, rz]: Ranges[]): void {
  const nx = rx.length;
  const ny = ry.length;
  const nz = rz.length;
  const a = new Float64Array(nx * sy * sz);
  for (let row = 0, i = 0; row < sy * sz; row++) {
    const base = row * sx;
    for (const [lo, hi] of rx) {
      let sum = 0;
      for (let x = lo; x < hi; x++) sum += src[base + x];
      a[i++] = sum;
    }
  }
  const b = new Float64Array(nx * ny * sz);
  for (let z = 0; z < sz; z++)
    for (let y = 0; y < ny; y++) {
      const [lo, hi] = ry[y];
      const o = nx * (y + ny * z);
      for (let yy = lo; yy < hi; yy++) {
        const r = nx * (yy + sy * z);
        for (let x = 0; x < nx; x++) b[o + x] += a[r + x];
      }
    }
  const plane = nx * ny;
  for (let z = 0; z < nz; z++) {
    const [lo, hi] = rz[z];
    const o = plane * z;
    const acc = new Float64Array(plane);
    for (let zz = lo; zz < hi; zz++) {
      const r = plane * zz;
      for (let i = 0; i < plane; i++) acc[i] += b[r + i];
    }
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const k = (rx[x][1] - rx[x][0]) * (ry[y][1] - ry[y][0]) * (hi - lo);
        out[o + x + nx * y] = acc[x + nx * y] / k;
      }
  }
}

/**
 * Each box's most frequent value, ties to the larger value. Small non-negative integer labels (the usual
 * case: class indices) count in an array; anything else in a Map.
 */
function boxModes(src: VolumeArray, out: VolumeArray, [sx, sy]: number[], [rx, ry, rz]: Ranges[]): void {
  let max = 0;
  let small = true;
  for (let i = 0; i < src.length && small; i++) {
    const v = src[i];
    if (!(Number.isInteger(v) && v >= 0 && v < 65536)) small = false;
    else if (v > max) max = v;
  }
  const counts = small ? new Int32Array(max + 1) : null;
  const seen: number[] = [];
  const map = new Map<number, number>();
  let o = 0;
  for (const [z0, z1] of rz)
    for (const [y0, y1] of ry)
      for (const [x0, x1] of rx) {
        for (let z = z0; z < z1; z++)
          for (let y = y0; y < y1; y++)
            for (let x = x0, i = x0 + sx * (y + sy * z); x < x1; x++, i++) {
              const v = src[i];
              if (counts) {
                if (counts[v]++ === 0) seen.push(v);
              } else map.set(v, (map.get(v) ?? 0) + 1);
            }
        let best = 0;
        let bestCount = -1;
        if (counts) {
          for (const v of seen) {
            const c = counts[v];
            counts[v] = 0;
            if (c > bestCount || (c === bestCount && v > best)) {
              best = v;
              bestCount = c;
            }
          }
          seen.length = 0;
        } else {
          for (const [v, c] of map)
            if (c > bestCount || (c === bestCount && v > best)) {
              best = v;
              bestCount = c;
            }
          map.clear();
        }
        out[o++] = best;
      }
}
