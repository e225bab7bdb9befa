import { describe, expect, it } from 'vitest';
import { createRng } from '../data/rng';
import { createVolume } from '../data/volume';
import { canonicalOrientation, invertAffine, matMul4, reorientGrid, reorientVolume, spacingOf } from './geometry';
import { downsample, downsampledGrid, downsampleFactors, resampleToGrid } from './resample';

const world = (a: readonly number[], v: readonly number[]) =>
  [0, 1, 2].map((r) => a[4 * r] * v[0] + a[4 * r + 1] * v[1] + a[4 * r + 2] * v[2] + a[4 * r + 3]);

// LPS-style storage (x -> left, y -> posterior) with k along anterior: a permuted, flipped grid.
const ODD = [0, 0, -2, 30, -1.5, 0, 0, 40, 0, 3, 0, -20, 0, 0, 0, 1];

describe('affine maths', () => {
  it('invertAffine gives the identity against random affines', () => {
    const rng = createRng(3);
    for (let t = 0; t < 20; t++) {
      const a = [...Array.from({ length: 12 }, () => rng.range(-3, 3)), 0, 0, 0, 1];
      const p = matMul4(a, invertAffine(a));
      const id = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
      p.forEach((v, i) => {
        expect(v).toBeCloseTo(id[i], 9);
      });
    }
    expect(() => invertAffine([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toThrow(/singular/);
  });

  it('canonicalOrientation picks, per world axis, the voxel axis and sign that point along it', () => {
    expect(canonicalOrientation([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toEqual({
      perm: [0, 1, 2],
      flip: [false, false, false],
    });
    // World x comes from voxel k (negative), y from voxel i (negative), z from voxel j (positive).
    expect(canonicalOrientation(ODD)).toEqual({ perm: [2, 0, 1], flip: [true, true, false] });
  });

  it('reorientVolume moves voxels without moving them in the world, and the new affine is RAS-diagonal', () => {
    const dims = [4, 3, 5];
    const data = Float32Array.from({ length: 60 }, (_, i) => i);
    const v = createVolume({ dims, data, affine: ODD, spacing: spacingOf(ODD) });
    const o = canonicalOrientation(ODD);
    const r = reorientVolume(v, o);
    expect(r.dims).toEqual([5, 4, 3]);
    for (let r0 = 0; r0 < 3; r0++)
      for (let c = 0; c < 3; c++) {
        const e = r.affine[4 * r0 + c];
        if (r0 === c) expect(e).toBeGreaterThan(0);
        else expect(e).toBe(0);
      }
    expect(r.spacing).toEqual(spacingOf(r.affine));
    // Each new voxel holds the old voxel at the same world point (data = old flat index).
    for (let z = 0; z < 3; z++)
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 5; x++) {
          const old = r.data[x + 5 * (y + 4 * z)];
          const oi = [old % 4, Math.floor(old / 4) % 3, Math.floor(old / 12)];
          expect(world(r.affine, [x, y, z])).toEqual(world(ODD, oi).map((w) => expect.closeTo(w, 9)));
        }
    expect(reorientGrid({ dims: [4, 3, 5], affine: ODD }, o).dims).toEqual([5, 4, 3]);
  });
});

describe('resampling', () => {
  it('resampling onto the same grid is exact, and back from a reoriented grid too', () => {
    const data = Float32Array.from({ length: 60 }, (_, i) => (i * 7) % 11);
    const v = createVolume({ dims: [4, 3, 5], data, affine: ODD });
    for (const method of ['nearest', 'linear'] as const) {
      expect(Array.from(resampleToGrid({ source: v, grid: { dims: [4, 3, 5], affine: ODD }, method }).data)).toEqual(
        Array.from(data),
      );
      const r = reorientVolume(v, canonicalOrientation(ODD));
      const back = resampleToGrid({ source: r, grid: { dims: [4, 3, 5], affine: ODD }, method });
      back.data.forEach((x, i) => {
        expect(x).toBeCloseTo(data[i], 5);
      });
    }
  });

  it('a one-voxel shift moves the data; outside reads 0; trilinear halfway is the mean', () => {
    const data = Float32Array.from({ length: 8 }, (_, i) => i + 1); // 2x2x2
    const v = createVolume({ dims: [2, 2, 2], data });
    const shifted = [...v.affine];
    shifted[3] += 1; // target voxel i sits where source voxel i + 1 is
    const s = resampleToGrid({ source: v, grid: { dims: [2, 2, 2], affine: shifted }, method: 'nearest' });
    expect(Array.from(s.data)).toEqual([2, 0, 4, 0, 6, 0, 8, 0]);
    const half = [...v.affine];
    half[3] += 0.5;
    const h = resampleToGrid({ source: v, grid: { dims: [1, 1, 1], affine: half }, method: 'linear' });
    expect(h.data[0]).toBeCloseTo((1 + 2) / 2, 6);
    // The cube centre of 2x2x2 averages all eight.
    const centre = [...v.affine];
    centre[3] += 0.5;
    centre[7] += 0.5;
    centre[11] += 0.5;
    expect(resampleToGrid({ source: v, grid: { dims: [1, 1, 1], affine: centre }, method: 'linear' }).data[0]).toBeCloseTo(
      4.5,
      6,
    );
  });

  it('downsampling: box means (integer and real factors), label modes (ties to the larger value), block-centre affine', () => {
    expect(downsampleFactors({ dims: [100, 100, 100], spacing: [1, 1, 1], maxVoxels: 160 ** 3 })).toEqual([1, 1, 1]);
    const img = createVolume({ dims: [3, 2, 1], data: Float32Array.from([1, 2, 3, 4, 5, 6]) });
    const d = downsample({ volume: img, factor: 2, method: 'mean' });
    expect(d.dims).toEqual([2, 1, 1]);
    expect(Array.from(d.data)).toEqual([(1 + 2 + 4 + 5) / 4, (3 + 6) / 2]);
    const lab = createVolume({ dims: [4, 1, 1], data: Uint8Array.from([0, 1, 2, 2]) });
    expect(Array.from(downsample({ volume: lab, factor: 2, method: 'mode' }).data)).toEqual([1, 2]);
    // A real factor: boxes [i 1.5, (i + 1) 1.5) gather the voxel centres in them, the last box the rest.
    const row = createVolume({ dims: [5, 1, 1], data: Float32Array.from([1, 2, 3, 4, 5]) });
    const r = downsample({ volume: row, factor: [1.5, 1, 1], method: 'mean' });
    expect(r.dims).toEqual([4, 1, 1]);
    expect(Array.from(r.data)).toEqual([1, 2.5, 4, 5]);
    expect(world(r.affine, [1, 0, 0])[0] - world(r.affine, [0, 0, 0])[0]).toBeCloseTo(1.5 * row.spacing[0], 9);
    const g = downsampledGrid({ dims: [4, 4, 4], affine: ODD }, 2);
    const mean = [0, 1, 2].map((k) => (world(ODD, [0, 0, 0])[k] + world(ODD, [1, 1, 1])[k]) / 2);
    world(g.affine, [0, 0, 0]).forEach((w, k) => {
      expect(w).toBeCloseTo(mean[k], 9);
    });
  });
});
