// Degenerate inputs (perfect, empty, full, probabilities at exactly 0 and 1), identities between losses,
// and tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { computeLoss, gdlAnalyticGradient, LOSS_IDS, type LossId, paperPrintedGdlGradient } from './index';
import { makeRng, randomOneHot, randomProbs, randomSoftmax, toTensor, twoClass } from './testing/fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TWO_CLASS_ONLY: LossId[] = ['dl2', 'ss'];
// The boundary term's minimum is mean(r * phi) <= 0, reached at p = r (boundary.test.ts), not 0.
const perfectBound = (id: LossId, value: number) =>
  id === 'boundary' ? expect(value).toBeLessThan(1e-5) : expect(Math.abs(value)).toBeLessThan(1e-5);

function valueAndGrad(id: LossId, r: tf.Tensor, p: tf.Tensor, o: Record<string, unknown> = {}) {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => computeLoss(id, r, x, o))(p);
    return { value: value.dataSync()[0], grad: grad.dataSync() };
  });
}

describe('degenerate inputs', () => {
  const shape2 = [2, 3, 4, 2];
  const fgMap = Float64Array.from({ length: 24 }, (_, i) => (i % 5 === 0 ? 1 : 0));
  const maps = {
    perfect: fgMap,
    empty: new Float64Array(24),
    full: new Float64Array(24).fill(1),
  };

  for (const id of LOSS_IDS) {
    for (const perImage of [false, true]) {
      it(`${id} perImage=${perImage}: perfect prediction ~0; empty/full references and 0/1 probabilities stay finite`, () => {
        const perfect = valueAndGrad(id, toTensor(twoClass(fgMap), shape2), toTensor(twoClass(fgMap), shape2), { perImage });
        // Overlap losses reach 0 by definition; the CE family too, since log(1) = 0.
        perfectBound(id, perfect.value);
        for (const r of Object.values(maps)) {
          for (const p of Object.values(maps)) {
            const { value, grad } = valueAndGrad(id, toTensor(twoClass(r), shape2), toTensor(twoClass(p), shape2), { perImage });
            expect(Number.isFinite(value)).toBe(true);
            expect(grad.every(Number.isFinite)).toBe(true);
          }
        }
      });
    }
  }

  for (const id of LOSS_IDS.filter((l) => !TWO_CLASS_ONLY.includes(l))) {
    it(`${id} with C = 3: perfect ~0, a missing class and saturated probabilities stay finite`, () => {
      const shape = [1, 2, 3, 4, 3];
      const rng = makeRng(8);
      const r = randomOneHot(rng, shape, 0.5);
      perfectBound(id, valueAndGrad(id, toTensor(r, shape), toTensor(r, shape)).value);
      const onlyBg = new Float64Array(r.length).map((_, i) => (i % 3 === 0 ? 1 : 0));
      const saturated = new Float64Array(r.length).map((_, i) => (i % 3 === 2 ? 1 : 0));
      for (const [a, b] of [
        [onlyBg, saturated],
        [r, saturated],
        [saturated, onlyBg],
      ]) {
        const { value, grad } = valueAndGrad(id, toTensor(a, shape), toTensor(b, shape));
        expect(Number.isFinite(value)).toBe(true);
        expect(grad.every(Number.isFinite)).toBe(true);
      }
    });
  }
});

describe('identities between losses', () => {
  const shape = [2, 4, 4, 2];
  const rng = makeRng(31);
  const r = randomOneHot(rng, shape, 0.3);
  const p = randomSoftmax(rng, shape);
  const value = (id: LossId, o: Record<string, unknown>, pred = p) =>
    tf.tidy(() => computeLoss(id, toTensor(r, shape), toTensor(pred, shape), o).dataSync()[0]);

  it("ss 'niftynet' with two softmax classes: lambda cancels (= paper ss at lambda 0.5, doubled)", () => {
    const a = value('ss', { ssVariant: 'niftynet', lambda: 0.05 });
    expect(value('ss', { ssVariant: 'niftynet', lambda: 0.5 })).toBeCloseTo(a, 6);
    expect(value('ss', { ssVariant: 'niftynet', lambda: 0.95 })).toBeCloseTo(a, 6);
    expect(2 * value('ss', { lambda: 0.5 })).toBeCloseTo(a, 6);
    // Off the simplex the classes no longer mirror each other and lambda matters again.
    const q = randomProbs(makeRng(4), shape);
    expect(
      Math.abs(value('ss', { ssVariant: 'niftynet', lambda: 0.05 }, q) - value('ss', { ssVariant: 'niftynet', lambda: 0.95 }, q)),
    ).toBeGreaterThan(1e-3);
  });

  it('focal with gamma 0 and alpha 0.5 is half the cross-entropy', () => {
    expect(value('focal', { gamma: 0, focalAlpha: 0.5 })).toBeCloseTo(0.5 * value('ce', {}), 6);
  });

  it('tversky with alpha = beta = 0.5 is soft Dice (epsilon 0)', () => {
    expect(value('tversky', { tverskyAlpha: 0.5, tverskyBeta: 0.5, epsilon: 0 })).toBeCloseTo(value('dice', { epsilon: 0 }), 6);
  });
});

describe('no tensor leaks (after a warm-up call)', () => {
  const shape = [1, 3, 3, 2];
  const rng = makeRng(9);
  const r = toTensor(randomOneHot(rng, shape), shape);
  const p = toTensor(randomSoftmax(rng, shape), shape);

  for (const id of LOSS_IDS) {
    it(`${id}: value and gradient leave no tensors behind`, () => {
      const run = () => {
        computeLoss(id, r, p, { perImage: true }).dispose();
        tf.tidy(() => tf.grad((x: tf.Tensor) => computeLoss(id, r, x))(p)).dispose();
      };
      run();
      const before = tf.memory().numTensors;
      run();
      run();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('gdlAnalyticGradient and paperPrintedGdlGradient leave only their result', () => {
    const run = () => {
      gdlAnalyticGradient(r, p).dispose();
      paperPrintedGdlGradient(r, p, { perImage: true }).dispose();
    };
    run();
    const before = tf.memory().numTensors;
    run();
    expect(tf.memory().numTensors).toBe(before);
  });
});
