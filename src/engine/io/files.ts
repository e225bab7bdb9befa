// User files -> subjects by name: which file is a label, which subject it belongs to, which modality
// an image is. Guesses only; the page shows them and the user can override each one.

/** 'table': a label table (value -> name) for the label map beside it. */
export type FileRole = 'image' | 'label' | 'ignore' | 'table';

export interface UserFile {
  name: string;
  bytes: ArrayBuffer | Uint8Array;
}

export interface FileAssignment {
  name: string;
  role: FileRole;
  subject: string;
  /** Modality name of an image (its last name token), used to order channels. */
  modality: string;
}

const LABEL_WORDS = new Set([
  'label',
  'labels',
  'seg',
  'segmentation',
  'dseg',
  'mask',
  'lesion',
  'lesions',
  'gt',
  'truth',
  'groundtruth',
  'manual',
  'roi',
  'aseg',
]);

/** Channel order: the phantom's T1, T2, FLAIR first (what the checkpoints expect), then by name. */
const MODALITY_ORDER = ['t1', 't1w', 't1ce', 't1gd', 't2', 't2w', 'flair', 't2flair', 'pd', 'dwi', 'adc', 'ct'];

const VOLUME_EXT = /\.(nii|hdr|img)(\.gz)?$/i;
const TABLE_EXT = /\.(txt|tsv|csv|lut|ctbl|json)$/i;

/** The base name without its folder and volume (or table) extension. */
export function stripNiftiExtension(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.replace(VOLUME_EXT, '').replace(TABLE_EXT, '');
}

/** A volume file: .nii, .nii.gz, or either half of an .hdr/.img pair. */
export const isNiftiName = (name: string) => VOLUME_EXT.test(name);
/** A label table (value and name per line, an FSL/FreeSurfer LUT or a niivue JSON colour table). */
export const isLabelTableName = (name: string) =>
  TABLE_EXT.test(name) &&
  !/(^|[\\/])(dataset_description|participants|sessions|scans)\./i.test(name) &&
  !(/\.json$/i.test(name) && bidsEntities(name).sub); // a BIDS sidecar, not a colour table
export const isPairImage = (name: string) => /\.img(\.gz)?$/i.test(name);
export const isPairHeader = (name: string) => /\.hdr(\.gz)?$/i.test(name);
/** The name without a volume extension, folder kept: a pair's .hdr and .img share it. */
export const pairStem = (name: string) => name.replace(VOLUME_EXT, '');

/** The folder part of a path (a picked folder's files are named by their relative path). */
const folderOf = (name: string) => name.split(/[\\/]/).slice(0, -1);

/** BIDS entities of a name: sub-01_ses-2_desc-lesion_mask -> { sub: '01', ses: '2', desc: 'lesion' }. */
export function bidsEntities(name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of stripNiftiExtension(name).split('_')) {
    const m = /^([a-zA-Z]+)-([a-zA-Z0-9]+)$/.exec(t);
    if (m) out[m[1].toLowerCase()] = m[2];
  }
  return out;
}

function tokens(name: string): string[] {
  const base = stripNiftiExtension(name);
  const byUnderscore = base.split('_').filter(Boolean);
  return byUnderscore.length > 1 ? byUnderscore : base.split(/[-.]/).filter(Boolean);
}

/** 'label' when any name token is a label word (seg, mask, label, lesion, gt, ...), 'table' for a label table, else 'image'. */
export function guessRole(name: string): FileRole {
  if (TABLE_EXT.test(name)) return isLabelTableName(name) ? 'table' : 'ignore';
  const words = stripNiftiExtension(name)
    .toLowerCase()
    .split(/[_\-. ]+/);
  return words.some((w) => LABEL_WORDS.has(w)) ? 'label' : 'image';
}

/**
 * Subject key: BIDS sub-XX[_ses-YY] when the name has them, else the name without its last token
 * (sub01_T1 -> sub01, case3-flair -> case3), or the folder for a one-token name in a picked folder (case3/flair).
 */
export function guessSubject(name: string): string {
  const e = bidsEntities(name);
  if (e.sub) return e.ses ? `sub-${e.sub}_ses-${e.ses}` : `sub-${e.sub}`;
  const t = tokens(name);
  const folder = folderOf(name).filter((f) => !/^(anat|func|dwi|derivatives)$/i.test(f));
  if (t.length <= 1 && folder.length) return folder[folder.length - 1];
  const sep = stripNiftiExtension(name).includes('_') ? '_' : '-';
  return t.length > 1 ? t.slice(0, -1).join(sep) : (t[0] ?? name);
}

/** Modality: the name's last token (sub01_FLAIR -> FLAIR). */
export function guessModality(name: string): string {
  const t = tokens(name);
  return t.length > 1 ? t[t.length - 1] : stripNiftiExtension(name);
}

function modalityRank(m: string): number {
  const i = MODALITY_ORDER.indexOf(m.toLowerCase());
  return i < 0 ? MODALITY_ORDER.length : i;
}

export function compareModalities(a: string, b: string): number {
  return modalityRank(a) - modalityRank(b) || a.localeCompare(b);
}

/**
 * Roles and subjects for every file: explicit choices win, then guesses. With a single label file
 * among the files, every image goes with it (one subject, whatever the names).
 */
export function assignFiles(params: {
  names: readonly string[];
  roles?: Record<string, FileRole>;
  subjects?: Record<string, string>;
}): FileAssignment[] {
  const { names, roles = {}, subjects = {} } = params;
  const out = names.map((name) => ({
    name,
    role: roles[name] ?? guessRole(name),
    subject: subjects[name]?.trim() || guessSubject(name),
    modality: guessModality(name),
  }));
  const labels = out.filter((f) => f.role === 'label');
  if (labels.length === 1) {
    for (const f of out) if (f.role === 'image' && !subjects[f.name]?.trim()) f.subject = labels[0].subject;
  }
  return out;
}

export interface SubjectGroup {
  id: string;
  /** Image file names in channel order. */
  images: string[];
  label: string | null;
  problems: string[];
}

/** Groups assigned files into subjects: at least one image and at most one label each (none: inference only). */
export function groupSubjects(files: readonly FileAssignment[]): SubjectGroup[] {
  const groups = new Map<string, { images: FileAssignment[]; labels: string[] }>();
  for (const f of files) {
    if (f.role === 'ignore' || f.role === 'table') continue;
    let g = groups.get(f.subject);
    if (!g) groups.set(f.subject, (g = { images: [], labels: [] }));
    if (f.role === 'label') g.labels.push(f.name);
    else g.images.push(f);
  }
  return [...groups.entries()].map(([id, g]) => {
    const problems: string[] = [];
    if (g.images.length === 0) problems.push(`subject '${id}' has no image file (only ${g.labels.join(', ')})`);
    if (g.labels.length > 1)
      problems.push(`subject '${id}' has ${g.labels.length} label files (${g.labels.join(', ')}): keep one`);
    const images = [...g.images].sort((a, b) => compareModalities(a.modality, b.modality)).map((f) => f.name);
    return { id, images, label: g.labels[0] ?? null, problems };
  });
}
