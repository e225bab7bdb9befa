// 3D connected components with 26-connectivity (faces, edges and corners touch), as the challenge's
// fully connected ITK filter: two voxels meeting only at a corner are one lesion.
import type { Vec3 } from './grid';

export interface Components {
  count: number;
  /** sizes[k] = voxels of component k (numbered by first voxel in x-fastest scan order). */
  sizes: Int32Array;
  /** overlaps[k] = voxels of component k that are foreground in `other` (all 0 without `other`). */
  overlaps: Int32Array;
}

/** Components of a mask (nonzero = foreground) by depth-first flood fill, counting each one's overlap with `other`. */
export function connectedComponents(params: { mask: Uint8Array; dims: Vec3; other?: Uint8Array }): Components {
  const { mask, dims, other } = params;
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  const sizes: number[] = [];
  const overlaps: number[] = [];
  for (let seed = 0; seed < mask.length; seed++) {
    if (mask[seed] === 0 || seen[seed] !== 0) continue;
    let size = 0;
    let overlap = 0;
    let top = 0;
    stack[top++] = seed;
    seen[seed] = 1;
    while (top > 0) {
      const i = stack[--top];
      size++;
      if (other !== undefined && other[i] !== 0) overlap++;
      const z = (i / plane) | 0;
      const y = ((i - z * plane) / nx) | 0;
      const x = i - z * plane - y * nx;
      for (let dz = z > 0 ? -1 : 0; dz <= (z < nz - 1 ? 1 : 0); dz++) {
        for (let dy = y > 0 ? -1 : 0; dy <= (y < ny - 1 ? 1 : 0); dy++) {
          for (let dx = x > 0 ? -1 : 0; dx <= (x < nx - 1 ? 1 : 0); dx++) {
            const j = i + dx + nx * dy + plane * dz;
            if (mask[j] !== 0 && seen[j] === 0) {
              seen[j] = 1;
              stack[top++] = j;
            }
          }
        }
      }
    }
    sizes.push(size);
    overlaps.push(overlap);
  }
  return { count: sizes.length, sizes: Int32Array.from(sizes), overlaps: Int32Array.from(overlaps) };
}
