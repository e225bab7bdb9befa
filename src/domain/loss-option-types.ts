// Option types of every loss (types only: the domain registry and the tf implementations share them).

export interface CeOptions {
  /** false: pool every element of the batch (the paper's N); true: average per-image losses. */
  perImage: boolean;
}

/** Options on the reference that most losses share. */
export interface ReferenceOptions {
  /** A channel whose voxels (reference >= 0.5 there) and whose class are left out; -1: none. */
  ignoreIndex: number;
  /** r' = (1 - s) r + s / C before the loss (0 <= s < 0.5). */
  labelSmoothing: number;
}

/** Per-class weights as a comma list, one per channel (C of them, checked at run time); '': none. */
export interface ClassWeightOptions {
  classWeights: string;
}

/** Separate smoothing of numerator and denominator (MONAI's smooth_nr / smooth_dr); -1: epsilon. */
export interface SmoothOptions {
  epsilon: number;
  smoothNr: number;
  smoothDr: number;
}

export interface CeFullOptions extends CeOptions, ReferenceOptions, ClassWeightOptions {}

export interface WceOptions extends CeOptions {
  /** 'prediction': the paper's w = (N - sum p)/sum p, held constant; 'reference': same from yTrue. */
  wceWeight: 'prediction' | 'reference';
}

export interface FocalOptions extends CeFullOptions {
  /** Focusing exponent on (1 - p); 0 gives alpha-weighted CE. */
  gamma: number;
  /** Weight of the foreground classes; background gets 1 - focalAlpha (Lin et al. 2017's alpha, MONAI's). */
  focalAlpha: number;
  /** false: the background channel's terms are dropped (MONAI's include_background). */
  includeBackground: boolean;
}

export interface Dl2Options {
  /** Added to numerator and denominator of both fractions (the paper's epsilon). */
  epsilon: number;
  perImage: boolean;
}

export interface SsOptions {
  /** Weight of the sensitivity term (error on the reference foreground); 0.05 in the paper. */
  lambda: number;
  epsilon: number;
  /** 'paper': foreground channel only; 'niftynet': summed over every class (lambda cancels for C = 2). */
  ssVariant: 'paper' | 'niftynet';
  perImage: boolean;
}

export type GdlWeightType = 'square' | 'simple' | 'uniform';

export interface GdlOptions extends SmoothOptions, ReferenceOptions {
  /** 'square': w_l = 1/(sum r_l)^2 (GDL_v); 'simple': 1/sum r_l; 'uniform': 1. */
  weightType: GdlWeightType;
  /** Weight of an absent class: 'max' the largest finite weight (NiftyNet, MONAI), 'zero' none (MONAI #371). */
  absentWeight: 'max' | 'zero';
  includeBackground: boolean;
  perImage: boolean;
}

export interface DiceOptions extends SmoothOptions, ReferenceOptions, ClassWeightOptions {
  /** true: denominator sum p^2 + r^2 (V-Net); false: sum p + r. */
  squared: boolean;
  /** false: average the Dice of the foreground classes only (channels 1..C-1). */
  includeBackground: boolean;
  perImage: boolean;
}

export interface TverskyOptions extends SmoothOptions, ReferenceOptions, ClassWeightOptions {
  /** Weight of false positives (Salehi et al. 2017's alpha). */
  tverskyAlpha: number;
  /** Weight of false negatives (their beta); tverskyAlpha = tverskyBeta = 0.5 is soft Dice. */
  tverskyBeta: number;
  includeBackground: boolean;
  perImage: boolean;
}

export interface FocalTverskyOptions extends TverskyOptions {
  /** Exponent on (1 - Tversky index); Abraham and Khan's 1/gamma = 0.75. */
  tverskyGamma: number;
}

export interface DiceCeOptions extends DiceOptions {
  diceWeight: number;
  ceWeight: number;
}

export interface DiceFocalOptions extends DiceOptions, Omit<FocalOptions, keyof DiceOptions> {
  diceWeight: number;
  focalWeight: number;
}

export interface GdlFocalOptions extends GdlOptions, Pick<FocalOptions, 'gamma' | 'focalAlpha'> {
  diceWeight: number;
  focalWeight: number;
}

export interface TopkCeOptions extends CeFullOptions {
  /** The share of voxels (largest CE first) averaged, in percent (nnU-Net's TopK10: 10). */
  topkPercent: number;
}

export interface UnifiedFocalOptions {
  /** lambda: weight of the asymmetric focal term; 1 - lambda goes to the asymmetric focal Tversky term. */
  unifiedWeight: number;
  /** delta: weight of false negatives (and of the rare classes' CE); 1 - delta for false positives. */
  unifiedDelta: number;
  /** gamma: background suppression (focal) and rare-class enhancement (exponent 1 - gamma). */
  unifiedGamma: number;
  epsilon: number;
  perImage: boolean;
}

export interface ExpLogOptions {
  /** Exponent on -ln Dice and -ln p (Wong et al.'s gamma_Dice = gamma_Cross). */
  expLogGamma: number;
  diceWeight: number;
  ceWeight: number;
  epsilon: number;
  perImage: boolean;
}

export interface LovaszOptions {
  /** 'present': average over classes present in the reference of the group; 'all': every class. */
  lovaszClasses: 'present' | 'all';
  perImage: boolean;
}

export interface GwdlOptions extends SmoothOptions {
  /** Row-major C x C distances between classes as a comma list; '': 0 on the diagonal, 1 elsewhere. */
  classDistances: string;
  perImage: boolean;
}

export interface BoundaryOptions {
  /** The region loss mixed with the boundary term: GDL (Kervadec et al. on WMH and ISLES) or soft Dice. */
  boundaryRegion: 'gdl' | 'dice';
  /** a, the boundary term's weight, at step 1 (the region loss gets 1 - a). */
  boundaryStart: number;
  /** Added to a every boundaryEvery steps (Kervadec et al.: 0.01 per epoch). */
  boundaryRate: number;
  /** Steps per increment of a (an "epoch" of the schedule). */
  boundaryEvery: number;
  /** a stops rising here (0.99: the region loss keeps 1%). */
  boundaryMax: number;
  /** Pooling of the region loss (the boundary term is a mean over every voxel either way). */
  perImage: boolean;
}

export interface LossOptionsMap {
  wce: WceOptions;
  dl2: Dl2Options;
  ss: SsOptions;
  gdl: GdlOptions;
  ce: CeFullOptions;
  dice: DiceOptions;
  focal: FocalOptions;
  tversky: TverskyOptions;
  dice_ce: DiceCeOptions;
  focal_tversky: FocalTverskyOptions;
  log_cosh_dice: DiceOptions;
  topk_ce: TopkCeOptions;
  dice_focal: DiceFocalOptions;
  gdl_focal: GdlFocalOptions;
  unified_focal: UnifiedFocalOptions;
  exp_log: ExpLogOptions;
  lovasz: LovaszOptions;
  gwdl: GwdlOptions;
  boundary: BoundaryOptions;
}

export type LossId = keyof LossOptionsMap;
export type LossOptions<I extends LossId = LossId> = LossOptionsMap[I];
