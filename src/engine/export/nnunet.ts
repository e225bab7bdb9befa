// A dataset as an nnU-Net v2 raw dataset: imagesTr/{case}_{XXXX}.nii.gz (one file per modality),
// labelsTr/{case}.nii.gz, the validation subjects in imagesTs/labelsTs, and dataset.json. The images are
// the channels the browser trained on (already z-scored), so a patch in PyTorch holds the same numbers.
import { writeNifti } from '../data/nifti';
import type { Subject } from '../data/subjects';
import { createVolume } from '../data/volume';
import type { Dataset } from '../train/dataset';
import type { NamedBytes } from '../io/exports';

export interface NnunetCase {
  id: string;
  split: 'train' | 'validation';
}

export interface NnunetDatasetJson {
  channel_names: Record<string, string>;
  labels: Record<string, number>;
  numTraining: number;
  file_ending: '.nii.gz';
  name: string;
  description: string;
  /** Not nnU-Net's: which cases train.py validates on, in order (the browser's validation subjects). */
  playground: { training: string[]; validation: string[]; normalised: 'z-score (white matter, as in the browser)' };
}

/** Safe on every OS: letters, digits, '_' and '-' only, not empty, at most 64 characters. */
export function safeName(name: string, fallback = 'playground'): string {
  const s = name
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return s || fallback;
}

/** Label names: background, then 'lesion' for two classes, else class_1..class_K-1 with their label values. */
function labelsOf(numClasses: number, classValues?: number[]): Record<string, number> {
  const labels: Record<string, number> = { background: 0 };
  if (numClasses === 2) labels.lesion = 1;
  else for (let l = 1; l < numClasses; l++) labels[`class_${classValues?.[l] ?? l}`] = l;
  return labels;
}

/**
 * The files of the nnU-Net dataset (paths relative to the dataset folder). Each subject is written on its
 * own grid (affine and spacing: user volumes differ from subject to subject); `affine` overrides them all.
 * Labels are class indices 0..K-1.
 */
export function nnunetDataset(params: { ds: Dataset; name?: string; affine?: readonly number[] }): {
  files: NamedBytes[];
  json: NnunetDatasetJson;
  cases: NnunetCase[];
} {
  const { ds } = params;
  const name = safeName(params.name ?? 'playground');
  const first = ds.display.images[0];

  const files: NamedBytes[] = [];
  const cases: NnunetCase[] = [];
  const write = (s: Subject, id: string, images: string, labels: string) => {
    const affine = params.affine ?? s.affine ?? first.affine;
    const spacing = s.spacing ?? first.spacing.slice(0, 3);
    s.channels.forEach((data, c) => {
      const vol = createVolume({ dims: s.dims, data, affine, spacing });
      const file = `${images}/${id}_${String(c).padStart(4, '0')}.nii.gz`;
      files.push({
        name: file,
        bytes: writeNifti(vol, { gzip: true, description: `${id} ${ds.display.modalities[c]} z-scored` }),
      });
    });
    const label = createVolume({ dims: s.dims, data: Uint8Array.from(s.label), affine, spacing });
    files.push({ name: `${labels}/${id}.nii.gz`, bytes: writeNifti(label, { gzip: true, description: `${id} label` }) });
  };
  ds.train.forEach((s, i) => {
    const id = `${name}_${String(i).padStart(3, '0')}`;
    write(s, id, 'imagesTr', 'labelsTr');
    cases.push({ id, split: 'train' });
  });
  ds.validation.forEach((s, i) => {
    const id = `${name}_${String(ds.train.length + i).padStart(3, '0')}`;
    write(s, id, 'imagesTs', 'labelsTs');
    cases.push({ id, split: 'validation' });
  });
  const json: NnunetDatasetJson = {
    channel_names: Object.fromEntries(ds.display.modalities.map((m, c) => [String(c), m])),
    labels: labelsOf(ds.numClasses, ds.classValues),
    numTraining: ds.train.length,
    file_ending: '.nii.gz',
    name,
    description: 'Exported from the segmentation loss playground (Sudre et al. 2017 at laptop scale)',
    playground: {
      training: cases.filter((c) => c.split === 'train').map((c) => c.id),
      validation: cases.filter((c) => c.split === 'validation').map((c) => c.id),
      normalised: 'z-score (white matter, as in the browser)',
    },
  };
  files.push({ name: 'dataset.json', bytes: new TextEncoder().encode(`${JSON.stringify(json, null, 1)}\n`) });
  return { files, json, cases };
}
