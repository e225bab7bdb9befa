// Grid checks and the crop every challenge metric runs on: the bounding box of both masks' union.
// Cropping is exact: no foreground lies outside the box, so its faces behave like the grid's own edge.
// Masks keep their values (nonzero = foreground): every metric tests `!== 0`, so no binarising copy.

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

/** Two masks (nonzero = foreground) on a common box of the original grid (x fastest). */
export interface CroppedPair {
  dims: [number, number, number];
  a: Uint8Array;
  b: Uint8Array;
}

/** Both masks cut to the bounding box of their union (the inputs themselves when it is the whole grid); null when both are empty. */
export function cropToUnion(params: { a: Uint8Array; b: Uint8Array; dims: Vec3 }): CroppedPair | null {
  const { a, b, dims } = params;
  const [nx, ny, nz] = dims;
  let x0 = nx;
  let x1 = -1;
  let r0 = -1;
  let r1 = -1;
  let y0 = ny;
  let y1 = -1;
  for (let r = 0; r < ny * nz; r++) {
    const row = r * nx;
    let x = 0;
    while (x < nx && (a[row + x] | b[row + x]) === 0) x++;
    if (x === nx) continue;
    if (r0 < 0) r0 = r;
    r1 = r;
    const y = r % ny;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (x < x0) x0 = x;
    // Only voxels right of the current x1 can widen the box.
    let e = nx - 1;
    while (e > x1 && (a[row + e] | b[row + e]) === 0) e--;
    if (e > x1) x1 = e;
  }
  if (r0 < 0) return null;
  const z0 = Math.floor(r0 / ny);
  const z1 = Math.floor(r1 / ny);
  const box: [number, number, number] = [x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1];
  if (box[0] === nx && box[1] === ny && box[2] === nz) return { dims: box, a, b };
  const ca = new Uint8Array(box[0] * box[1] * box[2]);
  const cb = new Uint8Array(ca.length);
  for (let z = z0, j = 0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++, j += box[0]) {
      const row = x0 + nx * (y + ny * z);
      ca.set(a.subarray(row, row + box[0]), j);
      cb.set(b.subarray(row, row + box[0]), j);
    }
  }
  return { dims: box, a: ca, b: cb };
}
