// User volumes -> checked, aligned subjects, or clear messages saying why not. Nothing trains until
// every subject passes: readable NIfTI, label and images on one grid (or resampled on request),
// integer labels with a chosen foreground, and volumes under the voxel limit (downsampled otherwise).
import { NIFTI_MAX_VOXELS, type NiftiMeta } from '../data/nifti';
import type { Volume } from '../data/volume';
import { alignSubject } from './align';
import { assignFiles, type FileRole, groupSubjects, pairStem, stripNiftiExtension, type UserFile } from './files';
import { type Grid, isIdentityOrientation, type Orientation } from './geometry';
import type { LabelNames } from './label-table';
import { applySeries, openVolume, pairImages, readTable, type SeriesChoice, seriesFor } from './read-user';
import { isStreamed, streamVoxels, type UserVolume } from './streamed-read';

export type { SeriesChoice } from './read-user';
export { USER_STREAM_MAX_VOXELS } from './streamed-read';

/** Voxels per volume above which user volumes are downsampled (160^3 ≈ 4.1 M). */
export const USER_MAX_VOXELS = 160 ** 3;
/**
 * Files up to this many voxels (the whole-file reader's limit, 2^27) are read whole when they fit the working
 * size; files over the working size (USER_MAX_VOXELS or choices.maxVoxels) or over this are streamed into the
 * working grid (streamed-read.ts), up to USER_STREAM_MAX_VOXELS (2^31).
 */
export const USER_READ_MAX_VOXELS = NIFTI_MAX_VOXELS;
/** More distinct label values than this: probably an image, not a label map (inia19 has 725, AAL 116). */
const MAX_LABEL_VALUES = 10_000;
/** Most classes (background included) a label map kept whole may train: one softmax channel each. */
export const MAX_TRAIN_CLASSES = 16;

export interface UserDataChoices {
  /** Role per file name (default: guessed from the name). */
  roles?: Record<string, FileRole>;
  /** Subject per file name (default: the name without its last token). */
  subjects?: Record<string, string>;
  /** Resample images and label onto the first image's grid where they disagree (else that is an error). */
  resample?: boolean;
  /** Label values that count as foreground (default: every non-zero value). */
  foreground?: number[];
  /** Label names (from a label table) whose values count as foreground too: case-insensitive, a part of the name matches. */
  foregroundNames?: string[];
  /** 'merge' (default): the foreground values become one class; 'all': each foreground value is its own class (GDL is multi-class). */
  classes?: 'merge' | 'all';
  /** Per 4D file: its 4th dimension as input channels, one time frame (0-based) or the mean over time. */
  series?: Record<string, SeriesChoice>;
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
  /** 4D files: the number of volumes in the 4th dimension and what was done with them. */
  volumes?: number;
  series?: SeriesChoice;
  /** A .hdr's .img. */
  pairedWith?: string;
  error?: string;
}

export interface SubjectReport {
  id: string;
  images: string[];
  label: string | null;
  /** Grid used for training (after reorientation and downsampling). */
  dims?: [number, number, number];
  /** Input channels: one per image, or a 4D image's volumes taken as channels. */
  channels?: number;
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
  /** Every value found in the labels, with voxel counts (all subjects) and its name when a label table gave one. */
  labelValues: { value: number; count: number; name?: string }[];
  /** Label tables read (file names). */
  labelTables: string[];
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
  /** Merged from exactly one label value: exports write it back instead of 1. */
  foregroundValue?: number;
  /** The first image's header fields (xform codes, units, TR), carried into exports. */
  meta?: NiftiMeta;
  /** Names of label values from a label table (exported as a .tsv beside label maps). */
  labelNames?: Map<number, string>;
  /** The first image's grid as read: predictions are exported onto it. */
  original: Grid;
  /** The first image's file name (the viewer's readout names its voxels). */
  originalName: string;
  working: Grid;
  orientation: Orientation;
  /** Downsampling factor per (reoriented) voxel axis; 1, 1, 1 when none. */
  factors: [number, number, number];
}

/**
 * Label checks: integer, non-negative, few distinct values. Returns value counts or a problem. A streamed label
 * is read here once for its counts (and again when aligned, for its boxes: the classes depend on every label).
 */
function labelValues(v: UserVolume, notices: string[]): { counts: Map<number, number>; problem?: string } {
  const counts = new Map<number, number>();
  // Values below SMALL are counted in an array (a Map per voxel cost ~250 ms on a 256^3 label), the rest in `counts`.
  const SMALL = 4096;
  const small = new Float64Array(SMALL);
  let distinct = 0;
  const [nx, ny] = v.dims;
  let problem: string | undefined;
  const add = (start: number, data: ArrayLike<number>): boolean => {
    for (let j = 0; j < data.length; j++) {
      const x = data[j];
      if (x >= 0 && x < SMALL && (x | 0) === x) {
        if (small[x]++ === 0) distinct++;
      } else if (!Number.isInteger(x) || x < 0) {
        const i = start + j;
        const at = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
        const what = x < 0 ? 'negative' : 'not a whole number';
        problem = `label ${v.name} must hold class numbers 0, 1, 2, …; voxel (${at.join(', ')}) holds ${x} (${what}): is it an image or a probability map?`;
        return false;
      } else {
        const c = counts.get(x) ?? 0;
        if (c === 0) distinct++;
        counts.set(x, c + 1);
      }
      if (distinct > MAX_LABEL_VALUES) {
        problem = `label ${v.name} has more than ${MAX_LABEL_VALUES} distinct values: is it an image, not a label map?`;
        return false;
      }
    }
    return true;
  };
  const merged = () => {
    for (let x = 0; x < SMALL; x++) if (small[x]) counts.set(x, small[x]);
    return counts;
  };
  if (!isStreamed(v)) {
    add(0, v.data);
    return { counts: merged(), ...(problem ? { problem } : {}) };
  }
  const stop = new Error('stop');
  try {
    const head = streamVoxels(v, (start, values) => {
      if (!add(start, values)) throw stop;
    });
    if (head.nifti.nonFiniteReplaced) notices.push(`${v.name}: ${head.nifti.nonFiniteReplaced} NaN/Inf values were set to 0`);
  } catch (err) {
    if (err !== stop) problem = `${v.name}: cannot read it as NIfTI (${err instanceof Error ? err.message : String(err)})`;
  }
  return { counts: merged(), ...(problem ? { problem } : {}) };
}

/**
 * Reads, checks and aligns user files into subjects; never throws for bad input. Files over the working size
 * are streamed into the working grid (read-user.ts openVolume); `stream: false` reads them whole first (the
 * path before streaming: the same subjects, more memory; kept to compare the two).
 */
export function loadUserSubjects(params: { files: readonly UserFile[]; choices?: UserDataChoices; stream?: boolean }): {
  report: UserDataReport;
  subjects: UserSubject[];
} {
  const { files, choices = {} } = params;
  const maxVoxels = choices.maxVoxels ?? USER_MAX_VOXELS;
  const errors: string[] = [];
  const notices: string[] = [];
  const dupName = files.map((f) => f.name).find((n, i, all) => all.indexOf(n) !== i);
  if (dupName) errors.push(`two files are named ${dupName}: rename one`);
  // An .img travels with the .hdr of its stem; one without its .hdr cannot be read.
  const { paired, lone } = pairImages(files);
  for (const n of lone) errors.push(`${n}: the voxels of an .hdr/.img pair; add ${pairStem(n).split(/[\\/]/).pop()}.hdr with it`);
  const pairedNames = new Set([...paired.values()].map((f) => f.name));
  const listed = files.filter((f) => !pairedNames.has(f.name) && !lone.includes(f.name));
  const assigned = assignFiles({ names: listed.map((f) => f.name), roles: choices.roles, subjects: choices.subjects });
  const volumes = new Map<string, UserVolume>();
  const tables = new Map<string, LabelNames>();
  const fileReports: FileReport[] = assigned.map((a, i) => {
    if (a.role === 'ignore') return { ...a };
    if (a.role === 'table') {
      const t = readTable(listed[i]);
      if (t.names) tables.set(a.name, t.names);
      else notices.push(t.error!);
      return { ...a, ...(t.error ? { error: t.error } : {}) };
    }
    const img = paired.get(pairStem(a.name));
    const r = openVolume(listed[i], img, {
      workingVoxels: maxVoxels,
      wholeMax: USER_READ_MAX_VOXELS,
      stream: params.stream !== false,
    });
    if (r.notices) notices.push(...r.notices);
    let error = r.error;
    let v = r.volume;
    if (v && a.role === 'label' && v.dims.length > 3 && v.dims[3] > 1)
      error = `${a.name}: a label must be 3D, this file has ${v.dims[3]} volumes`;
    if (error || !v) {
      errors.push(error!);
      return { ...a, dims: v?.dims, error };
    }
    const frames = v.dims.length > 3 ? v.dims[3] : 1;
    const series = seriesFor(v, choices.series?.[a.name]);
    if (series.notice) notices.push(series.notice);
    const dims = v.dims;
    v = applySeries(v, series.choice);
    volumes.set(a.name, v);
    return {
      ...a,
      dims,
      spacing: v.spacing.map((x) => Math.round(x * 1000) / 1000),
      datatype: v.datatype,
      ...(frames > 1 ? { volumes: frames, series: series.choice } : {}),
      ...(img ? { pairedWith: img.name } : {}),
    };
  });
  const labelNames = namesForLabels(tables, assigned, notices);
  const groups = groupSubjects(assigned);
  if (files.length === 0) errors.push('no files: choose image and label volumes (.nii or .nii.gz)');
  else if (groups.length === 0) errors.push('every file is ignored: mark at least one image');

  // Label values first: the foreground choice spans every subject.
  const allCounts = new Map<number, number>();
  const labelProblems = new Map<string, string>();
  for (const g of groups) {
    const lv = g.label ? volumes.get(g.label) : undefined;
    if (!lv) continue;
    const { counts, problem } = labelValues(lv, notices);
    if (problem) labelProblems.set(g.id, problem);
    else for (const [v, c] of counts) allCounts.set(v, (allCounts.get(v) ?? 0) + c);
  }
  const present = [...allCounts.keys()].sort((a, b) => a - b);
  const nonzero = present.filter((v) => v !== 0);
  const keepAll = choices.classes === 'all';
  const byName = valuesNamed(labelNames, choices.foregroundNames ?? [], present, notices);
  const picked = [...new Set([...(choices.foreground ?? []), ...byName])].sort((a, b) => a - b);
  const chosen = picked.length > 0 || (choices.foregroundNames?.length ?? 0) > 0;
  const foreground = chosen ? picked.filter((v) => v !== 0) : nonzero;
  const missing = foreground.filter((v) => !allCounts.has(v));
  if (missing.length) notices.push(`foreground label(s) ${missing.join(', ')} occur in no label`);
  if (nonzero.length > 1 && !chosen && !keepAll)
    notices.push(
      `the labels hold ${nonzero.join(', ')}: all merged into one foreground; choose the foreground label(s) or keep all classes to change that`,
    );
  // Kept as classes, value 0 (and every value not chosen) is background (class 0) and each foreground value its own class, ascending.
  const kept = foreground.filter((v) => allCounts.has(v));
  const classValues = keepAll && kept.length ? [0, ...kept] : undefined;
  if (classValues && classValues.length > MAX_TRAIN_CLASSES)
    errors.push(
      `${kept.length} label values are chosen as classes; keeping classes works up to ${MAX_TRAIN_CLASSES - 1} foreground classes: pick at most ${MAX_TRAIN_CLASSES - 1} labels, or merge them into one foreground`,
    );
  if (classValues && kept.length === 1)
    notices.push(`one foreground value (${kept[0]}) is chosen: keeping classes is the usual two-class training`);
  if (keepAll && chosen && kept.length < nonzero.length)
    notices.push(`${nonzero.length - kept.length} label value(s) not chosen are background`);
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
      images: images as UserVolume[],
      label,
      modalities,
      classOf,
      classCount: classValues ? classValues.length : 2,
      resample: choices.resample === true,
      maxVoxels,
      problems,
      notices,
    });
    if (!s) return report;
    if (classValues && s.label) s.classValues = [...classValues];
    if (!classValues && s.label && foreground.length === 1) s.foregroundValue = foreground[0];
    if (images[0]?.meta) s.meta = images[0].meta;
    if (labelNames.size) s.labelNames = labelNames;
    if (!isIdentityOrientation(s.orientation) && !notices.some((n) => n.startsWith('volumes are shown')))
      notices.push('volumes are shown and trained in RAS voxel order (axial slices); exports go back to each file’s own grid');
    report.dims = [...s.working.dims];
    report.channels = s.images.length;
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
      labelValues: present.map((value) => {
        const name = labelNames.get(value);
        return { value, count: allCounts.get(value)!, ...(name ? { name } : {}) };
      }),
      labelTables: [...tables.keys()],
      foreground,
      ...(classValues ? { classValues } : {}),
      errors,
      notices,
    },
    subjects: ok ? subjects : [],
  };
}

/** Names for label values: a table of the label's own stem, else the only table; several tables are merged (first name wins). */
function namesForLabels(
  tables: Map<string, LabelNames>,
  assigned: readonly { name: string; role: FileRole }[],
  notices: string[],
): LabelNames {
  const out: LabelNames = new Map();
  if (tables.size === 0) return out;
  const labels = assigned.filter((a) => a.role === 'label').map((a) => stripNiftiExtension(a.name));
  const matching = [...tables.keys()].filter((t) => labels.includes(stripNiftiExtension(t)));
  const used = matching.length ? matching : [...tables.keys()];
  for (const t of used) for (const [v, n] of tables.get(t)!) if (!out.has(v)) out.set(v, n);
  notices.push(`label names from ${used.join(', ')} (${out.size} names)`);
  return out;
}

/** Label values whose name contains one of the patterns (case-insensitive). */
function valuesNamed(names: LabelNames, patterns: readonly string[], present: readonly number[], notices: string[]): number[] {
  const wanted = patterns.map((p) => p.trim().toLowerCase()).filter(Boolean);
  if (!wanted.length) return [];
  if (names.size === 0) {
    notices.push('labels were chosen by name, but no label table gave names: add one beside the label map');
    return [];
  }
  const found = present.filter((v) => wanted.some((w) => names.get(v)?.toLowerCase().includes(w)));
  if (!found.length) notices.push(`no label present is named like ${wanted.join(', ')}`);
  return found;
}
