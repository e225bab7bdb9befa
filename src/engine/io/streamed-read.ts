// User volumes over the working size, read straight into the working grid: the file is inflated chunk by
// chunk (streamNifti) and each voxel is added to the box of the downsampled, RAS-ordered grid it falls in, so
// memory holds the compressed file, one chunk and the output, never the whole volume. The grid, the factors
// and the values are those of the whole-file path (readNifti -> reorientVolume -> downsample): the boxes are
// laid on the RAS-ordered axes (a file voxel is first mapped to its RAS index, then to its box), images take
// box means, labels (as class indices) box modes with ties to the larger class.
import { NIFTI_MAX_VOXELS } from '../data/nifti';
import { type NiftiHead, streamNifti } from '../data/nifti-stream';
import type { Volume, VolumeArray } from '../data/volume';
import type { UserFile } from './files';
import { type Grid, gridOf, type Orientation, reorientGrid, spacingOf } from './geometry';
import { downsampledGrid, type Factors, shrunkCount } from './resample';
import { planBoxes, type Boxes, MeanBoxes, ModeBoxes } from './stream-boxes';

/**
 * Largest file the streamed path reads (all dims; 2^31 = 2.1 G voxels): memory no longer grows with the file
 * (only the compressed bytes are held), so the bound is time (BigBrain's 36.8 M voxels stream in about a second).
 */
export const USER_STREAM_MAX_VOXELS = 2 ** 31;

/** Longest axis streamed (per-axis lookup tables: 4 bytes a voxel of each axis); NIfTI-1 allows 32767. */
export const STREAMED_MAX_AXIS = 1 << 16;

/** What a 4D file's 4th dimension is: input channels, or time (one frame, 0-based, or the mean of all). */
export type SeriesChoice = 'channels' | 'mean' | number;

/** A user volume known by its header; its voxels are streamed into the working grid when the subject is aligned. */
export interface StreamedVolume extends Omit<Volume, 'data'> {
  data?: undefined;
  stream: {
    file: UserFile;
    pairedImage?: UserFile;
    /** The file's own dims (dims above may have lost the 4th to the series choice). */
    fileDims: number[];
    series: SeriesChoice;
  };
}

/** A volume read whole, or one to be streamed. */
export type UserVolume = Volume | StreamedVolume;

export const isStreamed = (v: UserVolume): v is StreamedVolume => (v as StreamedVolume).stream !== undefined;

const bytesOf = (b: ArrayBuffer | Uint8Array) => (b instanceof Uint8Array ? b : new Uint8Array(b));

/** A streamed volume's header fields as a plain NiftiHead-like object (no stream, no data). */
function headOf(v: StreamedVolume): Omit<Volume, 'data'> {
  const { stream: _s, data: _d, ...rest } = v;
  return rest;
}

/** Every voxel of the file, chunk by chunk (see streamNifti); returns the header with the NaN/Inf count. */
export function streamVoxels(v: StreamedVolume, onVoxels: (start: number, values: VolumeArray) => void): NiftiHead {
  const { file, pairedImage } = v.stream;
  return streamNifti(
    file.bytes,
    { maxVoxels: USER_STREAM_MAX_VOXELS, ...(pairedImage ? { pairedImage: bytesOf(pairedImage.bytes) } : {}) },
    onVoxels,
  );
}

/** The working grid: the file's grid in RAS order, then the boxes (as reorientVolume and downsample give it). */
function workingGrid(v: StreamedVolume, o: Orientation, factors: Factors): { grid: Grid; spacing: number[] } {
  const ras = reorientGrid(gridOf(v), o);
  if (factors.every((f) => f === 1)) return { grid: ras, spacing: o.perm.map((c) => v.spacing[c]) };
  const grid = downsampledGrid(ras, factors);
  return { grid, spacing: spacingOf(grid.affine) };
}

/** Feeds each 3D pass (frame) of the file to its sink, or skips it. */
function feed(v: StreamedVolume, sinkOf: (frame: number) => Boxes | null): NiftiHead {
  const [dx, dy, dz] = v.stream.fileDims;
  const n = dx * dy * dz;
  return streamVoxels(v, (start, values) => {
    for (let i = 0; i < values.length; ) {
      const frame = Math.floor((start + i) / n);
      const end = Math.min(values.length, (frame + 1) * n - start);
      const sink = sinkOf(frame);
      if (sink) {
        sink.push(values, i, end);
        if (start + end === (frame + 1) * n) sink.endPass();
      }
      i = end;
    }
  });
}

/** Values the streamed image will hold on the working grid (all its channels). */
export function streamedImageValues(v: StreamedVolume, o: Orientation, factors: Factors): number {
  const d = v.stream.fileDims;
  const out = o.perm.reduce((n, c, r) => n * shrunkCount(d[c], factors[r]), 1);
  return v.stream.series === 'channels' ? out * (d[3] ?? 1) : out;
}

/** The streamed reader refuses outputs above this many values (a long series kept as channels). */
export const STREAMED_MAX_VALUES = NIFTI_MAX_VOXELS;

/**
 * An image (3D, or 4D as channels / one frame / the time mean) streamed onto the working grid: one float32
 * volume per channel, as reorientVolume + downsample('mean') give them (to float64 summation order).
 */
export function streamImage(
  v: StreamedVolume,
  o: Orientation,
  factors: Factors,
): { volumes: Volume[]; nonFiniteReplaced: number } {
  const d = v.stream.fileDims;
  const frames = d[3] ?? 1;
  const plan = planBoxes([d[0], d[1], d[2]], o, factors);
  const choice = v.stream.series;
  let sinks: MeanBoxes[];
  let sinkOf: (frame: number) => MeanBoxes | null;
  if (frames === 1) {
    sinks = [new MeanBoxes(plan)];
    sinkOf = () => sinks[0];
  } else if (choice === 'channels') {
    sinks = Array.from({ length: frames }, () => new MeanBoxes(plan));
    sinkOf = (f) => sinks[f];
  } else if (choice === 'mean') {
    sinks = [new MeanBoxes(plan, frames)];
    sinkOf = () => sinks[0];
  } else {
    sinks = [new MeanBoxes(plan)];
    sinkOf = (f) => (f === choice ? sinks[0] : null);
  }
  const head = feed(v, sinkOf);
  const { grid, spacing } = workingGrid(v, o, factors);
  const base = headOf(v);
  const volumes = sinks.map((s) => ({
    ...base,
    dims: [...grid.dims],
    spacing,
    affine: grid.affine,
    data: s.result(),
    datatype: 'float32' as const,
  }));
  return { volumes, nonFiniteReplaced: head.nifti.nonFiniteReplaced };
}

/**
 * A label map streamed onto the working grid as class indices (uint8): each voxel's class (`classOf`, below
 * `classes`), then each box's mode, as reorientVolume + downsample('mode') give it. `foreground`: voxels of a
 * class > 0 before downsampling.
 */
export function streamLabel(
  v: StreamedVolume,
  o: Orientation,
  factors: Factors,
  classOf: (value: number) => number,
  classes: number,
): { volume: Volume; foreground: number; nonFiniteReplaced: number } {
  const d = v.stream.fileDims;
  const plan = planBoxes([d[0], d[1], d[2]], o, factors);
  const boxes = new ModeBoxes(plan, classes, classOf);
  const head = feed(v, (f) => (f === 0 ? boxes : null));
  const { grid, spacing } = workingGrid(v, o, factors);
  const volume: Volume = {
    ...headOf(v),
    dims: [...grid.dims],
    spacing,
    affine: grid.affine,
    data: boxes.out,
    datatype: 'uint8',
  };
  return { volume, foreground: boxes.foreground, nonFiniteReplaced: head.nifti.nonFiniteReplaced };
}
