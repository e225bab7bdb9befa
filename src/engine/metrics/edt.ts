// Exact Euclidean distance transform with anisotropic spacing (Felzenszwalb & Huttenlocher 2012):
// squared distances are separable, so 1D passes along x, then y, then z give the exact 3D result.
// Only what the queries need is computed: x on rows holding a site, y and z on columns holding a query.
import type { Vec3 } from './grid';

/** Lower envelope of parabolas w2 (t - p[j])^2 + g[j]; parabola j is lowest for t in [z[j], z[j + 1]). */
interface Envelope {
  p: Float64Array;
  g: Float64Array;
  /** g[j] + w2 p[j]^2, kept so intersections need no recomputation. */
  h: Float64Array;
  z: Float64Array;
  k: number;
}

function envelope(n: number): Envelope {
  return { p: new Float64Array(n), g: new Float64Array(n), h: new Float64Array(n), z: new Float64Array(n + 1), k: 0 };
}

/** Builds the envelope of the finite val[i] rooted at ascending pos[i], i < m. */
function build(e: Envelope, pos: Int32Array, val: Float64Array, m: number, w2: number): void {
  let k = -1;
  for (let i = 0; i < m; i++) {
    const fq = val[i];
    if (fq === Number.POSITIVE_INFINITY) continue;
    const q = pos[i];
    const gq = fq + w2 * q * q;
    let cut = Number.NEGATIVE_INFINITY;
    // Drop parabolas the new one hides: their interval would start at or after the intersection.
    while (k >= 0) {
      cut = (gq - e.h[k]) / (2 * w2 * (q - e.p[k]));
      if (cut > e.z[k]) break;
      k--;
    }
    k++;
    e.p[k] = q;
    e.g[k] = fq;
    e.h[k] = gq;
    e.z[k] = k === 0 ? Number.NEGATIVE_INFINITY : cut;
  }
  e.k = k + 1;
}

/** Rows (y, z) holding a site, numbered in scan order so each slice's rows are consecutive and ascending in y. */
interface SiteRows {
  /** f1[slot * nx + x]: squared distance along x to the row's nearest site, (dx sx)^2. */
  f1: Float64Array;
  /** Slots of slice z: [sliceStart[z], sliceStart[z + 1]). */
  sliceStart: Int32Array;
  y: Int32Array;
}

function passX(sites: Int32Array, dims: Vec3, sx: number): SiteRows {
  const [nx, ny, nz] = dims;
  const isSite = new Uint8Array(nx * ny * nz);
  const slot = new Int32Array(ny * nz);
  for (const i of sites) {
    isSite[i] = 1;
    slot[(i / nx) | 0] = 1;
  }
  let count = 0;
  const sliceStart = new Int32Array(nz + 1);
  for (let r = 0; r < ny * nz; r++) {
    if (r % ny === 0) sliceStart[r / ny] = count;
    slot[r] = slot[r] ? count++ : -1;
  }
  sliceStart[nz] = count;
  const f1 = new Float64Array(count * nx);
  const y = new Int32Array(count);
  for (let r = 0; r < ny * nz; r++) {
    const s = slot[r];
    if (s < 0) continue;
    y[s] = r % ny;
    const row = r * nx;
    const out = s * nx;
    let last = Number.NEGATIVE_INFINITY;
    for (let x = 0; x < nx; x++) {
      if (isSite[row + x]) last = x;
      f1[out + x] = x - last; // Infinity before the first site
    }
    last = Number.POSITIVE_INFINITY;
    for (let x = nx - 1; x >= 0; x--) {
      if (isSite[row + x]) last = x;
      const dx = Math.min(f1[out + x], last - x) * sx;
      f1[out + x] = dx * dx;
    }
  }
  return { f1, sliceStart, y };
}

/** Queried columns (x, y): their numbers, and per x the queried ys ascending (CSR: ys[start[x]..start[x + 1])). */
function queriedColumns(queries: Int32Array, nx: number, ny: number) {
  const colOf = new Int32Array(nx * ny).fill(-1);
  let count = 0;
  for (const i of queries) {
    const c = i % (nx * ny);
    if (colOf[c] < 0) colOf[c] = count++;
  }
  const start = new Int32Array(nx + 1);
  const ys = new Int32Array(count);
  const ids = new Int32Array(count);
  for (let x = 0, m = 0; x < nx; x++) {
    start[x] = m;
    for (let y = 0; y < ny; y++) {
      const id = colOf[x + nx * y];
      if (id >= 0) {
        ys[m] = y;
        ids[m++] = id;
      }
    }
  }
  start[nx] = count;
  return { colOf, count, start, ys, ids };
}

/** Queries grouped by column (CSR: indices idx[start[id]..start[id + 1]) into `queries`). */
function queriesByColumn(queries: Int32Array, plane: number, colOf: Int32Array, count: number) {
  const start = new Int32Array(count + 1);
  for (const i of queries) start[colOf[i % plane] + 1]++;
  for (let id = 0; id < count; id++) start[id + 1] += start[id];
  const fill = start.slice(0, count);
  const idx = new Int32Array(queries.length);
  for (let k = 0; k < queries.length; k++) idx[fill[colOf[queries[k] % plane]]++] = k;
  return { start, idx };
}

/**
 * Last pass, per queried column: the squared in-slice distance f2 at a query's own slice z bounds its
 * answer, so only slices within that distance can do better. A column whose queries need fewer than
 * 2 nz such slice visits takes that bounded minimum; the rest take the envelope along z.
 */
function passZ(params: {
  f2: Float64Array;
  nz: number;
  sz: number;
  queries: Int32Array;
  plane: number;
  colOf: Int32Array;
  count: number;
  e: Envelope;
  pos: Int32Array;
  val: Float64Array;
  out: Float64Array;
}): void {
  const { f2, nz, sz, queries, plane, colOf, count, e, pos, val, out } = params;
  const wz = sz * sz;
  const byCol = queriesByColumn(queries, plane, colOf, count);
  // Slices within sqrt(f2) / sz of the query, widened by a relative 1e-12 against rounding at the edge.
  const reach = (f: number) => (f === Number.POSITIVE_INFINITY ? nz : Math.floor((Math.sqrt(f) / sz) * (1 + 1e-12)));
  for (let z = 0; z < nz; z++) pos[z] = z;
  for (let id = 0; id < count; id++) {
    const base = id * nz;
    const k0 = byCol.start[id];
    const k1 = byCol.start[id + 1];
    let visits = 0;
    for (let k = k0; k < k1; k++) visits += 2 * reach(f2[base + ((queries[byCol.idx[k]] / plane) | 0)]) + 1;
    if (visits <= 2 * nz) {
      for (let k = k0; k < k1; k++) {
        const q = byCol.idx[k];
        const zq = (queries[q] / plane) | 0;
        const r = reach(f2[base + zq]);
        let best = f2[base + zq];
        for (let z = Math.max(0, zq - r); z <= Math.min(nz - 1, zq + r); z++) {
          const d = z - zq;
          const v = f2[base + z] + wz * d * d;
          if (v < best) best = v;
        }
        out[q] = Math.sqrt(best);
      }
      continue;
    }
    for (let z = 0; z < nz; z++) val[z] = f2[base + z];
    build(e, pos, val, nz, wz);
    // Evaluate the envelope along the whole column into val, then read the queried slices.
    for (let z = 0, j = 0; z < nz; z++) {
      while (j < e.k - 1 && e.z[j + 1] < z) j++;
      const d = z - e.p[j];
      val[z] = wz * d * d + e.g[j];
    }
    for (let k = k0; k < k1; k++) out[byCol.idx[k]] = Math.sqrt(val[(queries[byCol.idx[k]] / plane) | 0]);
  }
}

/**
 * Distance in mm from each query voxel to the nearest site voxel (indices into the same x-fastest grid),
 * exact; Infinity for every query when there are no sites.
 */
export function distancesToSites(params: { sites: Int32Array; queries: Int32Array; dims: Vec3; spacing: Vec3 }): Float64Array {
  const { sites, queries, dims, spacing } = params;
  const [nx, ny, nz] = dims;
  const out = new Float64Array(queries.length);
  if (sites.length === 0) return out.fill(Number.POSITIVE_INFINITY);
  const rows = passX(sites, dims, spacing[0]);
  const cols = queriedColumns(queries, nx, ny);
  // f2[id * nz + z]: squared distance within slice z at queried column id, then (after pass z) in 3D.
  const f2 = new Float64Array(cols.count * nz).fill(Number.POSITIVE_INFINITY);
  const e = envelope(Math.max(ny, nz));
  const pos = new Int32Array(Math.max(ny, nz));
  const val = new Float64Array(pos.length);
  const wy = spacing[1] * spacing[1];
  for (let z = 0; z < nz; z++) {
    const s0 = rows.sliceStart[z];
    const m = rows.sliceStart[z + 1] - s0;
    if (m === 0) continue;
    for (let t = 0; t < m; t++) pos[t] = rows.y[s0 + t];
    for (let x = 0; x < nx; x++) {
      if (cols.start[x] === cols.start[x + 1]) continue;
      for (let t = 0; t < m; t++) val[t] = rows.f1[(s0 + t) * nx + x];
      build(e, pos, val, m, wy);
      for (let c = cols.start[x], j = 0; c < cols.start[x + 1]; c++) {
        const q = cols.ys[c];
        while (j < e.k - 1 && e.z[j + 1] < q) j++;
        const d = q - e.p[j];
        f2[cols.ids[c] * nz + z] = wy * d * d + e.g[j];
      }
    }
  }
  passZ({ f2, nz, sz: spacing[2], queries, plane: nx * ny, colOf: cols.colOf, count: cols.count, e, pos, val, out });
  return out;
}
