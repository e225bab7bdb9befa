// Lesions of an exact voxel count: score every allowed voxel with a smooth lesion-likelihood field
// and keep the k best. Blobs grow from the field's peaks, so any count gives a plausible shape.
import { type Anatomy, TISSUE, ventricleProximity } from './anatomy';
import { type Dims3, smoothNoise, topK } from './fields';
import type { Rng } from './rng';

export type LesionKind = 'tumour' | 'wmh' | 'lacunes';

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
  const { tissue, brainMask } = anatomy;
  const [nx, ny] = dims;
  const plane = nx * ny;
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
  if (k <= 0) return { voxels: new Int32Array(0), allowed: cand.length, blobs: 0 };

  const score = new Float32Array(cand.length);
  let blobs = 0;
  if (kind === 'wmh') {
    // Periventricular caps plus punctate blobs: proximity to the ventricles plus fine smooth noise.
    const punct = smoothNoise({ dims, cell: [3 / sx, 3 / sy, 3 / sz], rng: rng.fork('punctate') });
    const peri = 1 + rng.next();
    for (let j = 0; j < cand.length; j++) {
      const i = cand[j];
      const z = Math.floor(i / plane);
      const y = Math.floor((i - z * plane) / nx);
      const x = i - z * plane - y * nx;
      score[j] = peri * ventricleProximity(anatomy, x, y, z) + 0.6 * punct[i];
    }
  } else {
    // Tumour: one seed deep in the brain; lacunes: a few seeds anywhere allowed.
    let seedPool = cand;
    if (kind === 'tumour') seedPool = collect(tissue, allowSet(TISSUE.wm, TISSUE.deepGm));
    if (seedPool.length === 0) seedPool = cand;
    blobs = kind === 'tumour' ? 1 : Math.max(1, Math.min(6, Math.round(k / 15)));
    const seeds = pickSeeds(seedPool, blobs, rng.fork('seeds'));
    const r = Math.max(0.5, blobRadius(k, blobs));
    const rough = kind === 'tumour' ? 0.45 : 0.15; // tumours are lobulated, lacunes round
    const cell = Math.max(1.5, 0.8 * r);
    const noise = smoothNoise({ dims, cell: [cell / sx, cell / sy, cell / sz], rng: rng.fork('shape') });
    const seedXyz = new Float32Array(3 * blobs);
    for (let s = 0; s < blobs; s++) {
      const i = seeds[s];
      const z = Math.floor(i / plane);
      const y = Math.floor((i - z * plane) / nx);
      seedXyz[3 * s] = i - z * plane - y * nx;
      seedXyz[3 * s + 1] = y;
      seedXyz[3 * s + 2] = z;
    }
    const invR = 1 / r;
    for (let j = 0; j < cand.length; j++) {
      const i = cand[j];
      const z = Math.floor(i / plane);
      const y = Math.floor((i - z * plane) / nx);
      const x = i - z * plane - y * nx;
      let best = -Infinity;
      for (let s = 0; s < blobs; s++) {
        const dx = (x - seedXyz[3 * s]) * sx;
        const dy = (y - seedXyz[3 * s + 1]) * sy;
        const dz = (z - seedXyz[3 * s + 2]) * sz;
        const v = -Math.sqrt(dx * dx + dy * dy + dz * dz) * invR;
        if (v > best) best = v;
      }
      let tier = 0;
      if (kind === 'tumour' && !brainMask[i]) tier = tissue[i] === TISSUE.csf ? PENALTY : 2 * PENALTY;
      score[j] = best + rough * noise[i] - tier;
    }
  }
  const chosen = topK(score, k);
  const voxels = new Int32Array(k);
  for (let j = 0; j < k; j++) voxels[j] = cand[chosen[j]];
  return { voxels, allowed: cand.length, blobs };
}
