// Reading the user's files: .nii/.nii.gz, .hdr/.img pairs joined by stem, label tables, and the
// 4th dimension of a series taken as channels, one frame or the mean (each said in a notice).
import { NiftiError, readNifti } from '../data/nifti';
import { readNiftiHead } from '../data/nifti-stream';
import { type Volume, voxelCount } from '../data/volume';
import { isNiftiName, isPairHeader, isPairImage, pairStem, type UserFile } from './files';
import { type LabelNames, parseLabelTable } from './label-table';
import {
  isStreamed,
  STREAMED_MAX_AXIS,
  type SeriesChoice,
  type StreamedVolume,
  USER_STREAM_MAX_VOXELS,
  type UserVolume,
} from './streamed-read';

export type { SeriesChoice } from './streamed-read';

const bytesOf = (b: ArrayBuffer | Uint8Array) => (b instanceof Uint8Array ? b : new Uint8Array(b));

/** The .img of each .hdr (by stem), and the .img files that came without their .hdr. */
export function pairImages(files: readonly UserFile[]): { paired: Map<string, UserFile>; lone: string[] } {
  const headers = new Set(files.filter((f) => isPairHeader(f.name)).map((f) => pairStem(f.name)));
  const paired = new Map<string, UserFile>();
  const lone: string[] = [];
  for (const f of files) {
    if (!isPairImage(f.name)) continue;
    if (headers.has(pairStem(f.name))) paired.set(pairStem(f.name), f);
    else lone.push(f.name);
  }
  return { paired, lone };
}

/** One volume file (a .hdr with its paired .img) -> a Volume, or a message naming the file. */
export function readVolume(
  f: UserFile,
  pairedImage: UserFile | undefined,
  maxVoxels: number,
): { volume?: Volume; notices?: string[]; error?: string } {
  if (!isNiftiName(f.name)) return { error: `${f.name}: not a .nii or .nii.gz file (nor an .hdr/.img pair)` };
  try {
    const v = readNifti(f.bytes, {
      nonFinite: 'replace',
      maxVoxels,
      ...(pairedImage ? { pairedImage: bytesOf(pairedImage.bytes) } : {}),
    });
    const notices: string[] = [];
    if (v.nifti.nonFiniteReplaced) notices.push(`${f.name}: ${v.nifti.nonFiniteReplaced} NaN/Inf values were set to 0`);
    if (pairedImage) notices.push(`${f.name} read with its voxels from ${pairedImage.name}`);
    for (const note of v.nifti.notes) notices.push(`${f.name}: ${note}`);
    return { volume: { ...v, name: f.name } as Volume, notices };
  } catch (err) {
    return { error: `${f.name}: cannot read it as NIfTI (${why(err)})` };
  }
}

const why = (err: unknown) => (err instanceof NiftiError || err instanceof Error ? err.message : String(err));

/**
 * One volume file, read whole when it fits, else known by its header and streamed later (streamed-read.ts):
 * when its 3D voxel count is over `workingVoxels` (it will be downsampled: its boxes are summed while it is
 * read) or its whole count over `wholeMax` (the whole-file reader's limit: a long series, reduced while read).
 * `stream: false` reads every file whole (the path before streaming, kept for comparison).
 */
export function openVolume(
  f: UserFile,
  pairedImage: UserFile | undefined,
  p: { workingVoxels: number; wholeMax: number; stream: boolean },
): { volume?: UserVolume; notices?: string[]; error?: string } {
  if (!p.stream || !isNiftiName(f.name)) return readVolume(f, pairedImage, p.wholeMax);
  try {
    const head = readNiftiHead(f.bytes, {
      maxVoxels: USER_STREAM_MAX_VOXELS,
      ...(pairedImage ? { pairedImage: bytesOf(pairedImage.bytes) } : {}),
    });
    const [x, y, z] = head.dims;
    if (x * y * z <= p.workingVoxels && voxelCount(head.dims) <= p.wholeMax) return readVolume(f, pairedImage, p.wholeMax);
    const longest = Math.max(x, y, z);
    if (longest > STREAMED_MAX_AXIS)
      return {
        error: `${f.name}: cannot read it as NIfTI (an axis of ${longest} voxels: at most ${STREAMED_MAX_AXIS} are read per axis)`,
      };
    const notices: string[] = [];
    if (pairedImage) notices.push(`${f.name} read with its voxels from ${pairedImage.name}`);
    for (const note of head.nifti.notes) notices.push(`${f.name}: ${note}`);
    const stream = {
      file: f,
      fileDims: [...head.dims],
      series: 'channels' as SeriesChoice,
      ...(pairedImage ? { pairedImage } : {}),
    };
    const volume: StreamedVolume = { ...head, name: f.name, stream };
    return { volume, notices };
  } catch (err) {
    return { error: `${f.name}: cannot read it as NIfTI (${why(err)})` };
  }
}

/** A label table's names, or null with the reason. */
export function readTable(f: UserFile): { names: LabelNames | null; error?: string } {
  const text = new TextDecoder().decode(bytesOf(f.bytes));
  const names = parseLabelTable({ name: f.name, text });
  return names ? { names } : { names: null, error: `${f.name}: no 'value name' rows found; not used as a label table` };
}

/** The header says the 4th dimension is time: a time unit in xyzt_units and a positive TR. */
export function looksLikeTime(v: Pick<Volume, 'meta'>): boolean {
  const m = v.meta;
  return !!m && (m.xyztUnits & 0x38) !== 0 && m.pixdim[4] > 0;
}

/**
 * A 4D volume reduced to one frame or the mean over time; 'channels' keeps it whole. A streamed volume only
 * records the choice (its frames are reduced while it is read).
 */
export function applySeries<V extends UserVolume>(v: V, choice: SeriesChoice): V;
export function applySeries(v: UserVolume, choice: SeriesChoice): UserVolume {
  const frames = v.dims.length > 3 ? v.dims[3] : 1;
  if (frames === 1 || choice === 'channels') return v;
  if (isStreamed(v)) return { ...v, dims: v.dims.slice(0, 3), datatype: 'float32', stream: { ...v.stream, series: choice } };
  const n = v.dims[0] * v.dims[1] * v.dims[2];
  let data: Float32Array;
  if (choice === 'mean') {
    data = new Float32Array(n);
    for (let t = 0; t < frames; t++) for (let i = 0; i < n; i++) data[i] += v.data[t * n + i];
    for (let i = 0; i < n; i++) data[i] /= frames;
  } else data = Float32Array.from(v.data.subarray(choice * n, (choice + 1) * n));
  return { ...v, dims: v.dims.slice(0, 3), data, datatype: 'float32' };
}

/** The series choice for a 4D file: the user's, else time (mean) when the header gives a TR, else channels. */
export function seriesFor(
  v: Pick<Volume, 'dims' | 'meta' | 'name'>,
  chosen: SeriesChoice | undefined,
): { choice: SeriesChoice; notice?: string } {
  const frames = v.dims.length > 3 ? v.dims[3] : 1;
  if (frames === 1) return { choice: 'channels' };
  const guessed = chosen === undefined;
  let choice: SeriesChoice = chosen ?? (looksLikeTime(v) ? 'mean' : 'channels');
  if (typeof choice === 'number' && !(Number.isInteger(choice) && choice >= 0 && choice < frames)) choice = 'mean';
  const what =
    choice === 'channels'
      ? `used as ${frames} input channels`
      : choice === 'mean'
        ? `taken as time: the mean of the ${frames} frames is the image`
        : `taken as time: frame ${choice} of ${frames} (0-based) is the image`;
  const why = guessed
    ? choice === 'mean'
      ? ' (the header gives a TR); choose channels or a frame to change it'
      : '; choose time to use one frame or the mean'
    : '';
  return { choice, notice: `${v.name} has ${frames} volumes in its 4th dimension: ${what}${why}` };
}
