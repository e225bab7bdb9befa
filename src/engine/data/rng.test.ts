import { describe, expect, it } from 'vitest';
import { approxNormalFromBits, createRng } from './rng';

const draw = (seed: number, n: number) => Array.from({ length: n }, createRng(seed).next);

function moments(xs: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i] - mean) ** 2;
  return { mean, variance: v / xs.length };
}

describe('createRng', () => {
  it('replays a seed exactly and differs between seeds (including non-integer and huge seeds)', () => {
    expect(draw(42, 500)).toEqual(draw(42, 500));
    for (const [a, b] of [
      [42, 43],
      [0, 1],
      [1, 1.5],
      [2 ** 40, 2 ** 40 + 1],
    ]) {
      const x = draw(a, 50);
      const y = draw(b, 50);
      expect(x.filter((v, i) => v === y[i]).length).toBe(0);
    }
    expect(draw(-0, 10)).toEqual(draw(0, 10));
  });

  it('next() is uniform on [0, 1): mean 1/2, variance 1/12, every decile populated evenly', () => {
    const xs = draw(7, 200_000);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const { mean, variance } = moments(xs);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 3);
    const bins = new Array(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]++;
    // Chi-square with 9 dof: 99.9% quantile is 27.9.
    const chi = bins.reduce((s, b) => s + (b - 20_000) ** 2 / 20_000, 0);
    expect(chi).toBeLessThan(27.9);
  });

  it('normal() has mean 0, sd 1 and the Gaussian 68/95 mass', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 100_000 }, rng.normal);
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    const within1 = xs.filter((x) => Math.abs(x) < 1).length / xs.length;
    const within2 = xs.filter((x) => Math.abs(x) < 2).length / xs.length;
    expect(within1).toBeCloseTo(0.6827, 2);
    expect(within2).toBeCloseTo(0.9545, 2);
  });

  it('int(n) covers 0..n-1 evenly and rejects bad bounds', () => {
    const rng = createRng(11);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(Number.NaN)).toThrow(RangeError);
    expect(() => createRng(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('fork(label) depends only on the key and the label, never on draws made before', () => {
    const a = createRng(5);
    const b = createRng(5);
    for (let i = 0; i < 100; i++) b.next(); // b has consumed numbers, a has not
    const fa = Array.from({ length: 20 }, a.fork('weights').next);
    const fb = Array.from({ length: 20 }, b.fork('weights').next);
    expect(fa).toEqual(fb);
    const other = Array.from({ length: 20 }, a.fork('batches').next);
    const num = Array.from({ length: 20 }, a.fork(1).next);
    const numStr = Array.from({ length: 20 }, a.fork('1').next);
    const parent = draw(5, 20);
    for (const xs of [other, num, numStr, parent]) expect(xs.filter((v, i) => v === fa[i]).length).toBe(0);
    expect(num.filter((v, i) => v === numStr[i]).length).toBe(0);
    // Nested forks are deterministic too.
    expect(createRng(9).fork('a').fork(3).next()).toBe(createRng(9).fork('a').fork(3).next());
  });

  it('fillUint32 continues the same stream as nextUint32', () => {
    const a = createRng(21);
    const b = createRng(21);
    a.nextUint32();
    b.nextUint32();
    const bulk = a.fillUint32(new Uint32Array(1000));
    const single = Array.from({ length: 1000 }, b.nextUint32);
    expect(Array.from(bulk)).toEqual(single);
    expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('approxNormalFromBits is centred, unit-variance, symmetric and bounded', () => {
    const bits = createRng(1).fillUint32(new Uint32Array(200_000));
    const xs = Array.from(bits, approxNormalFromBits);
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.015);
    expect(approxNormalFromBits(0)).toBeCloseTo(-510 / Math.sqrt((4 * 65535) / 12), 12);
    expect(approxNormalFromBits(0xffffffff)).toBeCloseTo(510 / Math.sqrt((4 * 65535) / 12), 12);
    expect(xs.filter((x) => Math.abs(x) < 1).length / xs.length).toBeCloseTo(0.6827, 1);
  });
});
