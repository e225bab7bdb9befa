// The sparse blur against fields.ts's full blur on heads in air: equal at every voxel (=== treats -0 as 0),
// for 3-, 5- and 7-tap kernels, anisotropic sigmas, rows shorter than the kernel and skipped axes.
import { describe, expect, it } from 'vitest';
import { blurSparse, maskSpans } from './blur-sparse';
import { blurSeparable, type Dims3, gaussianBlur, gaussianKernel } from './fields';
import { createRng } from './rng';

/** Random values inside an off-centre ellipsoid, exact zeros outside (and some zeros inside). */
function head(dims: Dims3, seed: number): Float32Array {
  const rng = createRng(seed);
  const [nx, ny, nz] = dims;
  const c = [rng.range(0.3, 0.7) * nx, rng.range(0.3, 0.7) * ny, rng.range(0.3, 0.7) * nz];
  const r = [rng.range(0.2, 0.5) * nx, rng.range(0.2, 0.5) * ny, rng.range(0.2, 0.5) * nz];
  const out = new Float32Array(nx * ny * nz);
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        const d = ((x - c[0]) / r[0]) ** 2 + ((y - c[1]) / r[1]) ** 2 + ((z - c[2]) / r[2]) ** 2;
        if (d < 1 && rng.next() > 0.1) out[i] = rng.range(-500, 1000);
      }
  return out;
}

function firstDifference(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!(a[i] === b[i])) return i;
  return -1;
}

describe('blurSparse', () => {
  const cases: { dims: Dims3; sigma: Dims3 }[] = [
    { dims: [40, 36, 30], sigma: [0.5, 0.5, 0.5] }, // 3 taps (easy)
    { dims: [40, 36, 30], sigma: [0.6, 0.6, 0.6] }, // 5 taps (realistic)
    { dims: [33, 29, 17], sigma: [0.9, 0.4, 1.4] }, // 5, 3 and 7 taps
    { dims: [4, 20, 9], sigma: [0.8, 0.8, 0.8] }, // rows shorter than 5 taps
    { dims: [2, 3, 12], sigma: [0.5, 0.9, 0.7] },
    { dims: [30, 1, 10], sigma: [0.7, 0.7, 0.7] }, // a length-1 axis is skipped
    { dims: [25, 22, 14], sigma: [0, 0.6, 0.5] }, // sigma 0 skips x
    { dims: [25, 22, 14], sigma: [0.6, 0.6, 0] },
  ];
  for (const { dims, sigma } of cases) {
    it(`equals the full blur on ${dims.join('x')} at sigma ${sigma.join(', ')} (${sigma.map((s) => (s > 0 ? gaussianKernel(s).length : 0)).join('/')} taps)`, () => {
      for (const seed of [1, 2, 3]) {
        const data = head(dims, seed);
        const full = gaussianBlur({ data: data.slice(), dims, sigma });
        const sparse = blurSparse({ data: data.slice(), dims, sigma });
        expect(firstDifference(sparse, full), `seed ${seed}`).toBe(-1);
        // and the same as the ping-pong full blur, which finishImage uses without noise
        expect(firstDifference(blurSeparable({ data: data.slice(), dims, sigma }), full)).toBe(-1);
      }
    });
  }

  it("given spans wider than the non-zero values (the head's, as renderRealistic passes) give the same values", () => {
    const dims: Dims3 = [33, 29, 17];
    const sigma: Dims3 = [0.6, 0.9, 0.5];
    const rows = dims[1] * dims[2];
    for (const seed of [4, 5]) {
      const data = head(dims, seed);
      const full = gaussianBlur({ data: data.slice(), dims, sigma });
      // Each row's true extent widened by up to 3 voxels each side, and some empty rows given a span.
      const rng = createRng(seed);
      const lo = new Int32Array(rows);
      const hi = new Int32Array(rows);
      for (let r = 0; r < rows; r++) {
        let a = dims[0];
        let b = -1;
        for (let x = 0; x < dims[0]; x++)
          if (data[r * dims[0] + x] !== 0) {
            a = Math.min(a, x);
            b = x;
          }
        if (b < a && rng.next() < 0.5) [a, b] = [3, 9];
        lo[r] = b < a ? dims[0] : Math.max(0, a - rng.int(4));
        hi[r] = b < a ? -1 : Math.min(dims[0] - 1, b + rng.int(4));
      }
      const given = blurSparse({ data: data.slice(), dims, sigma, spans: { lo, hi } });
      expect(firstDifference(given, full), `seed ${seed}`).toBe(-1);
    }
  });

  it('a volume of zeros stays zeros, and a single voxel spreads exactly as the kernel', () => {
    const dims: Dims3 = [11, 9, 7];
    const zeros = blurSparse({ data: new Float32Array(11 * 9 * 7), dims, sigma: [0.7, 0.7, 0.7] });
    expect(zeros.every((v) => v === 0)).toBe(true);
    const one = new Float32Array(11 * 9 * 7);
    one[5 + 11 * (4 + 9 * 3)] = 1;
    const out = blurSparse({ data: one, dims, sigma: [0.7, 0.7, 0.7] });
    const k = gaussianKernel(0.7);
    const r = (k.length - 1) >> 1;
    // The point spread is the outer product of the 1D kernel, centred on the voxel.
    expect(out[5 + 11 * (4 + 9 * 3)]).toBeCloseTo(k[r] ** 3, 7);
    expect(out[5 + 1 + 11 * (4 + 9 * 3)]).toBeCloseTo(k[r] ** 2 * k[r + 1], 7);
    expect(out[5 + 11 * (4 + 2 + 9 * 3)]).toBeCloseTo(k[r] ** 2 * k[r + 2], 7);
    expect(out[5 + 3 + 11 * (4 + 9 * 3)]).toBe(0); // beyond the kernel's reach
  });
});

describe('maskSpans', () => {
  it('is each row’s first and last voxel set in any of the maps (brute force)', () => {
    const nx = 13;
    const rows = 40;
    const rng = createRng(9);
    const maps = [0, 1, 2].map(() => {
      const m = new Uint8Array(nx * rows);
      for (let i = 0; i < m.length; i++) if (rng.next() < 0.05) m[i] = 1 + rng.int(5);
      return m;
    });
    const { lo, hi } = maskSpans(maps, nx);
    for (let r = 0; r < rows; r++) {
      const set = [];
      for (let x = 0; x < nx; x++) if (maps.some((m) => m[r * nx + x])) set.push(x);
      if (set.length === 0) expect(hi[r] < lo[r], `row ${r}`).toBe(true);
      else expect([lo[r], hi[r]], `row ${r}`).toEqual([set[0], set.at(-1)]);
    }
  });
});
