// Test-only: seeded random mask pairs made of ellipsoid blobs, so lesions of many sizes, touching,
// missed, shifted and false-positive blobs all occur; a prediction is a perturbed copy of the reference.
import { createRng, type Rng } from '../../data/rng';

export interface MaskPair {
  dims: [number, number, number];
  spacing: [number, number, number];
  reference: Uint8Array;
  prediction: Uint8Array;
}

interface Blob {
  c: [number, number, number];
  r: [number, number, number];
}

function randomBlob(rng: Rng, dims: readonly number[], maxRadius: number): Blob {
  const c = dims.map((d) => rng.range(-0.5, d - 0.5)) as [number, number, number];
  const r = dims.map(() => rng.range(0.3, maxRadius)) as [number, number, number];
  return { c, r };
}

function paint(mask: Uint8Array, dims: readonly number[], blob: Blob): void {
  const [nx, ny, nz] = dims;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const u = (x - blob.c[0]) / blob.r[0];
        const v = (y - blob.c[1]) / blob.r[1];
        const w = (z - blob.c[2]) / blob.r[2];
        if (u * u + v * v + w * w <= 1) mask[x + nx * (y + ny * z)] = 1;
      }
    }
  }
}

/** Kept blobs move by up to `jitter` voxels and change size; some are dropped; some false positives appear. */
function perturb(rng: Rng, blob: Blob, jitter: number): Blob {
  return {
    c: blob.c.map((c) => c + rng.range(-jitter, jitter)) as [number, number, number],
    r: blob.r.map((r) => Math.max(0.3, r * rng.range(0.6, 1.4))) as [number, number, number],
  };
}

/** A reproducible pair on a grid of `minSide`..`maxSide` voxels per axis with anisotropic spacing. */
export function randomMaskPair(params: { seed: number; minSide?: number; maxSide?: number; maxBlobs?: number }): MaskPair {
  const { seed, minSide = 3, maxSide = 14, maxBlobs = 6 } = params;
  const rng = createRng(seed);
  const dims = [0, 1, 2].map(() => minSide + rng.int(maxSide - minSide + 1)) as [number, number, number];
  const spacing = [0, 1, 2].map(() => Number(rng.range(0.4, 3).toFixed(3))) as [number, number, number];
  const n = dims[0] * dims[1] * dims[2];
  const reference = new Uint8Array(n);
  const prediction = new Uint8Array(n);
  const maxRadius = rng.range(0.8, Math.max(...dims) / 2);
  const blobs = Array.from({ length: rng.int(maxBlobs + 1) }, () => randomBlob(rng, dims, maxRadius));
  for (const blob of blobs) {
    paint(reference, dims, blob);
    if (rng.next() < 0.75) paint(prediction, dims, perturb(rng, blob, 2));
  }
  for (let k = rng.int(3); k > 0; k--) paint(prediction, dims, randomBlob(rng, dims, maxRadius));
  // Scattered single voxels: the smallest lesions, and diagonal-only contacts.
  for (let k = rng.int(4); k > 0; k--) reference[rng.int(n)] = 1;
  for (let k = rng.int(4); k > 0; k--) prediction[rng.int(n)] = 1;
  return { dims, spacing, reference, prediction };
}
