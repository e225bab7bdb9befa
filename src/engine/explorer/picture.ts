// The probe image laid out as a picture, for the losses that need distances (the boundary loss): every other
// loss is blind to where voxels lie, so only the distance maps depend on this layout. Its N voxels are the
// N pixels (1 mm) of a grid nearest the grid's centre, a disc; the lesion is the nFg nearest of those, a
// concentric disc. Voxel order: lesion first, then background, each by increasing signed distance, so voxel
// 0 (the lesion probe's) is the lesion's centre and voxel N - 1 (the background probe's) the farthest from it.
import { signedDistanceMap } from '../data/distance';
import type { SyntheticLayout } from './synthetic';

export interface SyntheticPicture {
  /** Side of the square grid (pixels). */
  side: number;
  /** Grid pixel (row-major) of each voxel. */
  cells: Int32Array;
  /** Signed distance maps [N, 2] channels-last (background, lesion), mm, Kervadec's convention. */
  phi: Float32Array;
}

const cache = new Map<string, SyntheticPicture>();

/** Pixels of a side x side grid by distance from its centre, ties by index: a native sort of packed keys. */
function pixelsByRadius(side: number): number[] {
  const c = (side - 1) / 2;
  // 4 r^2 is an integer (c is a whole or half number); the index (< 2^21) rides in the low bits.
  const keys = new Float64Array(side * side);
  for (let i = 0; i < keys.length; i++) keys[i] = 4 * (((i % side) - c) ** 2 + (Math.floor(i / side) - c) ** 2) * 2 ** 21 + i;
  keys.sort();
  return Array.from(keys, (k) => k % 2 ** 21);
}

export function syntheticPicture(layout: SyntheticLayout): SyntheticPicture {
  const key = `${layout.voxels}/${layout.lesionVoxels}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { voxels: n, lesionVoxels: nFg } = layout;
  // A disc of area N has diameter 2 sqrt(N / pi) ~ 1.13 sqrt(N): the grid leaves room around it.
  const side = Math.ceil(1.2 * Math.sqrt(n)) + 2;
  const order = pixelsByRadius(side);
  const lesion = new Uint8Array(side * side);
  const inImage = new Uint8Array(side * side);
  for (let k = 0; k < n; k++) inImage[order[k]] = 1;
  for (let k = 0; k < nFg; k++) lesion[order[k]] = 1;
  const fgMap = signedDistanceMap({ mask: lesion, shape: [side, side] });
  // The background class is the rest of the image (pixels outside the disc are not part of it).
  const bgMask = Uint8Array.from(inImage, (v, i) => v & (1 - lesion[i]));
  const bgMap = signedDistanceMap({ mask: bgMask, shape: [side, side] });
  const byPhi = (cells: number[]) => cells.sort((a, b) => fgMap[a] - fgMap[b] || a - b);
  const cells = Int32Array.from([...byPhi(order.slice(0, nFg)), ...byPhi(order.slice(nFg, n))]);
  const phi = new Float32Array(2 * n);
  cells.forEach((cell, i) => {
    phi[2 * i] = bgMap[cell];
    phi[2 * i + 1] = fgMap[cell];
  });
  const picture = { side, cells, phi };
  // A few layouts at a time (the probe's and the sweep's 21): keep the last ones.
  cache.set(key, picture);
  if (cache.size > 32) cache.delete(cache.keys().next().value as string);
  return picture;
}
