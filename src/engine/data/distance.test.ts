// The distance transforms against brute force (every pair of voxels, written here) and against
// scipy.ndimage.distance_transform_edt (Debian's python3; skipped locally without scipy, failed in CI).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import {
  batchSignedDistances,
  distanceTransform,
  signedDistanceMap,
  signedDistancePair,
  squaredDistanceToFeature,
} from './distance';
import { createRng } from './rng';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./testing/edt_check.py', import.meta.url));
const hasScipy = spawnSync(PYTHON, ['-c', 'import scipy.ndimage, numpy'], { encoding: 'utf8' }).status === 0;

interface MaskCase {
  shape: number[];
  spacing: number[];
  mask: number[];
}

function randomMask(seed: number, shape: number[], fg: number): number[] {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const mask = Array.from({ length: n }, () => (rng.next() < fg ? 1 : 0));
  // Both inside and outside voxels, so every transform is defined.
  mask[0] = 1;
  mask[n - 1] = 0;
  return mask;
}

/** Coordinates of flat index i in a row-major grid. */
function coords(i: number, shape: number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    c[a] = i % shape[a];
    i = Math.floor(i / shape[a]);
  }
  return c;
}

/** Brute force: the smallest mm distance from each voxel to a voxel where `target(j)` holds. */
function bruteNearest(shape: number[], spacing: number[], target: (j: number) => boolean): Float64Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const pts = Array.from({ length: n }, (_, i) => coords(i, shape));
  const out = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (!target(j)) continue;
      let d2 = 0;
      for (let a = 0; a < shape.length; a++) d2 += ((pts[i][a] - pts[j][a]) * spacing[a]) ** 2;
      out[i] = Math.min(out[i], Math.sqrt(d2));
    }
  return out;
}

describe('distance transforms against brute force', () => {
  const cases: MaskCase[] = [
    { shape: [7, 9], spacing: [1, 1], mask: randomMask(1, [7, 9], 0.3) },
    { shape: [8, 6], spacing: [0.7, 2.5], mask: randomMask(2, [8, 6], 0.1) },
    { shape: [4, 5, 6], spacing: [3, 1, 0.5], mask: randomMask(3, [4, 5, 6], 0.2) },
    { shape: [5, 5, 5], spacing: [1.2, 1.2, 1.2], mask: randomMask(4, [5, 5, 5], 0.6) },
    { shape: [13], spacing: [0.3], mask: randomMask(5, [13], 0.2) },
  ];
  for (const c of cases) {
    it(`[${c.shape.join('x')}] spacing [${c.spacing.join(',')}]: squared EDT, EDT and signed map`, () => {
      const toFg = bruteNearest(c.shape, c.spacing, (j) => c.mask[j] === 1);
      const toBg = bruteNearest(c.shape, c.spacing, (j) => c.mask[j] === 0);
      const sq = squaredDistanceToFeature({ feature: c.mask, shape: c.shape, spacing: c.spacing });
      const edt = distanceTransform({ mask: c.mask, shape: c.shape, spacing: c.spacing });
      const phi = signedDistanceMap({ mask: c.mask, shape: c.shape, spacing: c.spacing });
      const pair = signedDistancePair({ mask: c.mask, shape: c.shape, spacing: c.spacing });
      const h = Math.min(...c.spacing);
      for (let i = 0; i < c.mask.length; i++) {
        expect(sq[i]).toBeCloseTo(toFg[i] ** 2, 9);
        expect(edt[i]).toBeCloseTo(c.mask[i] ? toBg[i] : 0, 9);
        expect(phi[i]).toBeCloseTo(c.mask[i] ? h - toBg[i] : toFg[i], 5);
        // The complement class: inside where the mask is 0.
        expect(pair.complement[i]).toBeCloseTo(c.mask[i] ? toBg[i] : h - toFg[i], 5);
        expect(pair.map[i]).toBe(phi[i]);
      }
    });
  }

  it('a 1 mm isotropic blob: inner boundary voxels 0, first outside voxels 1, centre negative (Kervadec)', () => {
    const shape = [7, 7];
    const mask = Array.from({ length: 49 }, (_, i) =>
      Math.abs((i % 7) - 3) <= 2 && Math.abs(Math.floor(i / 7) - 3) <= 2 ? 1 : 0,
    );
    const phi = signedDistanceMap({ mask, shape });
    expect(phi[1 * 7 + 3]).toBe(0); // inner boundary voxel (row 1)
    expect(phi[0 * 7 + 3]).toBe(1); // just outside (row 0)
    expect(phi[3 * 7 + 3]).toBe(-2); // centre: 3 voxels to the outside, minus 1
    expect(phi[0]).toBeCloseTo(Math.SQRT2, 6); // corner: diagonal to (1, 1)
  });

  it('empty and full masks: squared distances are Infinity, signed maps are 0 everywhere', () => {
    const shape = [3, 4];
    expect([...squaredDistanceToFeature({ feature: new Uint8Array(12), shape })].every((d) => d === Infinity)).toBe(true);
    expect([...distanceTransform({ mask: new Uint8Array(12).fill(1), shape })].every((d) => d === Infinity)).toBe(true);
    expect([...distanceTransform({ mask: new Uint8Array(12), shape })].every((d) => d === 0)).toBe(true);
    expect([...signedDistanceMap({ mask: new Uint8Array(12), shape })].every((d) => d === 0)).toBe(true);
    expect([...signedDistanceMap({ mask: new Uint8Array(12).fill(1), shape })].every((d) => d === 0)).toBe(true);
  });

  it('rejects a size that does not match the shape and non-positive spacing', () => {
    expect(() => distanceTransform({ mask: [1, 0, 1], shape: [2, 2] })).toThrow(/3 values for shape \[2,2\]/);
    expect(() => distanceTransform({ mask: [1, 0, 1, 0], shape: [2, 2], spacing: [1, 0] })).toThrow(/positive mm/);
    expect(() => distanceTransform({ mask: [1, 0, 1, 0], shape: [2, 2], spacing: [1] })).toThrow(/2 positive mm/);
  });

  it('batchSignedDistances: item b, class k is the signed map of channel k with item b spacing', () => {
    const spatial = [4, 5];
    const [B, K, M] = [2, 3, 20];
    const rng = createRng(9);
    const label = new Float32Array(B * M * K);
    for (let n = 0; n < B * M; n++) label[n * K + rng.int(K)] = 1;
    const spacings = [
      [1, 1],
      [2, 0.5],
    ];
    const maps = batchSignedDistances({ label, labelShape: [B, ...spatial, K], spacings });
    for (let b = 0; b < B; b++)
      for (let k = 0; k < K; k++) {
        const mask = Array.from({ length: M }, (_, m) => label[(b * M + m) * K + k]);
        const phi = signedDistanceMap({ mask, shape: spatial, spacing: spacings[b] });
        for (let m = 0; m < M; m++) expect(maps[(b * M + m) * K + k]).toBe(phi[m]);
      }
    expect(() => batchSignedDistances({ label, labelShape: [B, ...spatial, K], spacings: [[1, 1]] })).toThrow(/1 spacings for 2/);
  });

  it('two-class one-hot batches (both maps from one pair of transforms) equal each channel computed alone', () => {
    const spatial = [3, 6, 5];
    const M = 90;
    const rng = createRng(11);
    const label = new Float32Array(2 * M * 2);
    for (let n = 0; n < 2 * M; n++) label[n * 2 + (rng.next() < 0.3 ? 1 : 0)] = 1;
    // Item 1 is soft (0.5 / 0.5 at voxel 0): not complementary at the threshold, so computed per channel.
    label[M * 2] = 0.5;
    label[M * 2 + 1] = 0.5;
    const spacings = [
      [3, 1, 0.8],
      [1, 1, 1],
    ];
    const maps = batchSignedDistances({ label, labelShape: [2, ...spatial, 2], spacings });
    for (let b = 0; b < 2; b++)
      for (let k = 0; k < 2; k++) {
        const mask = Array.from({ length: M }, (_, m) => label[(b * M + m) * 2 + k]);
        const phi = signedDistanceMap({ mask, shape: spatial, spacing: spacings[b] });
        for (let m = 0; m < M; m++) expect(maps[(b * M + m) * 2 + k]).toBeCloseTo(phi[m], 6);
      }
  });
});

describe('distance transforms against scipy.ndimage.distance_transform_edt', () => {
  const skip = !hasScipy && !process.env.CI;
  if (skip) console.warn(`distance.test: scipy checks skipped, ${PYTHON} cannot import scipy.ndimage`);
  it.skipIf(skip)('random 2D and 3D masks with anisotropic spacing: EDT to 1e-9 mm, signed map to float32', () => {
    if (!hasScipy) throw new Error(`${PYTHON} cannot import scipy.ndimage and numpy`);
    const shapes = [
      { shape: [64, 64], spacing: [1, 1] },
      { shape: [48, 40], spacing: [0.9, 3] },
      { shape: [32, 32, 32], spacing: [1, 1, 1] },
      { shape: [12, 30, 25], spacing: [3, 0.8, 1.1] },
      { shape: [20, 16, 18], spacing: [0.5, 0.5, 2] },
    ];
    const cases: MaskCase[] = shapes.flatMap((s, i) =>
      [0.01, 0.2, 0.7].map((fg, j) => ({ ...s, mask: randomMask(100 + 3 * i + j, s.shape, fg) })),
    );
    const dir = mkdtempSync(join(tmpdir(), 'edt-'));
    try {
      const input = join(dir, 'cases.json');
      writeFileSync(input, JSON.stringify(cases));
      const run = spawnSync(PYTHON, [SCRIPT, input], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });
      if (run.status !== 0) throw new Error(`edt_check.py failed: ${run.stderr}`);
      const expected = JSON.parse(run.stdout) as { edt: number[]; signed: number[] }[];
      cases.forEach((c, k) => {
        const edt = distanceTransform(c);
        const phi = signedDistanceMap(c);
        let edtErr = 0;
        let phiErr = 0;
        for (let i = 0; i < edt.length; i++) {
          edtErr = Math.max(edtErr, Math.abs(edt[i] - expected[k].edt[i]));
          phiErr = Math.max(phiErr, Math.abs(phi[i] - expected[k].signed[i]) / Math.max(1, Math.abs(expected[k].signed[i])));
        }
        expect(edtErr, `case ${k} [${c.shape.join('x')}] edt`).toBeLessThan(1e-9);
        expect(phiErr, `case ${k} [${c.shape.join('x')}] signed`).toBeLessThan(1e-6);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
