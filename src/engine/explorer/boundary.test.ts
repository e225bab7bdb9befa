// The explorer's boundary-loss curves: the probe image as a picture (a disc in a disc, checked against brute
// force), then loss and per-voxel gradient against the float64 reference and its central differences.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { type Case, centralDiff, twoClass } from '../losses/testing/fixtures';
import { refBoundary, refSignedMap } from '../losses/testing/reference64-boundary';
import {
  type OptionValues,
  type Predictor,
  probeCurves,
  probeGrid,
  sweepCurve,
  sweepLayouts,
  syntheticLayout,
  syntheticPicture,
} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the probe image as a picture', () => {
  it('N = 60, 7 lesion voxels: the N (lesion: 7) pixels nearest the centre, maps as brute force, ordered by distance', () => {
    const layout = syntheticLayout({ fraction: 7 / 60, voxels: 60 });
    expect(layout.lesionVoxels).toBe(7);
    const { side, cells, phi } = syntheticPicture(layout);
    expect(new Set(cells).size).toBe(60);
    const c = (side - 1) / 2;
    const r2 = (i: number) => ((i % side) - c) ** 2 + (Math.floor(i / side) - c) ** 2;
    const inImage = new Set(cells);
    const lesion = new Set(cells.slice(0, 7));
    const rest = Array.from({ length: side * side }, (_, i) => i).filter((i) => !inImage.has(i));
    expect(Math.max(...[...inImage].map(r2))).toBeLessThanOrEqual(Math.min(...rest.map(r2)));
    expect(Math.max(...[...lesion].map(r2))).toBeLessThanOrEqual(Math.min(...Array.from(cells.slice(7), r2)));
    const mask = Array.from({ length: side * side }, (_, i) => (lesion.has(i) ? 1 : 0));
    const ref = refSignedMap(mask, [side, side], [1, 1]);
    cells.forEach((cell, i) => {
      expect(phi[2 * i + 1]).toBeCloseTo(ref[cell], 5);
    });
    const fg = Array.from(cells, (_, i) => phi[2 * i + 1]);
    expect(fg.slice(0, 7).every((v) => v <= 0)).toBe(true);
    expect(fg.slice(7).every((v) => v > 0)).toBe(true);
    for (let i = 8; i < 60; i++) expect(fg[i]).toBeGreaterThanOrEqual(fg[i - 1]);
  });

  it('N = 10,000 at 1%: the farthest background voxel lies about sqrt(N/pi) - sqrt(nFg/pi) mm from the lesion', () => {
    const layout = syntheticLayout({ fraction: 0.01 });
    const { phi } = syntheticPicture(layout);
    const far = phi[2 * layout.voxels - 1];
    expect(Math.abs(far - (Math.sqrt(10_000 / Math.PI) - Math.sqrt(100 / Math.PI)))).toBeLessThan(2);
  });
});

describe('boundary curves', () => {
  const layout = syntheticLayout({ fraction: 0.05, voxels: 400 });
  const predictor: Predictor = { lesion: 0.3, background: 0.1 };
  const grid = probeGrid(5);
  const phi = Float64Array.from(syntheticPicture(layout).phi);
  const probeCase = (lesion: number, background: number): Case => {
    const mask = Array.from({ length: layout.voxels }, (_, i) => (i < layout.lesionVoxels ? 1 : 0));
    return { shape: [1, 1, layout.voxels, 2], r: twoClass(mask), p: twoClass(mask.map((m) => (m ? lesion : background))) };
  };
  const voxelGrad = (c: Case, o: OptionValues, voxel: number) =>
    centralDiff(
      (x) => {
        const p = Float64Array.from(c.p);
        p[2 * voxel + 1] = x[0];
        p[2 * voxel] = 1 - x[0];
        return refBoundary({ ...c, p }, o, { phi });
      },
      Float64Array.of(c.p[2 * voxel + 1]),
    )[0];

  for (const o of [{}, { boundaryStart: 1, boundaryMax: 1 }, { boundaryRegion: 'dice', boundaryStart: 0.5 }] as OptionValues[]) {
    it(`${JSON.stringify(o)}: loss and gradient equal the reference on the picture's maps`, async () => {
      const c = await probeCurves({ id: 'boundary', options: o, layout, predictor, grid });
      const last = layout.voxels - 1;
      grid.forEach((x, k) => {
        const lc = probeCase(x, predictor.background);
        expect(c.lesion.loss[k]).toBeCloseTo(refBoundary(lc, o, { phi }), 4);
        expect(c.lesion.grad[k]).toBeCloseTo(voxelGrad(lc, o, 0), 5);
        const bc = probeCase(predictor.lesion, x);
        expect(c.background.loss[k]).toBeCloseTo(refBoundary(bc, o, { phi }), 4);
        expect(c.background.grad[k]).toBeCloseTo(voxelGrad(bc, o, last), 5);
      });
    });
  }

  it('boundary term alone: dL/dp_i = phi_i / N, so the far background voxel pulls hardest', async () => {
    const c = await probeCurves({ id: 'boundary', options: { boundaryStart: 1, boundaryMax: 1 }, layout, predictor, grid });
    const n = layout.voxels;
    for (const g of c.background.grad) expect(g * n).toBeCloseTo(phi[2 * n - 1], 3);
    for (const g of c.lesion.grad) expect(g * n).toBeCloseTo(phi[1], 3);
    expect(phi[2 * n - 1]).toBeGreaterThan(8);
  });

  it('the sweep: the reference at every fraction, on each layout picture', async () => {
    const sweep = sweepLayouts({ fractions: [0.3, 0.01, 1e-3], voxels: 900, predictor });
    const loss = await sweepCurve({ id: 'boundary', layouts: sweep.layouts, predictor });
    sweep.layouts.forEach((l, i) => {
      const mask = Array.from({ length: l.voxels }, (_, j) => (j < l.lesionVoxels ? 1 : 0));
      const c: Case = { shape: [1, 1, l.voxels, 2], r: twoClass(mask), p: twoClass(mask.map((m) => (m ? 0.3 : 0.1))) };
      expect(loss[i]).toBeCloseTo(refBoundary(c, {}, { phi: Float64Array.from(syntheticPicture(l).phi) }), 4);
    });
  });
});
