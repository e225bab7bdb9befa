// The tf-free catalog of losses: ids, defaults, the spec of every option (for forms and URLs) and the
// registry the UI lists (label, LaTeX formula, what each loss rewards). Imports no tfjs, so the UI can.
import type { LossId, LossOptionsMap } from './option-types';

export type * from './option-types';

export const LOSS_IDS: readonly LossId[] = ['wce', 'dl2', 'ss', 'gdl', 'ce', 'dice', 'focal', 'tversky', 'dice_ce'];
/** The four losses compared in Sudre et al. 2017. */
export const PAPER_LOSSES: readonly LossId[] = ['wce', 'dl2', 'ss', 'gdl'];

const EPS = 1e-5;
const DICE_DEFAULTS = { squared: false, includeBackground: false, epsilon: EPS, perImage: false };

/** Defaults: the paper's values for its four losses, the usual library values for the others. */
export const DEFAULT_LOSS_OPTIONS: { readonly [I in LossId]: Readonly<LossOptionsMap[I]> } = {
  wce: { wceWeight: 'prediction', perImage: false },
  dl2: { epsilon: EPS, perImage: false },
  ss: { lambda: 0.05, epsilon: EPS, ssVariant: 'paper', perImage: false },
  gdl: { weightType: 'square', epsilon: EPS, perImage: false },
  ce: { perImage: false },
  dice: DICE_DEFAULTS,
  // Lin et al. 2017's defaults.
  focal: { gamma: 2, alpha: 0.25, perImage: false },
  // Salehi et al. 2017's choice for lesions (recall favoured).
  tversky: { alpha: 0.3, beta: 0.7, includeBackground: false, epsilon: EPS, perImage: false },
  dice_ce: { ...DICE_DEFAULTS, diceWeight: 1, ceWeight: 1 },
};

export type FieldSpec =
  | { kind: 'number'; min: number; max: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] };

/** One spec per option name: a name means the same thing (and range) in every loss that has it. */
export const LOSS_FIELD_SPECS: Readonly<Record<string, FieldSpec>> = {
  perImage: { kind: 'boolean' },
  squared: { kind: 'boolean' },
  includeBackground: { kind: 'boolean' },
  epsilon: { kind: 'number', min: 0, max: 1 },
  lambda: { kind: 'number', min: 0, max: 1 },
  gamma: { kind: 'number', min: 0, max: 10 },
  alpha: { kind: 'number', min: 0, max: 1 },
  beta: { kind: 'number', min: 0, max: 1 },
  diceWeight: { kind: 'number', min: 0, max: 100 },
  ceWeight: { kind: 'number', min: 0, max: 100 },
  wceWeight: { kind: 'enum', values: ['prediction', 'reference'] },
  ssVariant: { kind: 'enum', values: ['paper', 'niftynet'] },
  weightType: { kind: 'enum', values: ['square', 'simple', 'uniform'] },
};

export function isLossId(id: unknown): id is LossId {
  return typeof id === 'string' && (LOSS_IDS as readonly string[]).includes(id);
}

export interface LossInfo<I extends LossId = LossId> {
  id: I;
  label: string;
  /** LaTeX; r = reference, p = predicted probability, n = element, l = class. */
  formula: string;
  defaults: Readonly<LossOptionsMap[I]>;
  /** One line: what the loss rewards. */
  rewards: string;
  /** One of the four losses compared in the paper. */
  paper: boolean;
  /** Defined for C > 2 channels (dl2 and the paper's ss are two-class formulas). */
  multiClass: boolean;
}

type Entry<I extends LossId> = Omit<LossInfo<I>, 'id' | 'defaults' | 'paper'>;

const ENTRIES: { [I in LossId]: Entry<I> } = {
  wce: {
    label: 'Weighted cross-entropy (WCE)',
    formula: String.raw`\mathrm{WCE} = -\frac{1}{N}\sum_{n=1}^{N} \left[ w\, r_n \log p_n + (1 - r_n)\log(1 - p_n) \right], \quad w = \frac{N - \sum_n p_n}{\sum_n p_n}`,
    rewards: 'confident correct voxels, with foreground errors up-weighted by the background/foreground ratio',
    multiClass: true,
  },
  dl2: {
    label: 'Two-class Dice loss (DL2)',
    formula: String.raw`\mathrm{DL}_2 = 1 - \frac{\sum_n p_n r_n + \epsilon}{\sum_n p_n + r_n + \epsilon} - \frac{\sum_n (1 - p_n)(1 - r_n) + \epsilon}{\sum_n 2 - p_n - r_n + \epsilon}`,
    rewards: 'overlap of foreground and of background, each normalised by its own size',
    multiClass: false,
  },
  ss: {
    label: 'Sensitivity-specificity (SS)',
    formula: String.raw`\mathrm{SS} = \lambda \frac{\sum_n (r_n - p_n)^2 r_n}{\sum_n r_n + \epsilon} + (1 - \lambda)\frac{\sum_n (r_n - p_n)^2 (1 - r_n)}{\sum_n (1 - r_n) + \epsilon}`,
    rewards: 'low squared error inside the reference (sensitivity) and outside it (specificity), mixed by lambda',
    multiClass: false,
  },
  gdl: {
    label: 'Generalised Dice loss (GDL)',
    formula: String.raw`\mathrm{GDL} = 1 - 2\frac{\sum_l w_l \sum_n r_{ln} p_{ln}}{\sum_l w_l \sum_n (r_{ln} + p_{ln})}, \quad w_l = \frac{1}{\left(\sum_n r_{ln}\right)^2}`,
    rewards: 'overlap of every class, each weighted by the inverse of its squared volume so small classes count',
    multiClass: true,
  },
  ce: {
    label: 'Cross-entropy (CE)',
    formula: String.raw`\mathrm{CE} = -\frac{1}{N}\sum_{n}\sum_{l} r_{ln}\log p_{ln}`,
    rewards: 'confident correct voxels, every voxel counting the same (so the majority class dominates)',
    multiClass: true,
  },
  dice: {
    label: 'Soft Dice loss',
    formula: String.raw`\mathrm{DL} = 1 - \frac{1}{|L|}\sum_{l \in L} \frac{2\sum_n p_{ln} r_{ln} + \epsilon}{\sum_n (p_{ln} + r_{ln}) + \epsilon}`,
    rewards: 'overlap of each (foreground) class with its reference, independent of background size',
    multiClass: true,
  },
  focal: {
    label: 'Focal loss',
    formula: String.raw`\mathrm{FL} = -\frac{1}{N}\sum_{n}\sum_{l} \alpha_l (1 - p_{ln})^{\gamma}\, r_{ln}\log p_{ln}`,
    rewards: 'getting the hard, misclassified voxels right; easy voxels are down-weighted by (1 - p)^gamma',
    multiClass: true,
  },
  tversky: {
    label: 'Tversky loss',
    formula: String.raw`\mathrm{TL} = 1 - \frac{1}{|L|}\sum_{l \in L} \frac{\mathrm{TP}_l + \epsilon}{\mathrm{TP}_l + \alpha\,\mathrm{FP}_l + \beta\,\mathrm{FN}_l + \epsilon}`,
    rewards: 'overlap with false negatives and false positives priced separately (beta > alpha favours recall)',
    multiClass: true,
  },
  dice_ce: {
    label: 'Dice + cross-entropy',
    formula: String.raw`\mathcal{L} = \lambda_{\mathrm{Dice}}\,\mathrm{DL} + \lambda_{\mathrm{CE}}\,\mathrm{CE}`,
    rewards: "overlap (Dice) plus per-voxel calibration (CE): CE's smooth gradients early, Dice's balance late",
    multiClass: true,
  },
};

function info<I extends LossId>(id: I): LossInfo<I> {
  return { id, ...ENTRIES[id], defaults: DEFAULT_LOSS_OPTIONS[id], paper: PAPER_LOSSES.includes(id) };
}

/** Every loss, in display order: the paper's four first. */
export const LOSSES: readonly LossInfo[] = LOSS_IDS.map((id) => info(id));

export function lossInfo<I extends LossId>(id: I): LossInfo<I> {
  return info(id);
}
