// Images of a realistic or hard phantom: per-subject contrast and gain, lesions drawn from their
// zone's distribution with partial volume at the border, mimics, then the easy phantom's blur, bias and noise.
import { TISSUE_COUNT } from './anatomy';
import type { RowSpans } from './blur-sparse';
import type { DifficultyModel, Dist, LesionZone } from './difficulty';
import { MIMIC, type MimicName } from './mimics';
import type { Modality, PhantomOptions } from './phantom';
import { type BiasField, finishImage } from './render';
import type { Rng } from './rng';
import { ZONES } from './zones';

/** One subject's contrast on one modality (what its scanner and its disease gave it). */
export interface SubjectContrast {
  /** Global intensity scale of this scan. */
  gain: number;
  /** Tissue class means. */
  tissue: number[];
  /** Lesion zone distributions (before the gain). */
  lesion: Record<LesionZone, Dist>;
}

const MIMIC_NAMES: MimicName[] = ['rim', 'flow', 'choroid', 'gliosis'];

export function drawContrast(model: DifficultyModel, modality: Modality, rng: Rng): SubjectContrast {
  const tissue = model.tissue[modality].map((m) => m * Math.max(0.5, 1 + model.contrastJitter * rng.normal()));
  const lesion = {} as Record<LesionZone, Dist>;
  for (const z of ZONES) {
    const d = model.lesion[z][modality];
    lesion[z] = { mean: d.mean * Math.max(0.5, 1 + model.lesionJitter * rng.normal()), sd: d.sd };
  }
  return { gain: Math.exp(model.gainSd * rng.normal()), tissue, lesion };
}

/**
 * Renders one modality. `zone` holds zone codes to draw (lesions and their outer ring), `weight` the
 * lesion fraction there; `severity` makes lesions heterogeneous (T1 darkens where FLAIR and T2 brighten).
 */
export function renderRealistic(params: {
  modality: Modality;
  options: PhantomOptions;
  model: DifficultyModel;
  contrast: SubjectContrast;
  tissue: Uint8Array;
  zone: Uint8Array;
  weight: Float32Array;
  severity: Float32Array;
  mimic: Uint8Array;
  texture: Float32Array;
  bias: BiasField | null;
  rng: Rng;
  /** Row extents of the head (maskSpans of tissue, zone and mimic): air outside them renders as 0. */
  head?: RowSpans;
}): Float32Array {
  const { modality, options, model, contrast, tissue, zone, weight, severity, mimic, texture, bias, rng } = params;
  const lut = new Float32Array(TISSUE_COUNT);
  contrast.tissue.forEach((m, c) => {
    lut[c] = m;
  });
  const zoneMean = new Float32Array(ZONES.length + 1);
  const zoneSd = new Float32Array(ZONES.length + 1);
  ZONES.forEach((z, k) => {
    zoneMean[k + 1] = contrast.lesion[z].mean;
    zoneSd[k + 1] = (modality === 'T1' ? -1 : 1) * contrast.lesion[z].sd;
  });
  const mimicMean = new Float32Array(MIMIC_NAMES.length + 1);
  const mimicSd = new Float32Array(MIMIC_NAMES.length + 1);
  for (const name of MIMIC_NAMES) {
    const d = model.mimics[name][modality];
    mimicMean[MIMIC[name]] = d.mean * (contrast.tissue[5] / model.tissue[modality][5]); // follows the scan's WM
    mimicSd[MIMIC[name]] = d.sd;
  }
  const gain = contrast.gain;
  const img = new Float32Array(tissue.length);
  const sd = options.noise * 1000 * model.noiseScale;
  // Air draws gain * 0 = +-0: with noise to follow (which erases the sign), only the head's rows are drawn.
  const head = sd > 0 && lut[0] === 0 ? params.head : undefined;
  const nx = options.shape[0];
  const draw: RowDraw = { img, tissue, zone, weight, severity, mimic, texture, lut, zoneMean, zoneSd, mimicMean, mimicSd, gain };
  for (let r = 0, base = 0; base < img.length; r++, base += nx) {
    drawRow(draw, head ? base + head.lo[r] : base, head ? base + head.hi[r] : base + nx - 1);
  }
  // The head's rows bound the drawn values: the blur need not scan the image for them.
  return finishImage({ img, options, blur: options.blur * model.blurScale, bias, sd, rng, spans: head });
}

/** What drawRow reads: the maps, the subject's lookup tables and its gain. */
interface RowDraw {
  img: Float32Array;
  tissue: Uint8Array;
  zone: Uint8Array;
  weight: Float32Array;
  severity: Float32Array;
  mimic: Uint8Array;
  texture: Float32Array;
  lut: Float32Array;
  zoneMean: Float32Array;
  zoneSd: Float32Array;
  mimicMean: Float32Array;
  mimicSd: Float32Array;
  gain: number;
}

/** Voxels a..b (inclusive) of one row: tissue or mimic, mixed with the lesion where a zone is drawn. */
function drawRow(d: RowDraw, a: number, b: number): void {
  const { img, tissue, zone, weight, severity, mimic, texture, lut, zoneMean, zoneSd, mimicMean, mimicSd, gain } = d;
  for (let i = a; i <= b; i++) {
    const m = mimic[i];
    const under = m ? mimicMean[m] + mimicSd[m] * texture[i] : lut[tissue[i]] * (1 + 0.025 * texture[i]);
    const z = zone[i];
    if (z === 0) img[i] = gain * under;
    else {
      const w = weight[i];
      const lesion = zoneMean[z] + zoneSd[z] * severity[i];
      img[i] = gain * (w * lesion + (1 - w) * under);
    }
  }
}
