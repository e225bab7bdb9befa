// Challenge metrics on tiny grids where every number is worked out by hand (in the comments).
import { describe, expect, it } from 'vitest';

import { boundaryVoxels, connectedComponents, distancesToSites, segmentationMetrics, type Vec3 } from './index';

type Voxel = [number, number, number];

/** A 0/1 mask with the given voxels set (x fastest). */
function mask(dims: Vec3, voxels: Voxel[]): Uint8Array {
  const m = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (const [x, y, z] of voxels) m[x + dims[0] * (y + dims[1] * z)] = 1;
  return m;
}

/** Voxels (x, 0, 0) for x in [from, to). */
const row = (from: number, to: number, y = 0): Voxel[] => Array.from({ length: to - from }, (_, k) => [from + k, y, 0]);

describe('hd95 by hand', () => {
  it('a single voxel shifted by 2 along x: hd95 = 2 mm, dice 0, one lesion missed', () => {
    const dims: Vec3 = [5, 5, 5];
    const m = segmentationMetrics({
      dims,
      spacing: [1, 1, 1],
      reference: mask(dims, [[1, 2, 2]]),
      prediction: mask(dims, [[3, 2, 2]]),
    });
    expect(m).toMatchObject({ dice: 0, hd95: 2, avd: 0, lesionRecall: 0, lesionPrecision: 0, lesionF1: 0 });
    expect(m).toMatchObject({ referenceLesions: 1, predictedLesions: 1, referenceLesionsHit: 0 });
  });

  it('anisotropic spacing [0.5, 2, 3]: a shift of one voxel is 0.5, 2 or 3 mm; a diagonal one is their hypot', () => {
    const dims: Vec3 = [3, 3, 3];
    const at = (p: Voxel) =>
      segmentationMetrics({ dims, spacing: [0.5, 2, 3], reference: mask(dims, [[1, 1, 1]]), prediction: mask(dims, [p]) }).hd95;
    expect(at([2, 1, 1])).toBe(0.5);
    expect(at([1, 0, 1])).toBe(2);
    expect(at([1, 1, 2])).toBe(3);
    // sqrt(0.25 + 4 + 9) = sqrt(13.25)
    expect(at([0, 2, 0])).toBeCloseTo(Math.sqrt(13.25), 14);
  });

  it('two lesions, one missed: the 95th percentile interpolates between order statistics', () => {
    // Reference: a 2x2 block at x, y in {0, 1} (4 voxels) and one voxel at (6, 2); prediction: the block.
    const dims: Vec3 = [8, 4, 1];
    const block: Voxel[] = [
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [1, 1, 0],
    ];
    const m = segmentationMetrics({
      dims,
      spacing: [1, 1, 1],
      reference: mask(dims, [...block, [6, 2, 0]]),
      prediction: mask(dims, block),
    });
    // Reference boundary -> prediction: [0, 0, 0, 0, sqrt(5^2 + 1^2)]; h = 0.95 * 4 = 3.8 -> 0.8 sqrt(26).
    // Prediction -> reference: all 0. hd95 = 0.8 sqrt(26).
    expect(m.hd95).toBeCloseTo(0.8 * Math.sqrt(26), 14);
    expect(m.dice).toBeCloseTo(8 / 9, 15); // 2 * 4 / (5 + 4)
    expect(m.avd).toBeCloseTo(20, 13); // |5 - 4| / 5
    expect(m).toMatchObject({ lesionRecall: 0.5, lesionPrecision: 1, referenceLesions: 2, predictedLesions: 1 });
    expect(m.lesionF1).toBeCloseTo(2 / 3, 15); // 2 * 1 * 0.5 / 1.5
    expect(m.recallBySize.small).toEqual({ hit: 1, total: 2, recall: 0.5 });
  });

  it('the grid edge counts as background: a full 3x3 slice keeps its 8 edge voxels as boundary', () => {
    const dims: Vec3 = [3, 3, 1];
    const full: Voxel[] = [0, 1, 2].flatMap((y) => row(0, 3, y));
    expect(Array.from(boundaryVoxels({ mask: mask(dims, full), dims }))).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
    // Prediction: the centre. Reference boundary -> centre: 1 x4, sqrt 2 x4; h = 0.95 * 7 = 6.65 -> sqrt 2.
    const m = segmentationMetrics({ dims, spacing: [1, 1, 1], reference: mask(dims, full), prediction: mask(dims, [[1, 1, 0]]) });
    expect(m.hd95).toBeCloseTo(Math.SQRT2, 15);
    expect(m.dice).toBeCloseTo(0.2, 15); // 2 * 1 / (9 + 1)
    expect(m.avd).toBeCloseTo((8 / 9) * 100, 12);
  });

  it('erosion is in-plane only: the centre column of a full 3x3x3 cube is interior even on the top and bottom faces', () => {
    const dims: Vec3 = [3, 3, 3];
    const cube = new Uint8Array(27).fill(1);
    const b = Array.from(boundaryVoxels({ mask: cube, dims }));
    expect(b).toHaveLength(24);
    for (const centre of [4, 13, 22]) expect(b).not.toContain(centre);
  });
});

describe('lesions by hand', () => {
  it('26-connectivity: voxels meeting only at a corner or an edge are one lesion; a gap makes two', () => {
    const cube: Vec3 = [2, 2, 2];
    const corner = mask(cube, [
      [0, 0, 0],
      [1, 1, 1],
    ]);
    expect(connectedComponents({ mask: corner, dims: cube }).count).toBe(1); // 6-connectivity would give 2
    const edge = mask(cube, [
      [0, 0, 0],
      [1, 1, 0],
    ]);
    expect(connectedComponents({ mask: edge, dims: cube }).count).toBe(1);
    const line: Vec3 = [3, 1, 1];
    const gap = connectedComponents({
      mask: mask(line, [
        [0, 0, 0],
        [2, 0, 0],
      ]),
      dims: line,
      other: mask(line, [[2, 0, 0]]),
    });
    // Numbered in scan order; only the second touches `other`.
    expect({ count: gap.count, sizes: Array.from(gap.sizes), overlaps: Array.from(gap.overlaps) }).toEqual({
      count: 2,
      sizes: [1, 1],
      overlaps: [0, 1],
    });
    const m = segmentationMetrics({ dims: cube, spacing: [1, 1, 1], reference: corner, prediction: mask(cube, [[1, 1, 1]]) });
    expect(m).toMatchObject({ referenceLesions: 1, lesionRecall: 1, lesionPrecision: 1 });
  });

  it('precision counts reference lesions hit over predicted components, so one component over two lesions gives 2', () => {
    const dims: Vec3 = [3, 1, 1];
    const reference = mask(dims, [
      [0, 0, 0],
      [2, 0, 0],
    ]);
    const m = segmentationMetrics({ dims, spacing: [1, 1, 1], reference, prediction: mask(dims, row(0, 3)) });
    expect(m).toMatchObject({ referenceLesions: 2, predictedLesions: 1, referenceLesionsHit: 2, predictedLesionsHit: 1 });
    expect(m).toMatchObject({ lesionRecall: 1, lesionPrecision: 2 });
    expect(m.lesionF1).toBeCloseTo(4 / 3, 15); // 2 * 2 * 1 / 3
  });

  it('recall by size: lesions of 9 | 10 and 100 | 101 voxels fall in bins <10, 10-100, >100', () => {
    const dims: Vec3 = [101, 7, 1];
    const reference = mask(dims, [...row(0, 9, 0), ...row(0, 10, 2), ...row(0, 100, 4), ...row(0, 101, 6)]);
    // One predicted voxel inside the 10-voxel and the 101-voxel lesions.
    const prediction = mask(dims, [
      [5, 2, 0],
      [50, 6, 0],
    ]);
    const m = segmentationMetrics({ dims, spacing: [1, 1, 1], reference, prediction });
    expect(m.recallBySize).toEqual({
      small: { hit: 0, total: 1, recall: 0 },
      medium: { hit: 1, total: 2, recall: 0.5 },
      large: { hit: 1, total: 1, recall: 1 },
    });
    expect(m).toMatchObject({ referenceLesions: 4, predictedLesions: 2, lesionRecall: 0.5, lesionPrecision: 1 });
  });
});

describe('empty masks and inputs', () => {
  const dims: Vec3 = [4, 3, 2];
  const spacing: Vec3 = [1, 2, 3];
  const none = mask(dims, []);
  const three = mask(dims, row(0, 3));
  const diagonal = Math.sqrt(4 ** 2 + 6 ** 2 + 6 ** 2); // field of view 4 x 6 x 6 mm

  it('both empty: perfect scores, empty bins recall 1', () => {
    const m = segmentationMetrics({ dims, spacing, reference: none, prediction: none });
    expect(m).toMatchObject({ dice: 1, hd95: 0, avd: 0, lesionRecall: 1, lesionPrecision: 1, lesionF1: 1 });
    expect(m).toMatchObject({ referenceLesions: 0, predictedLesions: 0, referenceVoxels: 0, predictedVoxels: 0 });
    expect(m.recallBySize.small).toEqual({ hit: 0, total: 0, recall: 1 });
  });

  it('empty reference: dice 0, hd95 the grid diagonal, avd 100 x predicted voxels, recall 1, precision 0', () => {
    const m = segmentationMetrics({ dims, spacing, reference: none, prediction: three });
    expect(m).toMatchObject({ dice: 0, avd: 300, lesionRecall: 1, lesionPrecision: 0, lesionF1: 0, predictedLesions: 1 });
    expect(m.hd95).toBeCloseTo(diagonal, 14);
  });

  it('empty prediction: dice 0, hd95 the grid diagonal, avd 100, recall, precision and F1 0', () => {
    const m = segmentationMetrics({ dims, spacing, reference: three, prediction: none });
    expect(m).toMatchObject({ dice: 0, avd: 100, lesionRecall: 0, lesionPrecision: 0, lesionF1: 0, referenceLesions: 1 });
    expect(m.hd95).toBeCloseTo(diagonal, 14);
  });

  it('every result is plain JSON: it round-trips unchanged (no NaN or Infinity)', () => {
    for (const [reference, prediction] of [
      [none, none],
      [none, three],
      [three, none],
      [three, three],
    ]) {
      const m = segmentationMetrics({ dims, spacing, reference, prediction });
      expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    }
  });

  it('any nonzero value is foreground', () => {
    const m = segmentationMetrics({ dims, spacing, reference: three.map((v) => v * 255), prediction: three });
    expect(m).toMatchObject({ dice: 1, hd95: 0, referenceVoxels: 3 });
  });

  it('rejects mismatched lengths, bad dims and bad spacing', () => {
    expect(() => segmentationMetrics({ dims, spacing, reference: none, prediction: new Uint8Array(23) })).toThrow(
      /prediction has 23/,
    );
    expect(() => segmentationMetrics({ dims: [4, 3, 0], spacing, reference: none, prediction: none })).toThrow(RangeError);
    expect(() => segmentationMetrics({ dims, spacing: [1, 0, 1], reference: none, prediction: none })).toThrow(/spacing/);
  });
});

describe('distance transform by hand', () => {
  it('1D: sites at both ends of 5 voxels of 2 mm give [0, 2, 4, 2, 0]', () => {
    const d = distancesToSites({
      sites: Int32Array.of(0, 4),
      queries: Int32Array.of(0, 1, 2, 3, 4),
      dims: [5, 1, 1],
      spacing: [2, 1, 1],
    });
    expect(Array.from(d)).toEqual([0, 2, 4, 2, 0]);
  });

  it('3D anisotropic: from (2, 1, 1) to a site at the origin with spacing [1, 2, 3] is sqrt(4 + 4 + 9)', () => {
    const dims: Vec3 = [3, 2, 2];
    const d = distancesToSites({
      sites: Int32Array.of(0),
      queries: Int32Array.of(2 + 3 * (1 + 2 * 1)),
      dims,
      spacing: [1, 2, 3],
    });
    expect(d[0]).toBeCloseTo(Math.sqrt(17), 15);
  });

  it('no sites: every query is at Infinity', () => {
    const d = distancesToSites({ sites: new Int32Array(0), queries: Int32Array.of(0, 5), dims: [2, 3, 1], spacing: [1, 1, 1] });
    expect(Array.from(d)).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });
});
