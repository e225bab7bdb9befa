import { Buffer } from 'node:buffer';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { NiftiError, readNifti } from './nifti';
import { readFixture } from './nifti.test-utils';

// .hdr/.img pairs: NIfTI-1 'ni1' and ANALYZE 7.5, read with readNifti(hdr, { pairedImage: img }).

/** A real single-file .nii split the way a pair is stored: 348-byte header ('ni1', vox_offset 0) + voxels. */
function splitNii(nii: Uint8Array): { hdr: Uint8Array; img: Uint8Array } {
  const view = new DataView(nii.buffer, nii.byteOffset, nii.byteLength);
  const le = view.getInt32(0, true) === 348;
  const offset = view.getFloat32(108, le);
  const hdr = nii.slice(0, 348);
  hdr.set([0x6e, 0x69, 0x31, 0], 344); // "ni1\0"
  new DataView(hdr.buffer).setFloat32(108, 0, le);
  return { hdr, img: nii.slice(offset) };
}

/** Same voxels, geometry and header meta; `pixdimUpTo` limits the pixdim compared (nibabel rewrites unused ones). */
function expectSameVolume(a: ReturnType<typeof readNifti>, b: ReturnType<typeof readNifti>, pixdimUpTo = 8): void {
  expect(a.dims).toEqual(b.dims);
  expect(a.datatype).toBe(b.datatype);
  expect(a.data.constructor).toBe(b.data.constructor);
  expect(Array.from(a.data)).toEqual(Array.from(b.data));
  expect(a.affine).toEqual(b.affine);
  expect(a.spacing).toEqual(b.spacing);
  expect({ ...a.meta, pixdim: a.meta?.pixdim.slice(0, pixdimUpTo) }).toEqual({
    ...b.meta,
    pixdim: b.meta?.pixdim.slice(0, pixdimUpTo),
  });
}

describe('NIfTI-1 .hdr/.img pairs', () => {
  for (const name of ['nib_anatomical.nii', 'nib_functional.nii']) {
    it(`${name} split into a pair reads equal to the .nii (plain and gzipped parts)`, () => {
      const nii = readFixture(name);
      const single = readNifti(nii);
      const { hdr, img } = splitNii(nii);
      const pair = readNifti(hdr, { pairedImage: img });
      expect(pair.nifti.layout).toBe('pair');
      expect(single.nifti.layout).toBe('single');
      expectSameVolume(pair, single);
      expectSameVolume(readNifti(gzipSync(hdr), { pairedImage: gzipSync(img) }), single);
    });
  }

  it('a NIfTI-2 file (nib2_functional_be.nii, big-endian) split into an ni2 pair reads equal to it', () => {
    const nii = readFixture('nib2_functional_be.nii');
    const view = new DataView(nii.buffer);
    const offset = Number(view.getBigInt64(168, false));
    const hdr = nii.slice(0, 540);
    hdr.set([0x6e, 0x69, 0x32, 0], 4); // "ni2\0"; bytes 8-11 keep the \r\n\x1a\n signature
    new DataView(hdr.buffer).setBigInt64(168, 0n, false);
    const pair = readNifti(hdr, { pairedImage: nii.slice(offset) });
    expect(pair.nifti).toMatchObject({ version: 2, layout: 'pair', littleEndian: false });
    expectSameVolume(pair, readNifti(nii));
  });

  it("a big-endian pair read from Buffers leaves both Buffers' bytes as they were", () => {
    const { hdr, img } = splitNii(readFixture('nib_anatomical.nii'));
    const [hb, ib] = [Buffer.from(hdr), Buffer.from(img)];
    const v = readNifti(hb, { pairedImage: ib });
    expect(Buffer.compare(hb, Buffer.from(hdr))).toBe(0);
    expect(Buffer.compare(ib, Buffer.from(img))).toBe(0);
    expect(Array.from(readNifti(hb, { pairedImage: ib }).data)).toEqual(Array.from(v.data));
  });

  it('nibabel-written nib_functional_pair.hdr/.img reads equal to the .nii it was made from', () => {
    const pair = readNifti(readFixture('nib_functional_pair.hdr'), { pairedImage: readFixture('nib_functional_pair.img') });
    expectSameVolume(pair, readNifti(readFixture('nib_functional.nii')), 5); // nibabel wrote pixdim[5..7] as 1, not 0
  });

  it('ANALYZE 7.5 and SPM .hdr pair with the same .img: same voxels, affine from pixdim (centre or SPM origin)', () => {
    const img = readFixture('nib_anatomical_analyze.img');
    const nii = readNifti(readFixture('nib_anatomical.nii'));
    const plain = readNifti(readFixture('nib_anatomical_analyze.hdr'), { pairedImage: img });
    const spm = readNifti(readFixture('nib_anatomical_spm.hdr'), { pairedImage: img });
    for (const v of [plain, spm]) {
      expect(Array.from(v.data)).toEqual(Array.from(nii.data));
      expect(v.nifti.layout).toBe('analyze');
      expect(v.nifti.affineSource).toBe('analyze');
      expect(v.meta).toMatchObject({ qformCode: 0, sformCode: 0, intentCode: 0, xyztUnits: 0 });
    }
    // 33 x 41 x 25 voxels of 2 mm: centred LAS; the SPM origin (17, 21, 9) puts world 0 where the .nii's qform does.
    expect(plain.affine).toEqual([-2, 0, 0, 32, 0, 2, 0, -40, 0, 0, 2, -24, 0, 0, 0, 1]);
    expect(spm.affine).toEqual(nii.affine);
  });

  it('a .hdr without its .img is a NiftiError saying the .img is needed', () => {
    for (const hdr of [readFixture('nib_functional_pair.hdr'), readFixture('nib_anatomical_analyze.hdr')]) {
      expect(() => readNifti(hdr)).toThrow(NiftiError);
      expect(() => readNifti(hdr)).toThrow(/matching \.img file.*pairedImage/);
    }
  });

  it('refuses a short .img and an image paired with a single-file .nii, by name', () => {
    const hdr = readFixture('nib_functional_pair.hdr');
    const img = readFixture('nib_functional_pair.img');
    expect(() => readNifti(hdr, { pairedImage: img.slice(0, 1000) })).toThrow(/truncated data.*the \.img has 1000/);
    expect(() => readNifti(gzipSync(hdr), { pairedImage: gzipSync(img.slice(0, 1000)) })).toThrow(/truncated data/);
    expect(() => readNifti(readFixture('nib_functional.nii'), { pairedImage: img })).toThrow(/single-file NIfTI/);
  });
});
