// Test-only: the loss configurations every value and gradient test sweeps.
import type { LossId } from '../../../domain/loss-option-types';

export interface Config {
  id: LossId;
  o: Record<string, unknown>;
  /** The paper's two-class formulas (dl2, ss 'paper') refuse C > 2. */
  twoClassOnly?: boolean;
  /** Only on shapes with this many classes (options sized by C: classWeights, ignoreIndex 2, a C x C matrix). */
  classes?: number;
}

export const CONFIGS: Config[] = [
  { id: 'ce', o: {} },
  { id: 'wce', o: { wceWeight: 'prediction' } },
  { id: 'wce', o: { wceWeight: 'reference' } },
  { id: 'focal', o: {} },
  { id: 'focal', o: { gamma: 0.5, focalAlpha: 0.7 } },
  { id: 'dl2', o: {}, twoClassOnly: true },
  { id: 'ss', o: {}, twoClassOnly: true },
  { id: 'ss', o: { lambda: 0.3, epsilon: 1e-3 }, twoClassOnly: true },
  { id: 'ss', o: { ssVariant: 'niftynet' } },
  { id: 'gdl', o: {} },
  { id: 'gdl', o: { weightType: 'simple' } },
  { id: 'gdl', o: { weightType: 'uniform', epsilon: 0 } },
  { id: 'dice', o: {} },
  { id: 'dice', o: { squared: true, includeBackground: true } },
  { id: 'tversky', o: {} },
  { id: 'tversky', o: { tverskyAlpha: 0.5, tverskyBeta: 0.2, includeBackground: true } },
  { id: 'dice_ce', o: { diceWeight: 0.3, ceWeight: 2 } },
  // Options of issue #19: class weights, the ignore label, separate smoothing, soft labels, background.
  { id: 'ce', o: { classWeights: '0.5,2' }, classes: 2 },
  { id: 'ce', o: { ignoreIndex: 1, labelSmoothing: 0.1 } },
  { id: 'focal', o: { includeBackground: false, classWeights: '1,3' }, classes: 2 },
  { id: 'focal', o: { ignoreIndex: 2, labelSmoothing: 0.2 }, classes: 3 },
  { id: 'dice', o: { smoothNr: 0, smoothDr: 1e-3 } },
  { id: 'dice', o: { classWeights: '0.2,1,3', includeBackground: true }, classes: 3 },
  { id: 'dice', o: { ignoreIndex: 2, labelSmoothing: 0.1 }, classes: 3 },
  { id: 'tversky', o: { classWeights: '2,0.5', includeBackground: true, smoothNr: 1e-2 }, classes: 2 },
  { id: 'gdl', o: { includeBackground: false }, classes: 3 },
  { id: 'gdl', o: { absentWeight: 'zero', smoothNr: 0, smoothDr: 1e-2 } },
  { id: 'gdl', o: { ignoreIndex: 2, labelSmoothing: 0.1, weightType: 'simple' }, classes: 3 },
  { id: 'dice_ce', o: { classWeights: '1,2', labelSmoothing: 0.05 }, classes: 2 },
  // The field's imbalance losses.
  { id: 'focal_tversky', o: {} },
  { id: 'focal_tversky', o: { tverskyGamma: 1.5, includeBackground: true } },
  { id: 'log_cosh_dice', o: {} },
  { id: 'log_cosh_dice', o: { squared: true, includeBackground: true } },
  { id: 'topk_ce', o: {} },
  { id: 'topk_ce', o: { topkPercent: 30, classWeights: '1,4' }, classes: 2 },
  { id: 'dice_focal', o: {} },
  { id: 'dice_focal', o: { gamma: 1, includeBackground: true, diceWeight: 0.5 } },
  { id: 'gdl_focal', o: {} },
  { id: 'gdl_focal', o: { weightType: 'simple', focalWeight: 2, focalAlpha: 0.6 } },
  { id: 'unified_focal', o: {} },
  { id: 'unified_focal', o: { unifiedWeight: 0.2, unifiedDelta: 0.7, unifiedGamma: 0.2 } },
  { id: 'exp_log', o: {} },
  { id: 'exp_log', o: { expLogGamma: 1, diceWeight: 0.5, ceWeight: 0.5 } },
  { id: 'lovasz', o: {} },
  { id: 'lovasz', o: { lovaszClasses: 'all' } },
  { id: 'gwdl', o: {} },
  { id: 'gwdl', o: { classDistances: '0,1,1,1,0,0.5,1,0.5,0', smoothDr: 1e-3 }, classes: 3 },
  // Every remaining owned option at a non-default value (the PyTorch export is checked over these too).
  { id: 'dl2', o: { epsilon: 1e-3 }, twoClassOnly: true },
  { id: 'dice', o: { epsilon: 1e-2 } },
  { id: 'tversky', o: { epsilon: 1e-3, smoothDr: 1e-2, ignoreIndex: 2, labelSmoothing: 0.1 }, classes: 3 },
  { id: 'dice_ce', o: { squared: true, includeBackground: true, smoothNr: 0, smoothDr: 1e-3, ignoreIndex: 2 }, classes: 3 },
  { id: 'dice_ce', o: { epsilon: 1e-2, ceWeight: 0.5 } },
  {
    id: 'focal_tversky',
    o: { tverskyAlpha: 0.6, tverskyBeta: 0.4, epsilon: 1e-3, smoothDr: 1e-2, classWeights: '0.5,2,1', includeBackground: true },
    classes: 3,
  },
  { id: 'focal_tversky', o: { ignoreIndex: 2, labelSmoothing: 0.1, smoothNr: 0, tverskyGamma: 2 }, classes: 3 },
  { id: 'log_cosh_dice', o: { epsilon: 1e-3, smoothNr: 0, classWeights: '1,2,0.5', includeBackground: true }, classes: 3 },
  { id: 'log_cosh_dice', o: { ignoreIndex: 2, labelSmoothing: 0.1, smoothDr: 1e-2 }, classes: 3 },
  // 12.5% of a 2D image's 20 voxels is 2.5: k rounds half up, as Math.round.
  { id: 'topk_ce', o: { topkPercent: 12.5, ignoreIndex: 1, labelSmoothing: 0.1 } },
  {
    id: 'dice_focal',
    o: { focalAlpha: 0.6, focalWeight: 0.5, squared: true, epsilon: 1e-3, smoothDr: 1e-2, classWeights: '1,2,0.5' },
    classes: 3,
  },
  { id: 'dice_focal', o: { ignoreIndex: 2, labelSmoothing: 0.1, smoothNr: 0, includeBackground: true }, classes: 3 },
  {
    id: 'gdl_focal',
    o: { absentWeight: 'zero', includeBackground: false, epsilon: 1e-3, smoothNr: 0, gamma: 0.5, diceWeight: 0.5 },
  },
  { id: 'gdl_focal', o: { ignoreIndex: 2, labelSmoothing: 0.1, smoothDr: 1e-2 }, classes: 3 },
  { id: 'unified_focal', o: { unifiedGamma: 0, epsilon: 1e-3 } },
  { id: 'exp_log', o: { epsilon: 1e-3, expLogGamma: 2 } },
  { id: 'gwdl', o: { smoothNr: 0, epsilon: 1e-3 } },
  { id: 'gwdl', o: { classDistances: '0,0.4,0.4,0', smoothNr: 1e-3 }, classes: 2 },
];

/** [B,H,W,C] and [B,D,H,W,C], C = 2 and 3. */
export const SHAPES: number[][] = [
  [2, 4, 5, 2],
  [2, 4, 5, 3],
  [2, 2, 3, 4, 2],
  [1, 3, 2, 3, 3],
];

export interface LossCase {
  shape: number[];
  id: Config['id'];
  o: Config['o'];
  perImage: boolean;
  /** Seed of this case's random inputs: firstSeed, firstSeed + 1, … in listing order. */
  seed: number;
  /** A test name that says which case failed. */
  name: string;
}

/** Every (shape, config, perImage) case the loss tests run; two-class-only configs skip C > 2 shapes. */
export function lossCases(firstSeed: number): LossCase[] {
  const out: LossCase[] = [];
  let seed = firstSeed;
  for (const shape of SHAPES) {
    const classes = shape[shape.length - 1];
    for (const { id, o, twoClassOnly, classes: only } of CONFIGS) {
      if ((classes > 2 && twoClassOnly) || (only !== undefined && only !== classes)) continue;
      for (const perImage of [false, true])
        out.push({
          shape,
          id,
          o,
          perImage,
          seed: seed++,
          name: `${id} ${JSON.stringify(o)} shape [${shape}] perImage=${perImage}`,
        });
    }
  }
  return out;
}
