// Min/max summaries against a brute-force reference (group by bucket, scan for extremes) that shares no
// code with the summary's incremental merging, plus the shape guarantees charts and saved records rely on.
import { describe, expect, it } from 'vitest';
import { createRng } from '../engine/data/rng';
import { appendInPlace, downsampleMinMax, MinMaxSummary } from './series';

interface P {
  step: number;
  a: number;
  b: number;
}
const byA = { x: (p: P) => p.step, values: [(p: P) => p.a] };
const byAB = { x: (p: P) => p.step, values: [(p: P) => p.a, (p: P) => p.b] };

function walk(n: number, seed: number, stride = 1): P[] {
  const rng = createRng(seed);
  const rand = () => rng.next();
  let a = 0;
  return Array.from({ length: n }, (_, i) => {
    a += rand() - 0.5;
    return { step: 1 + i * stride, a, b: Math.sin(i / 50) + rand() };
  });
}

/** Reference: bucket i holds the points with floor((step - first) / width) = i; keep first, last, extremes. */
function reference(points: P[], width: number, keys: ('a' | 'b')[]): P[] {
  const groups = new Map<number, number[]>();
  points.forEach((p, i) => {
    const id = Math.floor((p.step - points[0].step) / width);
    groups.set(id, [...(groups.get(id) ?? []), i]);
  });
  const keep = new Set([0, points.length - 1]);
  for (const idx of groups.values())
    for (const k of keys) {
      const vals = idx.map((i) => points[i][k]).filter((v) => !Number.isNaN(v));
      if (vals.length === 0) continue;
      keep.add(idx.find((i) => points[i][k] === Math.min(...vals))!);
      keep.add(idx.find((i) => points[i][k] === Math.max(...vals))!);
    }
  return [...keep].sort((x, y) => x - y).map((i) => points[i]);
}

describe('appendInPlace', () => {
  it('pushes every item in order onto the same array, even 200,000 at once', () => {
    const target = [1, 2];
    const more = Array.from({ length: 200_000 }, (_, i) => i + 3);
    appendInPlace(target, more);
    expect(target).toHaveLength(200_002);
    expect(target[2]).toBe(3);
    expect(target.at(-1)).toBe(200_002);
  });
});

describe('downsampleMinMax', () => {
  it('returns a series within the limit unchanged (the same array)', () => {
    const pts = walk(500, 1);
    expect(downsampleMinMax({ ...byA, points: pts, maxPoints: 500 })).toBe(pts);
    expect(downsampleMinMax({ ...byA, points: [], maxPoints: 10 })).toEqual([]);
  });

  it.each([
    [2_001, 2_000, 1],
    [10_000, 2_000, 7],
    [100_000, 2_000, 3],
    [100_000, 50, 11],
    [30_000, 1_000, 5],
  ])('keeps %i points within %i: bounded, ordered, first/last and global extremes kept (seed %i)', (n, max, seed) => {
    const pts = walk(n, seed);
    const out = downsampleMinMax({ ...byAB, points: pts, maxPoints: max });
    expect(out.length).toBeLessThanOrEqual(max);
    expect(out.length).toBeGreaterThan(max / 4); // the budget is used, not wasted
    const index = new Map(pts.map((p, i) => [p, i]));
    const at = out.map((p) => index.get(p) ?? -1);
    expect(at.every((i, j) => i >= 0 && (j === 0 || i > at[j - 1]))).toBe(true);
    expect(out[0]).toBe(pts[0]);
    expect(out.at(-1)).toBe(pts.at(-1));
    for (const k of ['a', 'b'] as const) {
      let lo = pts[0];
      let hi = pts[0];
      for (const p of pts) {
        if (p[k] < lo[k]) lo = p;
        if (p[k] > hi[k]) hi = p;
      }
      expect(out).toContain(lo);
      expect(out).toContain(hi);
    }
  });

  it('keeps a one-step spike anywhere in a long flat series', () => {
    for (const at of [1, 777, 54_321, 99_998]) {
      const pts = Array.from({ length: 100_000 }, (_, i) => ({ step: i + 1, a: i === at ? 9 : 0, b: 0 }));
      const out = downsampleMinMax({ ...byA, points: pts, maxPoints: 2_000 });
      expect(out.filter((p) => p.a === 9)).toEqual([pts[at]]);
    }
  });

  it('skips NaN values (a diverged loss) and still keeps the last point', () => {
    const pts = walk(5_000, 4);
    pts[100].a = Number.NaN;
    pts[4_999].a = Number.NaN;
    const out = downsampleMinMax({ ...byA, points: pts, maxPoints: 300 });
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.at(-1)).toBe(pts[4_999]);
    expect(out).not.toContain(pts[100]);
    expect(Math.min(...out.filter((p) => !Number.isNaN(p.a)).map((p) => p.a))).toBe(
      Math.min(...pts.filter((p) => !Number.isNaN(p.a)).map((p) => p.a)),
    );
  });

  it('stays bounded when steps go backwards or are not finite (a bad import), keeping the last point', () => {
    const pts = walk(20_000, 6);
    pts[5_000].step = 3;
    pts[9_000].step = Number.NaN;
    pts[12_000].step = Number.POSITIVE_INFINITY;
    for (let i = 15_000; i < 16_000; i++) pts[i].step = 40_000 - i;
    const out = downsampleMinMax({ ...byA, points: pts, maxPoints: 400 });
    expect(out.length).toBeLessThanOrEqual(400);
    expect(out.at(-1)).toBe(pts.at(-1));
    expect(out).toContain(pts.reduce((m, p) => (p.a > m.a ? p : m)));
  });

  it('rejects a budget too small for one bucket', () => {
    expect(() => downsampleMinMax({ ...byAB, points: [], maxPoints: 5 })).toThrow(/maxPoints must be >= 6/);
  });
});

describe('MinMaxSummary', () => {
  it.each([
    [5_000, 200, 1, ['a'] as const],
    [50_000, 2_000, 1, ['a', 'b'] as const],
    [20_000, 500, 25, ['a', 'b'] as const],
  ])('matches the brute-force buckets of its final width (%i points, max %i, stride %i)', (n, max, stride, keys) => {
    const pts = walk(n, n + max, stride);
    const s = new MinMaxSummary({ x: (p: P) => p.step, values: keys.map((k) => (p: P) => p[k]), maxPoints: max });
    for (const p of pts) s.push(p);
    expect(s.bucketWidth).toBeGreaterThan(1);
    // The width is the smallest power of two that fits the step range into the buckets.
    const buckets = Math.floor((max - 2) / (2 * keys.length));
    const range = pts.at(-1)!.step - pts[0].step;
    expect(Math.floor(range / s.bucketWidth)).toBeLessThan(buckets);
    expect(Math.floor(range / (s.bucketWidth / 2))).toBeGreaterThanOrEqual(buckets);
    expect(s.points(pts)).toEqual(reference(pts, s.bucketWidth, [...keys]));
  });

  it('gives the same points fed 10 at a time, with reads in between, as fed at once', () => {
    const pts = walk(20_000, 9);
    const inc = new MinMaxSummary({ ...byAB, maxPoints: 2_000 });
    let read: readonly P[] = [];
    for (let i = 0; i < pts.length; i++) {
      inc.push(pts[i]);
      if (i % 10 === 9) read = inc.points(pts); // the source may be longer than what was pushed
    }
    expect(read).toEqual(downsampleMinMax({ ...byAB, points: pts, maxPoints: 2_000 }));
  });

  it('hands back all indices while within the limit', () => {
    const s = new MinMaxSummary({ ...byA, maxPoints: 10 });
    for (const p of walk(7, 2)) s.push(p);
    expect(s.indices()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
