// One subject onto one grid: images and label onto the first image's grid (or a clear problem), the
// label to class indices, voxel axes to RAS order, then downsampled when over the voxel limit.
import { NIFTI_MAX_VOXELS } from '../data/nifti';
import type { Volume } from '../data/volume';
import { AFFINE_TOLERANCE, affineDifference, canonicalOrientation, gridOf, reorientVolume } from './geometry';
import { applySeries, readVolume } from './read-user';
import { downsample, downsampleFactors, resampleToGrid } from './resample';
import {
  isStreamed,
  STREAMED_MAX_VALUES,
  type StreamedVolume,
  streamedImageValues,
  streamImage,
  streamLabel,
  type UserVolume,
} from './streamed-read';
import type { UserSubject } from './validate';

/** The whole-file reader's limit (validate.ts USER_READ_MAX_VOXELS). */
const USER_READ_MAX_VOXELS = NIFTI_MAX_VOXELS;

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

/** A streamed volume read whole after all (it must be resampled first): the whole-file path. */
function readWhole(v: StreamedVolume): { volume?: Volume; error?: string } {
  const r = readVolume(v.stream.file, v.stream.pairedImage, USER_READ_MAX_VOXELS);
  if (!r.volume) return { error: r.error };
  return { volume: applySeries(r.volume, v.stream.series) };
}

const why = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * One subject onto one grid: every volume onto the first image's grid (or a problem), the label to
 * class indices (0/1 when the foreground is merged), the voxel axes to RAS order, then downsampled if over the voxel limit.
 * Streamed volumes (over the limit, known by their header: read-user.ts openVolume) are read here, straight into
 * the working grid (streamed-read.ts); one that must be resampled first is read whole (the resampling needs it).
 */
export function alignSubject(p: {
  id: string;
  images: UserVolume[];
  label: UserVolume | null;
  modalities: string[];
  /** Label value -> class index (0 = background). */
  classOf: (value: number) => number;
  /** Classes classOf gives (background included): 2 when the foreground is merged. */
  classCount?: number;
  resample: boolean;
  maxVoxels: number;
  problems: string[];
  notices: string[];
}): UserSubject | null {
  const first = p.images[0];
  const ref = gridOf(first);
  const align = (v: UserVolume, kind: 'image' | 'label'): UserVolume | null => {
    const g = gridOf(v);
    const sameDims = g.dims.every((d, i) => d === ref.dims[i]);
    const diff = affineDifference(g.affine, ref.affine);
    if (sameDims && diff <= AFFINE_TOLERANCE) return v;
    if (p.resample) {
      p.notices.push(`${v.name} resampled onto ${first.name}'s grid (${kind === 'label' ? 'nearest neighbour' : 'trilinear'})`);
      const whole = isStreamed(v) ? readWhole(v) : { volume: v };
      if (!whole.volume) {
        p.problems.push(`${whole.error}; it is read whole to be resampled`);
        return null;
      }
      return resampleToGrid({ source: whole.volume, grid: ref, method: kind === 'label' ? 'nearest' : 'linear' });
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
  // Factors on the reoriented axes: thick slices keep their count while in-plane voxels shrink first.
  const factors = downsampleFactors({
    dims: orientation.perm.map((c) => ref.dims[c]),
    spacing: orientation.perm.map((c) => first.spacing[c]),
    maxVoxels: p.maxVoxels,
  });
  const shrink = factors.some((f) => f > 1);
  const count = (v: Volume | null) => {
    let n = 0;
    if (v) for (let i = 0; i < v.data.length; i++) if (v.data[i] > 0) n++;
    return n;
  };
  const unreadable = (v: UserVolume, err: unknown) => {
    p.problems.push(`${v.name}: cannot read it as NIfTI (${why(err)})`);
    return null;
  };
  const nanNotice = (v: UserVolume, n: number) => {
    if (n) p.notices.push(`${v.name}: ${n} NaN/Inf values were set to 0`);
  };
  // Each volume reoriented and downsampled in turn (one full-size copy at a time), or streamed into the working grid.
  const chans: Volume[] = [];
  for (const v of images as UserVolume[]) {
    if (isStreamed(v)) {
      const values = streamedImageValues(v, orientation, factors);
      if (values > STREAMED_MAX_VALUES) {
        p.problems.push(
          `${v.name}: its ${v.stream.fileDims[3]} volumes as channels would hold ${values} values on the working grid, over the ${STREAMED_MAX_VALUES} limit: take its 4th dimension as time (the mean or one frame)`,
        );
        return null;
      }
      try {
        const r = streamImage(v, orientation, factors);
        nanNotice(v, r.nonFiniteReplaced);
        chans.push(...r.volumes);
      } catch (err) {
        return unreadable(v, err);
      }
    } else
      for (const c of channels3d(v)) {
        const r = reorientVolume(c, orientation);
        chans.push(shrink ? downsample({ volume: r, factor: factors, method: 'mean' }) : r);
      }
  }
  let bin: Volume | null = null;
  let before = 0;
  if (label && isStreamed(label)) {
    try {
      const r = streamLabel(label, orientation, factors, p.classOf, p.classCount ?? 2);
      bin = r.volume;
      before = r.foreground;
    } catch (err) {
      return unreadable(label, err);
    }
  } else if (label) {
    const data = new Uint8Array(label.data.length);
    for (let i = 0; i < data.length; i++) data[i] = p.classOf(label.data[i]);
    bin = reorientVolume({ ...label, dims: label.dims.slice(0, 3), data, datatype: 'uint8' }, orientation);
    if (shrink) {
      before = count(bin);
      bin = downsample({ volume: bin, factor: factors, method: 'mode' });
    }
  }
  if (shrink) {
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
