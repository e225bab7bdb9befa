// Whole-volume numeric kernels for the phantom: smooth random fields, separable blur, exact top-k.
// Plain loops over typed arrays (no per-voxel closures): these run on ~1.5M voxels per phantom.
import type { Rng } from './rng';

export type Dims3 = readonly [number, number, number];

interface SplineTaps {
  start: Int32Array;
  w: Float32Array;
  lattice: number;
}

/** Per-axis B-spline taps: lattice start index and 4 weights for every output sample. */
function bsplineTaps(n: number, cell: number, offset: number): SplineTaps {
  const start = new Int32Array(n);
  const w = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const t = i / cell + offset;
    const j = Math.floor(t);
    const f = t - j;
    const f2 = f * f;
    const f3 = f2 * f;
    start[i] = j;
    w[4 * i] = (1 - 3 * f + 3 * f2 - f3) / 6;
    w[4 * i + 1] = (4 - 6 * f2 + 3 * f3) / 6;
    w[4 * i + 2] = (1 + 3 * f + 3 * f2 - 3 * f3) / 6;
    w[4 * i + 3] = f3 / 6;
  }
  return { start, w, lattice: start[n - 1] + 4 };
}

/**
 * Smooth random field (cubic B-spline interpolation of a random lattice), rescaled to mean 0, sd 1.
 * `cell` is the lattice spacing in voxels per axis: the field's features are about that size.
 */
export function smoothNoise(params: { dims: Dims3; cell: number | Dims3; rng: Rng }): Float32Array {
  const { dims, rng } = params;
  const [nx, ny, nz] = dims;
  const cell = typeof params.cell === 'number' ? [params.cell, params.cell, params.cell] : params.cell;
  const tx = bsplineTaps(nx, Math.max(cell[0], 0.5), rng.next());
  const ty = bsplineTaps(ny, Math.max(cell[1], 0.5), rng.next());
  const tz = bsplineTaps(nz, Math.max(cell[2], 0.5), rng.next());
  const grid = new Float32Array(tx.lattice * ty.lattice * tz.lattice);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.next() * 2 - 1;
  // Interpolate along x, then y, then z: each pass shrinks one lattice axis to the volume's size. One
  // loop nest per function: V8 then compiles each pass once, small, instead of the whole again per loop.
  const a = splineRows(grid, tx, nx, ty.lattice * tz.lattice);
  const b = splineColumns(a, ty, nx, tz.lattice);
  return standardise(splineColumns(b, tz, nx * ny, 1));
}

/** Along rows (the fastest axis): `rows` rows of lattice samples to rows of `n` samples. */
function splineRows(src: Float32Array, t: SplineTaps, n: number, rows: number): Float32Array {
  const out = new Float32Array(n * rows);
  const { start, w, lattice } = t;
  for (let r = 0; r < rows; r++) {
    const base = r * lattice;
    const dst = r * n;
    for (let i = 0; i < n; i++) {
      const s = base + start[i];
      const q = 4 * i;
      out[dst + i] = w[q] * src[s] + w[q + 1] * src[s + 1] + w[q + 2] * src[s + 2] + w[q + 3] * src[s + 3];
    }
  }
  return out;
}

/**
 * Along a slower axis: each of `blocks` blocks of lattice x `width` values (width contiguous samples per
 * lattice step) to blocks of t's `n` x width.
 */
function splineColumns(src: Float32Array, t: SplineTaps, width: number, blocks: number): Float32Array {
  const { start, w, lattice } = t;
  const n = start.length;
  const out = new Float32Array(width * n * blocks);
  for (let k = 0; k < blocks; k++) {
    for (let j = 0; j < n; j++) {
      const q = 4 * j;
      const w0 = w[q];
      const w1 = w[q + 1];
      const w2 = w[q + 2];
      const w3 = w[q + 3];
      const s0 = width * (start[j] + lattice * k);
      const dst = width * (j + n * k);
      for (let p = 0; p < width; p++) {
        const s = s0 + p;
        out[dst + p] = w0 * src[s] + w1 * src[s + width] + w2 * src[s + 2 * width] + w3 * src[s + 3 * width];
      }
    }
  }
  return out;
}

/** Rescales in place to mean 0, sd 1 (a constant field becomes 0); statistics from every 7th sample. */
export function standardise(data: Float32Array): Float32Array {
  const step = data.length > 7000 ? 7 : 1;
  const moments = sampleMoments(data, step);
  const mean = moments[0];
  const sd = Math.sqrt(Math.max(0, moments[1] - mean * mean));
  const inv = sd > 1e-12 ? 1 / sd : 0;
  rescale(data, mean, inv);
  return data;
}

/** Mean and mean square of every `step`-th value (one loop per function: V8 compiles each once). */
function sampleMoments(data: Float32Array, step: number): Float64Array {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < data.length; i += step, n++) {
    sum += data[i];
    sq += data[i] * data[i];
  }
  return Float64Array.of(sum / n, sq / n);
}

function rescale(data: Float32Array, mean: number, inv: number): void {
  for (let i = 0; i < data.length; i++) data[i] = (data[i] - mean) * inv;
}

/** Normalised Gaussian taps out to 2 sigma (at least 3). */
export function gaussianKernel(sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(2 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let t = -r; t <= r; t++) sum += k[t + r] = Math.exp((-0.5 * t * t) / (sigma * sigma));
  for (let t = 0; t < k.length; t++) k[t] /= sum;
  return k;
}

/** One separable pass along an axis of length `len` and memory stride `stride`, edges clamped. */
function blurPass(src: Float32Array, dst: Float32Array, len: number, stride: number, kernel: Float32Array): void {
  const taps = kernel.length;
  const r = (taps - 1) >> 1;
  const block = len * stride;
  const offs = new Int32Array(taps);
  if (stride === 1 && taps === 3 && len >= 2) {
    // The common case (sigma <= 0.5 voxel) along rows, unrolled; ends clamped.
    const [k0, k1, k2] = kernel;
    for (let base = 0; base < src.length; base += block) {
      const end = base + len - 1;
      dst[base] = (k0 + k1) * src[base] + k2 * src[base + 1];
      for (let j = base + 1; j < end; j++) dst[j] = k0 * src[j - 1] + k1 * src[j] + k2 * src[j + 1];
      dst[end] = k0 * src[end - 1] + (k1 + k2) * src[end];
    }
    return;
  }
  if (stride === 1) {
    for (let base = 0; base < src.length; base += block) {
      if (taps === 5 && len >= 5) {
        // Interior of a row with 5 taps, unrolled (the same sums in the same order); ends below.
        const [k0, k1, k2, k3, k4] = kernel;
        for (let j = base + 2; j < base + len - 2; j++)
          dst[j] = k0 * src[j - 2] + k1 * src[j - 1] + k2 * src[j] + k3 * src[j + 1] + k4 * src[j + 2];
      }
      for (let j = 0; j < len; j++) {
        if (taps === 5 && len >= 5 && j >= 2 && j < len - 2) continue;
        let acc = 0;
        for (let t = 0; t < taps; t++) {
          const jj = j + t - r;
          acc += kernel[t] * src[base + (jj < 0 ? 0 : jj >= len ? len - 1 : jj)];
        }
        dst[base + j] = acc;
      }
    }
    return;
  }
  const [k0, k1, k2] = kernel;
  for (let base = 0; base < src.length; base += block) {
    for (let j = 0; j < len; j++) {
      const row = base + j * stride;
      for (let t = 0; t < taps; t++) offs[t] = base + Math.min(len - 1, Math.max(0, j + t - r)) * stride;
      if (taps === 3) {
        // The common case (sigma <= 0.5 voxel), unrolled: one read per tap, one write.
        const a = offs[0] - row;
        const c = offs[2] - row;
        const b = offs[1] - row;
        for (let s = row; s < row + stride; s++) dst[s] = k0 * src[s + a] + k1 * src[s + b] + k2 * src[s + c];
        continue;
      }
      if (taps === 5) {
        // Sigma in (0.5, 1] voxel (realistic and hard blur), unrolled: same sums in the same order.
        const [q0, q1, q2, q3, q4] = offs;
        const k3 = kernel[3];
        const k4 = kernel[4];
        for (let s = 0; s < stride; s++)
          dst[row + s] = k0 * src[q0 + s] + k1 * src[q1 + s] + k2 * src[q2 + s] + k3 * src[q3 + s] + k4 * src[q4 + s];
        continue;
      }
      for (let s = 0; s < stride; s++) {
        let acc = 0;
        for (let t = 0; t < taps; t++) acc += kernel[t] * src[offs[t] + s];
        dst[row + s] = acc;
      }
    }
  }
}

/** Separable Gaussian blur in place; `sigma` in voxels per axis (0 skips that axis). */
export function gaussianBlur(params: { data: Float32Array; dims: Dims3; sigma: Dims3 }): Float32Array {
  const out = blurSeparable(params);
  if (out !== params.data) params.data.set(out);
  return params.data;
}

/**
 * The same blur, returning whichever buffer holds the result: `data` itself or a new array, with
 * `data` then used as scratch. Passes alternate between two buffers instead of copying back.
 */
export function blurSeparable(params: { data: Float32Array; dims: Dims3; sigma: Dims3 }): Float32Array {
  const { dims, sigma } = params;
  const strides = [1, dims[0], dims[0] * dims[1]];
  let src = params.data;
  let dst: Float32Array | null = null;
  for (let axis = 0; axis < 3; axis++) {
    if (!(sigma[axis] > 0) || dims[axis] < 2) continue;
    dst ??= new Float32Array(src.length);
    blurPass(src, dst, dims[axis], strides[axis], gaussianKernel(sigma[axis]));
    [src, dst] = [dst, src];
  }
  return src;
}

/** k-th largest value (k >= 1) of `values`, by 3-way quickselect on a scratch copy. */
function kthLargest(values: Float32Array, k: number): number {
  const a = values.slice();
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1; // position in descending order
  for (;;) {
    if (lo >= hi) return a[lo];
    const mid = (lo + hi) >> 1;
    // Median of three as pivot: robust on sorted or smooth inputs.
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    // Partition descending: [lo, gt) > pivot, [gt, i) == pivot, (lt, hi] < pivot.
    let gt = lo;
    let i = lo;
    let lt = hi;
    while (i <= lt) {
      const v = a[i];
      if (v > pivot) {
        a[i] = a[gt];
        a[gt++] = v;
        i++;
      } else if (v < pivot) {
        a[i] = a[lt];
        a[lt--] = v;
      } else i++;
    }
    if (target < gt) hi = gt - 1;
    else if (target <= lt) return pivot;
    else lo = lt + 1;
  }
}

/**
 * Positions (into `values`) of the k largest values, exactly k of them: ties at the threshold are
 * taken in index order, so the result is deterministic. Returns ascending positions.
 */
export function topK(values: Float32Array, k: number): Int32Array {
  const n = values.length;
  const count = Math.max(0, Math.min(k, n));
  const out = new Int32Array(count);
  if (count === 0) return out;
  const threshold = kthLargest(values, count);
  let above = 0;
  for (let i = 0; i < n; i++) if (values[i] > threshold) above++;
  let ties = count - above;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v > threshold || (v === threshold && ties-- > 0)) out[m++] = i;
  }
  return out;
}
