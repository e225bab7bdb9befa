// The challenge's boundary: a mask minus its in-plane (x, y) erosion, so slices are eroded one by one.
import type { Vec3 } from './grid';

/**
 * Indices of the boundary voxels of a 0/1 mask: foreground voxels with an x or y 4-neighbour that is
 * background or outside the grid (z neighbours never count: the challenge erodes in 2D).
 */
export function boundaryVoxels(params: { mask: Uint8Array; dims: Vec3 }): Int32Array {
  const { mask, dims } = params;
  const [nx, ny, nz] = dims;
  const out: number[] = [];
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (mask[i] === 0) continue;
        const inner = x > 0 && x < nx - 1 && y > 0 && y < ny - 1 && mask[i - 1] && mask[i + 1] && mask[i - nx] && mask[i + nx];
        if (!inner) out.push(i);
      }
    }
  }
  return Int32Array.from(out);
}
