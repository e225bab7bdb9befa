// Seeded synthetic brain phantoms with a controllable lesion burden: the playground's default data.
// Pipeline: tissue map -> lesions of an exact voxel count -> per-modality contrasts -> partial-volume
// blur -> smooth bias field -> Rician noise. Same options give the same bytes.
import { DEFAULT_DIFFICULTY, type Difficulty, DIFFICULTY_IDS } from '../../domain/difficulty';
import { type Anatomy, buildAnatomy, TISSUE, TISSUE_COUNT } from './anatomy';
import { maskSpans } from './blur-sparse';
import { DIFFICULTY_MODELS, type DifficultyModel, type Dist, type LesionZone } from './difficulty';
import type { Dims3 } from './fields';
import { growLesions, LESION_REGIONS, type LesionKind, type LesionResult } from './lesions';
import { markGliosis, MIMIC, placeMimics } from './mimics';
import { lesionTexture, makeBias, renderModality } from './render';
import { drawContrast, renderRealistic } from './render-realistic';
import { createRng, type Rng } from './rng';
import { centredRasAffine, createVolume, type Volume } from './volume';
import { growWmh } from './wmh';
import { lesionZones, partialVolume, severityField } from './zones';

export type { LesionKind } from './lesions';
export { LESION_REGIONS } from './lesions';

export type Modality = 'T1' | 'T2' | 'FLAIR';
export const MODALITIES: readonly Modality[] = ['T1', 'T2', 'FLAIR'];

export interface PhantomOptions {
  seed: number;
  /** Voxels along x (left-right), y (posterior-anterior), z (inferior-superior). */
  shape: [number, number, number];
  /** Voxel size in mm. */
  spacing: [number, number, number];
  modalities: Modality[];
  lesion: { kind: LesionKind; fraction: number };
  /** Rician noise sd as a fraction of the brightest tissue (0 = none). */
  noise: number;
  /** Sd of the smooth multiplicative bias field (0 = flat). */
  biasField: number;
  /** Partial-volume blur: Gaussian sigma in mm (0 = none). */
  blur: number;
  /** Difficulty preset (src/engine/data/difficulty.ts): easy is the original phantom. */
  difficulty: Difficulty;
}

export type PhantomInput = Partial<Omit<PhantomOptions, 'lesion'>> & { lesion?: Partial<PhantomOptions['lesion']> };

export const PHANTOM_DEFAULTS: PhantomOptions = {
  seed: 1,
  shape: [128, 128, 96],
  spacing: [1, 1, 1],
  modalities: ['T1', 'T2', 'FLAIR'],
  lesion: { kind: 'tumour', fraction: 0.01 },
  noise: 0.025,
  biasField: 0.08,
  blur: 0.5,
  difficulty: DEFAULT_DIFFICULTY,
};

/** Largest phantom accepted (voxels), so a typo cannot allocate gigabytes. */
export const PHANTOM_MAX_VOXELS = 2 ** 25;

export interface PhantomMeta {
  lesion: {
    kind: LesionKind;
    requestedFraction: number;
    /** Lesion voxels actually placed (exact). */
    voxels: number;
    /** Voxels the kind may occupy, and the fraction that allows. */
    allowedVoxels: number;
    maxFraction: number;
    /** True when the request exceeded what the kind's region allows. */
    capped: boolean;
    /** Lesion voxels outside the brain mask (tumours above the brain's volume only). */
    outsideBrain: number;
    blobs: number;
    region: string;
  };
  /** Fraction of all voxels per tissue class, lesion included (keys of TISSUE). */
  tissueFractions: Record<keyof typeof TISSUE, number>;
  /** Noise sd in intensity units, per modality. */
  noiseSd: number;
  /** Realistic and hard only: each modality's drawn gain and lesion zone distributions (before bias and noise). */
  contrast?: Partial<Record<Modality, { gain: number; lesion: Record<LesionZone, Dist> }>>;
}

export interface Phantom {
  images: Volume[];
  label: Volume;
  brainMask: Volume;
  /** White matter of the anatomy (lesions inside it included). */
  wmMask: Volume;
  /** Tissue class map (values of TISSUE), after lesions. */
  tissue: Volume;
  /** Realistic and hard only: lesion zone codes (zones.ts ZONES index + 1) and unlabelled mimics (mimics.ts MIMIC). */
  zones?: Volume;
  mimics?: Volume;
  /** Achieved lesion fraction: lesion voxels / all voxels, exact. */
  fraction: number;
  options: PhantomOptions;
  meta: PhantomMeta;
}

function fail(message: string): never {
  throw new RangeError(`generatePhantom: ${message}`);
}

/** Fills in defaults and checks every option, naming the first bad one. */
export function resolvePhantomOptions(input: PhantomInput = {}): PhantomOptions {
  // An option given as undefined means "default" (callers forward optional fields as they are).
  const defined = <T extends object>(o: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  const o: PhantomOptions = {
    ...PHANTOM_DEFAULTS,
    ...defined(input),
    lesion: { ...PHANTOM_DEFAULTS.lesion, ...defined(input.lesion) },
  };
  if (!Number.isFinite(o.seed)) fail(`seed must be a finite number, got ${o.seed}`);
  if (o.shape.length !== 3 || o.shape.some((d) => !Number.isInteger(d) || d < 8 || d > 1024)) {
    fail(`shape must be 3 integers in 8..1024, got ${o.shape.join('x')}`);
  }
  if (o.shape[0] * o.shape[1] * o.shape[2] > PHANTOM_MAX_VOXELS)
    fail(`shape ${o.shape.join('x')} exceeds ${PHANTOM_MAX_VOXELS} voxels`);
  if (o.spacing.length !== 3 || o.spacing.some((s) => !(s > 0) || !Number.isFinite(s))) {
    fail(`spacing must be 3 positive mm values, got ${o.spacing.join(',')}`);
  }
  if (o.modalities.length === 0 || o.modalities.some((m) => !MODALITIES.includes(m))) {
    fail(`modalities must be a non-empty list of ${MODALITIES.join('/')}, got ${o.modalities.join(',')}`);
  }
  if (!(o.lesion.kind in LESION_REGIONS)) fail(`lesion.kind must be tumour, wmh or lacunes, got ${o.lesion.kind}`);
  const f = o.lesion.fraction;
  if (!(f >= 0 && f <= 1)) fail(`lesion.fraction must be in [0, 1], got ${f}`);
  if (!DIFFICULTY_IDS.includes(o.difficulty)) fail(`difficulty must be ${DIFFICULTY_IDS.join(', ')}, got ${o.difficulty}`);
  for (const key of ['noise', 'biasField', 'blur'] as const) {
    if (!(o[key] >= 0) || !Number.isFinite(o[key])) fail(`${key} must be a finite number >= 0, got ${o[key]}`);
  }
  return { ...o, shape: [...o.shape], spacing: [...o.spacing], modalities: [...o.modalities], lesion: { ...o.lesion } };
}

/** Lesion voxels for a requested fraction: the nearest count, at least one when the request is > 0. */
export function lesionVoxelTarget(params: { fraction: number; voxels: number }): number {
  const { fraction, voxels } = params;
  return fraction > 0 ? Math.max(1, Math.round(fraction * voxels)) : 0;
}

/** 1 where `tissue` is class `c`, else 0. */
function classMask(tissue: Uint8Array, c: number): Uint8Array {
  const mask = new Uint8Array(tissue.length);
  for (let i = 0; i < tissue.length; i++) mask[i] = tissue[i] === c ? 1 : 0;
  return mask;
}

/** Voxels per class value (0 .. classes - 1). */
function classCounts(tissue: Uint8Array, classes: number): Int32Array {
  const counts = new Int32Array(Math.max(classes, 256));
  for (let i = 0; i < tissue.length; i++) counts[tissue[i]]++;
  return counts.slice(0, classes);
}

/** Generates one subject; see PhantomOptions for the knobs and LESION_REGIONS for each kind's limits. */
export function generatePhantom(input: PhantomInput = {}): Phantom {
  const options = resolvePhantomOptions(input);
  const dims = options.shape as Dims3;
  const total = dims[0] * dims[1] * dims[2];
  const rng = createRng(options.seed);
  const model = DIFFICULTY_MODELS[options.difficulty];
  const anatomy: Anatomy = buildAnatomy({ dims, rng: rng.fork('anatomy'), variation: model?.anatomy });
  const { tissue, brainMask } = anatomy;
  const wm = classMask(tissue, TISSUE.wm);
  const healthy = model ? tissue.slice() : tissue;
  const mimic = model
    ? placeMimics({ anatomy, dims, rimWidth: model.mimics.rimWidth, flowCount: model.mimics.flowCount, rng: rng.fork('mimics') })
    : null;

  const { kind, fraction: requested } = options.lesion;
  const target = lesionVoxelTarget({ fraction: requested, voxels: total });
  const lesionRng = rng.fork(`lesion-${kind}`);
  const grow = { k: target, anatomy, dims, spacing: options.spacing, rng: lesionRng };
  const lesion: LesionResult =
    model && kind === 'wmh' ? growWmh({ ...grow, punctate: model.wmhPunctate }) : growLesions({ ...grow, kind });
  const label = new Uint8Array(total);
  let outsideBrain = 0;
  for (const i of lesion.voxels) {
    label[i] = 1;
    tissue[i] = TISSUE.lesion;
    outsideBrain += 1 - brainMask[i];
  }

  const geometry = {
    dims: [...dims],
    spacing: [...options.spacing],
    affine: centredRasAffine({ dims, spacing: options.spacing }),
  };
  const bias = makeBias(options, rng.fork('bias'), model?.biasScale);
  const imgRng = rng.fork('images');
  let images: Volume[];
  let extra: Pick<Phantom, 'zones' | 'mimics'> & Pick<PhantomMeta, 'contrast'> = {};
  if (model && mimic) {
    const drawn = renderDifficult({ options, model, healthy, label, lesion, mimic, anatomy, rng, imgRng, bias });
    images = drawn.images.map((data, k) => createVolume({ ...geometry, name: options.modalities[k], data }));
    extra = {
      zones: createVolume({ ...geometry, data: drawn.zone, name: 'lesion zones' }),
      mimics: createVolume({ ...geometry, data: mimic, name: 'mimics' }),
      contrast: drawn.contrast,
    };
  } else {
    const texture = lesionTexture({
      anatomy,
      label,
      lesionVoxels: lesion.voxels.length,
      dims,
      spacing: options.spacing,
      rng: rng.fork('texture'),
    });
    images = options.modalities.map((modality) =>
      createVolume({
        ...geometry,
        name: modality,
        data: renderModality({ modality, options, tissue, texture, bias, rng: imgRng.fork(modality) }),
      }),
    );
  }

  const counts = classCounts(tissue, TISSUE_COUNT);
  const tissueFractions = Object.fromEntries(Object.entries(TISSUE).map(([name, c]) => [name, counts[c] / total])) as Record<
    keyof typeof TISSUE,
    number
  >;
  const fraction = lesion.voxels.length / total;
  return {
    images,
    label: createVolume({ ...geometry, data: label, name: 'lesion' }),
    brainMask: createVolume({ ...geometry, data: brainMask, name: 'brain' }),
    wmMask: createVolume({ ...geometry, data: wm, name: 'white matter' }),
    tissue: createVolume({ ...geometry, data: tissue, name: 'tissue' }),
    ...(extra.zones ? { zones: extra.zones, mimics: extra.mimics } : {}),
    fraction,
    options,
    meta: {
      lesion: {
        kind,
        requestedFraction: requested,
        voxels: lesion.voxels.length,
        allowedVoxels: lesion.allowed,
        maxFraction: lesion.allowed / total,
        capped: target > lesion.allowed,
        outsideBrain,
        blobs: lesion.blobs,
        region: LESION_REGIONS[kind],
      },
      tissueFractions,
      noiseSd: options.noise * 1000 * (model?.noiseScale ?? 1),
      ...(extra.contrast ? { contrast: extra.contrast } : {}),
    },
  };
}

/** The realistic pipeline after lesion growth: zones, gliosis, heterogeneity, partial volume, then each modality. */
function renderDifficult(params: {
  options: PhantomOptions;
  model: DifficultyModel;
  healthy: Uint8Array;
  label: Uint8Array;
  lesion: LesionResult;
  mimic: Uint8Array;
  anatomy: Anatomy;
  rng: Rng;
  imgRng: Rng;
  bias: ReturnType<typeof makeBias>;
}): { images: Float32Array[]; zone: Uint8Array; contrast: NonNullable<PhantomMeta['contrast']> } {
  const { options, model, healthy, label, lesion, mimic, anatomy, rng, imgRng, bias } = params;
  const dims = options.shape as Dims3;
  const kind = options.lesion.kind;
  const zone = lesionZones({ kind, voxels: lesion.voxels, scores: lesion.scores, total: label.length, model });
  if (kind === 'lacunes') markGliosis({ mimic, label, tissue: healthy, dims });
  for (const i of lesion.voxels) mimic[i] = MIMIC.none; // a lesion over a mimic is a lesion
  const severity = severityField({ label, dims, spacing: options.spacing as Dims3, rng: rng.fork('severity') });
  const { weight, renderZone } = partialVolume({ voxels: lesion.voxels, zone, mimic, dims, weights: model.partialVolume });
  const contrast: NonNullable<PhantomMeta['contrast']> = {};
  const head = maskSpans([healthy, renderZone, mimic], dims[0]);
  const images = options.modalities.map((modality) => {
    const r = imgRng.fork(modality);
    const c = drawContrast(model, modality, r.fork('contrast'));
    contrast[modality] = { gain: c.gain, lesion: c.lesion };
    return renderRealistic({
      modality,
      options,
      model,
      contrast: c,
      tissue: healthy,
      zone: renderZone,
      weight,
      severity,
      mimic,
      texture: anatomy.folds,
      bias,
      rng: r,
      head,
    });
  });
  return { images, zone, contrast };
}
