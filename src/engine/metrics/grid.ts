// Grid checks and the crop every challenge metric runs on: the bounding box of both masks' union.
// Cropping is exact: no foreground lies outside the box, so its faces behave like the grid's own edge.

export type Vec3 = readonly [number, number, number];

/** Checks dims (positive integers), spacing (positive, finite mm) and every mask's length; returns the voxel count. */
export function checkGrid(params: { dims: Vec3; spacing: Vec3; masks: Record<string, ArrayLike<number>> }): number {
  const { dims, spacing, masks } = params;
  if (dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new RangeError(`dims must be three positive integers [x, y, z], got [${dims}]`);
  }
  if (spacing.length !== 3 || !spacing.every((s) => Number.isFinite(s) && s > 0)) {
    throw new RangeError(`spacing must be three positive finite mm values, got [${spacing}]`);
  }
  const n = dims[0] * dims[1] * dims[2];
  for (const [name, mask] of Object.entries(masks)) {
    if (mask.length !== n) throw new RangeError(`${name} has ${mask.length} voxels, dims [${dims}] need ${n}`);
  }
  return n;
}

/** Two 0/1 masks on a common box of the original grid (x fastest). */
export interface CroppedPair {
  dims: [number, number, number];
  a: Uint8Array;
  b: Uint8Array;
}

/** Both masks (nonzero = foreground) cut to the bounding box of their union, as 0/1; null when both are empty. */
export function cropToUnion(params: { a: ArrayLike<number>; b: ArrayLike<number>; dims: Vec3 }): CroppedPair | null {
  const { a, b, dims } = params;
  const [nx, ny, nz] = dims;
  let x0 = nx;
  let y0 = ny;
  let z0 = nz;
  let x1 = -1;
  let y1 = -1;
  let z1 = -1;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (a[i] === 0 && b[i] === 0) continue;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (z < z0) z0 = z;
        if (z > z1) z1 = z;
      }
    }
  }
  if (x1 < 0) return null;
  const box: [number, number, number] = [x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1];
  const ca = new Uint8Array(box[0] * box[1] * box[2]);
  const cb = new Uint8Array(ca.length);
  for (let z = z0, j = 0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const row = x0 + nx * (y + ny * z);
      for (let x = 0; x < box[0]; x++, j++) {
        ca[j] = a[row + x] !== 0 ? 1 : 0;
        cb[j] = b[row + x] !== 0 ? 1 : 0;
      }
    }
  }
  return { dims: box, a: ca, b: cb };
}
