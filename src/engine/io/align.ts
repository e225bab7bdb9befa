// One subject onto one grid: images and label onto the first image's grid (or a clear problem), the
// label to class indices, voxel axes to RAS order, then downsampled when over the voxel limit.
import type { Volume } from '../data/volume';
import { AFFINE_TOLERANCE, affineDifference, canonicalOrientation, gridOf, reorientVolume } from './geometry';
import { downsample, downsampleFactors, resampleToGrid } from './resample';
import type { UserSubject } from './validate';

const fmtDims = (d: readonly number[]) => d.slice(0, 3).join('x');
const fmtMillions = (n: number) => (n >= 1e5 ? `${(n / 1e6).toFixed(1)} M` : String(n));

/** Splits a 4D image into its 3D channels, in the file's own array type (float comes after downsampling: less memory). */
function channels3d(v: Volume): Volume[] {
  const n = v.dims[0] * v.dims[1] * v.dims[2];
  const c = v.dims.length > 3 ? v.dims[3] : 1;
  if (c === 1) return [{ ...v, dims: v.dims.slice(0, 3) }];
  return Array.from({ length: c }, (_, k) => ({ ...v, dims: v.dims.slice(0, 3), data: v.data.slice(k * n, (k + 1) * n) }));
}

const asFloat = (v: Volume): Volume =>
  v.data instanceof Float32Array ? v : { ...v, data: Float32Array.from(v.data), datatype: 'float32' };

/**
 * One subject onto one grid: every volume onto the first image's grid (or a problem), the label to
 * class indices (0/1 when the foreground is merged), the voxel axes to RAS order, then downsampled if over the voxel limit.
 */
export function alignSubject(p: {
  id: string;
  images: Volume[];
  label: Volume | null;
  modalities: string[];
  /** Label value -> class index (0 = background). */
  classOf: (value: number) => number;
  resample: boolean;
  maxVoxels: number;
  problems: string[];
  notices: string[];
}): UserSubject | null {
  const first = p.images[0];
  const ref = gridOf(first);
  const align = (v: Volume, kind: 'image' | 'label'): Volume | null => {
    const g = gridOf(v);
    const sameDims = g.dims.every((d, i) => d === ref.dims[i]);
    const diff = affineDifference(g.affine, ref.affine);
    if (sameDims && diff <= AFFINE_TOLERANCE) return v;
    if (p.resample) {
      p.notices.push(`${v.name} resampled onto ${first.name}'s grid (${kind === 'label' ? 'nearest neighbour' : 'trilinear'})`);
      return resampleToGrid({ source: v, grid: ref, method: kind === 'label' ? 'nearest' : 'linear' });
    }
    const what = sameDims
      ? `has the size of ${first.name} but another position or orientation (affines differ by up to ${diff.toPrecision(3)} mm)`
      : `is ${fmtDims(v.dims)} voxels but ${first.name} is ${fmtDims(ref.dims)}`;
    p.problems.push(
      `${v.name} ${what}, so they do not overlap voxel for voxel; tick "Resample onto the first image's grid" to align them`,
    );
    return null;
  };
  const images = p.images.map((v, i) => (i === 0 ? v : align(v, 'image')));
  const label = p.label ? align(p.label, 'label') : null;
  if ((p.label && !label) || images.some((v) => !v)) return null;

  const orientation = canonicalOrientation(ref.affine);
  let chans = images.flatMap((v) => channels3d(v!)).map((c) => reorientVolume(c, orientation));
  let bin: Volume | null = null;
  if (label) {
    const data = new Uint8Array(label.data.length);
    for (let i = 0; i < data.length; i++) data[i] = p.classOf(label.data[i]);
    bin = reorientVolume({ ...label, dims: label.dims.slice(0, 3), data, datatype: 'uint8' }, orientation);
  }
  // Factors on the reoriented axes: thick slices keep their count while in-plane voxels shrink first.
  const factors = downsampleFactors({ dims: chans[0].dims, spacing: chans[0].spacing, maxVoxels: p.maxVoxels });
  if (factors.some((f) => f > 1)) {
    const count = (v: Volume | null) => {
      let n = 0;
      if (v) for (let i = 0; i < v.data.length; i++) if (v.data[i] > 0) n++;
      return n;
    };
    const before = count(bin);
    chans = chans.map((c) => downsample({ volume: c, factor: factors, method: 'mean' }));
    bin = bin && downsample({ volume: bin, factor: factors, method: 'mode' });
    const f3 = factors.map((f) => String(Number(f.toFixed(3))));
    const by = f3.every((f) => f === f3[0]) ? f3[0] : `${f3.join(' x ')} (x, y, z; thick slices kept)`;
    const fg = bin ? ` (foreground voxels ${before} -> ${count(bin)})` : '';
    p.notices.push(
      `subject '${p.id}': ${fmtDims(ref.dims)} is ${fmtMillions(ref.dims[0] * ref.dims[1] * ref.dims[2])} voxels, over the ${fmtMillions(p.maxVoxels)} limit: downsampled by ${by} to ${fmtDims(chans[0].dims)}${fg}; exports go back to ${fmtDims(ref.dims)}`,
    );
  }
  return {
    id: p.id,
    modalities: p.modalities,
    images: chans.map((c, k) => ({ ...asFloat(c), name: p.modalities[k] })),
    label: bin,
    original: ref,
    originalName: first.name ?? p.id,
    working: gridOf(chans[0]),
    orientation,
    factors,
  };
}
