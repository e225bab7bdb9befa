// The difficulty model: what a realistic or hard phantom adds to the easy one, as data. Each element
// mimics a fact of real MRI (the data README says which); `easy` has no model (the original phantom).
import type { Difficulty } from '../../domain/difficulty';
import type { Modality } from './phantom';

/** Intensity of a structure on one modality: mean and sd on the phantom's 0-1000 scale, before bias and noise. */
export interface Dist {
  mean: number;
  sd: number;
}
export type ByModality = Record<Modality, Dist>;

/** Lesion sub-regions; every one of them is labelled lesion (BraTS "whole tumour"). */
export type LesionZone = 'wmh' | 'oedema' | 'enhancing' | 'necrosis' | 'cavity';

/** Bounded subject-to-subject jitter of the head: [sd, max] pairs, relative to the field of view. */
export interface AnatomyVariation {
  scale: [number, number];
  axis: [number, number];
  shift: [number, number];
  /** Lateral ventricle size factor: lo + span * uniform (atrophy). */
  ventricles: [number, number];
  /** Relative sd of the sulcal width (atrophy widens sulci). */
  sulci: number;
}

/** The easy phantom's anatomy jitter (today's values). */
export const EASY_ANATOMY: AnatomyVariation = {
  scale: [0.012, 0.015],
  axis: [0.015, 0.03],
  shift: [0.006, 0.01],
  ventricles: [0.85, 0.5],
  sulci: 0,
};

export interface DifficultyModel {
  anatomy: AnatomyVariation;
  /** Tissue class means per modality (air, scalp, skull, csf, gm, wm, deep gm). */
  tissue: Record<Modality, number[]>;
  /** Relative sd of each class mean per subject (scanner and sequence differences in contrast). */
  contrastJitter: number;
  /** Sd of the log of one global gain per subject and modality (per-scanner intensity scale). */
  gainSd: number;
  lesion: Record<LesionZone, ByModality>;
  /** Relative sd of one subject's lesion means (lesion contrast differs between patients). */
  lesionJitter: number;
  /** Structures that look like lesions and are not labelled. */
  mimics: {
    /** Ependymal rim and periventricular caps (thin at the walls, thicker at the horns). */
    rim: ByModality;
    /** Rim thickness in normalised ventricle radii (about 1 voxel at the walls, 3-4 at the horns). */
    rimWidth: number;
    /** CSF inflow artefacts inside the ventricles: FLAIR only (T1 and T2 see CSF). */
    flow: ByModality;
    flowCount: number;
    choroid: ByModality;
    /** Gliosis around lacunes: the FLAIR-bright rim of a CSF-dark cavity. */
    gliosis: ByModality;
  };
  /** Share of WMH voxels in punctate lesions of 3-30 voxels; the rest is confluent periventricular. */
  wmhPunctate: number;
  /** Tumour zones by depth: necrotic core and enhancing rim as shares of the tumour, the rest oedema. */
  tumourZones: { necrosis: number; enhancing: number };
  /** Lesion fraction of the voxels on either side of a lesion border (partial volume). */
  partialVolume: { inside: number; outside: number };
  /** Multipliers of the phantom's blur, bias and noise options. */
  blurScale: number;
  biasScale: number;
  noiseScale: number;
}

const d = (mean: number, sd: number): Dist => ({ mean, sd });

/** Realistic: every element on, at strengths taken from how real FLAIR/T1/T2 scans look. */
const REALISTIC: DifficultyModel = {
  anatomy: { scale: [0.03, 0.03], axis: [0.02, 0.04], shift: [0.02, 0.03], ventricles: [0.8, 0.6], sulci: 0.2 },
  tissue: {
    T1: [0, 760, 60, 180, 470, 720, 540],
    T2: [0, 420, 40, 1000, 640, 430, 560],
    // Cortical GM sits above WM on FLAIR (about 1.4x), as on 3D FLAIR at 3 T.
    FLAIR: [0, 520, 40, 110, 610, 430, 520],
  },
  contrastJitter: 0.03,
  gainSd: 0.15,
  lesion: {
    // WMH: FLAIR-bright but overlapping GM and the periventricular rim; T2-bright; T1 between GM and WM.
    wmh: { T1: d(460, 50), T2: d(920, 60), FLAIR: d(770, 70) },
    oedema: { T1: d(540, 60), T2: d(820, 80), FLAIR: d(780, 80) },
    enhancing: { T1: d(500, 50), T2: d(680, 60), FLAIR: d(650, 60) },
    // Necrosis: fluid-like, dark on FLAIR and T1, bright on T2; still tumour.
    necrosis: { T1: d(250, 50), T2: d(920, 60), FLAIR: d(230, 60) },
    // Lacunes: CSF-filled cavities (FLAIR suppressed like CSF).
    cavity: { T1: d(220, 40), T2: d(930, 50), FLAIR: d(160, 40) },
  },
  lesionJitter: 0.025,
  mimics: {
    // FLAIR-bright like WMH, but near-normal on T1 and only mildly bright on T2.
    rim: { T1: d(680, 40), T2: d(620, 50), FLAIR: d(780, 60) },
    rimWidth: 0.4,
    flow: { T1: d(180, 20), T2: d(1000, 40), FLAIR: d(700, 60) },
    flowCount: 8,
    choroid: { T1: d(480, 40), T2: d(700, 50), FLAIR: d(620, 60) },
    gliosis: { T1: d(580, 40), T2: d(740, 50), FLAIR: d(690, 50) },
  },
  wmhPunctate: 0.25,
  tumourZones: { necrosis: 0.2, enhancing: 0.15 },
  partialVolume: { inside: 0.9, outside: 0.3 },
  blurScale: 1.2,
  biasScale: 1,
  noiseScale: 1,
};

/** Hard: weaker lesion contrast, more mimics, stronger bias and noise, wider subject differences. */
const HARD: DifficultyModel = {
  ...REALISTIC,
  anatomy: { scale: [0.03, 0.03], axis: [0.025, 0.05], shift: [0.015, 0.03], ventricles: [0.7, 1], sulci: 0.3 },
  contrastJitter: 0.08,
  gainSd: 0.25,
  lesion: {
    ...REALISTIC.lesion,
    wmh: { T1: d(540, 60), T2: d(820, 80), FLAIR: d(680, 80) },
    oedema: { T1: d(560, 60), T2: d(780, 80), FLAIR: d(720, 85) },
    enhancing: { T1: d(510, 50), T2: d(660, 60), FLAIR: d(620, 60) },
  },
  lesionJitter: 0.07,
  mimics: { ...REALISTIC.mimics, rimWidth: 0.5, flowCount: 12 },
  wmhPunctate: 0.5,
  tumourZones: { necrosis: 0.3, enhancing: 0.15 },
  blurScale: 1.8,
  biasScale: 2,
  noiseScale: 1.3,
};

/** The model of each preset; easy has none (the original phantom, bit for bit). */
export const DIFFICULTY_MODELS: Record<Difficulty, DifficultyModel | null> = {
  easy: null,
  realistic: REALISTIC,
  hard: HARD,
};
