// Test-only brute-force reference of the challenge metrics in float64, written from the definitions and
// sharing no code with the production module: all-pairs boundary distances, breadth-first flood fill.

export interface ReferenceInput {
  reference: ArrayLike<number>;
  prediction: ArrayLike<number>;
  dims: readonly number[];
  spacing: readonly number[];
}

type Point = [number, number, number];

/** numpy.percentile(values, p) with its default linear method. */
export function numpyPercentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo] + (s[hi] - s[lo]) * (rank - lo);
}

function voxelAt(mask: ArrayLike<number>, dims: readonly number[], [x, y, z]: Point): boolean {
  const [nx, ny, nz] = dims;
  if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) return false;
  return mask[x + nx * (y + ny * z)] !== 0;
}

function foreground(mask: ArrayLike<number>, dims: readonly number[]): Point[] {
  const pts: Point[] = [];
  for (let z = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++) for (let x = 0; x < dims[0]; x++) if (voxelAt(mask, dims, [x, y, z])) pts.push([x, y, z]);
  return pts;
}

/** Foreground minus its erosion by the in-plane cross (outside the grid is background), in mm. */
function boundaryPoints(mask: ArrayLike<number>, dims: readonly number[], spacing: readonly number[]): Point[] {
  const cross: Point[] = [
    [1, 0, 0],
    [-1, 0, 0],
    [0, 1, 0],
    [0, -1, 0],
  ];
  return foreground(mask, dims)
    .filter(([x, y, z]) => cross.some(([dx, dy]) => !voxelAt(mask, dims, [x + dx, y + dy, z])))
    .map(([x, y, z]) => [x * spacing[0], y * spacing[1], z * spacing[2]]);
}

function nearest(from: Point[], to: Point[]): number[] {
  return from.map((p) => Math.min(...to.map((q) => Math.sqrt((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2))));
}

/** Components as lists of voxel keys, by breadth-first search over the 26 neighbours. */
function components(mask: ArrayLike<number>, dims: readonly number[]): Point[][] {
  const seen = new Set<string>();
  const out: Point[][] = [];
  for (const start of foreground(mask, dims)) {
    if (seen.has(start.join())) continue;
    seen.add(start.join());
    const queue: Point[] = [start];
    for (let head = 0; head < queue.length; head++) {
      const [x, y, z] = queue[head];
      for (let dz = -1; dz <= 1; dz++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const q: Point = [x + dx, y + dy, z + dz];
            if (voxelAt(mask, dims, q) && !seen.has(q.join())) {
              seen.add(q.join());
              queue.push(q);
            }
          }
    }
    out.push(queue);
  }
  return out;
}

/** The metrics with the documented empty-mask rules, computed the slow, obvious way. */
export function referenceChallengeMetrics({ reference, prediction, dims, spacing }: ReferenceInput) {
  const r = foreground(reference, dims);
  const p = foreground(prediction, dims);
  const both = r.filter((pt) => voxelAt(prediction, dims, pt)).length;
  const diagonal = Math.sqrt(dims.reduce((acc, d, k) => acc + (d * spacing[k]) ** 2, 0));
  let hd95: number;
  if (r.length === 0 && p.length === 0) hd95 = 0;
  else if (r.length === 0 || p.length === 0) hd95 = diagonal;
  else {
    const br = boundaryPoints(reference, dims, spacing);
    const bp = boundaryPoints(prediction, dims, spacing);
    hd95 = Math.max(numpyPercentile(nearest(br, bp), 95), numpyPercentile(nearest(bp, br), 95));
  }
  const refLesions = components(reference, dims);
  const predLesions = components(prediction, dims);
  const refFound = refLesions.map((l) => l.some((pt) => voxelAt(prediction, dims, pt)));
  const predFound = predLesions.map((l) => l.some((pt) => voxelAt(reference, dims, pt)));
  const hits = refFound.filter(Boolean).length;
  const recall = refLesions.length === 0 ? 1 : hits / refLesions.length;
  let precision = hits / predLesions.length;
  if (predLesions.length === 0) precision = refLesions.length === 0 ? 1 : 0;
  const bin = (lo: number, hi: number) => {
    const inBin = refLesions.map((l, k) => [l.length, refFound[k]] as const).filter(([n]) => n >= lo && n <= hi);
    const hit = inBin.filter(([, f]) => f).length;
    return { hit, total: inBin.length, recall: inBin.length === 0 ? 1 : hit / inBin.length };
  };
  return {
    dice: r.length + p.length === 0 ? 1 : (2 * both) / (r.length + p.length),
    hd95,
    avd: r.length === 0 ? 100 * p.length : (100 * Math.abs(r.length - p.length)) / r.length,
    referenceVoxels: r.length,
    predictedVoxels: p.length,
    overlapVoxels: both,
    referenceLesions: refLesions.length,
    predictedLesions: predLesions.length,
    referenceLesionsHit: hits,
    predictedLesionsHit: predFound.filter(Boolean).length,
    lesionRecall: recall,
    lesionPrecision: precision,
    lesionF1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    recallBySize: { small: bin(1, 9), medium: bin(10, 100), large: bin(101, Number.POSITIVE_INFINITY) },
  };
}
