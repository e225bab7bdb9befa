// Where a clicked voxel is, as the readouts say it: the user file's own voxel index and world mm (the
// phantom's grid is its file's), and the shown index when the file was reoriented for display.
import type { VolumeData } from '../engine/api';
import type { FileGrid } from '../engine/io/api';
import { locateVoxel } from '../engine/io/file-grid';

const mm = (w: readonly number[]) => `(${w.map((v) => v.toFixed(1)).join(', ')}) mm`;

export function whereText(voxel: readonly number[], volume: VolumeData | null, file: FileGrid | undefined): string {
  if (!volume) return `voxel (${voxel.join(', ')})`;
  const { world, fileVoxel } = locateVoxel({ voxel, displayAffine: volume.affine, file });
  if (!file || !fileVoxel) return `voxel (${voxel.join(', ')}) at ${mm(world)}`;
  const shown = fileVoxel.join() === voxel.join() ? '' : `, shown as (${voxel.join(', ')})`;
  return `voxel (${fileVoxel.join(', ')}) of ${file.name.split('/').pop()} at ${mm(world)}${shown}`;
}
