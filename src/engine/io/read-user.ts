// Reading the user's files: .nii/.nii.gz, .hdr/.img pairs joined by stem, label tables, and the
// 4th dimension of a series taken as channels, one frame or the mean (each said in a notice).
import { NiftiError, readNifti } from '../data/nifti';
import type { Volume } from '../data/volume';
import { isNiftiName, isPairHeader, isPairImage, pairStem, type UserFile } from './files';
import { type LabelNames, parseLabelTable } from './label-table';

/** What a 4D file's 4th dimension is: input channels, or time (one frame, 0-based, or the mean of all). */
export type SeriesChoice = 'channels' | 'mean' | number;

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
export function readVolume(f: UserFile, pairedImage: UserFile | undefined, maxVoxels: number) {
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
    const why = err instanceof NiftiError || err instanceof Error ? err.message : String(err);
    return { error: `${f.name}: cannot read it as NIfTI (${why})` };
  }
}

/** A label table's names, or null with the reason. */
export function readTable(f: UserFile): { names: LabelNames | null; error?: string } {
  const text = new TextDecoder().decode(bytesOf(f.bytes));
  const names = parseLabelTable({ name: f.name, text });
  return names ? { names } : { names: null, error: `${f.name}: no 'value name' rows found; not used as a label table` };
}

/** The header says the 4th dimension is time: a time unit in xyzt_units and a positive TR. */
export function looksLikeTime(v: Volume): boolean {
  const m = v.meta;
  return !!m && (m.xyztUnits & 0x38) !== 0 && m.pixdim[4] > 0;
}

/** A 4D volume reduced to one frame or the mean over time; 'channels' keeps it whole. */
export function applySeries(v: Volume, choice: SeriesChoice): Volume {
  const frames = v.dims.length > 3 ? v.dims[3] : 1;
  if (frames === 1 || choice === 'channels') return v;
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
export function seriesFor(v: Volume, chosen: SeriesChoice | undefined): { choice: SeriesChoice; notice?: string } {
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
