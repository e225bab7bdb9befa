// Seeded synthetic brain phantoms with a controllable lesion burden: the playground's default data.
// Pipeline: tissue map -> lesions of an exact voxel count -> per-modality contrasts -> partial-volume
// blur -> smooth bias field -> Rician noise. Same options give the same bytes.
import { type Anatomy, buildAnatomy, TISSUE, TISSUE_COUNT } from './anatomy';
import { boundingBox, type Dims3, gaussianBlur, smoothNoise } from './fields';
import { growLesions, LESION_REGIONS, type LesionKind } from './lesions';
import { approxNormalFromBits, createRng, type Rng } from './rng';
import { centredRasAffine, createVolume, type Volume } from './volume';

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
};

/** Largest phantom accepted (voxels), so a typo cannot allocate gigabytes. */
export const PHANTOM_MAX_VOXELS = 2 ** 25;

/** Mean intensity per tissue class (air, scalp, skull, csf, gm, wm, deep gm), roughly 0-1000. */
const CONTRAST: Record<Modality, number[]> = {
  T1: [0, 760, 60, 180, 470, 720, 540],
  T2: [0, 420, 40, 1000, 640, 430, 560],
  FLAIR: [0, 520, 40, 110, 600, 430, 540],
};
/** Lesion intensity: bright on FLAIR and T2, dark-ish on T1 (lacunes kept FLAIR-bright to stay visible). */
const LESION_CONTRAST: Record<LesionKind, Record<Modality, number>> = {
  tumour: { T1: 320, T2: 880, FLAIR: 920 },
  wmh: { T1: 560, T2: 800, FLAIR: 880 },
  lacunes: { T1: 260, T2: 950, FLAIR: 860 },
};

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
}

export interface Phantom {
  images: Volume[];
  label: Volume;
  brainMask: Volume;
  /** White matter of the anatomy (lesions inside it included). */
  wmMask: Volume;
  /** Tissue class map (values of TISSUE), after lesions. */
  tissue: Volume;
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
  const o: PhantomOptions = {
    ...PHANTOM_DEFAULTS,
    ...input,
    lesion: { ...PHANTOM_DEFAULTS.lesion, ...input.lesion },
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

/** Contrast table of one subject: every class's mean jittered a few percent, order preserved. */
function subjectContrast(modality: Modality, kind: LesionKind, rng: Rng): Float32Array {
  const lut = new Float32Array(TISSUE_COUNT);
  const base = CONTRAST[modality];
  for (let c = 0; c < base.length; c++) lut[c] = base[c] * (1 + 0.04 * rng.normal());
  lut[TISSUE.lesion] = LESION_CONTRAST[kind][modality] * (1 + 0.04 * rng.normal());
  return lut;
}

/**
 * Image texture (sd 1): the anatomy's smooth fold field, with fine 2 mm grain inside lesions so they
 * look heterogeneous; the fine field is built over the lesions' bounding box only.
 */
function lesionTexture(params: {
  anatomy: Anatomy;
  label: Uint8Array;
  lesionVoxels: number;
  dims: Dims3;
  spacing: readonly number[];
  rng: Rng;
}): Float32Array {
  const { anatomy, label, dims, spacing, rng } = params;
  const texture = anatomy.folds.slice();
  if (params.lesionVoxels === 0) return texture;
  const box = boundingBox(label, dims, 0);
  const cell = [2 / spacing[0], 2 / spacing[1], 2 / spacing[2]] as const;
  const fine = smoothNoise({ dims: box.size, cell, rng });
  const [bx, by, bz] = box.size;
  for (let z = 0, j = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      const row = box.min[0] + dims[0] * (box.min[1] + y + dims[1] * (box.min[2] + z));
      for (let x = 0; x < bx; x++, j++) if (label[row + x]) texture[row + x] = fine[j];
    }
  }
  return texture;
}

/**
 * Smooth multiplicative bias field as a sum of two separable products of 1D smooth profiles: no
 * voxel-sized field to build, two multiply-adds per voxel when applied.
 */
interface BiasField {
  amplitude: number;
  profiles: Float32Array[][]; // [term][axis]
}

function makeBias(options: PhantomOptions, rng: Rng): BiasField | null {
  if (!(options.biasField > 0)) return null;
  const profiles = [0, 1].map((term) =>
    options.shape.map((n, axis) => {
      const field = smoothNoise({ dims: [n, 1, 1], cell: 0.6 * n, rng: rng.fork(3 * term + axis) });
      // Centre each product near 1 so the field wobbles around the true intensity.
      for (let i = 0; i < n; i++) field[i] = axis === 0 ? field[i] : 1 + 0.5 * field[i];
      return field;
    }),
  );
  return { amplitude: options.biasField / Math.SQRT2, profiles };
}

function renderModality(params: {
  modality: Modality;
  options: PhantomOptions;
  tissue: Uint8Array;
  texture: Float32Array;
  bias: BiasField | null;
  rng: Rng;
}): Float32Array {
  const { modality, options, tissue, texture, bias, rng } = params;
  const dims = options.shape as Dims3;
  const [nx, ny, nz] = dims;
  const lut = subjectContrast(modality, options.lesion.kind, rng.fork('contrast'));
  const img = new Float32Array(tissue.length);
  for (let i = 0; i < img.length; i++) {
    const t = tissue[i];
    // Lesions are heterogeneous, tissues nearly flat (texture has sd 1).
    img[i] = lut[t] * (1 + (t === TISSUE.lesion ? 0.1 : 0.025) * texture[i]);
  }
  if (options.blur > 0) {
    const s = options.spacing;
    gaussianBlur({ data: img, dims, sigma: [options.blur / s[0], options.blur / s[1], options.blur / s[2]] });
  }
  // Rician magnitude |biased signal + complex Gaussian noise|: the background is Rayleigh, not 0.
  const sd = options.noise * 1000;
  const noise = rng.fork('noise');
  const bits = new Uint32Array(sd > 0 ? 2 * nx : 0);
  const [u1, v1, w1] = bias ? bias.profiles[0] : [];
  const [u2, v2, w2] = bias ? bias.profiles[1] : [];
  const amp = bias ? bias.amplitude : 0;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const p1 = bias ? amp * v1[y] * w1[z] : 0;
      const p2 = bias ? amp * v2[y] * w2[z] : 0;
      if (sd > 0) noise.fillUint32(bits);
      for (let x = 0; x < nx; x++, i++) {
        const gain = bias ? Math.max(0.5, 1 + p1 * u1[x] + p2 * u2[x]) : 1;
        if (sd > 0) {
          const re = img[i] * gain + sd * approxNormalFromBits(bits[2 * x]);
          const im = sd * approxNormalFromBits(bits[2 * x + 1]);
          img[i] = Math.sqrt(re * re + im * im);
        } else img[i] *= gain;
      }
    }
  }
  return img;
}

/** Generates one subject; see PhantomOptions for the knobs and LESION_REGIONS for each kind's limits. */
export function generatePhantom(input: PhantomInput = {}): Phantom {
  const options = resolvePhantomOptions(input);
  const dims = options.shape as Dims3;
  const total = dims[0] * dims[1] * dims[2];
  const rng = createRng(options.seed);
  const anatomy: Anatomy = buildAnatomy({ dims, rng: rng.fork('anatomy') });
  const { tissue, brainMask } = anatomy;
  const wm = new Uint8Array(total);
  for (let i = 0; i < total; i++) wm[i] = tissue[i] === TISSUE.wm ? 1 : 0;

  const { kind, fraction: requested } = options.lesion;
  const target = lesionVoxelTarget({ fraction: requested, voxels: total });
  const lesion = growLesions({ kind, k: target, anatomy, dims, spacing: options.spacing, rng: rng.fork(`lesion-${kind}`) });
  const label = new Uint8Array(total);
  let outsideBrain = 0;
  for (const i of lesion.voxels) {
    label[i] = 1;
    tissue[i] = TISSUE.lesion;
    outsideBrain += 1 - brainMask[i];
  }

  const texture = lesionTexture({
    anatomy,
    label,
    lesionVoxels: lesion.voxels.length,
    dims,
    spacing: options.spacing,
    rng: rng.fork('texture'),
  });
  const bias = makeBias(options, rng.fork('bias'));
  const imgRng = rng.fork('images');
  const geometry = {
    dims: [...dims],
    spacing: [...options.spacing],
    affine: centredRasAffine({ dims, spacing: options.spacing }),
  };
  const images = options.modalities.map((modality) =>
    createVolume({
      ...geometry,
      name: modality,
      data: renderModality({ modality, options, tissue, texture, bias, rng: imgRng.fork(modality) }),
    }),
  );

  const counts = new Array<number>(TISSUE_COUNT).fill(0);
  for (let i = 0; i < total; i++) counts[tissue[i]]++;
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
      noiseSd: options.noise * 1000,
    },
  };
}
