// GDL in the explorer: weights against the float64 reference, the closed-form gradient against autodiff
// (on the probes and on random inputs), autodiff against central differences, the printed formula's sign.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  centralDiff,
  layout as caseLayout,
  makeRng,
  randomOneHot,
  relMaxError,
  toTensor,
  twoClass,
} from '../losses/testing/fixtures';
import { refGdl, refGdlWeights } from '../losses/testing/reference64';
import { agreement, gdlGradientComparison, gdlGradientsAt, gdlWeightCurves, probeGrid, syntheticLayout } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('GDL weights against class volume', () => {
  it('equal the float64 reference for every weight type, and an absent lesion takes the largest finite weight', async () => {
    const w = await gdlWeightCurves({ voxels: 1000, points: 7 });
    expect(w.volumes[0]).toBeCloseTo(1, 9);
    expect(w.volumes.at(-1)).toBeCloseTo(500, 9);
    for (const t of ['square', 'simple', 'uniform'] as const) {
      w.volumes.forEach((v, i) => {
        const ref = refGdlWeights([1000 - v, v], t);
        expect(w[t].background[i]).toBeCloseTo(ref[0], 6);
        expect(w[t].lesion[i]).toBeCloseTo(ref[1], 6);
      });
      expect(w.absent[t]).toEqual([0.5, 0.5]);
    }
    // 1 lesion voxel in 1000: square weights in the ratio 999^2 : 1.
    expect(w.square.lesion[0] / w.square.background[0]).toBeCloseTo(999 ** 2, -2);
  });
});

describe('GDL gradients', () => {
  it('closed form equals autodiff along the probes; the printed formula is its negative', async () => {
    const layout = syntheticLayout({ fraction: 0.01, voxels: 500 });
    const predictor = { lesion: 0.3, background: 0.05 };
    for (const weightType of ['square', 'simple', 'uniform']) {
      const c = await gdlGradientComparison({ options: { weightType }, layout, predictor, grid: probeGrid(9) });
      expect(c.closedFormRelError).toBeLessThan(1e-4);
      expect(c.printedOverAutodiff.min).toBeCloseTo(-1, 3);
      expect(c.printedOverAutodiff.max).toBeCloseTo(-1, 3);
      // Autodiff against central differences of the float64 GDL at the lesion voxel, at p = 0.5.
      const mask = Array.from({ length: layout.voxels }, (_, i) => (i < layout.lesionVoxels ? 1 : 0));
      const fg = mask.map((m) => (m ? 0.5 : predictor.background));
      const r = twoClass(mask);
      const fn = (x: Float64Array) => {
        const p = twoClass(fg);
        p[1] = x[0];
        p[0] = 1 - x[0];
        return refGdl({ shape: [1, 1, layout.voxels, 2], r, p }, { weightType });
      };
      const fd = centralDiff(fn, Float64Array.of(0.5))[0];
      expect(c.lesion.autodiff[4]).toBeCloseTo(fd, 5);
      expect(Math.abs(c.lesion.autodiff[4] - fd)).toBeLessThan(1e-3 * Math.abs(fd));
    }
  });

  it('agreement() reports what it is given (a sign error shows as a ratio of -1, an offset as an error)', () => {
    const a = agreement([{ autodiff: [1, -2, 4], closedForm: [1, -2, 4.4], printed: [-1, 2, -4] }]);
    expect(a.closedFormRelError).toBeCloseTo(0.1, 12);
    expect(a.printedOverAutodiff).toEqual({ min: -1, max: -1 });
  });

  const shapes = [
    [2, 4, 5, 2],
    [1, 3, 4, 5, 2],
  ];
  it.each(shapes)(
    'on random inputs %j: closed form = autodiff = float64 central differences; printed = -autodiff',
    (...shape) => {
      const rng = makeRng(shape.length * 101);
      const { B, M } = caseLayout(shape);
      for (const weightType of ['square', 'simple', 'uniform']) {
        for (const perImage of [false, true]) {
          for (const epsilon of [1e-5, 0]) {
            const r = randomOneHot(rng, shape, 0.3);
            const fg = Float64Array.from({ length: B * M }, () => 0.05 + 0.9 * rng());
            const o = { weightType, perImage, epsilon };
            const yTrue = toTensor(r, shape);
            const p = toTensor(fg, [...shape.slice(0, -1), 1]);
            const g = gdlGradientsAt({ yTrue, p, options: o });
            const auto = g.autodiff.dataSync();
            const closed = g.closedForm.dataSync();
            const printed = g.printed.dataSync();
            const fd = centralDiff((x) => refGdl({ shape, r, p: twoClass(x) }, o), fg);
            expect(relMaxError(auto, fd)).toBeLessThan(1e-3);
            expect(relMaxError(closed, auto)).toBeLessThan(1e-4);
            expect(
              relMaxError(
                printed,
                Array.from(auto, (v) => -v),
              ),
            ).toBeLessThan(1e-3);
            // The printed formula is far from the truth: |printed - autodiff| = 2 |autodiff|.
            expect(relMaxError(printed, auto)).toBeGreaterThan(1.9);
            tf.dispose([yTrue, p, g.autodiff, g.closedForm, g.printed]);
          }
        }
      }
    },
  );

  it('leaks no tensors', async () => {
    const layout = syntheticLayout({ fraction: 0.1, voxels: 100 });
    const run = () => gdlGradientComparison({ layout, predictor: { lesion: 0.3, background: 0.1 }, grid: probeGrid(3) });
    await run();
    await gdlWeightCurves({ voxels: 100, points: 3 });
    const before = tf.memory().numTensors;
    await run();
    await gdlWeightCurves({ voxels: 100, points: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
