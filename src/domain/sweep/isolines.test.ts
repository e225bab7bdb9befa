import { describe, expect, it } from 'vitest';
import { type Grid, isolines, joinSegments, marchingSquares, refineGrid } from './isolines';
import { axisAt } from './plot';

/** Bilinear value of a full grid at (x = col, y = row), written independently of refineGrid. */
function bilinear(z: number[][], x: number, y: number): number {
  const c = Math.min(Math.floor(x), z[0].length - 2);
  const r = Math.min(Math.floor(y), z.length - 2);
  const fx = x - c;
  const fy = y - r;
  const top = z[r][c] * (1 - fx) + z[r][c + 1] * fx;
  const bottom = z[r + 1][c] * (1 - fx) + z[r + 1][c + 1] * fx;
  return top * (1 - fy) + bottom * fy;
}

describe('refineGrid', () => {
  it('reproduces a bilinear field exactly and keeps the original nodes', () => {
    const z = [
      [0, 1, 4],
      [2, 5, 3],
    ];
    const fine = refineGrid({ z, factor: 4 });
    expect(fine).toHaveLength(5);
    expect(fine[0]).toHaveLength(9);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 9; j++) expect(fine[i][j]).toBeCloseTo(bilinear(z, j / 4, i / 4), 12);
    expect(fine[4][8]).toBe(3);
  });

  it('a missing value blanks only the points that depend on it', () => {
    const fine = refineGrid({ z: [[0, null, 2]], factor: 2 });
    expect(fine).toEqual([[0, null, null, null, 2]]);
  });
});

describe('marchingSquares', () => {
  it('a ramp in x crosses 1.5 on the vertical line x = 1.5', () => {
    const z = [0, 1, 2].map(() => [0, 1, 2, 3]);
    const segs = marchingSquares({ z, level: 1.5 });
    expect(segs).toHaveLength(2);
    for (const p of segs.flat()) expect(p[0]).toBeCloseTo(1.5, 12);
    const lines = joinSegments(segs);
    expect(lines).toHaveLength(1);
    expect(lines[0].map((p) => p[1]).sort()).toEqual([0, 1, 2]);
  });

  it('every point of a random field\u2019s isolines lies on a cell edge at the level', () => {
    // A fixed pseudo-random field (a small LCG: the test needs no particular generator).
    let state = 7;
    const next = () => (state = (state * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32;
    const z = Array.from({ length: 6 }, () => Array.from({ length: 7 }, () => next()));
    for (const level of [0.2, 0.5, 0.8]) {
      const segs = marchingSquares({ z, level });
      expect(segs.length).toBeGreaterThan(0);
      for (const [x, y] of segs.flat()) {
        const onEdge = Math.abs(x - Math.round(x)) < 1e-12 || Math.abs(y - Math.round(y)) < 1e-12;
        expect(onEdge).toBe(true);
        expect(bilinear(z, x, y)).toBeCloseTo(level, 9);
      }
    }
  });

  it('saddles follow the cell mean', () => {
    // tl and br high, mean .5 >= .5: they connect, cutting off tr and bl.
    const high = marchingSquares({
      z: [
        [1, 0],
        [0, 1],
      ],
      level: 0.5,
    });
    const key = (s: [number, number][]) =>
      s
        .map((p) => p.join(','))
        .sort()
        .join(' ');
    expect(high.map(key).sort()).toEqual(['0,0.5 0.5,1', '0.5,0 1,0.5']);
    // Mean .375 < .45: tl and br are cut off instead; each segment has one end near tl or br.
    const low = marchingSquares({
      z: [
        [1, 0],
        [0, 0.5],
      ],
      level: 0.45,
    });
    expect(low).toHaveLength(2);
    const nearTl = low.filter(([a, b]) => Math.max(a[0], b[0]) < 0.6 && Math.max(a[1], b[1]) < 0.6);
    expect(nearTl).toHaveLength(1);
  });

  it('skips cells with a missing corner', () => {
    const z: Grid = [
      [0, 1, null],
      [0, 1, 1],
    ];
    const segs = marchingSquares({ z, level: 0.5 });
    expect(segs).toHaveLength(1);
    expect(segs[0].map((p) => p[0])).toEqual([0.5, 0.5]);
  });
});

describe('isolines', () => {
  it('a cone gives one closed ring per level at the right radius (in input units)', () => {
    const n = 9;
    const z = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 1 - Math.hypot(i - 4, j - 4) / 4));
    const [ring] = isolines({ z, levels: [0.5], factor: 4 });
    expect(ring.lines).toHaveLength(1);
    const line = ring.lines[0];
    expect(line[0]).toEqual(line.at(-1));
    for (const [x, y] of line) expect(Math.hypot(x - 4, y - 4)).toBeGreaterThan(1.9);
    for (const [x, y] of line) expect(Math.hypot(x - 4, y - 4)).toBeLessThan(2.1);
  });

  it('axisAt maps a fractional index onto uneven coordinates', () => {
    expect(axisAt([16, 24, 48], 0)).toBe(16);
    expect(axisAt([16, 24, 48], 0.5)).toBe(20);
    expect(axisAt([16, 24, 48], 1.25)).toBe(30);
    expect(axisAt([16, 24, 48], 2)).toBe(48);
    expect(axisAt([7], 0)).toBe(7);
  });
});
