// Options checked against C when a loss runs, GDL's absent-class policy, and MONAI's own test cases for
// the generalised Wasserstein Dice loss (tests/test_generalized_wasserstein_dice_loss.py).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { computeLoss, type LossId, LossOptionsError } from './index';
import { type Case, makeRng, randomSoftmax, toTensor, twoClass } from './testing/fixtures';
import { refGdl } from './testing/reference64';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function value(id: LossId, c: Case, o: Record<string, unknown> = {}): number {
  return tf.tidy(() => computeLoss(id, toTensor(c.r, c.shape), toTensor(c.p, c.shape), o as never).dataSync()[0]);
}

const shape = [1, 2, 3, 2];
const rng = makeRng(11);
const c2: Case = { shape, r: twoClass([1, 0, 0, 1, 0, 0]), p: randomSoftmax(rng, shape) };

describe('options checked against C when the loss runs', () => {
  it('classWeights needs one weight per class, with a message naming C', () => {
    expect(() => value('dice', c2, { classWeights: '1,2,3' })).toThrow(/one weight per class \(C = 2\), got 3/);
    expect(() => value('ce', c2, { classWeights: '1,2,3' })).toThrow(LossOptionsError);
    expect(Number.isFinite(value('ce', c2, { classWeights: '1,2' }))).toBe(true);
  });

  it('classWeights 1,1 changes nothing; 0,k scales the foreground-only Dice by k', () => {
    expect(value('ce', c2, { classWeights: '1,1' })).toBeCloseTo(value('ce', c2), 6);
    expect(value('dice', c2, { classWeights: '0,3' })).toBeCloseTo(3 * value('dice', c2), 6);
  });

  it('an ignoreIndex no channel has ignores nothing; one that leaves no class to average throws', () => {
    expect(value('ce', c2, { ignoreIndex: 2 })).toBeCloseTo(value('ce', c2), 7);
    expect(value('gdl', c2, { ignoreIndex: 43 })).toBeCloseTo(value('gdl', c2), 7);
    expect(() => value('dice', c2, { ignoreIndex: 1 })).toThrow(/no class left/);
  });

  it('ignoreIndex 1 on CE keeps the background voxels only: their mean -log p_0', () => {
    const p0 = [1, 2, 4, 5].map((n) => c2.p[2 * n]);
    expect(value('ce', c2, { ignoreIndex: 1 })).toBeCloseTo(-p0.reduce((a, p) => a + Math.log(p), 0) / 4, 5);
  });

  it('classDistances needs C x C values and a zero diagonal', () => {
    expect(() => value('gwdl', c2, { classDistances: '0,1,1,1,0,1,1,1,0' })).toThrow(/C × C = 4 values/);
    expect(() => value('gwdl', c2, { classDistances: '0,1,1,0.5' })).toThrow(/zero diagonal/);
  });

  it('smoothNr/smoothDr at -1 are epsilon: the old numbers', () => {
    expect(value('dice', c2, { smoothNr: -1, smoothDr: -1, epsilon: 0.1 })).toBeCloseTo(value('dice', c2, { epsilon: 0.1 }), 7);
    expect(value('gdl', c2, { smoothNr: 0.1, smoothDr: 0.1 })).toBeCloseTo(value('gdl', c2, { epsilon: 0.1 }), 7);
  });
});

describe("GDL's absent-class weight", () => {
  // Class 2 absent from the reference, predicted with some probability.
  const s3 = [1, 2, 2, 3];
  const r = new Float64Array(12);
  for (const [n, l] of [0, 1, 0, 1].entries()) r[3 * n + l] = 1;
  const c3: Case = { shape: s3, r, p: randomSoftmax(makeRng(5), s3) };

  it("'max' and 'zero' differ when a class is absent, each matching the float64 reference", () => {
    const max = value('gdl', c3, { absentWeight: 'max' });
    const zero = value('gdl', c3, { absentWeight: 'zero' });
    expect(Math.abs(max - zero)).toBeGreaterThan(1e-3);
    expect(max).toBeCloseTo(refGdl(c3, { absentWeight: 'max' }), 6);
    expect(zero).toBeCloseTo(refGdl(c3, { absentWeight: 'zero' }), 6);
  });
});

describe("MONAI's GeneralizedWassersteinDiceLoss cases (softmax of 1000 * one-hot is exactly one-hot)", () => {
  // The 4x4 target of test_bin_seg_2d: a 2x2 square of class 1 in the middle.
  const square = [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0];
  const M = '0,1,1,0';
  const gwdl = (target: number[], pred: number[], dims: number[]) =>
    value('gwdl', { shape: [1, ...dims, 2], r: twoClass(target), p: twoClass(pred) }, { classDistances: M, perImage: true });

  it('test_bin_seg_2d: very good -> 0, very poor -> 1 (places=3)', () => {
    expect(gwdl(square, square, [4, 4])).toBeCloseTo(0, 3);
    expect(
      gwdl(
        square,
        square.map((x) => 1 - x),
        [4, 4],
      ),
    ).toBeCloseTo(1, 3);
  });

  it('test_empty_class_2d: an all-background target, very good -> 0, very poor -> 1', () => {
    const empty = new Array(16).fill(0);
    expect(gwdl(empty, empty, [4, 4])).toBeCloseTo(0, 3);
    expect(
      gwdl(
        empty,
        empty.map(() => 1),
        [4, 4],
      ),
    ).toBeCloseTo(1, 3);
  });

  it('test_bin_seg_3d: three slices of the square, very good -> 0, very poor -> 1', () => {
    const cube = [...square, ...square, ...square];
    expect(gwdl(cube, cube, [3, 4, 4])).toBeCloseTo(0, 3);
    expect(
      gwdl(
        cube,
        cube.map((x) => 1 - x),
        [3, 4, 4],
      ),
    ).toBeCloseTo(1, 3);
  });
});
