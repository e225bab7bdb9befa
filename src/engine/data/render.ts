// Images from a tissue map: per-subject contrasts, lesion texture, partial-volume blur, a smooth
// separable bias field and Rician noise.
import { type Anatomy, TISSUE, TISSUE_COUNT } from './anatomy';
import { blurSparse, type RowSpans } from './blur-sparse';
import { blurSeparable, type Dims3, smoothNoise } from './fields';
import type { LesionKind } from './lesions';
import { boundingBox, boxIndices } from './morphology';
import type { Modality, PhantomOptions } from './phantom';
import { approxNormalFromBits, type Rng } from './rng';

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
export function lesionTexture(params: {
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
  const at = boxIndices(box, dims);
  for (let j = 0; j < at.length; j++) if (label[at[j]]) texture[at[j]] = fine[j];
  return texture;
}

/**
 * Smooth multiplicative bias field as a sum of two separable products of 1D smooth profiles: no
 * voxel-sized field to build, two multiply-adds per voxel when applied.
 */
export interface BiasField {
  amplitude: number;
  profiles: Float32Array[][]; // [term][axis]
  /** The gain of every voxel, filled by the first image that needs it and shared by the modalities. */
  gains?: Float32Array;
}

export function makeBias(options: PhantomOptions, rng: Rng, scale = 1): BiasField | null {
  if (!(options.biasField > 0)) return null;
  const profiles = [0, 1].map((term) =>
    options.shape.map((n, axis) => {
      const field = smoothNoise({ dims: [n, 1, 1], cell: 0.6 * n, rng: rng.fork(3 * term + axis) });
      // Centre each product near 1 so the field wobbles around the true intensity.
      for (let i = 0; i < n; i++) field[i] = axis === 0 ? field[i] : 1 + 0.5 * field[i];
      return field;
    }),
  );
  return { amplitude: (scale * options.biasField) / Math.SQRT2, profiles };
}

/** The bias gain along row (y, z), written into `out` from `at` (nx values). */
function biasRow(bias: BiasField, y: number, z: number, out: Float32Array, at: number): void {
  // Indexed reads, not destructuring: this runs once per row (iterators each time before optimisation).
  const t1 = bias.profiles[0];
  const t2 = bias.profiles[1];
  const u1 = t1[0];
  const u2 = t2[0];
  const v1 = t1[1];
  const v2 = t2[1];
  const w1 = t1[2];
  const w2 = t2[2];
  const p1 = bias.amplitude * v1[y] * w1[z];
  const p2 = bias.amplitude * v2[y] * w2[z];
  for (let x = 0; x < u1.length; x++) out[at + x] = Math.max(0.5, 1 + p1 * u1[x] + p2 * u2[x]);
}

/** The bias gain of every voxel, built once per field (the same numbers biasRow gives row by row). */
function biasGains(bias: BiasField, dims: Dims3): Float32Array {
  if (bias.gains) return bias.gains;
  const [nx, ny, nz] = dims;
  const gains = new Float32Array(nx * ny * nz);
  for (let r = 0, y = 0, z = 0; r < ny * nz; r++) {
    biasRow(bias, y, z, gains, r * nx);
    if (++y === ny) {
      y = 0;
      z++;
    }
  }
  bias.gains = gains;
  return gains;
}

export function renderModality(params: {
  modality: Modality;
  options: PhantomOptions;
  tissue: Uint8Array;
  texture: Float32Array;
  bias: BiasField | null;
  rng: Rng;
}): Float32Array {
  const { modality, options, tissue, texture, bias, rng } = params;
  const lut = subjectContrast(modality, options.lesion.kind, rng.fork('contrast'));
  const img = new Float32Array(tissue.length);
  for (let i = 0; i < img.length; i++) {
    const t = tissue[i];
    // Lesions are heterogeneous, tissues nearly flat (texture has sd 1).
    img[i] = lut[t] * (1 + (t === TISSUE.lesion ? 0.1 : 0.025) * texture[i]);
  }
  return finishImage({ img, options, blur: options.blur, bias, sd: options.noise * 1000, rng });
}

/**
 * Partial-volume blur (`blur` mm), the bias field and Rician noise of sd `sd`; `rng` forks 'noise'.
 * Returns the image, which may be a new array (`img` is then used as the blur's scratch).
 */
export function finishImage(params: {
  img: Float32Array;
  options: PhantomOptions;
  blur: number;
  bias: BiasField | null;
  sd: number;
  rng: Rng;
  /** Row extents outside which `img` is 0 (the head's, when the caller drew only there); else found here. */
  spans?: RowSpans;
}): Float32Array {
  const { options, blur, bias, sd, rng } = params;
  const dims = options.shape as Dims3;
  const [nx, ny, nz] = dims;
  const s = options.spacing;
  const sigma: Dims3 = [blur / s[0], blur / s[1], blur / s[2]];
  // With noise to follow, the blur may skip the air: the sign of its zeros is all that differs.
  const img = !(blur > 0)
    ? params.img
    : sd > 0
      ? blurSparse({ data: params.img, dims, sigma, spans: params.spans })
      : blurSeparable({ data: params.img, dims, sigma });
  // Rician magnitude |biased signal + complex Gaussian noise|: the background is Rayleigh, not 0.
  const noise = rng.fork('noise');
  const gains = bias ? biasGains(bias, dims) : null;
  if (!(sd > 0)) {
    if (gains) for (let i = 0; i < img.length; i++) img[i] *= gains[i];
    return img;
  }
  const bits = new Uint32Array(2 * nx);
  for (let r = 0; r < ny * nz; r++) {
    noise.fillUint32(bits);
    ricianRow(img, gains, bits, r * nx, sd);
  }
  return img;
}

/** One row of finishImage's Rician magnitude, from `at`: bits holds two draws per voxel. */
function ricianRow(img: Float32Array, gains: Float32Array | null, bits: Uint32Array, at: number, sd: number): void {
  const n = bits.length >> 1;
  for (let x = 0; x < n; x++) {
    const re = img[at + x] * (gains ? gains[at + x] : 1) + sd * approxNormalFromBits(bits[2 * x]);
    const im = sd * approxNormalFromBits(bits[2 * x + 1]);
    img[at + x] = Math.sqrt(re * re + im * im);
  }
}
