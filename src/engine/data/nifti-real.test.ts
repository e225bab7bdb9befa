import { describe, expect, it } from 'vitest';
import { NiftiError, readNifti } from './nifti';
import { niftiAffine } from './nifti-affine';
import { type NibabelExpected, nibabelExpected, readFixture } from './nifti.test-utils';
import { voxelIndex } from './volume';

// Every fixture read by us and by nibabel (scripts/nibabel-expected.py wrote expected.json).
const EXPECTED = nibabelExpected();
const F32 = 2 ** -23; // float32 relative precision: our scaled values are float32, nibabel's float64

// Files with neither qform nor sform: we follow the NIfTI standard (method 1, diag(pixdim) from voxel 0);
// nibabel treats them like ANALYZE (x flipped, origin at the centre). Checked separately below.
const METHOD1 = new Set(['nv_minimal.nii.gz']);

function read(name: string, e: NibabelExpected) {
  return readNifti(readFixture(name), e.image ? { pairedImage: readFixture(e.image) } : {});
}

function expectClose(got: readonly number[], want: readonly number[], tol: number): void {
  expect(got).toHaveLength(want.length);
  got.forEach((v, k) => {
    expect(Math.abs(v - want[k]), `entry ${k}: ${v} vs ${want[k]}`).toBeLessThanOrEqual(tol);
  });
}

function sumOf(data: ArrayLike<number>): { sum: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    sum += data[i];
    if (data[i] < min) min = data[i];
    if (data[i] > max) max = data[i];
  }
  return { sum, min, max };
}

describe('real NIfTI files read as nibabel reads them', () => {
  const readable = Object.entries(EXPECTED).filter(([, e]) => !e.refused);
  it('covers the cases the fixtures were chosen for', () => {
    const all = readable.map(([, e]) => e);
    expect(all.some((e) => !e.littleEndian)).toBe(true);
    expect(all.some((e) => e.sizeofHdr === 540)).toBe(true);
    expect(all.some((e) => e.slope !== null && e.slope !== 1)).toBe(true);
    expect(all.some((e) => e.shape.length === 4)).toBe(true);
    expect(all.some((e) => e.sformCode === 4)).toBe(true);
    expect(all.some((e) => e.intentCode === 1002)).toBe(true);
    expect(all.some((e) => e.nibabelClass === 'Nifti1Pair')).toBe(true);
    expect(all.some((e) => e.nibabelClass.includes('Analyze'))).toBe(true);
    // Oblique: some rotation column has more than one clearly non-zero entry.
    expect(all.some((e) => [0, 1, 2].some((c) => [0, 1, 2].filter((r) => Math.abs(e.affine[4 * r + c]) > 0.01).length > 1))).toBe(
      true,
    );
  });

  for (const [name, e] of readable) {
    it(`${name}: shape, datatype, affine, header fields and data statistics`, () => {
      const v = read(name, e);
      expect(v.dims).toEqual(e.shape);
      expect(v.datatype).toBe(e.dtype);
      expect(v.nifti.datatypeCode).toBe(e.datatypeCode);
      expect(v.nifti.littleEndian).toBe(e.littleEndian);
      expect(v.nifti.version).toBe(e.sizeofHdr === 540 ? 2 : 1);
      if (!METHOD1.has(name)) expectClose(v.affine, e.affine, 1e-4);
      // pixdim as stored; nibabel rewrites a stored qfac of 0 to 1 on load, so qfac is compared by sign.
      expect(v.meta?.pixdim.slice(1)).toEqual(e.pixdim.slice(1));
      expect(Math.sign(v.meta!.pixdim[0]) || 1).toBe(Math.sign(e.pixdim[0]));
      expect(v.meta?.description).toBe(e.description);
      const slope = Number.isFinite(v.nifti.sclSlope) && v.nifti.sclSlope !== 0 ? v.nifti.sclSlope : 1;
      expect(slope).toBe(e.slope ?? 1);
      if (e.nibabelClass.includes('Analyze')) {
        expect(v.nifti.layout).toBe('analyze');
        expect(v.nifti.notes.join(' ')).toMatch(/ANALYZE 7\.5.*no orientation/);
      } else {
        expect(v.nifti.layout).toBe(e.nibabelClass.endsWith('Pair') ? 'pair' : 'single');
        expect(v.meta).toMatchObject({
          qformCode: e.qformCode,
          sformCode: e.sformCode,
          quatern: e.quatern,
          qoffset: e.qoffset,
          srow: e.srow,
          xyztUnits: e.xyztUnits,
          intentCode: e.intentCode,
          intentName: e.intentName,
        });
        // The quaternion maths against nibabel's, on each file's own qform.
        if (v.meta && v.meta.qformCode > 0) expectClose(niftiAffine({ ...v.meta, sformCode: 0 }).affine, e.qformAffine!, 1e-4);
      }
      const s = sumOf(v.data);
      expect(Math.abs(s.sum - e.stats.sum)).toBeLessThanOrEqual(F32 * e.stats.absSum + 1e-9);
      expect(Math.abs(s.min - e.stats.min)).toBeLessThanOrEqual(F32 * Math.abs(e.stats.min) + 1e-9);
      expect(Math.abs(s.max - e.stats.max)).toBeLessThanOrEqual(F32 * Math.abs(e.stats.max) + 1e-9);
      for (const p of e.stats.samples) {
        const [x, y, z, c = 0] = p.index;
        const at = voxelIndex(v.dims, x, y, z, c);
        expect(at).toBe(p.flat);
        expect(Math.abs(v.data[at] - p.value)).toBeLessThanOrEqual(F32 * Math.abs(p.value) + 1e-9);
      }
    });
  }

  it('nv_minimal.nii.gz (no qform, no sform): NIfTI method 1 here, where nibabel centres and flips x', () => {
    const e = EXPECTED['nv_minimal.nii.gz'];
    const v = read('nv_minimal.nii.gz', e);
    expect([e.qformCode, e.sformCode]).toEqual([0, 0]);
    const [dx, dy, dz] = e.pixdim.slice(1, 4);
    expect(v.affine).toEqual([dx, 0, 0, 0, 0, dy, 0, 0, 0, 0, dz, 0, 0, 0, 0, 1]);
    expect(v.nifti.affineSource).toBe('pixdim');
    expect(v.nifti.notes.join(' ')).toMatch(/no qform or sform/);
    // nibabel's: the same axes with x negated, and world 0 at the voxel grid's centre.
    const centre = e.shape.slice(0, 3).map((n) => (n - 1) / 2);
    expectClose(e.affine, [-dx, 0, 0, centre[0] * dx, 0, dy, 0, -centre[1] * dy, 0, 0, dz, -centre[2] * dz, 0, 0, 0, 1], 1e-9);
  });

  it('refuses the real NIfTI-2 CIFTI file (6D) with a NiftiError naming the dimension', () => {
    const [name, e] = Object.entries(EXPECTED).find(([, x]) => x.refused)!;
    expect(e.sizeofHdr).toBe(540);
    expect(() => readNifti(readFixture(name))).toThrow(NiftiError);
    expect(() => readNifti(readFixture(name))).toThrow(new RegExp(e.refused!));
  });
});
