// Masks on the grid against brute force written here: every voxel checked against its neighbourhood,
// on random masks that reach the grid's edges (where a wrong bound would wrap into the next row or slice).
import { describe, expect, it } from 'vitest';
import type { Dims3 } from './fields';
import { boundingBox, boxIndices, dilate, dilateBall } from './morphology';
import { createRng } from './rng';

function randomMask(n: number, density: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const m = new Uint8Array(n);
  for (let i = 0; i < n; i++) m[i] = rng.next() < density ? 1 : 0;
  return m;
}

const idx = (d: Dims3, x: number, y: number, z: number) => x + d[0] * (y + d[1] * z);

/** Box dilation by definition: any set voxel within |dx| <= rx, |dy| <= ry, |dz| <= rz inside the grid. */
function bruteDilate(m: Uint8Array, d: Dims3, r: Dims3): Uint8Array {
  const out = new Uint8Array(m.length);
  for (let z = 0; z < d[2]; z++)
    for (let y = 0; y < d[1]; y++)
      for (let x = 0; x < d[0]; x++) {
        let v = 0;
        for (let c = Math.max(0, z - r[2]); c <= Math.min(d[2] - 1, z + r[2]); c++)
          for (let b = Math.max(0, y - r[1]); b <= Math.min(d[1] - 1, y + r[1]); b++)
            for (let a = Math.max(0, x - r[0]); a <= Math.min(d[0] - 1, x + r[0]); a++) v |= m[idx(d, a, b, c)];
        out[idx(d, x, y, z)] = v;
      }
  return out;
}

/** One face-neighbour step by definition. */
function bruteCross(m: Uint8Array, d: Dims3): Uint8Array {
  const out = m.slice();
  const steps: Dims3[] = [
    [1, 0, 0],
    [-1, 0, 0],
    [0, 1, 0],
    [0, -1, 0],
    [0, 0, 1],
    [0, 0, -1],
  ];
  for (let z = 0; z < d[2]; z++)
    for (let y = 0; y < d[1]; y++)
      for (let x = 0; x < d[0]; x++)
        for (const [a, b, c] of steps) {
          const [u, v, w] = [x + a, y + b, z + c];
          if (u >= 0 && v >= 0 && w >= 0 && u < d[0] && v < d[1] && w < d[2] && m[idx(d, u, v, w)]) out[idx(d, x, y, z)] = 1;
        }
  return out;
}

const GRIDS: Dims3[] = [
  [7, 5, 4],
  [1, 6, 5],
  [9, 1, 3],
  [5, 4, 1],
  [12, 9, 7],
];

describe('dilate', () => {
  it('equals box dilation by definition, per axis radius 0 to 3, sparse and dense masks, at the edges', () => {
    let seed = 1;
    for (const d of GRIDS)
      for (const density of [0.02, 0.15, 0.5])
        for (const r of [
          [1, 1, 1],
          [0, 2, 1],
          [3, 0, 0],
          [1, 3, 2],
          [0, 0, 1],
        ] as Dims3[]) {
          const m = randomMask(d[0] * d[1] * d[2], density, seed++);
          const before = m.slice();
          expect(Array.from(dilate({ mask: m, dims: d, radius: r })), `${d} ${r} ${density}`).toEqual(
            Array.from(bruteDilate(m, d, r)),
          );
          expect(m).toEqual(before); // the input is left alone
        }
  });

  it('rounds fractional radii and leaves an axis alone below 0.5', () => {
    const d: Dims3 = [8, 6, 5];
    const m = randomMask(240, 0.1, 99);
    expect(dilate({ mask: m, dims: d, radius: [1.4, 0.4, 2.6] })).toEqual(bruteDilate(m, d, [1, 0, 3]));
  });
});

describe('dilateBall', () => {
  it('alternates face and box steps, radius rounded (0 gives a copy)', () => {
    for (const [k, d] of GRIDS.entries()) {
      const m = randomMask(d[0] * d[1] * d[2], 0.05, 200 + k);
      for (const radius of [0, 1, 2, 3, 2.4]) {
        let want = m;
        for (let s = 0; s < Math.round(radius); s++) want = s % 2 === 0 ? bruteCross(want, d) : bruteDilate(want, d, [1, 1, 1]);
        const got = dilateBall({ mask: m, dims: d, radius });
        expect(got).toEqual(want);
        expect(got).not.toBe(m);
      }
    }
  });
});

describe('boundingBox and boxIndices', () => {
  it('the box of the set voxels grown by the margin and clipped; an empty mask gives one voxel at 0', () => {
    for (const [k, d] of GRIDS.entries()) {
      const m = randomMask(d[0] * d[1] * d[2], 0.03, 300 + k);
      const lo = [Infinity, Infinity, Infinity];
      const hi = [-1, -1, -1];
      for (let z = 0; z < d[2]; z++)
        for (let y = 0; y < d[1]; y++)
          for (let x = 0; x < d[0]; x++)
            if (m[idx(d, x, y, z)])
              [x, y, z].forEach((v, a) => {
                lo[a] = Math.min(lo[a], v);
                hi[a] = Math.max(hi[a], v);
              });
      for (const margin of [0, 1, 3]) {
        const box = boundingBox(m, d, margin);
        if (hi[0] < 0) {
          expect(box).toEqual({ min: [0, 0, 0], size: [1, 1, 1] });
          continue;
        }
        const min = lo.map((v) => Math.max(0, v - margin));
        const max = hi.map((v, a) => Math.min(d[a] - 1, v + margin));
        expect(box).toEqual({ min, size: max.map((v, a) => v - min[a] + 1) });
      }
    }
    expect(boundingBox(new Uint8Array(60), [5, 4, 3], 2)).toEqual({ min: [0, 0, 0], size: [1, 1, 1] });
  });

  it('boxIndices lists the box voxels x fastest, as nested loops do', () => {
    const d: Dims3 = [9, 7, 6];
    const box = { min: [2, 1, 3] as [number, number, number], size: [4, 5, 2] as [number, number, number] };
    const want: number[] = [];
    for (let z = 0; z < 2; z++) for (let y = 0; y < 5; y++) for (let x = 0; x < 4; x++) want.push(idx(d, 2 + x, 1 + y, 3 + z));
    expect(Array.from(boxIndices(box, d))).toEqual(want);
    expect(Array.from(boxIndices({ min: [0, 0, 0], size: [...d] as [number, number, number] }, d))).toEqual(
      Array.from({ length: 9 * 7 * 6 }, (_, i) => i),
    );
  });
});
