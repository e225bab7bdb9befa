// Isolines of a gridded field by marching squares, after bilinear refinement (the paper's Fig. 1
// isolines are "linearly interpolated"). Grids are rows x cols; null marks a missing value.
export type Grid = (number | null)[][];
export type Point = [x: number, y: number];

/** Bilinear upsampling: (R-1)f+1 x (C-1)f+1 points; a point is null if a corner it depends on is. */
export function refineGrid(params: { z: Grid; factor: number }): Grid {
  const { z, factor } = params;
  const R = z.length;
  const C = z[0]?.length ?? 0;
  if (R === 0 || C === 0) return [];
  const rows = (R - 1) * factor + 1;
  const cols = (C - 1) * factor + 1;
  const out: Grid = [];
  for (let i = 0; i < rows; i++) {
    const y = i / factor;
    const r0 = Math.min(Math.floor(y), R - 1);
    const fy = y - r0;
    const r1 = Math.min(r0 + 1, R - 1);
    const row: (number | null)[] = [];
    for (let j = 0; j < cols; j++) {
      const x = j / factor;
      const c0 = Math.min(Math.floor(x), C - 1);
      const fx = x - c0;
      const c1 = Math.min(c0 + 1, C - 1);
      const corners: [number | null, number][] = [
        [z[r0][c0], (1 - fy) * (1 - fx)],
        [z[r0][c1], (1 - fy) * fx],
        [z[r1][c0], fy * (1 - fx)],
        [z[r1][c1], fy * fx],
      ];
      let v = 0;
      let missing = false;
      for (const [value, w] of corners) {
        if (w === 0) continue;
        if (value === null) missing = true;
        else v += w * value;
      }
      row.push(missing ? null : v);
    }
    out.push(row);
  }
  return out;
}

// Edges of a cell: 0 top (tl-tr), 1 right (tr-br), 2 bottom (bl-br), 3 left (tl-bl).
// Corner bits: tl 8, tr 4, br 2, bl 1 (set when the value is >= level).
const SEGMENTS: Record<number, [number, number][]> = {
  1: [[3, 2]],
  2: [[2, 1]],
  3: [[3, 1]],
  4: [[0, 1]],
  6: [[0, 2]],
  7: [[3, 0]],
  8: [[3, 0]],
  9: [[0, 2]],
  11: [[0, 1]],
  12: [[3, 1]],
  13: [[2, 1]],
  14: [[3, 2]],
};

/** Line segments where the piecewise-linear field crosses `level`, in (col, row) index units. */
export function marchingSquares(params: { z: Grid; level: number }): [Point, Point][] {
  const { z, level } = params;
  const segments: [Point, Point][] = [];
  for (let r = 0; r + 1 < z.length; r++)
    for (let c = 0; c + 1 < z[r].length; c++) {
      const tl = z[r][c];
      const tr = z[r][c + 1];
      const br = z[r + 1][c + 1];
      const bl = z[r + 1][c];
      if (tl === null || tr === null || br === null || bl === null) continue;
      const idx = (tl >= level ? 8 : 0) | (tr >= level ? 4 : 0) | (br >= level ? 2 : 0) | (bl >= level ? 1 : 0);
      if (idx === 0 || idx === 15) continue;
      const t = (a: number, b: number) => (a === b ? 0.5 : (level - a) / (b - a));
      const at = (edge: number): Point => {
        if (edge === 0) return [c + t(tl, tr), r];
        if (edge === 1) return [c + 1, r + t(tr, br)];
        if (edge === 2) return [c + t(bl, br), r + 1];
        return [c, r + t(tl, bl)];
      };
      let pairs = SEGMENTS[idx];
      if (idx === 5 || idx === 10) {
        // Saddle: the cell's mean decides which diagonal corners connect.
        const centreHigh = (tl + tr + br + bl) / 4 >= level;
        const highTrBl = idx === 5;
        pairs =
          centreHigh === highTrBl
            ? [
                [3, 0],
                [2, 1],
              ]
            : [
                [0, 1],
                [3, 2],
              ];
      }
      for (const [a, b] of pairs) {
        const p = at(a);
        const q = at(b);
        // A level met exactly at a corner gives zero-length pieces: they only confuse the joining.
        if (p[0] !== q[0] || p[1] !== q[1]) segments.push([p, q]);
      }
    }
  return segments;
}

/** Joins segments that share end points into polylines. */
export function joinSegments(segments: readonly [Point, Point][]): Point[][] {
  const key = (p: Point) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`;
  const ends = new Map<string, number[]>();
  segments.forEach(([a, b], i) => {
    for (const p of [a, b]) ends.set(key(p), [...(ends.get(key(p)) ?? []), i]);
  });
  const used = new Set<number>();
  const lines: Point[][] = [];
  const extend = (line: Point[], atEnd: boolean) => {
    for (;;) {
      const tip = atEnd ? line[line.length - 1] : line[0];
      const next = (ends.get(key(tip)) ?? []).find((i) => !used.has(i));
      if (next === undefined) return;
      used.add(next);
      const [a, b] = segments[next];
      const other = key(a) === key(tip) ? b : a;
      if (atEnd) line.push(other);
      else line.unshift(other);
    }
  };
  segments.forEach(([a, b], i) => {
    if (used.has(i)) return;
    used.add(i);
    const line: Point[] = [a, b];
    extend(line, true);
    extend(line, false);
    lines.push(line);
  });
  return lines;
}

export interface Isoline {
  level: number;
  /** Polylines in (col, row) units of the grid passed in (not of the refined grid). */
  lines: Point[][];
}

/** Isolines at each level, traced on a bilinearly refined grid and mapped back to the input's units. */
export function isolines(params: { z: Grid; levels: readonly number[]; factor?: number }): Isoline[] {
  const factor = params.factor ?? 8;
  const fine = refineGrid({ z: params.z, factor });
  return params.levels.map((level) => ({
    level,
    lines: joinSegments(marchingSquares({ z: fine, level })).map((line) => line.map(([x, y]): Point => [x / factor, y / factor])),
  }));
}
