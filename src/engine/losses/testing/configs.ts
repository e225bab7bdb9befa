// Test-only: the loss configurations every value and gradient test sweeps.
import type { LossId } from '../../../domain/loss-option-types';

export interface Config {
  id: LossId;
  o: Record<string, unknown>;
  /** The paper's two-class formulas (dl2, ss 'paper') refuse C > 2. */
  twoClassOnly?: boolean;
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
    for (const { id, o, twoClassOnly } of CONFIGS) {
      if (classes > 2 && twoClassOnly) continue;
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
