// Where a voxel of the shown (training) grid lies in the user's file: world mm through the display
// affine, and the file's own voxel index through the inverse of the file's affine. Pure maths, tf-free.
import { invertAffine } from './geometry';

/** The grid of the file the shown subject came from (its first image), as read. */
export interface FileGrid {
  name: string;
  dims: number[];
  /** Row-major voxel -> world mm. */
  affine: number[];
}

const apply = (m: readonly number[], p: readonly number[]) =>
  [0, 1, 2].map((r) => m[4 * r] * p[0] + m[4 * r + 1] * p[1] + m[4 * r + 2] * p[2] + m[4 * r + 3]);

/**
 * A display voxel's world position (mm) and, with the file's grid, the file's own voxel index (rounded:
 * exact after reorientation, the nearest file voxel after downsampling).
 */
export function locateVoxel(params: { voxel: readonly number[]; displayAffine: readonly number[]; file?: FileGrid | null }): {
  world: [number, number, number];
  fileVoxel: [number, number, number] | null;
} {
  const { voxel, displayAffine, file } = params;
  const world = apply(displayAffine, voxel) as [number, number, number];
  if (!file) return { world, fileVoxel: null };
  const ijk = apply(invertAffine(file.affine), world).map((v) => Math.round(v + 0) || 0) as [number, number, number];
  return { world, fileVoxel: ijk };
}
