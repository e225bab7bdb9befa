// Lesions of an exact voxel count: score every allowed voxel with a smooth lesion-likelihood field
// and keep the k best. Blobs grow from the field's peaks, so any count gives a plausible shape.
import { type Anatomy, TISSUE, ventricleProximity } from './anatomy';
import { type Dims3, smoothNoise, topK } from './fields';
import type { Box } from './morphology';
import type { Rng } from './rng';

import type { LesionKind } from '../../domain/phantom';

export type { LesionKind } from '../../domain/phantom';

/** Where each kind may grow: the allowed region caps the achievable fraction. */
export const LESION_REGIONS: Record<LesionKind, string> = {
  tumour:
    'one blob inside the brain (pial surface); past the brain volume it spreads into the outer CSF, then skull and scalp; capped at the head',
  wmh: 'white matter only (periventricular caps and punctate blobs); capped at the white-matter volume',
  lacunes: 'white matter and deep grey nuclei; capped at their volume',
};

export interface LesionResult {
  /** Flat voxel indices of the lesion, ascending. */
  voxels: Int32Array;
  /** Voxels the kind may occupy (the cap). */
  allowed: number;
  /** Blob seeds used (tumour 1, lacunes a few, wmh 0: it grows from the field's maxima). */
  blobs: number;
  /** Each chosen voxel's likelihood score (higher = deeper in its blob), in `voxels` order. */
  scores: Float32Array;
}

const PENALTY = 1e4; // score offset per tier: a lower tier is used only when the one above is full

function collect(tissue: Uint8Array, allow: Uint8Array): Int32Array {
  let n = 0;
  for (let i = 0; i < tissue.length; i++) n += allow[tissue[i]];
  const out = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < tissue.length; i++) if (allow[tissue[i]]) out[m++] = i;
  return out;
}

function allowSet(...classes: number[]): Uint8Array {
  const a = new Uint8Array(256);
  for (const c of classes) a[c] = 1;
  return a;
}

/** Blob radius (voxels, geometric mean over axes) holding `k` voxels split over `blobs` spheres. */
function blobRadius(k: number, blobs: number): number {
  return Math.cbrt((3 * k) / (4 * Math.PI * blobs));
}

function pickSeeds(candidates: Int32Array, count: number, rng: Rng): Int32Array {
  const seeds = new Int32Array(count);
  for (let s = 0; s < count; s++) seeds[s] = candidates[rng.int(candidates.length)];
  return seeds;
}

/**
 * Selects exactly min(k, allowed) lesion voxels of `kind`. `spacing` makes blob distances metric,
 * so blobs stay round on anisotropic grids.
 */
export function growLesions(params: {
  kind: LesionKind;
  k: number;
  anatomy: Anatomy;
  dims: Dims3;
  spacing: Dims3;
  rng: Rng;
}): LesionResult {
  const { kind, anatomy, dims, spacing, rng } = params;
  const { tissue } = anatomy;
  const [nx, ny, nz] = dims;
  const sMean = Math.cbrt(spacing[0] * spacing[1] * spacing[2]);
  const sx = spacing[0] / sMean;
  const sy = spacing[1] / sMean;
  const sz = spacing[2] / sMean;
  const region =
    kind === 'tumour'
      ? allowSet(TISSUE.scalp, TISSUE.skull, TISSUE.csf, TISSUE.gm, TISSUE.wm, TISSUE.deepGm)
      : kind === 'wmh'
        ? allowSet(TISSUE.wm)
        : allowSet(TISSUE.wm, TISSUE.deepGm);
  const cand = collect(tissue, region);
  const k = Math.min(params.k, cand.length);
  if (k <= 0) return { voxels: new Int32Array(0), allowed: cand.length, blobs: 0, scores: new Float32Array(0) };

  // Per-kind likelihood ingredients (scores are filled in one pass over the grid below).
  const wmh = kind === 'wmh';
  let blobs = 0;
  let peri = 0;
  // Roughness field over a box of the grid (0 outside it): the whole grid for wmh, near the seeds otherwise.
  let noise: Float32Array;
  let box: Box = { min: [0, 0, 0], size: [nx, ny, nz] };
  let rough = 0;
  let invR = 0;
  let seedXyz = new Float32Array(0);
  if (wmh) {
    // Periventricular caps plus punctate blobs: proximity to the ventricles plus fine smooth noise.
    noise = smoothNoise({ dims, cell: [3 / sx, 3 / sy, 3 / sz], rng: rng.fork('punctate') });
    peri = 1 + rng.next();
    rough = 0.6;
  } else {
    // Tumour: one seed deep in the brain; lacunes: a few seeds anywhere allowed.
    let seedPool = kind === 'tumour' ? collect(tissue, allowSet(TISSUE.wm, TISSUE.deepGm)) : cand;
    if (seedPool.length === 0) seedPool = cand;
    blobs = kind === 'tumour' ? 1 : Math.max(1, Math.min(6, Math.round(k / 15)));
    const seeds = pickSeeds(seedPool, blobs, rng.fork('seeds'));
    const r = Math.max(0.5, blobRadius(k, blobs));
    invR = 1 / r;
    rough = kind === 'tumour' ? 0.45 : 0.15; // tumours are lobulated, lacunes round
    seedXyz = new Float32Array(3 * blobs);
    const lo = [nx, ny, nz];
    const hi = [0, 0, 0];
    for (let b = 0; b < blobs; b++) {
      const xyz = [seeds[b] % nx, Math.floor(seeds[b] / nx) % ny, Math.floor(seeds[b] / (nx * ny))];
      for (let a = 0; a < 3; a++) {
        seedXyz[3 * b + a] = xyz[a];
        lo[a] = Math.min(lo[a], xyz[a]);
        hi[a] = Math.max(hi[a], xyz[a]);
      }
    }
    const cell = Math.max(1.5, 0.8 * r);
    // Far from every seed the distance term dominates: roughness is built within ~3 radii only.
    const reach = [sx, sy, sz].map((s) => Math.ceil((3 * r + 2 * cell) / s));
    const min = [0, 1, 2].map((a) => Math.max(0, lo[a] - reach[a])) as [number, number, number];
    const size = [0, 1, 2].map((a) => Math.min(dims[a] - 1, hi[a] + reach[a]) - min[a] + 1) as [number, number, number];
    box = { min, size };
    noise = smoothNoise({ dims: size, cell: [cell / sx, cell / sy, cell / sz], rng: rng.fork('shape') });
  }

  const scale = Float64Array.of(sx, sy, sz, invR);
  const score = scoreCandidates({
    kind,
    count: cand.length,
    region,
    anatomy,
    dims,
    box,
    noise,
    rough,
    peri,
    seedXyz,
    blobs,
    scale,
  });
  const chosen = topK(score, k);
  const voxels = new Int32Array(k);
  const scores = new Float32Array(k);
  for (let j = 0; j < k; j++) {
    voxels[j] = cand[chosen[j]];
    scores[j] = score[chosen[j]];
  }
  return { voxels, allowed: cand.length, blobs, scores };
}

/**
 * Each allowed voxel's lesion likelihood, in voxel order: ventricle proximity (wmh) or closeness to the
 * nearest seed, plus roughness inside the noise box. One flat loop (x, y, z kept by hand): V8 optimises
 * it whole, where nested loops have it enter and leave compiled code once per row.
 */
function scoreCandidates(p: {
  kind: LesionKind;
  /** Allowed voxels (the scores' length). */
  count: number;
  region: Uint8Array;
  anatomy: Anatomy;
  dims: Dims3;
  box: Box;
  noise: Float32Array;
  rough: number;
  peri: number;
  seedXyz: Float32Array;
  blobs: number;
  /** Voxel size per axis over the mean, then 1 / blob radius (a typed array: no boxed doubles per call). */
  scale: Float64Array;
}): Float32Array {
  const { kind, region, anatomy, dims, noise, rough, peri, seedXyz, blobs, scale } = p;
  const { tissue, brainMask } = anatomy;
  const [nx, ny] = dims;
  const wmh = kind === 'wmh';
  const tumour = kind === 'tumour';
  const score = new Float32Array(p.count);
  const [ox, oy, oz] = p.box.min;
  const [bx, by, bz] = p.box.size;
  let rowInBox = false;
  let rowBase = 0;
  for (let i = 0, j = 0, x = -1, y = 0, z = 0; i < tissue.length; i++) {
    if (++x === nx) {
      x = 0;
      if (++y === ny) {
        y = 0;
        z++;
      }
    }
    if (x === 0) {
      const w = z - oz;
      const v0 = y - oy;
      rowInBox = w >= 0 && w < bz && v0 >= 0 && v0 < by;
      rowBase = bx * (v0 + by * w) - ox;
    }
    if (!region[tissue[i]]) continue;
    let v: number;
    if (wmh) v = peri * ventricleProximity(anatomy, x, y, z);
    else {
      v = nearestSeed(seedXyz, blobs, scale, x, y, z);
      // Tumour tiers: brain first, then the outer CSF, then skull and scalp.
      if (tumour && !brainMask[i]) v -= tissue[i] === TISSUE.csf ? PENALTY : 2 * PENALTY;
    }
    const inBox = rowInBox && x >= ox && x < ox + bx;
    score[j++] = inBox ? v + rough * noise[rowBase + x] : v;
  }
  return score;
}

/** Minus the scaled distance from voxel (x, y, z) to the nearest blob seed, in blob radii. */
function nearestSeed(seedXyz: Float32Array, blobs: number, scale: Float64Array, x: number, y: number, z: number): number {
  let v = -Infinity;
  for (let b = 0; b < blobs; b++) {
    const dx = (x - seedXyz[3 * b]) * scale[0];
    const dy = (y - seedXyz[3 * b + 1]) * scale[1];
    const dz = (z - seedXyz[3 * b + 2]) * scale[2];
    const d = -Math.sqrt(dx * dx + dy * dy + dz * dz) * scale[3];
    if (d > v) v = d;
  }
  return v;
}
