// The in-memory image volume every data helper speaks: NIfTI voxel order (x fastest), scaling applied.
import type { NiftiMeta } from './nifti-meta';

/** NIfTI datatypes this engine reads and writes, by name. */
export type DatatypeName = 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

export type VolumeArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

export interface Volume {
  /** [x, y, z] or [x, y, z, c]; x varies fastest in `data`, a 4th entry counts channels (or frames). */
  dims: number[];
  /** Voxel size in mm along x, y, z. */
  spacing: number[];
  /** Row-major 4x4 voxel (i, j, k) -> world (mm) transform, 16 entries. */
  affine: number[];
  /** Voxel values with any NIfTI scl_slope/scl_inter already applied. */
  data: VolumeArray;
  /** Datatype the values were stored as (before scaling). */
  datatype: DatatypeName;
  name?: string;
  /** Header fields of the NIfTI file it was read from; writeNifti keeps them. */
  meta?: NiftiMeta;
}

/** NIfTI-1 datatype codes by name, and bytes per voxel. */
export const DATATYPES: Record<DatatypeName, { code: number; bytes: number }> = {
  uint8: { code: 2, bytes: 1 },
  int16: { code: 4, bytes: 2 },
  int32: { code: 8, bytes: 4 },
  float32: { code: 16, bytes: 4 },
  float64: { code: 64, bytes: 8 },
  int8: { code: 256, bytes: 1 },
  uint16: { code: 512, bytes: 2 },
  uint32: { code: 768, bytes: 4 },
};

/** The datatype name a typed array is written as. */
export function datatypeOf(data: VolumeArray): DatatypeName {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Float64Array) return 'float64';
  return 'float32';
}

/** Number of elements (all dims multiplied, channels included). */
export function voxelCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Channels (4th dim), 1 for a 3D volume. */
export function channelCount(dims: readonly number[]): number {
  return dims.length > 3 ? dims[3] : 1;
}

/** Flat index of voxel (x, y, z) in channel c. */
export function voxelIndex(dims: readonly number[], x: number, y: number, z: number, c = 0): number {
  return x + dims[0] * (y + dims[1] * (z + dims[2] * c));
}

/** RAS affine with the volume's centre at world (0, 0, 0): i -> Right, j -> Anterior, k -> Superior. */
export function centredRasAffine(params: { dims: readonly number[]; spacing: readonly number[] }): number[] {
  const { dims, spacing } = params;
  const [sx, sy, sz] = spacing;
  const ox = (-(dims[0] - 1) / 2) * sx;
  const oy = (-(dims[1] - 1) / 2) * sy;
  const oz = (-(dims[2] - 1) / 2) * sz;
  return [sx, 0, 0, ox, 0, sy, 0, oy, 0, 0, sz, oz, 0, 0, 0, 1];
}

/** Builds a Volume, checking that the data length matches dims; the affine defaults to centred RAS. */
export function createVolume(params: {
  dims: readonly number[];
  data: VolumeArray;
  spacing?: readonly number[];
  affine?: readonly number[];
  datatype?: DatatypeName;
  name?: string;
}): Volume {
  const { dims, data, name } = params;
  if (dims.length !== 3 && dims.length !== 4) throw new RangeError(`a volume has 3 or 4 dims, got ${dims.length}`);
  if (dims.some((d) => !Number.isInteger(d) || d < 1)) throw new RangeError(`dims must be positive integers: ${dims.join('x')}`);
  if (voxelCount(dims) !== data.length) {
    throw new RangeError(`data has ${data.length} values but dims ${dims.join('x')} need ${voxelCount(dims)}`);
  }
  const spacing = [...(params.spacing ?? [1, 1, 1])];
  const affine = [...(params.affine ?? centredRasAffine({ dims, spacing }))];
  if (affine.length !== 16) throw new RangeError(`affine needs 16 entries, got ${affine.length}`);
  const volume: Volume = { dims: [...dims], spacing, affine, data, datatype: params.datatype ?? datatypeOf(data) };
  if (name !== undefined) volume.name = name;
  return volume;
}
