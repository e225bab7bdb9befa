// HD95 as the WMH challenge computes it: boundary-to-boundary distances in mm, the larger directed
// 95th percentile. Distances come from an exact distance transform of the other boundary, not all pairs.
import { boundaryVoxels } from './boundary';
import { distancesToSites } from './edt';
import type { Vec3 } from './grid';
import { quantileSorted } from '../../domain/summary';

/** 95th percentile (linear interpolation, numpy.percentile's default) of the distances from `from` to `to`. */
function directed95(params: { from: Int32Array; to: Int32Array; dims: Vec3; spacing: Vec3 }): number {
  const d = distancesToSites({ sites: params.to, queries: params.from, dims: params.dims, spacing: params.spacing });
  return quantileSorted({ sorted: d.sort(), q: 0.95 });
}

/** Symmetric 95th-percentile Hausdorff distance (mm) between two non-empty 0/1 masks on one grid. */
export function hausdorff95(params: { a: Uint8Array; b: Uint8Array; dims: Vec3; spacing: Vec3 }): number {
  const { a, b, dims, spacing } = params;
  const ea = boundaryVoxels({ mask: a, dims });
  const eb = boundaryVoxels({ mask: b, dims });
  if (ea.length === 0 || eb.length === 0) throw new RangeError('hausdorff95 needs two non-empty masks');
  return Math.max(directed95({ from: ea, to: eb, dims, spacing }), directed95({ from: eb, to: ea, dims, spacing }));
}
