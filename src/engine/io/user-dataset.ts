// Checked user subjects -> normalised Subjects and a Dataset the trainer can use, the same shape
// as the phantom datasets (seeded split, first validation subject shown).
import { EngineError } from '../../domain/errors';
import { prepareSubject, type Subject, splitSubjects } from '../data/subjects';
import { createVolume, type Volume } from '../data/volume';
import { buildDatasetFromSubjects, type Dataset } from '../train/dataset';
import type { UserSubject } from './validate';

/** Share of non-zero voxels between which the zeros are taken for background outside the head. */
const MASK_RANGE = { min: 0.02, max: 0.95 };

/**
 * Normalised subject: each channel z-scored over the non-zero voxels of the first image when zeros
 * are background (skull-stripped or padded scans), else over all voxels. A missing label is all 0.
 */
/** 1 where v is not 0; a plain loop (Uint8Array.from with a map function takes ~25x longer on 4 M voxels). */
function nonzeroMask(v: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] !== 0 ? 1 : 0;
  return out;
}

export function subjectFromUser(u: UserSubject): Subject {
  const first = u.images[0];
  const n = first.data.length;
  let nonzero = 0;
  for (let i = 0; i < n; i++) if (first.data[i] !== 0) nonzero++;
  const useMask = nonzero > MASK_RANGE.min * n && nonzero < MASK_RANGE.max * n;
  const mask: Volume | undefined = useMask
    ? createVolume({ dims: first.dims.slice(0, 3), data: nonzeroMask(first.data) })
    : undefined;
  const label = u.label ?? createVolume({ dims: first.dims.slice(0, 3), data: new Uint8Array(n) });
  const classes = u.classValues?.length;
  return prepareSubject({
    images: u.images,
    label,
    brainMask: mask,
    reference: useMask ? 'brain' : 'all',
    id: u.id,
    ...(classes ? { classes } : {}),
  });
}

export interface UserDataset {
  ds: Dataset;
  /** The subject on screen (the first validation subject), for exports back onto its file's grid. */
  shown: UserSubject;
  split: { train: string[]; validation: string[] };
  notices: string[];
}

/** A dataset from labelled user subjects: seeded split (one subject: trained and validated on itself). */
export function buildUserDataset(params: {
  subjects: UserSubject[];
  seed: number;
  patch: number;
  batch: number;
  network: string;
}): UserDataset {
  const { subjects } = params;
  if (subjects.length === 0) throw new EngineError('invalid-request', 'no volumes loaded');
  const unlabelled = subjects.filter((s) => !s.label);
  if (unlabelled.length)
    throw new EngineError('invalid-request', `training needs labels: ${unlabelled.map((s) => s.id).join(', ')} has none`);
  const notices: string[] = [];
  let train: number[];
  let validation: number[];
  if (subjects.length === 1) {
    train = [0];
    validation = [0];
    notices.push(
      'one subject: validation Dice is measured on the subject it trains on, not on unseen data; add subjects for that',
    );
  } else ({ train, validation } = splitSubjects({ count: subjects.length, validationFraction: 0.2, seed: params.seed }));
  const normalised = subjects.map(subjectFromUser);
  const shown = subjects[validation[0]];
  const ds = buildDatasetFromSubjects({
    train: train.map((i) => normalised[i]),
    validation: validation.map((i) => normalised[i]),
    display: { images: shown.images, modalities: shown.modalities },
    seed: params.seed,
    patch: params.patch,
    batch: params.batch,
    network: params.network,
    ...(shown.classValues ? { classValues: shown.classValues } : {}),
  });
  return {
    ds,
    shown,
    split: { train: train.map((i) => subjects[i].id), validation: validation.map((i) => subjects[i].id) },
    notices,
  };
}
