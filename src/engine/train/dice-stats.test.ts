// The trainer's Dice path (device counts -> host value) against hand-counted voxels.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hardOverlapCounts, meanDice } from './dice-stats';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Channels-last one-hot rows of integer labels, as a [1, 1, N, C] tensor. */
const oneHot = (labels: number[], c: number) =>
  tf.tensor(
    labels.flatMap((l) => Array.from({ length: c }, (_, k) => (k === l ? 1 : 0))),
    [1, 1, labels.length, c],
  );

async function countsOf(yTrue: tf.Tensor, yPred: tf.Tensor): Promise<number[]> {
  const t = hardOverlapCounts(yTrue, yPred);
  const values = Array.from(await t.data());
  t.dispose();
  return values;
}

describe('hard Dice from device counts', () => {
  it('two classes by hand: TP 2, FP 1, FN 1 -> Dice 4/6', async () => {
    // p_fg .9 .6 .4 .2 .7 .1 -> predicted 1 1 0 0 1 0; reference 1 0 1 0 1 0
    const pFg = [0.9, 0.6, 0.4, 0.2, 0.7, 0.1];
    const pred = tf.tensor(
      pFg.flatMap((p) => [1 - p, p]),
      [1, 1, 6, 2],
    );
    const rows = await countsOf(oneHot([1, 0, 1, 0, 1, 0], 2), pred);
    expect(rows).toEqual([2, 1, 1]);
    expect(meanDice(rows, 1)).toBeCloseTo(4 / 6, 12);
  });

  it('three classes by hand: class 1 Dice 2/4, class 2 Dice 2/5, mean 0.45', async () => {
    // predicted 0 1 2 2 1 0, reference 0 1 1 2 2 2
    // class 1: TP v1, FP v4, FN v2; class 2: TP v3, FP v2, FN v4 v5
    const rows = await countsOf(oneHot([0, 1, 1, 2, 2, 2], 3), oneHot([0, 1, 2, 2, 1, 0], 3));
    expect(rows).toEqual([1, 1, 1, 1, 1, 2]);
    expect(meanDice(rows, 2)).toBeCloseTo((2 / 4 + 2 / 5) / 2, 12);
  });

  it('empty sets: nothing predicted nor labelled -> 1; labelled but missed -> 0', async () => {
    const none = await countsOf(oneHot([0, 0, 0], 2), oneHot([0, 0, 0], 2));
    expect(none).toEqual([0, 0, 0]);
    expect(meanDice(none, 1)).toBe(1);
    const missed = await countsOf(oneHot([0, 1, 1], 2), oneHot([0, 0, 0], 2));
    expect(missed).toEqual([0, 0, 2]);
    expect(meanDice(missed, 1)).toBe(0);
  });
});
