// User files -> subjects by name: which file is a label, which subject it belongs to, which modality
// an image is. Guesses only; the page shows them and the user can override each one.

export type FileRole = 'image' | 'label' | 'ignore';

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

export function stripNiftiExtension(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.replace(/\.nii(\.gz)?$/i, '');
}

export const isNiftiName = (name: string) => /\.nii(\.gz)?$/i.test(name);

function tokens(name: string): string[] {
  const base = stripNiftiExtension(name);
  const byUnderscore = base.split('_').filter(Boolean);
  return byUnderscore.length > 1 ? byUnderscore : base.split(/[-.]/).filter(Boolean);
}

/** 'label' when any name token is a label word (seg, mask, label, lesion, gt, ...), else 'image'. */
export function guessRole(name: string): FileRole {
  const words = stripNiftiExtension(name)
    .toLowerCase()
    .split(/[_\-. ]+/);
  return words.some((w) => LABEL_WORDS.has(w)) ? 'label' : 'image';
}

/** Subject key: the name without its last token (sub01_T1 -> sub01, case3-flair -> case3). */
export function guessSubject(name: string): string {
  const t = tokens(name);
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
    if (f.role === 'ignore') continue;
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
