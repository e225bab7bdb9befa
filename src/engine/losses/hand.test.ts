// Every loss on four pixels, with the arithmetic written out by hand (no reference code involved).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { computeLoss, type LossId } from './index';
import { toTensor, twoClass } from './testing/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ln = Math.log;
// One 2x2 image; foreground probabilities p and reference r (channel 1), background = 1 - x.
const p = [0.9, 0.2, 0.6, 0.1];
const r = [1, 0, 1, 0];
const e = 1e-5;

function loss(id: LossId, options: Record<string, unknown> = {}, ref = r): number {
  return tf.tidy(() =>
    computeLoss(id, toTensor(twoClass(ref), [1, 2, 2, 2]), toTensor(twoClass(p), [1, 2, 2, 2]), options).arraySync(),
  ) as number;
}

describe('hand-computed values, p = [0.9, 0.2, 0.6, 0.1], r = [1, 0, 1, 0]', () => {
  it('ce: -(ln .9 + ln .8 + ln .6 + ln .9) / 4', () => {
    expect(loss('ce')).toBeCloseTo(-(ln(0.9) + ln(0.8) + ln(0.6) + ln(0.9)) / 4, 6);
  });

  it("wce 'prediction': w = (4 - 1.8)/1.8 = 11/9 on the foreground terms", () => {
    const w = 11 / 9;
    expect(loss('wce')).toBeCloseTo(-(w * ln(0.9) + ln(0.8) + w * ln(0.6) + ln(0.9)) / 4, 6);
  });

  it("wce 'reference': w = (4 - 2)/2 = 1 here, so it equals ce; with r = [1,0,0,0] w = 3", () => {
    expect(loss('wce', { wceWeight: 'reference' })).toBeCloseTo(loss('ce'), 6);
    const one = [1, 0, 0, 0];
    expect(loss('wce', { wceWeight: 'reference' }, one)).toBeCloseTo(-(3 * ln(0.9) + ln(0.8) + ln(0.4) + ln(0.9)) / 4, 6);
  });

  it('focal, gamma 2, alpha .25: .25(.1)^2(-ln .9) + .25(.4)^2(-ln .6) + .75(.2)^2(-ln .8) + .75(.1)^2(-ln .9), / 4', () => {
    const want = (0.25 * 0.01 * -ln(0.9) + 0.25 * 0.16 * -ln(0.6) + 0.75 * 0.04 * -ln(0.8) + 0.75 * 0.01 * -ln(0.9)) / 4;
    expect(loss('focal')).toBeCloseTo(want, 7);
  });

  it('dl2: fg 1.5/3.8, bg (.8 + .9)/(8 - 3.8)', () => {
    expect(loss('dl2')).toBeCloseTo(1 - (1.5 + e) / (3.8 + e) - (1.7 + e) / (4.2 + e), 6);
  });

  it('ss paper, lambda .05: sens (.01 + .16)/2, spec (.04 + .01)/2 -> .028', () => {
    expect(loss('ss')).toBeCloseTo(0.05 * (0.17 / (2 + e)) + 0.95 * (0.05 / (2 + e)), 6);
    expect(0.05 * 0.085 + 0.95 * 0.025).toBeCloseTo(0.028, 12);
  });

  it('ss niftynet: both classes, lambda cancels -> sens + spec = .085 + .025', () => {
    expect(loss('ss', { ssVariant: 'niftynet' })).toBeCloseTo(0.17 / (2 + e) + 0.05 / (2 + e), 6);
  });

  it('gdl with r = [1,0,0,0]: weights 1 and 1/9 -> .9/.1, loss 1 - 2(.81 + .21)/(2.52 + .52)', () => {
    // I_fg = .9, U_fg = 2.8; I_bg = .8 + .4 + .9 = 2.1, U_bg = 3 + 2.2 = 5.2.
    const want = 1 - (2 * (0.9 * 0.9 + 0.1 * 2.1) + e) / (0.9 * 2.8 + 0.1 * 5.2 + e);
    expect(loss('gdl', {}, [1, 0, 0, 0])).toBeCloseTo(want, 6);
    expect(want).toBeCloseTo(1 / 3.04, 4);
  });

  it('gdl uniform and simple weights by hand', () => {
    // simple: 1 and 1/3 -> .75/.25.
    expect(loss('gdl', { weightType: 'simple' }, [1, 0, 0, 0])).toBeCloseTo(
      1 - (2 * (0.75 * 0.9 + 0.25 * 2.1) + e) / (0.75 * 2.8 + 0.25 * 5.2 + e),
      6,
    );
    expect(loss('gdl', { weightType: 'uniform' }, [1, 0, 0, 0])).toBeCloseTo(1 - (2 * (0.45 + 1.05) + e) / (1.4 + 2.6 + e), 6);
  });

  it('dice (foreground, not squared): 1 - 3/3.8; squared: 1 - 3/(1.22 + 2)', () => {
    expect(loss('dice')).toBeCloseTo(1 - (3 + e) / (3.8 + e), 6);
    expect(loss('dice', { squared: true })).toBeCloseTo(1 - (3 + e) / (0.81 + 0.04 + 0.36 + 0.01 + 2 + e), 6);
    // with background: mean of fg 1 - 3/3.8 and bg 1 - 3.4/4.2
    expect(loss('dice', { includeBackground: true })).toBeCloseTo((2 - (3 + e) / (3.8 + e) - (3.4 + e) / (4.2 + e)) / 2, 6);
  });

  it('tversky .3/.7: TP 1.5, FP .3, FN .5 -> 1 - 1.5/1.94', () => {
    expect(loss('tversky')).toBeCloseTo(1 - (1.5 + e) / (1.5 + 0.09 + 0.35 + e), 6);
  });

  it('dice_ce: dice + ce, and weighted', () => {
    const dice = 1 - (3 + e) / (3.8 + e);
    const ce = -(ln(0.9) + ln(0.8) + ln(0.6) + ln(0.9)) / 4;
    expect(loss('dice_ce')).toBeCloseTo(dice + ce, 6);
    expect(loss('dice_ce', { diceWeight: 0.5, ceWeight: 2 })).toBeCloseTo(0.5 * dice + 2 * ce, 6);
  });
});

describe('perImage on a two-image batch by hand', () => {
  // image 1: p = [.8, .1], r = [1, 0]; image 2: p = [.5, .5], r = [1, 1].
  const yTrue = () => toTensor(twoClass([1, 0, 1, 1]), [2, 1, 2, 2]);
  const yPred = () => toTensor(twoClass([0.8, 0.1, 0.5, 0.5]), [2, 1, 2, 2]);
  const run = (id: LossId, o: Record<string, unknown>) =>
    tf.tidy(() => computeLoss(id, yTrue(), yPred(), o).arraySync()) as number;

  it('dice: pooled 1 - 2(1.8)/(1.9 + 3) vs per image mean of 1 - 1.6/1.9 and 1 - 2/3', () => {
    expect(run('dice', { epsilon: 0 })).toBeCloseTo(1 - 3.6 / 4.9, 6);
    expect(run('dice', { epsilon: 0, perImage: true })).toBeCloseTo((1 - 1.6 / 1.9 + 1 - 2 / 3) / 2, 6);
  });

  it("wce 'reference': pooled w = (4 - 3)/3; per image w = 1 and 0 (image 2 is all foreground)", () => {
    const pooled = -((1 / 3) * (ln(0.8) + ln(0.5) + ln(0.5)) + ln(0.9)) / 4;
    expect(run('wce', { wceWeight: 'reference' })).toBeCloseTo(pooled, 6);
    const perImage = -(1 * ln(0.8) + ln(0.9) + 0) / 4;
    expect(run('wce', { wceWeight: 'reference', perImage: true })).toBeCloseTo(perImage, 6);
  });
});

describe('hand-computed values of the later losses, same four pixels', () => {
  it('topk_ce at 50%: the two largest CE terms, -ln .6 and -ln .8, averaged', () => {
    expect(loss('topk_ce', { topkPercent: 50 })).toBeCloseTo(-(ln(0.6) + ln(0.8)) / 2, 6);
  });

  it('focal_tversky: TP 1.5, FP .3, FN .5; (1 - 1.5/(1.5 + .3 × .3 + .7 × .5))^0.75', () => {
    expect(loss('focal_tversky')).toBeCloseTo((1 - (1.5 + e) / (1.94 + e)) ** 0.75, 6);
  });

  it('lovasz: errors .1 .2 .4 .1 sorted down; Jaccard steps give 4/15 (lesion) and 7/30 (background), mean 1/4', () => {
    expect(loss('lovasz')).toBeCloseTo(0.25, 6);
  });

  it('log_cosh_dice: log cosh of the foreground Dice loss 1 - (3 + e)/(3.8 + e)', () => {
    expect(loss('log_cosh_dice')).toBeCloseTo(Math.log(Math.cosh(1 - (3 + e) / (3.8 + e))), 6);
  });
});
