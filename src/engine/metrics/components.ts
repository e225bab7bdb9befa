// 3D connected components with 26-connectivity (faces, edges and corners touch), as the challenge's
// fully connected ITK filter: two voxels meeting only at a corner are one lesion.
import type { Vec3 } from './grid';

export interface Components {
  /** Per voxel: 0 for background, else the component number 1..count (numbered in x-fastest scan order). */
  labels: Int32Array;
  /** sizes[k - 1] = voxels of component k. */
  sizes: Int32Array;
  count: number;
}

/** Labels the 26-connected components of a 0/1 mask by depth-first flood fill from each unlabelled voxel. */
export function connectedComponents(params: { mask: Uint8Array; dims: Vec3 }): Components {
  const { mask, dims } = params;
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const labels = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  const sizes: number[] = [];
  for (let seed = 0; seed < mask.length; seed++) {
    if (mask[seed] === 0 || labels[seed] !== 0) continue;
    const label = sizes.length + 1;
    let size = 0;
    let top = 0;
    stack[top++] = seed;
    labels[seed] = label;
    while (top > 0) {
      const i = stack[--top];
      size++;
      const z = (i / plane) | 0;
      const y = ((i - z * plane) / nx) | 0;
      const x = i - z * plane - y * nx;
      for (let dz = z > 0 ? -1 : 0; dz <= (z < nz - 1 ? 1 : 0); dz++) {
        for (let dy = y > 0 ? -1 : 0; dy <= (y < ny - 1 ? 1 : 0); dy++) {
          for (let dx = x > 0 ? -1 : 0; dx <= (x < nx - 1 ? 1 : 0); dx++) {
            const j = i + dx + nx * dy + plane * dz;
            if (mask[j] !== 0 && labels[j] === 0) {
              labels[j] = label;
              stack[top++] = j;
            }
          }
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes: Int32Array.from(sizes), count: sizes.length };
}
