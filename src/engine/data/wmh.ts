// Realistic white-matter hyperintensities: many punctate lesions of 3-30 voxels in deep and
// juxtacortical white matter, plus confluent periventricular ones (Fazekas-style), exactly k voxels.
import { type Anatomy, TISSUE, ventricleProximity } from './anatomy';
import type { Dims3 } from './fields';
import { growLesions, type LesionResult } from './lesions';
import type { Rng } from './rng';

/** Punctate lesion sizes (voxels) summing to `total`: log-uniform in 3..30, the last one absorbing a remainder under 3. */
export function punctateSizes(total: number, rng: Rng): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left > 0) {
    let s = Math.min(left, Math.round(3 * 10 ** rng.next()));
    if (left - s < 3) s = left;
    sizes.push(s);
    left -= s;
  }
  return sizes;
}

/** The `size` white-matter voxels nearest `seed` (irregular: distances jittered), not already taken. */
function growBlob(params: {
  seed: number;
  size: number;
  tissue: Uint8Array;
  taken: Uint8Array;
  dims: Dims3;
  spacing: Dims3;
  rng: Rng;
}): number[] {
  const { seed, size, tissue, taken, dims, spacing, rng } = params;
  const [nx, ny, nz] = dims;
  const sx = seed % nx;
  const sy = Math.floor(seed / nx) % ny;
  const sz = Math.floor(seed / (nx * ny));
  const h = Math.ceil(1.3 * Math.cbrt(size)) + 1;
  const near: { i: number; d: number }[] = [];
  for (let z = Math.max(0, sz - h); z <= Math.min(nz - 1, sz + h); z++)
    for (let y = Math.max(0, sy - h); y <= Math.min(ny - 1, sy + h); y++)
      for (let x = Math.max(0, sx - h); x <= Math.min(nx - 1, sx + h); x++) {
        const i = x + nx * (y + ny * z);
        if (tissue[i] !== TISSUE.wm || taken[i]) continue;
        const d = Math.hypot((x - sx) * spacing[0], (y - sy) * spacing[1], (z - sz) * spacing[2]);
        near.push({ i, d: d + 0.8 * rng.next() });
      }
  near.sort((a, b) => a.d - b.d || a.i - b.i);
  return near.slice(0, size).map((n) => n.i);
}

/** Exactly min(k, white matter) WMH voxels: `punctate` of them in small blobs, the rest periventricular. */
export function growWmh(params: {
  k: number;
  punctate: number;
  anatomy: Anatomy;
  dims: Dims3;
  spacing: Dims3;
  rng: Rng;
}): LesionResult {
  const { anatomy, dims, spacing, rng } = params;
  const { tissue } = anatomy;
  const [nx, ny] = dims;
  const deep: number[] = [];
  let allowed = 0;
  for (let i = 0; i < tissue.length; i++) {
    if (tissue[i] !== TISSUE.wm) continue;
    allowed++;
    const x = i % nx;
    const y = Math.floor(i / nx) % ny;
    const z = Math.floor(i / (nx * ny));
    // Punctate lesions sit away from the ventricles (deep and juxtacortical white matter).
    if ((i & 7) === 0 && ventricleProximity(anatomy, x, y, z) < 0.6) deep.push(i);
  }
  const k = Math.min(params.k, allowed);
  const taken = new Uint8Array(tissue.length);
  let placed = 0;
  let blobs = 0;
  if (k > 0 && deep.length > 0) {
    const target = k < 6 ? k : Math.round(params.punctate * k);
    const sizes = punctateSizes(target, rng.fork('sizes'));
    const seeds = rng.fork('seeds');
    for (const size of sizes) {
      const blob = growBlob({ seed: deep[seeds.int(deep.length)], size, tissue, taken, dims, spacing, rng: seeds });
      for (const i of blob) taken[i] = 1;
      placed += blob.length;
      blobs++;
    }
  }
  // The rest grows as the easy phantom's WMH do: from the ventricles outwards, in the white matter left.
  const rest = new Uint8Array(tissue);
  for (let i = 0; i < rest.length; i++) if (taken[i]) rest[i] = TISSUE.lesion;
  const confluent = growLesions({ kind: 'wmh', k: k - placed, anatomy: { ...anatomy, tissue: rest }, dims, spacing, rng });
  for (const i of confluent.voxels) taken[i] = 1;
  const voxels = new Int32Array(k);
  let m = 0;
  for (let i = 0; i < taken.length && m < k; i++) if (taken[i]) voxels[m++] = i;
  return { voxels: voxels.subarray(0, m), allowed, blobs, scores: new Float32Array(m) };
}
