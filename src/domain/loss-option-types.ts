// Option types of every loss (types only: the domain registry and the tf implementations share them).

export interface CeOptions {
  /** false: pool every element of the batch (the paper's N); true: average per-image losses. */
  perImage: boolean;
}

export interface WceOptions extends CeOptions {
  /** 'prediction': the paper's w = (N - sum p)/sum p, held constant; 'reference': same from yTrue. */
  wceWeight: 'prediction' | 'reference';
}

export interface FocalOptions extends CeOptions {
  /** Focusing exponent on (1 - p); 0 gives alpha-weighted CE. */
  gamma: number;
  /** Weight of the foreground classes; background gets 1 - focalAlpha (Lin et al. 2017's alpha, MONAI's). */
  focalAlpha: number;
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

export interface GdlOptions {
  /** 'square': w_l = 1/(sum r_l)^2 (GDL_v); 'simple': 1/sum r_l; 'uniform': 1. */
  weightType: GdlWeightType;
  /** Added to numerator and denominator after the weights are normalised to sum to 1. */
  epsilon: number;
  perImage: boolean;
}

export interface DiceOptions {
  /** true: denominator sum p^2 + r^2 (V-Net); false: sum p + r. */
  squared: boolean;
  /** false: average the Dice of the foreground classes only (channels 1..C-1). */
  includeBackground: boolean;
  epsilon: number;
  perImage: boolean;
}

export interface TverskyOptions {
  /** Weight of false positives (Salehi et al. 2017's alpha). */
  tverskyAlpha: number;
  /** Weight of false negatives (their beta); tverskyAlpha = tverskyBeta = 0.5 is soft Dice. */
  tverskyBeta: number;
  includeBackground: boolean;
  epsilon: number;
  perImage: boolean;
}

export interface DiceCeOptions extends DiceOptions {
  diceWeight: number;
  ceWeight: number;
}

export interface LossOptionsMap {
  wce: WceOptions;
  dl2: Dl2Options;
  ss: SsOptions;
  gdl: GdlOptions;
  ce: CeOptions;
  dice: DiceOptions;
  focal: FocalOptions;
  tversky: TverskyOptions;
  dice_ce: DiceCeOptions;
}

export type LossId = keyof LossOptionsMap;
export type LossOptions<I extends LossId = LossId> = LossOptionsMap[I];
