// MONAI's own unit-test cases for the losses the engine shares with it, read at Project-MONAI/MONAI commit
// d388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83 (2025-06-13), tests/losses/test_*.py. MONAI takes channels-first logits
// with sigmoid / softmax / other_act / to_onehot_y flags; here the test applies the activation (float64, plain
// JS), one-hots the labels and moves the channels last, and the engine gets probabilities [B, ...spatial, C].
// Options: include_background -> includeBackground, smooth_nr / smooth_dr -> smoothNr / smoothDr, batch = False
// (MONAI's default) -> perImage: true, weight -> classWeights, w_type -> weightType, Tversky's alpha / beta ->
// tverskyAlpha / tverskyBeta (MONAI's default 0.5 / 0.5), squared_pred -> squared, lambda_* -> diceWeight /
// ceWeight / focalWeight.
// Layout: the engine needs C >= 2 and 2D or 3D. A single MONAI channel x becomes the pair (1 - x, x) with the
// background left out, so the engine's channel 1 is MONAI's channel; a 1D spatial axis gets a leading 1.
// other_act (tanh, log_softmax) is an activation like sigmoid: applied here too (the Dice-family formulas take
// any values; the engine checks no range).
//
// Not expressible here (one line each):
// - test_dice_loss / test_tversky_loss / test_generalized_dice_loss TEST_CASES[2]: soft_label=True (another
//   formula for soft references; no such option).
// - test_dice_loss [6], test_tversky_loss [10], test_generalized_dice_loss [8], test_focal_loss [4], [5]: reduction="none".
// - test_dice_loss [8], test_tversky_loss [8], test_generalized_dice_loss [7]: reduction="sum".
// - test_dice_loss [10]: jaccard=True (no such option).
// - test_dice_focal_loss / test_generalized_dice_focal_loss: the reduction="sum" and "none" rows of their grids.
// - test_generalized_dice_focal_loss: the rows with a per-class weight (our gdl_focal has no classWeights).
// - test_generalized_dice_loss [9]: expressible, but a known convention difference (its own `it` below).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import type { LossId } from './index';
import { makeRng, randomOneHot, randomSoftmax } from './testing/fixtures';
import {
  type Nested,
  type Vol,
  channels,
  map,
  channelsLast,
  sigmoid,
  softmax,
  oneHot,
  pairs,
  dropBackground,
  image,
  loss,
  expectClose,
} from './testing/monai-layout';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const MONAI = {
  A1: [
    [
      [
        [1.0, -1.0],
        [-1.0, 1.0],
      ],
    ],
  ], // (1, 1, 2, 2) logits
  T1: [
    [
      [
        [1.0, 0.0],
        [1.0, 1.0],
      ],
    ],
  ],
  A2: [
    [
      [
        [1.0, -1.0],
        [-1.0, 1.0],
      ],
    ],
    [
      [
        [1.0, -1.0],
        [-1.0, 1.0],
      ],
    ],
  ], // (2, 1, 2, 2)
  T2: [
    [
      [
        [1.0, 1.0],
        [1.0, 1.0],
      ],
    ],
    [
      [
        [1.0, 0.0],
        [1.0, 0.0],
      ],
    ],
  ],
  A3: [
    [
      [
        [1.0, -0.0],
        [-1.0, 1.0],
      ],
    ],
    [
      [
        [1.0, -1.0],
        [-1.0, 1.0],
      ],
    ],
  ],
  S: [
    [
      [
        [0.3, 0.4],
        [0.7, 0.9],
      ],
    ],
    [
      [
        [1.0, 0.1],
        [0.5, 0.3],
      ],
    ],
  ], // soft input = soft target
  P: [
    [
      [1.0, 1.0, 0.0],
      [0.0, 0.0, 1.0],
    ],
    [
      [1.0, 0.0, 1.0],
      [0.0, 1.0, 0.0],
    ],
  ], // (2, 2, 3) probabilities
  L1: [[[0.0, 0.0, 1.0]], [[0.0, 1.0, 0.0]]], // (2, 1, 3) labels
  Z: [
    [
      [-1.0, 0.0, 1.0],
      [1.0, 0.0, -1.0],
    ],
    [
      [0.0, 0.0, 0.0],
      [0.0, 0.0, 0.0],
    ],
  ],
  L2: [[[1.0, 0.0, 0.0]], [[1.0, 1.0, 0.0]]],
  G11: [
    [
      [0.0, 10.0, 10.0, 10.0],
      [10.0, 0.0, 0.0, 0.0],
    ],
  ], // test_generalized_dice_loss [11], (1, 2, 4)
  F: [
    [
      [
        [1.0, 1.0],
        [0.5, 0.0],
      ],
      [
        [1.0, 1.0],
        [0.5, 0.0],
      ],
      [
        [1.0, 1.0],
        [0.5, 0.0],
      ],
    ],
  ], // test_focal_loss, (1, 3, 2, 2)
  FL: [
    [
      [
        [0, 1],
        [2, 0],
      ],
    ],
  ], // its labels
  Q100: [
    [
      [100.0, 100.0, 0.0],
      [0.0, 0.0, 1.0],
    ],
    [
      [1.0, 0.0, 1.0],
      [0.0, 1.0, 0.0],
    ],
  ], // test_dice_ce_loss [3]-[5]
  U: [
    [
      [
        [1.0, 0],
        [0, 1.0],
      ],
    ],
    [
      [
        [1.0, 0],
        [0, 1.0],
      ],
    ],
  ], // test_unified_focal_loss, (2, 1, 2, 2)
};
const { A1, T1, A2, T2, A3, S, P, L1, Z, L2 } = MONAI;

type Act = 'sigmoid' | 'softmax' | 'tanh' | 'log_softmax';

/** A Dice-family case: MONAI's input, target, flags and expected value; smooth defaults to MONAI's 1e-5. */
interface OverlapCase {
  i: number;
  input: Nested;
  target: Nested;
  act?: Act;
  onehot?: boolean;
  bg: boolean;
  nr?: number;
  dr?: number;
  batch?: boolean;
  /** Options of our loss with no MONAI flag of their own (squared, classWeights, tverskyAlpha, weightType). */
  extra?: Record<string, unknown>;
  expected: number;
}

/** The engine's reference and probabilities for a MONAI case, and whether MONAI's single channel became a pair. */
function inputsOf(c: OverlapCase): { r: Vol; p: Vol; single: boolean } {
  const x = channelsLast(c.input);
  const activated =
    c.act === 'sigmoid'
      ? sigmoid(x)
      : c.act === 'softmax'
        ? softmax(x)
        : c.act === 'log_softmax'
          ? softmax(x, true)
          : c.act === 'tanh'
            ? map(x, Math.tanh)
            : x;
  const t = channelsLast(c.target);
  const r = c.onehot ? oneHot(t, channels(x)) : t;
  const single = channels(x) === 1;
  return single ? { r: pairs(r), p: pairs(activated), single } : { r, p: activated, single };
}

function overlapOptions(c: OverlapCase, single: boolean): Record<string, unknown> {
  return {
    // MONAI ignores include_background = False for one channel; the pair's background is never MONAI's.
    includeBackground: single ? false : c.bg,
    smoothNr: c.nr ?? 1e-5,
    smoothDr: c.dr ?? 1e-5,
    perImage: !c.batch,
    ...c.extra,
  };
}

function overlapCases(file: string, id: LossId, rtol: number, cases: OverlapCase[], value = overlapValue(id)) {
  describe(`${file} (rtol ${rtol}, as MONAI's test)`, () => {
    for (const c of cases) it(`${file} TEST_CASES[${c.i}]`, () => expectClose(value(c), c.expected, rtol));
  });
}

/** Our loss on a case; `defaults` stand for MONAI's defaults where ours differ. */
function overlapValue(id: LossId, defaults: Record<string, unknown> = {}) {
  return (c: OverlapCase) => {
    const { r, p, single } = inputsOf(c);
    return loss(id, r, p, { ...defaults, ...overlapOptions(c, single) });
  };
}

overlapCases('test_dice_loss.py', 'dice', 1e-5, [
  { i: 0, input: A1, target: T1, act: 'sigmoid', bg: true, nr: 1e-6, dr: 1e-6, expected: 0.307576 },
  { i: 1, input: A2, target: T2, act: 'sigmoid', bg: true, nr: 1e-4, dr: 1e-4, expected: 0.416657 },
  { i: 3, input: S, target: S, bg: true, nr: 1e-4, dr: 1e-4, expected: 0.307773 },
  { i: 4, input: P, target: L1, onehot: true, bg: false, nr: 0, dr: 0, expected: 0.0 },
  { i: 5, input: Z, target: L2, act: 'sigmoid', onehot: true, bg: true, nr: 1e-4, dr: 1e-4, expected: 0.43505 },
  { i: 7, input: Z, target: L2, act: 'softmax', onehot: true, bg: true, nr: 1e-4, dr: 1e-4, expected: 0.383713 },
  { i: 9, input: A1, target: T1, act: 'sigmoid', bg: true, extra: { squared: true }, expected: 0.178337 },
  { i: 11, input: A2, target: T2, act: 'tanh', bg: true, nr: 1e-4, dr: 1e-4, expected: 0.999963 },
  { i: 12, input: Z, target: L2, act: 'log_softmax', onehot: true, bg: true, nr: 1e-4, dr: 1e-4, expected: -8.522593 },
  { i: 13, input: A3, target: T2, act: 'tanh', bg: true, nr: 1e-4, dr: 1e-4, batch: true, expected: 0.774718 },
  { i: 14, input: A3, target: T2, act: 'tanh', bg: true, nr: 0, dr: 1e-4, batch: true, expected: 0.774733 },
  { i: 15, input: A3, target: T2, act: 'tanh', bg: true, nr: 0, dr: 1e-4, batch: false, expected: 0.840058 },
  {
    i: 16,
    input: Z,
    target: L2,
    act: 'log_softmax',
    onehot: true,
    bg: true,
    nr: 1e-4,
    dr: 1e-4,
    extra: { classWeights: '0,1' },
    expected: -8.268515,
  },
]);

// MONAI's Tversky defaults are alpha = beta = 0.5 (ours 0.3 / 0.7).
const tv = (alpha: number, beta: number) => ({ tverskyAlpha: alpha, tverskyBeta: beta });
overlapCases(
  'test_tversky_loss.py',
  'tversky',
  1e-4,
  [
    { i: 0, input: A1, target: T1, act: 'sigmoid', bg: true, nr: 1e-6, dr: 1e-6, expected: 0.307576 },
    { i: 1, input: A2, target: T2, act: 'sigmoid', bg: true, nr: 1e-4, dr: 1e-4, expected: 0.416657 },
    { i: 3, input: S, target: S, bg: true, nr: 1e-4, dr: 1e-4, expected: 0.307773 },
    { i: 4, input: P, target: L1, onehot: true, bg: false, nr: 0, dr: 0, expected: 0.0 },
    { i: 5, input: P, target: L1, onehot: true, bg: false, nr: 0, dr: 1e-3, expected: 0.000999 },
    { i: 6, input: Z, target: L2, act: 'sigmoid', onehot: true, bg: true, nr: 1e-4, dr: 1e-4, expected: 0.43505 },
    { i: 7, input: Z, target: L2, act: 'sigmoid', onehot: true, bg: true, batch: true, expected: 0.422979 },
    { i: 9, input: Z, target: L2, act: 'softmax', onehot: true, bg: true, nr: 1e-4, dr: 1e-4, expected: 0.383713 },
    { i: 11, input: A1, target: T1, act: 'sigmoid', bg: true, nr: 1e-6, dr: 1e-6, extra: tv(0.3, 0.7), expected: 0.3589 },
    { i: 12, input: A1, target: T1, act: 'sigmoid', bg: true, nr: 1e-6, dr: 1e-6, extra: tv(0.7, 0.3), expected: 0.247366 },
    { i: 13, input: A2, target: T2, act: 'tanh', bg: true, nr: 1e-4, dr: 1e-4, expected: 0.999963 },
    { i: 14, input: A2, target: T2, act: 'tanh', bg: true, nr: 0, dr: 1e-3, batch: true, expected: 0.999963 },
    { i: 15, input: Z, target: L2, act: 'log_softmax', onehot: true, bg: true, nr: 1e-4, dr: 1e-4, expected: -8.533317 },
  ],
  overlapValue('tversky', tv(0.5, 0.5)),
);

/**
 * MONAI's GDL adds smooth_nr / smooth_dr to sums weighted by the raw weights (1/V^2 or 1/V, an absent class taking
 * the largest of its image); the engine normalises the weights to sum 1 first (README, "GDL weights"). For one image
 * the two agree when the engine's smoothing is MONAI's divided by the sum W of MONAI's weights, so each image runs
 * alone with its own smoothing and MONAI's batch=False mean is the mean over images. Without this rescaling
 * TEST_CASES[1], [3], [12] and [13] differ from MONAI by 1.5e-4, 8e-5, 2.6e-4 and 6e-5 relative (rtol is 1e-5).
 */
function monaiGdl(c: OverlapCase): number {
  const { r, p, single } = inputsOf(c);
  const o = overlapOptions(c, single);
  const C = channels(r);
  const kept = Array.from({ length: C }, (_, l) => l).filter((l) => o.includeBackground || l > 0);
  const weightType = (o.weightType ?? 'square') as string;
  let total = 0;
  for (let b = 0; b < r.shape[0]; b++) {
    const rb = image(r, b);
    const raw = kept.map((l) => {
      const v = rb.data.filter((_, i) => i % C === l).reduce((a, x) => a + x, 0);
      return weightType === 'square' ? 1 / (v * v) : weightType === 'simple' ? 1 / v : 1;
    });
    const largest = Math.max(0, ...raw.filter(Number.isFinite));
    const W = raw.reduce((a, w) => a + (Number.isFinite(w) ? w : largest), 0);
    const scaled = { smoothNr: (c.nr ?? 1e-5) / W, smoothDr: (c.dr ?? 1e-5) / W };
    total += loss('gdl', rb, image(p, b), { ...o, ...scaled });
  }
  return total / r.shape[0];
}

overlapCases(
  'test_generalized_dice_loss.py',
  'gdl',
  1e-5,
  [
    { i: 0, input: A1, target: T1, act: 'sigmoid', bg: true, nr: 1e-6, dr: 1e-6, expected: 0.307576 },
    { i: 1, input: A2, target: T2, act: 'sigmoid', bg: true, nr: 1e-4, dr: 1e-4, expected: 0.416597 },
    { i: 3, input: S, target: S, bg: true, nr: 1e-4, dr: 1e-4, expected: 0.307748 },
    { i: 4, input: P, target: L1, onehot: true, bg: false, nr: 0, dr: 0, expected: 0.0 },
    { i: 5, input: Z, target: L2, act: 'sigmoid', onehot: true, bg: true, nr: 1e-4, dr: 1e-4, expected: 0.469964 },
    { i: 6, input: Z, target: L2, act: 'softmax', onehot: true, bg: true, nr: 1e-4, dr: 1e-4, expected: 0.414507 },
    { i: 10, input: A1, target: T1, act: 'sigmoid', bg: true, nr: 1e-6, dr: 1e-6, expected: 0.307576 },
    {
      i: 11,
      input: MONAI.G11,
      target: [[[1, 1, 0, 0]]],
      act: 'softmax',
      onehot: true,
      bg: true,
      nr: 0,
      dr: 0,
      extra: { weightType: 'simple' },
      expected: 0.250023,
    },
    { i: 12, input: A2, target: T2, act: 'tanh', bg: true, nr: 1e-4, dr: 1e-4, expected: 0.9997 },
    { i: 13, input: Z, target: L2, act: 'log_softmax', onehot: true, bg: true, nr: 1e-4, dr: 1e-4, expected: -0.097833 },
  ],
  monaiGdl,
);

describe('test_generalized_dice_loss.py TEST_CASES[9]: a known convention difference', () => {
  it('no foreground in either image: MONAI gives every weight 0 and the loss smooth/smooth = 0; ours 1', () => {
    // MONAI: the only kept class is absent, its weight 1/0 = inf is replaced by the largest finite weight of the
    // image, of which there is none, so 0: the loss is 1 - (0 + 1e-8)/(0 + 1e-8) = 0 whatever the prediction.
    // The engine gives equal weights when none is left (README), so the prediction's false positives count:
    // 1 - 1e-8/(1 + 1e-8) ~ 1 for each image (sum p = 1 in channel 1 of each).
    const c: OverlapCase = {
      i: 9,
      input: P,
      target: [[[0, 0, 0]], [[0, 0, 0]]],
      onehot: true,
      bg: false,
      nr: 1e-8,
      dr: 1e-8,
      expected: 0,
    };
    const { r, p, single } = inputsOf(c);
    expectClose(loss('gdl', r, p, overlapOptions(c, single)), 1, 1e-6);
  });
});

describe("test_focal_loss.py (atol 1e-4, rtol 1e-4, as MONAI's test)", () => {
  // (1, 3, 2, 2) logits, the same in each channel, and labels 0 1 / 2 0.
  const logits = channelsLast(MONAI.F);
  const target = oneHot(channelsLast(MONAI.FL), 3);

  /**
   * MONAI's default focal loss is sigmoid (binary) per channel; its mean runs over voxels and channels. Each channel
   * becomes a pair (1 - p, p), (1 - t, t), on which our focal term is exactly the binary one. MONAI's alpha factor
   * (alpha where t = 1, 1 - alpha where t = 0; 1 without alpha) is focalAlpha 0.5 times classWeights of twice the
   * factor, per pair. MONAI's mean is ours (a mean over voxels of a sum over channels) divided by its C.
   */
  function sigmoidFocal(r: Vol, x: Vol, o: { bg: boolean; alpha?: number }): number {
    const [rk, xk] = o.bg ? [r, x] : [dropBackground(r), dropBackground(x)];
    const C = channels(xk);
    const pair = o.alpha === undefined ? [2, 2] : [2 * (1 - o.alpha), 2 * o.alpha];
    const classWeights = new Array(C).fill(pair.join(',')).join(',');
    const opts = { gamma: 2, focalAlpha: 0.5, classWeights, includeBackground: true };
    return loss('focal', pairs(rk), pairs(sigmoid(xk)), opts) / C;
  }

  /** use_softmax: the same formula as ours; MONAI's mean divides by C too, and alpha None is alpha 1 for all. */
  function softmaxFocal(r: Vol, x: Vol, alpha?: number): number {
    const C = channels(x);
    const opts = alpha === undefined ? { focalAlpha: 0.5, classWeights: '2,2,2' } : { focalAlpha: alpha };
    return loss('focal', r, softmax(x), { gamma: 2, includeBackground: true, ...opts }) / C;
  }

  it('test_focal_loss.py TEST_CASES[0] and [1] (labels one-hot by MONAI, or given one-hot: the same numbers)', () => {
    expectClose(sigmoidFocal(target, logits, { bg: true }), 0.34959, 1e-4, 1e-4);
  });
  it('test_focal_loss.py TEST_CASES[2] (include_background False)', () => {
    expectClose(sigmoidFocal(target, logits, { bg: false }), 0.36498, 1e-4, 1e-4);
  });
  it('test_focal_loss.py TEST_CASES[3] (alpha 0.8)', () => {
    expectClose(sigmoidFocal(target, logits, { bg: true, alpha: 0.8 }), 0.08423, 1e-4, 1e-4);
  });
  it('test_focal_loss.py TEST_CASES[6] (use_softmax)', () => {
    expectClose(softmaxFocal(target, logits), 0.16276, 1e-4, 1e-4);
  });
  it('test_focal_loss.py TEST_CASES[7] (use_softmax, alpha 0.8)', () => {
    expectClose(softmaxFocal(target, logits, 0.8), 0.08138, 1e-4, 1e-4);
  });
  it('test_focal_loss.py test_foreground: with and without the background (places=3)', () => {
    // (1, 2, 5, 5) logits: background 1, foreground 0 everywhere; the target is the same but the centre is foreground.
    const x: Vol = { shape: [1, 5, 5, 2], data: new Float64Array(50).map((_, i) => (i % 2 === 0 ? 1 : 0)) };
    const t: Vol = { shape: x.shape, data: Float64Array.from(x.data) };
    t.data[24] = 0;
    t.data[25] = 1;
    expect(Math.abs(sigmoidFocal(t, x, { bg: true }) - 0.1116)).toBeLessThan(5e-4);
    expect(Math.abs(sigmoidFocal(t, x, { bg: false }) - 0.1733)).toBeLessThan(5e-4);
  });
});

describe("test_dice_ce_loss.py (atol 1e-4, rtol 1e-4, as MONAI's test)", () => {
  // MONAI's DiceCELoss applies its sigmoid / softmax flags to the Dice part only; the CE part is torch's
  // CrossEntropyLoss of the logits (a softmax inside). These cases set no flag, so MONAI's Dice sees the raw
  // inputs: each value is composed here from our dice (raw inputs) and ce (their softmax), weighted by lambda.
  const Q = channelsLast(P);
  const Q100 = channelsLast(MONAI.Q100);
  const r = oneHot(channelsLast(L1), 2);

  /** torch's weighted mean, sum_n w_{y_n} ce_n / sum_n w_{y_n}, from ours, (1/N) sum_n w_{y_n} ce_n. */
  function torchWeightedCe(ref: Vol, p: Vol, w: number[]): number {
    const C = channels(ref);
    const N = ref.data.length / C;
    const wSum = ref.data.reduce((a, x, i) => a + x * w[i % C], 0);
    return (loss('ce', ref, p, { classWeights: w.join(',') }) * N) / wSum;
  }

  function diceCe(x: Vol, o: { bg: boolean; weight?: number[]; lambdaDice?: number; lambdaCe?: number }): number {
    const classWeights = o.weight?.join(',') ?? '';
    const dice = loss('dice', r, x, { includeBackground: o.bg, classWeights, perImage: true });
    const ce = o.weight ? torchWeightedCe(r, softmax(x), o.weight) : loss('ce', r, softmax(x));
    return (o.lambdaDice ?? 1) * dice + (o.lambdaCe ?? 1) * ce;
  }

  it('test_dice_ce_loss.py TEST_CASES[0], [1] and [2] (labels, one-hot float, one-hot uint8: the same numbers)', () => {
    expectClose(diceCe(Q, { bg: true }), 0.3133, 1e-4, 1e-4);
  });
  it('test_dice_ce_loss.py TEST_CASES[3] (include_background False, weight 1, 1)', () => {
    expectClose(diceCe(Q100, { bg: false, weight: [1, 1] }), 0.2088, 1e-4, 1e-4);
  });
  it('test_dice_ce_loss.py TEST_CASES[4] (lambda_ce 2)', () => {
    expectClose(diceCe(Q100, { bg: false, weight: [1, 1], lambdaCe: 2 }), 0.4176, 1e-4, 1e-4);
  });
  it("test_dice_ce_loss.py TEST_CASES[5] (weight 0, 1: torch's weighted mean, not our mean over voxels)", () => {
    expectClose(diceCe(Q100, { bg: false, weight: [0, 1] }), 0.3133, 1e-4, 1e-4);
  });
  it('test_dice_ce_loss.py TEST_CASES[6] (one channel, sigmoid, BCE with pos_weight 0.5)', () => {
    // One channel: MONAI's Dice gets the sigmoid and no weight (weights need C > 1); the CE part is
    // BCEWithLogitsLoss(pos_weight 0.5) = our CE of the pair with weights 1 (t = 0) and 0.5 (t = 1).
    const x = sigmoid(channelsLast([[[0.8, 0.6, 0.0]], [[0.0, 0.0, 0.9]]]));
    const t = channelsLast([[[0.0, 0.0, 1.0]], [[0.0, 1.0, 0.0]]]);
    const dice = loss('dice', pairs(t), pairs(x), { includeBackground: false, perImage: true });
    const bce = loss('ce', pairs(t), pairs(x), { classWeights: '1,0.5' });
    expectClose(dice + bce, 1.445239, 1e-4, 1e-4);
  });
});

// test_dice_focal_loss.py and test_generalized_dice_focal_loss.py check no literal: they compare the compound with
// the sum of its parts on random inputs (torch.randn, randint) over a grid of options. The same checks of ours, on
// seeded random inputs, for the rows with reduction "mean". MONAI's alpha None is focalAlpha 0.5 here (a uniform
// alpha: the identity holds for any alpha). Tolerance rtol 1e-6 (MONAI's assert_allclose default is 1e-7; the
// engine computes in float32).
describe('test_dice_focal_loss.py and test_generalized_dice_focal_loss.py: the compound is the sum of its parts', () => {
  const rng = makeRng(20250613);
  const shape = [3, 5, 5, 3];
  const vol = (data: Float64Array, s = shape): Vol => ({ shape: s, data });
  const p = vol(randomSoftmax(rng, shape));
  // torch.randint(0, 2, size): a multi-label 0/1 reference per channel.
  const multiLabel = vol(Float64Array.from(p.data, () => (rng() < 0.5 ? 1 : 0)));
  const labels = vol(randomOneHot(rng, shape, 0.6));
  const lambdas = [0.5, 1.0, 1.5];

  function diceFocal(r: Vol, pr: Vol, common: Record<string, unknown>, focal: Record<string, unknown>, lambda: number) {
    const compound = loss('dice_focal', r, pr, { ...common, ...focal, focalWeight: lambda });
    expectClose(compound, loss('dice', r, pr, common) + lambda * loss('focal', r, pr, { ...common, ...focal }), 1e-6, 1e-7);
  }

  it('test_dice_focal_loss.py test_result_onehot_target_include_bg (mean rows: 3 weights x 3 lambdas)', () => {
    for (const classWeights of ['', '1,1,2', '3,2,1'])
      for (const lambda of lambdas)
        diceFocal(
          multiLabel,
          p,
          { includeBackground: true, classWeights, perImage: true },
          { gamma: 1, focalAlpha: 0.5 },
          lambda,
        );
  });

  it('test_dice_focal_loss.py test_result_no_onehot_no_bg (mean rows: C = 3 with weights (1, 2), (2, 1); C = 2 with 2.0)', () => {
    // MONAI's weights there are for classes 1.. (include_background False); ours list channel 0 too, ignored.
    for (const classWeights of ['0,1,2', '0,2,1'])
      for (const lambda of lambdas)
        diceFocal(labels, p, { includeBackground: false, classWeights, perImage: true }, { focalAlpha: 0.5 }, lambda);
    // Size (3, 2, 5, 5) with randint(0, 1): an all-zero two-channel reference.
    const p2 = vol(randomSoftmax(rng, [3, 5, 5, 2]), [3, 5, 5, 2]);
    const zeros = vol(new Float64Array(p2.data.length), [3, 5, 5, 2]);
    for (const lambda of lambdas)
      diceFocal(zeros, p2, { includeBackground: false, classWeights: '2,2', perImage: true }, { focalAlpha: 0.5 }, lambda);
  });

  it('test_dice_focal_loss.py test_with_alpha (mean rows: alpha 0.25, lambda_focal 0.5)', () => {
    for (const classWeights of ['', '1,1,2', '3,2,1'])
      diceFocal(multiLabel, p, { includeBackground: true, classWeights, perImage: true }, { gamma: 1, focalAlpha: 0.25 }, 0.5);
  });

  it('test_generalized_dice_focal_loss.py test_result_onehot_target_include_bg (mean, weight None x 3 lambdas)', () => {
    const common = { includeBackground: true, perImage: true };
    for (const lambda of lambdas) {
      const compound = loss('gdl_focal', multiLabel, p, { ...common, gamma: 1, focalAlpha: 0.5, focalWeight: lambda });
      const parts =
        loss('gdl', multiLabel, p, common) + lambda * loss('focal', multiLabel, p, { ...common, gamma: 1, focalAlpha: 0.5 });
      expectClose(compound, parts, 1e-6, 1e-7);
    }
  });

  it('test_generalized_dice_focal_loss.py test_result_no_onehot_no_bg (mean, weight 2.0 = focalWeight 2 lambda)', () => {
    // MONAI's weight reaches only the focal part; a scalar weight is a factor on it.
    const common = { includeBackground: false, perImage: true };
    for (const lambda of lambdas) {
      const compound = loss('gdl_focal', labels, p, { ...common, focalAlpha: 0.5, focalWeight: 2 * lambda });
      const focal = loss('focal', labels, p, { ...common, focalAlpha: 0.5, classWeights: '2,2,2' });
      expectClose(compound, loss('gdl', labels, p, common) + lambda * focal, 1e-6, 1e-7);
    }
  });
});

describe("test_unified_focal_loss.py (atol 1e-4, rtol 1e-4, as MONAI's test)", () => {
  it('test_unified_focal_loss.py TEST_CASES[0] and [1] (identical): a perfect prediction gives 0', () => {
    // (2, 1, 2, 2) prediction = target [[1, 0], [0, 1]]; MONAI one-hots both to two channels. Its defaults:
    // weight 0.5, delta 0.7, gamma 0.5, epsilon 1e-7.
    const x = oneHot(channelsLast(MONAI.U), 2);
    const o = { unifiedWeight: 0.5, unifiedDelta: 0.7, unifiedGamma: 0.5, epsilon: 1e-7, perImage: true };
    expectClose(loss('unified_focal', x, x, o), 0, 1e-4, 1e-4);
  });
});
