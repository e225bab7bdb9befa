// User volumes -> checked, aligned subjects, or clear messages saying why not. Nothing trains until
// every subject passes: readable NIfTI, label and images on one grid (or resampled on request),
// integer labels with a chosen foreground, and volumes under the voxel limit (downsampled otherwise).
import { NiftiError, readNifti } from '../data/nifti';
import type { Volume } from '../data/volume';
import { assignFiles, type FileRole, groupSubjects, isNiftiName, type UserFile } from './files';
import { alignSubject } from './align';
import { type Grid, isIdentityOrientation, type Orientation } from './geometry';

/** Voxels per volume above which user volumes are downsampled (160^3 ≈ 4.1 M). */
export const USER_MAX_VOXELS = 160 ** 3;
/** Files larger than this are refused outright: a browser tab cannot hold them comfortably. */
export const USER_READ_MAX_VOXELS = 2 ** 25;
/** More distinct label values than this: probably an image, not a label map. */
const MAX_LABEL_VALUES = 64;
/** Most classes (background included) a label map kept whole may train: one softmax channel each. */
export const MAX_TRAIN_CLASSES = 16;

export interface UserDataChoices {
  /** Role per file name (default: guessed from the name). */
  roles?: Record<string, FileRole>;
  /** Subject per file name (default: the name without its last token). */
  subjects?: Record<string, string>;
  /** Resample images and label onto the first image's grid where they disagree (else that is an error). */
  resample?: boolean;
  /** Label values that count as foreground (default: every non-zero value); ignored when classes is 'all'. */
  foreground?: number[];
  /** 'merge' (default): the foreground values become one class; 'all': every label value is its own class (GDL is multi-class). */
  classes?: 'merge' | 'all';
  /** Per-volume voxel limit before downsampling (default USER_MAX_VOXELS). */
  maxVoxels?: number;
}

export interface FileReport {
  name: string;
  role: FileRole;
  subject: string;
  modality: string;
  dims?: number[];
  spacing?: number[];
  datatype?: string;
  error?: string;
}

export interface SubjectReport {
  id: string;
  images: string[];
  label: string | null;
  /** Grid used for training (after reorientation and downsampling). */
  dims?: [number, number, number];
  foregroundVoxels?: number;
  problems: string[];
}

export interface UserDataReport {
  /** Every file read and every subject aligned: the volumes can be shown and segmented. */
  ok: boolean;
  /** ok, every subject has a label, and some label has foreground: the volumes can be trained on. */
  trainable: boolean;
  /** Why not trainable (when ok). */
  trainProblems: string[];
  files: FileReport[];
  subjects: SubjectReport[];
  /** Every value found in the labels, with voxel counts (all subjects). */
  labelValues: { value: number; count: number }[];
  /** Label values used as foreground. */
  foreground: number[];
  /** Classes kept whole: the label value of each class index (0 = background first); absent when merged. */
  classValues?: number[];
  /** Blocking problems, each naming its file or subject. */
  errors: string[];
  /** Things done to the data that the user should know (downsampled, reoriented, resampled). */
  notices: string[];
}

/** A subject on its training grid, with what exports need to go back to the input's grid. */
export interface UserSubject {
  id: string;
  modalities: string[];
  /** One 3D float volume per channel, on the working grid. */
  images: Volume[];
  /** Class index per voxel on the working grid (0/1 when merged); null without a label (inference only). */
  label: Volume | null;
  /** Classes kept whole: the label value of each class index; absent when the foreground is merged to 1. */
  classValues?: number[];
  /** The first image's grid as read: predictions are exported onto it. */
  original: Grid;
  working: Grid;
  orientation: Orientation;
  factor: number;
}

function readOne(f: UserFile): { volume?: Volume; error?: string; notice?: string } {
  if (!isNiftiName(f.name)) return { error: `${f.name}: not a .nii or .nii.gz file` };
  try {
    const v = readNifti(f.bytes, { nonFinite: 'replace', maxVoxels: USER_READ_MAX_VOXELS });
    const notice = v.nifti.nonFiniteReplaced ? `${f.name}: ${v.nifti.nonFiniteReplaced} NaN/Inf values were set to 0` : undefined;
    return { volume: { ...v, name: f.name }, notice };
  } catch (err) {
    const why = err instanceof NiftiError || err instanceof Error ? err.message : String(err);
    return { error: `${f.name}: cannot read it as NIfTI (${why})` };
  }
}

/** Label checks: integer, non-negative, few distinct values. Returns value counts or a problem. */
function labelValues(v: Volume): { counts: Map<number, number>; problem?: string } {
  const counts = new Map<number, number>();
  const [nx, ny] = v.dims;
  for (let i = 0; i < v.data.length; i++) {
    const x = v.data[i];
    if (!Number.isInteger(x) || x < 0) {
      const at = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
      const what = x < 0 ? 'negative' : 'not a whole number';
      return {
        counts,
        problem: `label ${v.name} must hold class numbers 0, 1, 2, …; voxel (${at.join(', ')}) holds ${x} (${what}): is it an image or a probability map?`,
      };
    }
    counts.set(x, (counts.get(x) ?? 0) + 1);
    if (counts.size > MAX_LABEL_VALUES)
      return {
        counts,
        problem: `label ${v.name} has more than ${MAX_LABEL_VALUES} distinct values: is it an image, not a label map?`,
      };
  }
  return { counts };
}

/** Reads, checks and aligns user files into subjects; never throws for bad input. */
export function loadUserSubjects(params: { files: readonly UserFile[]; choices?: UserDataChoices }): {
  report: UserDataReport;
  subjects: UserSubject[];
} {
  const { files, choices = {} } = params;
  const errors: string[] = [];
  const notices: string[] = [];
  const names = files.map((f) => f.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) errors.push(`two files are named ${dup}: rename one`);
  const assigned = assignFiles({ names, roles: choices.roles, subjects: choices.subjects });
  const volumes = new Map<string, Volume>();
  const fileReports: FileReport[] = assigned.map((a, i) => {
    if (a.role === 'ignore') return { ...a };
    const r = readOne(files[i]);
    if (r.notice) notices.push(r.notice);
    let error = r.error;
    const v = r.volume;
    if (v && a.role === 'label' && v.dims.length > 3 && v.dims[3] > 1)
      error = `${a.name}: a label must be 3D, this file has ${v.dims[3]} volumes`;
    if (error || !v) {
      errors.push(error!);
      return { ...a, dims: v?.dims, error };
    }
    volumes.set(a.name, v);
    return { ...a, dims: v.dims, spacing: v.spacing.map((x) => Math.round(x * 1000) / 1000), datatype: v.datatype };
  });
  const groups = groupSubjects(assigned);
  if (files.length === 0) errors.push('no files: choose image and label volumes (.nii or .nii.gz)');
  else if (groups.length === 0) errors.push('every file is ignored: mark at least one image');

  // Label values first: the foreground choice spans every subject.
  const allCounts = new Map<number, number>();
  const labelProblems = new Map<string, string>();
  for (const g of groups) {
    const lv = g.label ? volumes.get(g.label) : undefined;
    if (!lv) continue;
    const { counts, problem } = labelValues(lv);
    if (problem) labelProblems.set(g.id, problem);
    else for (const [v, c] of counts) allCounts.set(v, (allCounts.get(v) ?? 0) + c);
  }
  const present = [...allCounts.keys()].sort((a, b) => a - b);
  const nonzero = present.filter((v) => v !== 0);
  const keepAll = choices.classes === 'all';
  const foreground = keepAll || !choices.foreground?.length ? nonzero : [...new Set(choices.foreground)].sort((a, b) => a - b);
  const missing = foreground.filter((v) => !allCounts.has(v));
  if (missing.length) notices.push(`foreground label(s) ${missing.join(', ')} occur in no label`);
  if (nonzero.length > 1 && !choices.foreground?.length && !keepAll)
    notices.push(
      `the labels hold ${nonzero.join(', ')}: all merged into one foreground; choose the foreground label(s) or keep all classes to change that`,
    );
  // Kept whole, value 0 is background (class 0) and every other value its own class, in ascending order.
  const classValues = keepAll && nonzero.length ? [0, ...nonzero] : undefined;
  if (classValues && classValues.length > MAX_TRAIN_CLASSES)
    errors.push(
      `the labels hold ${nonzero.length} foreground values; keeping all classes works up to ${MAX_TRAIN_CLASSES - 1}: choose foreground labels instead`,
    );
  if (classValues && nonzero.length === 1)
    notices.push(`the labels hold one foreground value (${nonzero[0]}): keeping all classes is the usual two-class training`);
  const fgSet = new Set(foreground);
  const classIndex = new Map(classValues?.map((v, i) => [v, i]));
  const classOf = (v: number) => (classValues ? (classIndex.get(v) ?? 0) : fgSet.has(v) ? 1 : 0);

  const subjects: UserSubject[] = [];
  const subjectReports = groups.map((g) => {
    const problems = [...g.problems];
    const lp = labelProblems.get(g.id);
    if (lp) problems.push(lp);
    const report: SubjectReport = { id: g.id, images: g.images, label: g.label, problems };
    const images = g.images.map((n) => volumes.get(n));
    const label = g.label ? volumes.get(g.label) : null;
    if (problems.length || images.length === 0 || images.some((v) => !v) || label === undefined) return report;
    const modalities = g.images.flatMap((n) => {
      const a = assigned.find((x) => x.name === n)!;
      const c = volumes.get(n)!.dims[3] ?? 1;
      return c > 1 ? Array.from({ length: c }, (_, k) => `${a.modality}[${k}]`) : [a.modality];
    });
    const s = alignSubject({
      id: g.id,
      images: images as Volume[],
      label,
      modalities,
      classOf,
      resample: choices.resample === true,
      maxVoxels: choices.maxVoxels ?? USER_MAX_VOXELS,
      problems,
      notices,
    });
    if (!s) return report;
    if (classValues && s.label) s.classValues = [...classValues];
    if (!isIdentityOrientation(s.orientation) && !notices.some((n) => n.startsWith('volumes are shown')))
      notices.push('volumes are shown and trained in RAS voxel order (axial slices); exports go back to each file’s own grid');
    report.dims = [...s.working.dims];
    if (s.label) {
      let fg = 0;
      for (let i = 0; i < s.label.data.length; i++) if (s.label.data[i] > 0) fg++;
      report.foregroundVoxels = fg;
    } else notices.push(`subject '${g.id}' has no label: it can be segmented with a checkpoint, not trained on`);
    subjects.push(s);
    return report;
  });

  for (const s of subjectReports) errors.push(...s.problems);
  const channelCounts = new Set(subjects.map((s) => s.images.length));
  if (channelCounts.size > 1)
    errors.push(
      `subjects have different numbers of images (${subjects.map((s) => `${s.id}: ${s.images.length}`).join(', ')}): every subject needs the same modalities`,
    );
  const ok = errors.length === 0 && subjects.length > 0;
  const trainProblems: string[] = [];
  const unlabelled = subjects.filter((s) => !s.label).map((s) => s.id);
  if (unlabelled.length) trainProblems.push(`training needs a label for every subject; none for ${unlabelled.join(', ')}`);
  else if (subjectReports.every((s) => !s.foregroundVoxels))
    trainProblems.push(
      `no label has a voxel of the foreground label(s) ${foreground.join(', ') || '(none)'}: choose other labels`,
    );
  for (const s of subjectReports)
    if (s.foregroundVoxels === 0) notices.push(`subject '${s.id}' has no foreground voxel with the chosen label(s)`);
  return {
    report: {
      ok,
      trainable: ok && trainProblems.length === 0,
      trainProblems: ok ? trainProblems : [],
      files: fileReports,
      subjects: subjectReports,
      labelValues: present.map((value) => ({ value, count: allCounts.get(value)! })),
      foreground,
      ...(classValues ? { classValues } : {}),
      errors,
      notices,
    },
    subjects: ok ? subjects : [],
  };
}
