// The phantom's partial-volume blur, computed only where it can be non-zero. About 60% of a phantom is
// air (exact zeros), so each x-row is blurred only over the x-range its sources reach. The sums are
// fields.ts blurPass's, term for term, so values are identical up to the sign of zero (Rician noise,
// added next, erases that sign: finishImage uses this only when noise follows).
import { type Dims3, gaussianKernel } from './fields';

/** Per x-row extent of the non-zero values: lo > hi marks a row of zeros. Rows are indexed y + ny * z. */
export interface RowSpans {
  lo: Int32Array;
  hi: Int32Array;
}

/** Row extents of the voxels where any of `maps` is non-zero (the head: tissue, lesion zones, mimics). */
export function maskSpans(maps: Uint8Array[], nx: number): RowSpans {
  const rows = maps[0].length / nx;
  const lo = new Int32Array(rows).fill(nx);
  const hi = new Int32Array(rows).fill(-1);
  for (const m of maps) {
    for (let r = 0, base = 0; r < rows; r++, base += nx) {
      for (let x = 0; x < nx; x++) {
        if (!m[base + x]) continue;
        if (x < lo[r]) lo[r] = x;
        break;
      }
      for (let x = nx - 1; x > hi[r]; x--) {
        if (!m[base + x]) continue;
        hi[r] = x;
        break;
      }
    }
  }
  return { lo, hi };
}

function rowSpans(data: Float32Array, nx: number): RowSpans {
  const rows = data.length / nx;
  const lo = new Int32Array(rows).fill(nx);
  const hi = new Int32Array(rows).fill(-1);
  for (let r = 0, base = 0; r < rows; r++, base += nx) {
    let x = 0;
    while (x < nx && data[base + x] === 0) x++;
    if (x === nx) continue;
    let e = nx - 1;
    while (data[base + e] === 0) e--;
    lo[r] = x;
    hi[r] = e;
  }
  return { lo, hi };
}

/** blurPass's value at x of one row (stride 1): its unrolled 3- and 5-tap sums and clamped ends. */
function rowValue(src: Float32Array, base: number, len: number, x: number, k: Float32Array): number {
  const taps = k.length;
  const r = (taps - 1) >> 1;
  if (taps === 3 && len >= 2) {
    if (x === 0) return (k[0] + k[1]) * src[base] + k[2] * src[base + 1];
    if (x === len - 1) return k[0] * src[base + x - 1] + (k[1] + k[2]) * src[base + x];
    return k[0] * src[base + x - 1] + k[1] * src[base + x] + k[2] * src[base + x + 1];
  }
  if (taps === 5 && len >= 5 && x >= 2 && x < len - 2)
    return (
      k[0] * src[base + x - 2] +
      k[1] * src[base + x - 1] +
      k[2] * src[base + x] +
      k[3] * src[base + x + 1] +
      k[4] * src[base + x + 2]
    );
  let acc = 0;
  for (let t = 0; t < taps; t++) {
    const xx = x + t - r;
    acc += k[t] * src[base + (xx < 0 ? 0 : xx >= len ? len - 1 : xx)];
  }
  return acc;
}

/** The x pass over each row's reach [lo - r, hi + r]; zeros elsewhere. */
function passX(src: Float32Array, dst: Float32Array, spans: RowSpans, nx: number, k: Float32Array): RowSpans {
  const r = (k.length - 1) >> 1;
  const rows = spans.lo.length;
  const out: RowSpans = { lo: new Int32Array(rows).fill(nx), hi: new Int32Array(rows).fill(-1) };
  for (let row = 0, base = 0; row < rows; row++, base += nx) {
    if (spans.hi[row] < spans.lo[row]) {
      dst.fill(0, base, base + nx);
      continue;
    }
    const a = Math.max(0, spans.lo[row] - r);
    const b = Math.min(nx - 1, spans.hi[row] + r);
    dst.fill(0, base, base + a);
    dst.fill(0, base + b + 1, base + nx);
    out.lo[row] = a;
    out.hi[row] = b;
    blurRowX(src, dst, base, a, b, nx, k);
  }
  return out;
}

/** One row's x pass over [a, b] (its own function: V8 compiles the row loop once, not per row). */
function blurRowX(src: Float32Array, dst: Float32Array, base: number, a: number, b: number, nx: number, k: Float32Array): void {
  if (k.length === 5 && nx >= 5) {
    // The 5-tap interior inline (the realistic blur); ends through rowValue.
    const k0 = k[0];
    const k1 = k[1];
    const k2 = k[2];
    const k3 = k[3];
    const k4 = k[4];
    const i0 = Math.max(a, 2);
    const i1 = Math.min(b, nx - 3);
    for (let x = a; x < i0; x++) dst[base + x] = rowValue(src, base, nx, x, k);
    for (let j = base + i0; j <= base + i1; j++)
      dst[j] = k0 * src[j - 2] + k1 * src[j - 1] + k2 * src[j] + k3 * src[j + 1] + k4 * src[j + 2];
    for (let x = Math.max(i0, i1 + 1); x <= b; x++) dst[base + x] = rowValue(src, base, nx, x, k);
  } else for (let x = a; x <= b; x++) dst[base + x] = rowValue(src, base, nx, x, k);
}

/** A y (axis 1) or z (axis 2) pass: each output row over the union of its source rows' spans. */
function passStrided(src: Float32Array, dst: Float32Array, spans: RowSpans, dims: Dims3, axis: 1 | 2, k: Float32Array): RowSpans {
  const [nx, ny, nz] = dims;
  const rows = ny * nz;
  const out: RowSpans = { lo: new Int32Array(rows).fill(nx), hi: new Int32Array(rows).fill(-1) };
  const offs = new Int32Array(k.length);
  const reach = new Int32Array(2);
  const len = axis === 1 ? ny : nz;
  // One flat loop over the rows (y, z kept by hand), each row in its own function.
  for (let row = 0, y = 0, z = 0; row < rows; row++) {
    sourceRows(spans, offs, reach, axis === 1 ? y : z, len, axis === 1 ? ny * z : y, axis === 1 ? 1 : ny, nx);
    const base = row * nx;
    const lo = reach[0];
    const hi = reach[1];
    if (hi < lo) dst.fill(0, base, base + nx);
    else {
      dst.fill(0, base, base + lo);
      dst.fill(0, base + hi + 1, base + nx);
      out.lo[row] = lo;
      out.hi[row] = hi;
      blurRowStrided(src, dst, base, offs, lo, hi, k);
    }
    if (++y === ny) {
      y = 0;
      z++;
    }
  }
  return out;
}

/**
 * The source rows of one output row: at positions j - r .. j + r along an axis of length `len` (clamped),
 * row index `first + jj * step`; their offsets go to `offs` and the union of their spans to `reach`.
 */
function sourceRows(
  spans: RowSpans,
  offs: Int32Array,
  reach: Int32Array,
  j: number,
  len: number,
  first: number,
  step: number,
  nx: number,
): void {
  const taps = offs.length;
  const r = (taps - 1) >> 1;
  let lo = nx;
  let hi = -1;
  for (let t = 0; t < taps; t++) {
    const srow = first + step * Math.min(len - 1, Math.max(0, j + t - r));
    offs[t] = srow * nx;
    if (spans.lo[srow] < lo) lo = spans.lo[srow];
    if (spans.hi[srow] > hi) hi = spans.hi[srow];
  }
  reach[0] = lo;
  reach[1] = hi;
}

/** One output row's strided pass over [lo, hi] from the source rows at `offs`. */
function blurRowStrided(
  src: Float32Array,
  dst: Float32Array,
  base: number,
  offs: Int32Array,
  lo: number,
  hi: number,
  k: Float32Array,
): void {
  const taps = k.length;
  // Indexed reads, not destructuring: this runs once per row (an iterator each time before optimisation).
  const k0 = k[0];
  const k1 = k[1];
  const k2 = k[2];
  if (taps === 3) {
    const q0 = offs[0];
    const q1 = offs[1];
    const q2 = offs[2];
    for (let x = lo; x <= hi; x++) dst[base + x] = k0 * src[q0 + x] + k1 * src[q1 + x] + k2 * src[q2 + x];
  } else if (taps === 5) {
    const q0 = offs[0];
    const q1 = offs[1];
    const q2 = offs[2];
    const q3 = offs[3];
    const q4 = offs[4];
    const k3 = k[3];
    const k4 = k[4];
    for (let x = lo; x <= hi; x++)
      dst[base + x] = k0 * src[q0 + x] + k1 * src[q1 + x] + k2 * src[q2 + x] + k3 * src[q3 + x] + k4 * src[q4 + x];
  } else {
    for (let x = lo; x <= hi; x++) {
      let acc = 0;
      for (let t = 0; t < taps; t++) acc += k[t] * src[offs[t] + x];
      dst[base + x] = acc;
    }
  }
}

/**
 * fields.ts blurSeparable on a mostly-zero volume: the same values up to the sign of zero. Returns whichever
 * buffer holds the result (`data` itself or a new array; `data` is then scratch).
 */
export function blurSparse(params: { data: Float32Array; dims: Dims3; sigma: Dims3; spans?: RowSpans }): Float32Array {
  const { dims, sigma } = params;
  let src = params.data;
  let dst: Float32Array | null = null;
  // Spans wider than the non-zero values only blur more zeros (the same values up to the sign of zero).
  let spans = params.spans ?? rowSpans(src, dims[0]);
  for (let axis = 0; axis < 3; axis++) {
    if (!(sigma[axis] > 0) || dims[axis] < 2) continue;
    dst ??= new Float32Array(src.length);
    const k = gaussianKernel(sigma[axis]);
    spans = axis === 0 ? passX(src, dst, spans, dims[0], k) : passStrided(src, dst, spans, dims, axis as 1 | 2, k);
    [src, dst] = [dst, src];
  }
  return src;
}
