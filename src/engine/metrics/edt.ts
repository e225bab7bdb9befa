// Exact Euclidean distance transform with anisotropic spacing (Felzenszwalb & Huttenlocher 2012):
// squared distances are separable, so three 1D passes (x, y, z) give the exact 3D result in O(n).
import type { Vec3 } from './grid';

/** Scratch for one 1D pass over lines of up to `n` voxels. */
interface Scratch {
  f: Float64Array;
  d: Float64Array;
  v: Int32Array;
  z: Float64Array;
}

function scratch(n: number): Scratch {
  return { f: new Float64Array(n), d: new Float64Array(n), v: new Int32Array(n), z: new Float64Array(n + 1) };
}

/** d[q] = min_p w2 (q - p)^2 + f[p] over q < n: the lower envelope of parabolas rooted at the finite f[p]. */
function envelope(s: Scratch, n: number, w2: number): void {
  const { f, d, v, z } = s;
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq === Number.POSITIVE_INFINITY) continue;
    const gq = fq + w2 * q * q;
    let cut = Number.NEGATIVE_INFINITY;
    // Drop parabolas that the new one hides: their interval starts at or after the intersection.
    while (k >= 0) {
      const p = v[k];
      cut = (gq - (f[p] + w2 * p * p)) / (2 * w2 * (q - p));
      if (cut > z[k]) break;
      k--;
    }
    k++;
    v[k] = q;
    z[k] = k === 0 ? Number.NEGATIVE_INFINITY : cut;
  }
  if (k < 0) {
    d.fill(Number.POSITIVE_INFINITY, 0, n);
    return;
  }
  for (let q = 0, j = 0; q < n; q++) {
    while (j < k && z[j + 1] < q) j++;
    const dq = q - v[j];
    d[q] = w2 * dq * dq + f[v[j]];
  }
}

/** Runs `envelope` along one strided line of `field`, in place. */
function passLine(field: Float64Array, s: Scratch, start: number, stride: number, n: number, w2: number): void {
  for (let q = 0, i = start; q < n; q++, i += stride) s.f[q] = field[i];
  envelope(s, n, w2);
  for (let q = 0, i = start; q < n; q++, i += stride) field[i] = s.d[q];
}

/** Squared distance along x to the nearest site of the same row ((dx sx)^2; Infinity for a row without one). */
function passX(field: Float64Array, isSite: Uint8Array, nx: number, rows: number, sx: number): void {
  for (let r = 0; r < rows; r++) {
    const row = r * nx;
    let last = Number.NEGATIVE_INFINITY;
    for (let x = 0; x < nx; x++) {
      if (isSite[row + x]) last = x;
      field[row + x] = x - last; // Infinity when no site yet
    }
    last = Number.POSITIVE_INFINITY;
    for (let x = nx - 1; x >= 0; x--) {
      if (isSite[row + x]) last = x;
      const dx = Math.min(field[row + x], last - x) * sx;
      field[row + x] = dx * dx;
    }
  }
}

/**
 * Distance in mm from each query voxel to the nearest site voxel (indices into the same x-fastest grid),
 * exact; Infinity for every query when there are no sites. The z pass runs only on columns with a query.
 */
export function distancesToSites(params: { sites: Int32Array; queries: Int32Array; dims: Vec3; spacing: Vec3 }): Float64Array {
  const { sites, queries, dims, spacing } = params;
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const isSite = new Uint8Array(plane * nz);
  for (const i of sites) isSite[i] = 1;
  const field = new Float64Array(isSite.length);
  passX(field, isSite, nx, ny * nz, spacing[0]);
  const s = scratch(Math.max(ny, nz));
  const wy = spacing[1] * spacing[1];
  for (let z = 0; z < nz; z++) for (let x = 0; x < nx; x++) passLine(field, s, x + plane * z, nx, ny, wy);
  const wz = spacing[2] * spacing[2];
  const queried = new Uint8Array(plane);
  for (const i of queries) queried[i % plane] = 1;
  for (let c = 0; c < plane; c++) if (queried[c]) passLine(field, s, c, plane, nz, wz);
  const out = new Float64Array(queries.length);
  for (let k = 0; k < queries.length; k++) out[k] = Math.sqrt(field[queries[k]]);
  return out;
}
