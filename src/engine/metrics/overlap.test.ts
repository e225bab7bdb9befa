// Hard metrics: hand-counted cases, the empty-set rules, and cross-checks against independent
// computations (index sets; the float64 GDL reference of the losses at epsilon 0).
import { describe, expect, it } from 'vitest';

import { makeRng, randomOneHot, randomSoftmax } from '../losses/testing/fixtures';
import { refGdl } from '../losses/testing/reference64';
import {
  argmaxLabels,
  classCounts,
  generalisedDiceFromCounts,
  hardDice,
  perClassMetrics,
  toLabels,
  volumeDifferenceFromCounts,
} from './index';

// Six voxels, two classes. Foreground probabilities and the reference:
//   p_fg: .9  .6  .4  .2  .7  .1   -> predicted 1 1 0 0 1 0
//   r:     1   0   1   0   1   0
// foreground: TP = 2 (v0, v4), FP = 1 (v1), FN = 1 (v2), TN = 2 (v3, v5)
const pFg = [0.9, 0.6, 0.4, 0.2, 0.7, 0.1];
const probabilities = pFg.flatMap((p) => [1 - p, p]);
const labels = [1, 0, 1, 0, 1, 0];
const oneHot = labels.flatMap((l) => (l === 1 ? [0, 1] : [1, 0]));

describe('hard metrics by hand', () => {
  it('counts, Dice, sensitivity, specificity, precision, volume difference', () => {
    const { perClass } = perClassMetrics({ probabilities, reference: labels, numClasses: 2 });
    const fg = perClass[1];
    expect(fg.counts).toEqual({ tp: 2, fp: 1, fn: 1, tn: 2 });
    expect(fg.dice).toBeCloseTo(4 / 6, 12);
    expect(fg.sensitivity).toBeCloseTo(2 / 3, 12);
    expect(fg.specificity).toBeCloseTo(2 / 3, 12);
    expect(fg.precision).toBeCloseTo(2 / 3, 12);
    expect(fg.volumeDifference).toBe(0);
    // background: TP = 2 (v3, v5), FP = 1 (v2), FN = 1 (v1)
    expect(perClass[0].counts).toEqual({ tp: 2, fp: 1, fn: 1, tn: 2 });
  });

  it('integer and one-hot references give the same result', () => {
    expect(hardDice({ probabilities, reference: oneHot, numClasses: 2 })).toEqual(
      hardDice({ probabilities, reference: labels, numClasses: 2 }),
    );
  });

  it('argmax ties go to the lowest class; bad lengths and labels are refused', () => {
    expect(Array.from(argmaxLabels({ probabilities: [0.5, 0.5, 0.2, 0.8], numClasses: 2 }))).toEqual([0, 1]);
    expect(Array.from(argmaxLabels({ probabilities: [0.3, 0.3, 0.3, 0.1, 0.4, 0.4], numClasses: 3 }))).toEqual([0, 1]);
    expect(() => argmaxLabels({ probabilities: [0.1, 0.2, 0.3], numClasses: 2 })).toThrow(/multiple/);
    expect(() => toLabels({ labels: [0, 1, 2], numClasses: 2, numElements: 3 })).toThrow(/outside/);
    expect(() => toLabels({ labels: [0, 1], numClasses: 2, numElements: 3 })).toThrow(/neither/);
  });

  it('empty sets: both empty -> Dice 1; prediction empty and reference not -> 0', () => {
    const allBg = [1, 0, 1, 0, 1, 0];
    expect(hardDice({ probabilities: allBg, reference: [0, 0, 0], numClasses: 2 })).toEqual([1, 1]);
    const m = perClassMetrics({ probabilities: allBg, reference: [0, 1, 0], numClasses: 2 }).perClass[1];
    expect(m.dice).toBe(0);
    expect(m.sensitivity).toBe(0);
    expect(m.precision).toBe(0);
    expect(m.volumeDifference).toBe(-1);
    const none = perClassMetrics({ probabilities: allBg, reference: [0, 0, 0], numClasses: 2 }).perClass[1];
    expect([none.sensitivity, none.precision, none.specificity, none.volumeDifference]).toEqual([1, 1, 1, 0]);
    expect(volumeDifferenceFromCounts({ tp: 0, fp: 2, fn: 0, tn: 1 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('generalised Dice by hand: both classes have 3 voxels, so equal weights and GDS = 2(2 + 2)/12', () => {
    // Both classes have |R| = 3, so equal weights: 2 (TP0 + TP1) / sum (|P| + |R|) = 2 * 4 / 12.
    expect(generalisedDiceFromCounts({ counts: classCounts({ probabilities, reference: labels, numClasses: 2 }) })).toBeCloseTo(
      8 / 12,
      12,
    );
    // Absent foreground in the reference: weight = the background's; nothing anywhere -> 1.
    expect(
      generalisedDiceFromCounts({
        counts: [
          { tp: 3, fp: 0, fn: 0, tn: 0 },
          { tp: 0, fp: 0, fn: 0, tn: 3 },
        ],
      }),
    ).toBe(1);
    expect(
      generalisedDiceFromCounts({
        counts: [
          { tp: 2, fp: 0, fn: 1, tn: 0 },
          { tp: 0, fp: 1, fn: 0, tn: 2 },
        ],
      }),
    ).toBeCloseTo(4 / 6, 12);
  });
});

describe('cross-checks on random data', () => {
  for (const [shape, seed] of [
    [[1, 8, 8, 2], 1],
    [[2, 3, 4, 5, 3], 2],
  ] as const) {
    it(`Dice per class from index sets, GDS = 1 - GDL(one-hot prediction, epsilon 0): [${shape}]`, () => {
      const rng = makeRng(seed);
      const c = shape[shape.length - 1];
      const r = randomOneHot(rng, [...shape], 0.4);
      const p = randomSoftmax(rng, [...shape], 3);
      const n = r.length / c;
      const setOf = (values: Float64Array, l: number) => {
        const s = new Set<number>();
        for (let i = 0; i < n; i++) {
          const row = Array.from(values.subarray(i * c, (i + 1) * c));
          if (row.indexOf(Math.max(...row)) === l) s.add(i);
        }
        return s;
      };
      const dice = hardDice({ probabilities: p, reference: r, numClasses: c });
      for (let l = 0; l < c; l++) {
        const a = setOf(p, l);
        const b = setOf(r, l);
        const inter = [...a].filter((i) => b.has(i)).length;
        expect(dice[l]).toBeCloseTo(a.size + b.size === 0 ? 1 : (2 * inter) / (a.size + b.size), 12);
      }
      const hardP = new Float64Array(p.length);
      argmaxLabels({ probabilities: p, numClasses: c }).forEach((l, i) => {
        hardP[i * c + l] = 1;
      });
      for (const weightType of ['square', 'simple', 'uniform'] as const) {
        const gds = perClassMetrics({ probabilities: p, reference: r, numClasses: c, weightType }).generalisedDice;
        expect(gds).toBeCloseTo(1 - refGdl({ shape: [...shape], r, p: hardP }, { epsilon: 0, weightType }), 10);
      }
    });
  }
});
