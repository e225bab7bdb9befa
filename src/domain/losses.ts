// The loss registry: ids, names, sources, formulas and the options each loss owns (with description,
// default and range). The one place these facts live: engine, URL, controls, sweeps and CLI read them.
import type { LossId, LossOptionsMap } from './loss-option-types';

export type * from './loss-option-types';

export const LOSS_IDS: readonly LossId[] = [
  'wce',
  'dl2',
  'ss',
  'gdl',
  'ce',
  'dice',
  'focal',
  'tversky',
  'dice_ce',
  'focal_tversky',
  'log_cosh_dice',
  'topk_ce',
  'dice_focal',
  'gdl_focal',
  'unified_focal',
  'exp_log',
  'lovasz',
  'gwdl',
  'boundary',
];
/** The four losses compared in Sudre et al. 2017. */
export const PAPER_LOSSES: readonly LossId[] = ['wce', 'dl2', 'ss', 'gdl'];

export type FieldSpec =
  | { kind: 'number'; min: number; max: number; integer?: boolean; maxExclusive?: boolean }
  // A comma list of numbers, each in [min, max]; '' for none. At least 2 values (C >= 2), a square count
  // for a C x C matrix; the exact length is checked against C by the loss at run time.
  | { kind: 'list'; min: number; max: number; square?: boolean }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] };

/** One option of one loss: its type and range, default and what it does. */
export type OptionSpec = FieldSpec & { default: number | boolean | string; description: string };

const EPS = 1e-5;

// Each option name has one meaning; losses that share a name share this spec.
const SPECS = {
  perImage: {
    kind: 'boolean',
    default: false,
    description: "false: pool every element of the batch (the paper's N); true: average per-image losses (NiftyNet)",
  },
  epsilon: { kind: 'number', min: 0, max: 1, default: EPS, description: 'smoothing added to numerator and denominator' },
  smoothNr: {
    kind: 'number',
    min: -1,
    max: 1,
    default: -1,
    description: "smoothing added to the numerator only (MONAI's smooth_nr); -1: epsilon",
  },
  smoothDr: {
    kind: 'number',
    min: -1,
    max: 1,
    default: -1,
    description: "smoothing added to the denominator only (MONAI's smooth_dr); -1: epsilon",
  },
  classWeights: {
    kind: 'list',
    min: 0,
    max: 1000,
    default: '',
    description: "one weight per class (channel 0 first), comma-separated, C of them; '' for none",
  },
  ignoreIndex: {
    kind: 'number',
    min: -1,
    max: 63,
    integer: true,
    default: -1,
    description: 'a class whose voxels (reference ≥ 0.5 there) and channel are left out of the loss; -1 for none',
  },
  labelSmoothing: {
    kind: 'number',
    min: 0,
    max: 0.5,
    maxExclusive: true,
    default: 0,
    description: 'soft reference r′ = (1 − s) r + s/C before the loss',
  },
  absentWeight: {
    kind: 'enum',
    values: ['max', 'zero'],
    default: 'max',
    description:
      "weight of a class absent from the reference: the largest finite weight ('max', NiftyNet, MONAI) or 0 ('zero', MONAI #371)",
  },
  squared: { kind: 'boolean', default: false, description: 'true: denominator sum p² + r² (V-Net); false: sum p + r' },
  includeBackground: {
    kind: 'boolean',
    default: false,
    description: 'true: average over every class; false: over the foreground classes only',
  },
  wceWeight: {
    kind: 'enum',
    values: ['prediction', 'reference'],
    default: 'prediction',
    description: "where the foreground weight w = (N − Σp)/Σp comes from: the prediction (the paper's) or the reference",
  },
  lambda: { kind: 'number', min: 0, max: 1, default: 0.05, description: 'weight of the sensitivity term (0.05 in the paper)' },
  ssVariant: {
    kind: 'enum',
    values: ['paper', 'niftynet'],
    default: 'paper',
    description: "'paper': the foreground channel only, as printed; 'niftynet': summed over every class",
  },
  weightType: {
    kind: 'enum',
    values: ['square', 'simple', 'uniform'],
    default: 'square',
    description: "class weights: 1/V² ('square', GDL_v), 1/V ('simple') or 1 ('uniform')",
  },
  gamma: { kind: 'number', min: 0, max: 10, default: 2, description: 'focusing exponent on (1 − p); 0 gives weighted CE' },
  focalAlpha: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 0.25,
    description: 'weight of the foreground classes (the background gets 1 − focalAlpha); Lin et al.’s alpha',
  },
  tverskyAlpha: { kind: 'number', min: 0, max: 1, default: 0.3, description: 'weight of false positives (Tversky’s alpha)' },
  tverskyBeta: { kind: 'number', min: 0, max: 1, default: 0.7, description: 'weight of false negatives (Tversky’s beta)' },
  diceWeight: { kind: 'number', min: 0, max: 100, default: 1, description: 'weight of the Dice term' },
  ceWeight: { kind: 'number', min: 0, max: 100, default: 1, description: 'weight of the cross-entropy term' },
  focalWeight: { kind: 'number', min: 0, max: 100, default: 1, description: 'weight of the focal term' },
  tverskyGamma: {
    kind: 'number',
    min: 0.1,
    max: 3,
    default: 0.75,
    description: 'exponent on 1 − Tversky index (Abraham and Khan: 1/γ = 0.75; 1 is Tversky)',
  },
  topkPercent: {
    kind: 'number',
    min: 0.01,
    max: 100,
    default: 10,
    description: 'the share of voxels with the largest cross-entropy that is averaged, in % (nnU-Net TopK10)',
  },
  unifiedWeight: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 0.5,
    description: 'λ: weight of the asymmetric focal term (1 − λ: asymmetric focal Tversky)',
  },
  unifiedDelta: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 0.6,
    description: 'δ: weight of false negatives and of the rare classes (1 − δ: false positives, background)',
  },
  unifiedGamma: {
    kind: 'number',
    min: 0,
    max: 0.9,
    default: 0.5,
    description: 'γ: suppresses easy background (1 − p)^γ and enhances rare classes (1 − TI)^(1−γ)',
  },
  expLogGamma: {
    kind: 'number',
    min: 0.1,
    max: 3,
    default: 0.3,
    description: 'exponent on −ln Dice and on −ln p (Wong et al.: 0.3)',
  },
  lovaszClasses: {
    kind: 'enum',
    values: ['present', 'all'],
    default: 'present',
    description: "classes averaged: those present in the reference ('present', Berman et al.) or every class",
  },
  classDistances: {
    kind: 'list',
    min: 0,
    max: 1,
    square: true,
    default: '',
    description: "C × C class distances, row-major, comma-separated, zero diagonal; '' for 0/1 (then GWDL is a Dice)",
  },
  boundaryRegion: {
    kind: 'enum',
    values: ['gdl', 'dice'],
    default: 'gdl',
    description: "region loss mixed with the boundary term: 'gdl' (Kervadec et al. on WMH and ISLES) or soft 'dice'",
  },
  boundaryStart: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 0,
    description: 'a, the weight of the boundary term at step 1; the region loss gets 1 − a (Kervadec et al.: 0.01)',
  },
  boundaryRate: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 0.1,
    description: 'added to a every boundaryEvery steps (Kervadec et al.: 0.01 per epoch)',
  },
  boundaryEvery: {
    kind: 'number',
    min: 1,
    max: 100_000,
    integer: true,
    default: 50,
    description: 'steps between two increments of a (the schedule’s “epoch”)',
  },
  boundaryMax: {
    kind: 'number',
    min: 0,
    max: 1,
    default: 0.99,
    description: 'largest a: the region loss keeps at least 1 − boundaryMax',
  },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof SPECS;

/** Every option name any loss has, with its spec. */
export const OPTION_SPECS: Readonly<Record<OptionName, OptionSpec>> = SPECS;

/** The options each loss owns, in display order. */
const REF = ['ignoreIndex', 'labelSmoothing'] as const;
const SMOOTH = ['epsilon', 'smoothNr', 'smoothDr'] as const;
const DICE = ['squared', 'includeBackground', ...SMOOTH, 'classWeights', ...REF, 'perImage'] as const;
const FOCAL = ['gamma', 'focalAlpha', 'includeBackground', 'classWeights', ...REF, 'perImage'] as const;
const GDL = ['weightType', 'absentWeight', 'includeBackground', ...SMOOTH, ...REF, 'perImage'] as const;
const TVERSKY = ['tverskyAlpha', 'tverskyBeta', 'includeBackground', ...SMOOTH, 'classWeights', ...REF, 'perImage'] as const;
const OWNED: { [I in LossId]: readonly (keyof LossOptionsMap[I] & OptionName)[] } = {
  wce: ['wceWeight', 'perImage'],
  dl2: ['epsilon', 'perImage'],
  ss: ['lambda', 'epsilon', 'ssVariant', 'perImage'],
  gdl: GDL,
  ce: ['classWeights', ...REF, 'perImage'],
  dice: DICE,
  focal: FOCAL,
  tversky: TVERSKY,
  dice_ce: [...DICE, 'diceWeight', 'ceWeight'],
  focal_tversky: [...TVERSKY, 'tverskyGamma'],
  log_cosh_dice: DICE,
  topk_ce: ['topkPercent', 'classWeights', ...REF, 'perImage'],
  dice_focal: [...DICE, 'gamma', 'focalAlpha', 'diceWeight', 'focalWeight'],
  gdl_focal: [...GDL, 'gamma', 'focalAlpha', 'diceWeight', 'focalWeight'],
  unified_focal: ['unifiedWeight', 'unifiedDelta', 'unifiedGamma', 'epsilon', 'perImage'],
  exp_log: ['expLogGamma', 'diceWeight', 'ceWeight', 'epsilon', 'perImage'],
  lovasz: ['lovaszClasses', 'perImage'],
  gwdl: ['classDistances', ...SMOOTH, 'perImage'],
  boundary: ['boundaryRegion', 'boundaryStart', 'boundaryRate', 'boundaryEvery', 'boundaryMax', 'perImage'],
};

// Where a loss's usual default differs from the shared spec's (same meaning, the loss's own literature).
const DEFAULT_OVERRIDES: { [I in LossId]?: Partial<LossOptionsMap[I]> } = {
  gdl: { includeBackground: true },
  focal: { includeBackground: true },
  gdl_focal: { includeBackground: true },
  exp_log: { diceWeight: 0.8, ceWeight: 0.2 },
};

/** Losses that need signed distance maps of the reference (data/distance.ts): only their runs pay for them. */
// The boundary term needs the reference's signed distance map phi (mm); see src/engine/data/distance.ts.
export const DISTANCE_LOSSES: readonly LossId[] = ['boundary'];

export function needsDistanceMaps(id: LossId): boolean {
  return DISTANCE_LOSSES.includes(id);
}

/** The boundary loss's weight a at a step (1-based): boundaryStart raised by boundaryRate every boundaryEvery steps, up to boundaryMax. */
export function boundaryWeightAt(
  o: Pick<LossOptionsMap['boundary'], 'boundaryStart' | 'boundaryRate' | 'boundaryEvery' | 'boundaryMax'>,
  step: number,
): number {
  const raised = o.boundaryStart + o.boundaryRate * Math.floor(Math.max(0, step - 1) / o.boundaryEvery);
  return Math.min(o.boundaryMax, raised);
}

export function isLossId(id: unknown): id is LossId {
  return typeof id === 'string' && (LOSS_IDS as readonly string[]).includes(id);
}

/** The option names a loss owns. */
export function ownedOptions(id: LossId): readonly OptionName[] {
  return OWNED[id];
}

/** The losses that own an option name (empty for a name no loss has). */
export function ownersOf(field: string): LossId[] {
  return LOSS_IDS.filter((id) => (OWNED[id] as readonly string[]).includes(field));
}

function defaultsOf<I extends LossId>(id: I): LossOptionsMap[I] {
  const base = Object.fromEntries(OWNED[id].map((f) => [f, SPECS[f].default]));
  return { ...base, ...DEFAULT_OVERRIDES[id] } as unknown as LossOptionsMap[I];
}

/** Defaults: the paper's values for its four losses, the usual library values for the others. */
export const DEFAULT_LOSS_OPTIONS: { readonly [I in LossId]: Readonly<LossOptionsMap[I]> } = Object.fromEntries(
  LOSS_IDS.map((id) => [id, defaultsOf(id)]),
) as unknown as { readonly [I in LossId]: Readonly<LossOptionsMap[I]> };

export interface LossInfo<I extends LossId = LossId> {
  id: I;
  /** The abbreviation used in tables and legends (WCE, DL2, ...). */
  short: string;
  /** The full name. */
  name: string;
  /** `name (short)`, the control label. */
  label: string;
  /** The paper a user should read for it. */
  source: string;
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

type Entry = Pick<LossInfo, 'short' | 'name' | 'source' | 'formula' | 'rewards' | 'multiClass'>;

const ENTRIES: Record<LossId, Entry> = {
  wce: {
    short: 'WCE',
    name: 'Weighted cross-entropy',
    source: 'Ronneberger et al. 2015 (U-Net), as defined in Sudre et al. 2017',
    formula: String.raw`\mathrm{WCE} = -\frac{1}{N}\sum_{n=1}^{N} \left[ w\, r_n \log p_n + (1 - r_n)\log(1 - p_n) \right], \quad w = \frac{N - \sum_n p_n}{\sum_n p_n}`,
    rewards: 'confident correct voxels, with foreground errors up-weighted by the background/foreground ratio',
    multiClass: true,
  },
  dl2: {
    short: 'DL2',
    name: 'Two-class Dice loss',
    source: 'Milletari et al. 2016 (V-Net), two-class form of Sudre et al. 2017',
    formula: String.raw`\mathrm{DL}_2 = 1 - \frac{\sum_n p_n r_n + \epsilon}{\sum_n p_n + r_n + \epsilon} - \frac{\sum_n (1 - p_n)(1 - r_n) + \epsilon}{\sum_n 2 - p_n - r_n + \epsilon}`,
    rewards: 'overlap of foreground and of background, each normalised by its own size',
    multiClass: false,
  },
  ss: {
    short: 'SS',
    name: 'Sensitivity-specificity',
    source: 'Brosch et al. 2015 (MICCAI)',
    formula: String.raw`\mathrm{SS} = \lambda \frac{\sum_n (r_n - p_n)^2 r_n}{\sum_n r_n + \epsilon} + (1 - \lambda)\frac{\sum_n (r_n - p_n)^2 (1 - r_n)}{\sum_n (1 - r_n) + \epsilon}`,
    rewards: 'low squared error inside the reference (sensitivity) and outside it (specificity), mixed by lambda',
    multiClass: false,
  },
  gdl: {
    short: 'GDL',
    name: 'Generalised Dice loss',
    source: 'Sudre et al. 2017, after Crum et al. 2006',
    formula: String.raw`\mathrm{GDL} = 1 - 2\frac{\sum_l w_l \sum_n r_{ln} p_{ln}}{\sum_l w_l \sum_n (r_{ln} + p_{ln})}, \quad w_l = \frac{1}{\left(\sum_n r_{ln}\right)^2}`,
    rewards: 'overlap of every class, each weighted by the inverse of its squared volume so small classes count',
    multiClass: true,
  },
  ce: {
    short: 'CE',
    name: 'Cross-entropy',
    source: 'the standard classification loss',
    formula: String.raw`\mathrm{CE} = -\frac{1}{N}\sum_{n}\sum_{l} r_{ln}\log p_{ln}`,
    rewards: 'confident correct voxels, every voxel counting the same (so the majority class dominates)',
    multiClass: true,
  },
  dice: {
    short: 'Dice',
    name: 'Soft Dice loss',
    source: 'Milletari et al. 2016 (V-Net)',
    formula: String.raw`\mathrm{DL} = 1 - \frac{1}{|L|}\sum_{l \in L} \frac{2\sum_n p_{ln} r_{ln} + \epsilon}{\sum_n (p_{ln} + r_{ln}) + \epsilon}`,
    rewards: 'overlap of each (foreground) class with its reference, independent of background size',
    multiClass: true,
  },
  focal: {
    short: 'Focal',
    name: 'Focal loss',
    source: 'Lin et al. 2017 (RetinaNet)',
    formula: String.raw`\mathrm{FL} = -\frac{1}{N}\sum_{n}\sum_{l} \alpha_l (1 - p_{ln})^{\gamma}\, r_{ln}\log p_{ln}`,
    rewards: 'getting the hard, misclassified voxels right; easy voxels are down-weighted by (1 - p)^gamma',
    multiClass: true,
  },
  tversky: {
    short: 'Tversky',
    name: 'Tversky loss',
    source: 'Salehi et al. 2017',
    formula: String.raw`\mathrm{TL} = 1 - \frac{1}{|L|}\sum_{l \in L} \frac{\mathrm{TP}_l + \epsilon}{\mathrm{TP}_l + \alpha\,\mathrm{FP}_l + \beta\,\mathrm{FN}_l + \epsilon}`,
    rewards: 'overlap with false negatives and false positives priced separately (beta > alpha favours recall)',
    multiClass: true,
  },
  dice_ce: {
    short: 'Dice+CE',
    name: 'Dice + cross-entropy',
    source: 'Isensee et al. 2021 (nnU-Net) and MONAI DiceCELoss',
    formula: String.raw`\mathcal{L} = \lambda_{\mathrm{Dice}}\,\mathrm{DL} + \lambda_{\mathrm{CE}}\,\mathrm{CE}`,
    rewards: "overlap (Dice) plus per-voxel calibration (CE): CE's smooth gradients early, Dice's balance late",
    multiClass: true,
  },
  focal_tversky: {
    short: 'FTL',
    name: 'Focal Tversky loss',
    source: 'Abraham and Khan 2019 (ISBI)',
    formula: String.raw`\mathrm{FTL} = \frac{1}{|L|}\sum_{l \in L} \left(1 - \mathrm{TI}_l\right)^{\gamma}, \quad \mathrm{TI}_l = \frac{\mathrm{TP}_l + \epsilon}{\mathrm{TP}_l + \alpha\,\mathrm{FP}_l + \beta\,\mathrm{FN}_l + \epsilon}`,
    rewards: 'Tversky overlap, with gamma < 1 keeping the gradient large when a small structure is already mostly found',
    multiClass: true,
  },
  log_cosh_dice: {
    short: 'LCDice',
    name: 'Log-cosh Dice loss',
    source: 'Jadon 2020 (A survey of loss functions for semantic segmentation)',
    formula: String.raw`\mathcal{L} = \log\cosh\left(\mathrm{DL}\right) = \log \frac{e^{\mathrm{DL}} + e^{-\mathrm{DL}}}{2}`,
    rewards: 'soft Dice overlap, smoothed: about DL²/2 near a perfect overlap, about DL − log 2 far from it',
    multiClass: true,
  },
  topk_ce: {
    short: 'TopK',
    name: 'TopK cross-entropy',
    source: 'Wu et al. 2016 (bootstrapped CE); nnU-Net TopK10 (Isensee et al. 2021)',
    formula: String.raw`\mathcal{L} = -\frac{1}{|K|}\sum_{n \in K}\sum_{l} r_{ln}\log p_{ln}, \quad K = \text{the } k\% \text{ voxels with the largest CE}`,
    rewards: 'the hardest voxels only: easy background stops counting once it is right',
    multiClass: true,
  },
  dice_focal: {
    short: 'Dice+Focal',
    name: 'Dice + focal loss',
    source: 'Zhu et al. 2019 (AnatomyNet) and MONAI DiceFocalLoss',
    formula: String.raw`\mathcal{L} = \lambda_{\mathrm{Dice}}\,\mathrm{DL} + \lambda_{\mathrm{focal}}\,\mathrm{FL}`,
    rewards: "overlap (Dice) plus the focal loss's attention to hard voxels",
    multiClass: true,
  },
  gdl_focal: {
    short: 'GDL+Focal',
    name: 'Generalised Dice + focal loss',
    source: 'Sudre et al. 2017 + Lin et al. 2017, as MONAI GeneralizedDiceFocalLoss',
    formula: String.raw`\mathcal{L} = \lambda_{\mathrm{Dice}}\,\mathrm{GDL} + \lambda_{\mathrm{focal}}\,\mathrm{FL}`,
    rewards: 'volume-weighted overlap of every class plus attention to hard voxels',
    multiClass: true,
  },
  unified_focal: {
    short: 'AUF',
    name: 'Asymmetric unified focal loss',
    source: 'Yeung et al. 2022 (Computerized Medical Imaging and Graphics)',
    formula: String.raw`\mathcal{L}_{\mathrm{aUF}} = \lambda\,\mathcal{L}_{\mathrm{maF}} + (1 - \lambda)\,\mathcal{L}_{\mathrm{maFT}}, \quad \mathcal{L}_{\mathrm{maFT}} = \frac{1}{C}\Big[\sum_{\text{bg}} (1 - \mathrm{mTI}) + \sum_{\text{rare}} (1 - \mathrm{mTI})^{1-\gamma}\Big]`,
    rewards: 'rare classes enhanced and easy background suppressed, in both a focal CE and a focal Tversky term',
    multiClass: true,
  },
  exp_log: {
    short: 'ExpLog',
    name: 'Exponential logarithmic loss',
    source: 'Wong et al. 2018 (MICCAI)',
    formula: String.raw`\mathcal{L} = w_{\mathrm{Dice}}\,\mathbb{E}_l\!\left[(-\ln \mathrm{Dice}_l)^{\gamma}\right] + w_{\mathrm{Cross}}\,\mathbb{E}_n\!\left[w_{l}\,(-\ln p_{ln})^{\gamma}\right], \quad w_l = \left(\frac{\sum_k f_k}{f_l}\right)^{1/2}`,
    rewards: 'per-class Dice and frequency-weighted CE, both flattened by gamma < 1 so small classes are not drowned',
    multiClass: true,
  },
  lovasz: {
    short: 'Lovász',
    name: 'Lovász-softmax loss',
    source: 'Berman et al. 2018 (CVPR)',
    formula: String.raw`\mathcal{L} = \frac{1}{|L|}\sum_{l \in L} \overline{\Delta_{J_l}}\big(m(l)\big), \quad m_n(l) = |r_{ln} - p_{ln}|`,
    rewards: 'the Jaccard index (IoU) of each class directly, through its convex Lovász extension',
    multiClass: true,
  },
  gwdl: {
    short: 'GWDL',
    name: 'Generalised Wasserstein Dice loss',
    source: 'Fidon et al. 2017 (BrainLes), as MONAI GeneralizedWassersteinDiceLoss',
    formula: String.raw`\mathrm{GWDL} = 1 - \frac{2\sum_n a_n (1 - W_n)}{\sum_n a_n (2 - W_n)}, \quad W_n = \sum_{l,l'} M_{ll'}\, r_{ln}\, p_{l'n}, \quad a_n = 1 - r_{0n}`,
    rewards: 'overlap in which confusing two close classes (small M) costs less than confusing distant ones',
    multiClass: true,
  },
  boundary: {
    short: 'Boundary',
    name: 'Boundary loss',
    source: 'Kervadec et al. 2019 (MIDL; Medical Image Analysis 2021), region loss L_R = GDL or Dice',
    formula: String.raw`\mathcal{L} = (1 - a_t)\,\mathcal{L}_{R} + a_t \frac{1}{N |L|}\sum_{l \geq 1}\sum_n \phi_{ln}\, p_{ln}, \quad a_t = \min\!\left(a_{\max},\, a_0 + \rho \left\lfloor \tfrac{t - 1}{k} \right\rfloor\right)`,
    rewards:
      'foreground probability near or inside the reference contour: each voxel costs its signed distance to it (mm), so distant false positives cost most, whatever the lesion size',
    multiClass: true,
  },
};

function info<I extends LossId>(id: I): LossInfo<I> {
  const e = ENTRIES[id];
  return {
    id,
    ...e,
    label: `${e.name} (${e.short})`,
    defaults: DEFAULT_LOSS_OPTIONS[id],
    paper: PAPER_LOSSES.includes(id),
  };
}

/** Every loss, in display order: the paper's four first. */
export const LOSSES: readonly LossInfo[] = LOSS_IDS.map((id) => info(id));

export function lossInfo<I extends LossId>(id: I): LossInfo<I> {
  return info(id);
}

/** The options any of these losses owns, once each, in display order: what a race's option panel shows. */
export function optionFieldsOf(ids: readonly LossId[]): OptionName[] {
  return [...new Set(ids.filter(isLossId).flatMap((id) => OWNED[id]))];
}

/** An option's default as the URL writes it (the loss's own default when a loss is given). */
export function optionDefaultText(field: OptionName, loss?: LossId): string {
  const own = loss ? (DEFAULT_LOSS_OPTIONS[loss] as unknown as Record<string, unknown>)[field] : undefined;
  return String(own ?? SPECS[field].default);
}

/**
 * The default of an option for the losses selected together: their common own default, or null when they
 * differ (GDL includes the background by default, Dice does not): then each keeps its own unless one is set.
 */
export function sharedDefaultText(field: OptionName, lossIds: readonly string[]): string | null {
  const owners = ownersOf(field).filter((id) => lossIds.includes(id));
  const texts = new Set(owners.map((id) => optionDefaultText(field, id)));
  return texts.size === 1 ? [...texts][0] : texts.size === 0 ? optionDefaultText(field) : null;
}

/** "gdl true, dice false": each selected owner's own default of an option. */
export function ownDefaultsText(field: OptionName, lossIds: readonly string[]): string {
  return ownersOf(field)
    .filter((id) => lossIds.includes(id))
    .map((id) => `${id} ${optionDefaultText(field, id)}`)
    .join(', ');
}
