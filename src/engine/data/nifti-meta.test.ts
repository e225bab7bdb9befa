import { gunzipSync } from 'fflate';
import * as niftiReader from 'nifti-reader-js';
import { describe, expect, it } from 'vitest';
import { readNifti, writeNifti } from './nifti';
import { type NiftiHeader, parseNiftiHeader } from './nifti-header';
import { handBuiltNifti, nibabelExpected, readFixture } from './nifti.test-utils';

// writeNifti keeps the header fields a volume was read with: read -> write -> read on real files.

const EXPECTED = nibabelExpected();
const NIFTI_FILES = Object.entries(EXPECTED).filter(([, e]) => !e.refused && !e.nibabelClass.includes('Analyze'));

function headerOf(bytes: Uint8Array): NiftiHeader {
  return parseNiftiHeader(bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes);
}

function readFile(name: string, image: string | null) {
  const bytes = readFixture(name);
  return { bytes, volume: readNifti(bytes, image ? { pairedImage: readFixture(image) } : {}) };
}

const f32 = (xs: readonly number[]) => xs.map(Math.fround);
/** The fields kept, as float32 (what a NIfTI-1 file holds, whatever the source's version). */
const kept = (h: NiftiHeader) => ({
  qformCode: h.qformCode,
  sformCode: h.sformCode,
  quatern: f32(h.quatern),
  qoffset: f32(h.qoffset),
  srow: f32(h.srow),
  pixdim: f32(h.pixdim),
  xyztUnits: h.xyztUnits,
  intentCode: h.intentCode,
  intentName: h.intentName,
  intentParams: f32(h.intentParams),
  description: h.description,
});

describe('writeNifti keeps what readNifti read', () => {
  for (const [name, e] of NIFTI_FILES) {
    it(`${name}: xform codes, quaternion, sform rows, pixdim (TR), units, intent and description survive`, () => {
      const { bytes, volume } = readFile(name, e.image);
      const written = writeNifti(volume);
      expect(kept(headerOf(written))).toEqual(kept(headerOf(bytes)));
      const back = readNifti(written);
      expect(back.affine).toEqual(volume.affine.map(Math.fround));
      expect(back.dims).toEqual(volume.dims);
      expect(Array.from(back.data)).toEqual(Array.from(volume.data));
      // nifti-reader-js, an independent reader, sees the same codes, intent and timing as nibabel did.
      const h = niftiReader.readHeader(written.slice().buffer) as niftiReader.NIFTI1;
      expect([h.qform_code, h.sform_code, h.intent_code, h.xyzt_units]).toEqual([
        e.qformCode,
        e.sformCode,
        e.intentCode,
        e.xyztUnits,
      ]);
      expect(h.pixDims[4]).toBeCloseTo(e.pixdim[4], 6);
      expect(h.description).toBe(e.description);
    });
  }

  it('an MNI-space file (sform_code 4) stays 4, and options still override the codes and the text', () => {
    const { volume } = readFile('nv_hippo.nii.gz', null);
    expect([volume.meta?.qformCode, volume.meta?.sformCode]).toEqual([4, 4]);
    expect(headerOf(writeNifti(volume)).sformCode).toBe(4);
    const h = headerOf(writeNifti(volume, { sformCode: 2, qformCode: 0, description: 'renamed' }));
    expect([h.qformCode, h.sformCode, h.description]).toEqual([0, 2, 'renamed']);
  });

  it('intent, TR, units and description of a hand-built NIfTI-1 and -2 file round-trip', () => {
    const fields = {
      dims: [4, 3, 2, 5],
      datatypeCode: 16,
      values: Array.from({ length: 120 }, (_, i) => i / 4),
      pixdim: [1, 2, 2, 3, 2.5, 0, 0, 0],
      sformCode: 3,
      srow: [2, 0, 0, -4, 0, 2, 0, -3, 0, 0, 3, -2],
      intentCode: 2003,
      intentName: 'vector field',
      intentParams: [1.5, -2, 7] as [number, number, number],
      xyztUnits: 2 | 16, // mm, ms
      description: 'hand built, with text',
    };
    for (const version of [1, 2] as const) {
      const v = readNifti(handBuiltNifti({ ...fields, version }));
      expect(v.meta).toMatchObject({
        intentCode: 2003,
        intentName: 'vector field',
        intentParams: [1.5, -2, 7],
        xyztUnits: 18,
        description: 'hand built, with text',
        sformCode: 3,
        qformCode: 0,
      });
      expect(v.meta?.pixdim[4]).toBe(2.5);
      const back = readNifti(writeNifti(v));
      expect(back.meta).toEqual(v.meta);
      expect(back.affine).toEqual(v.affine);
    }
  });

  it('a changed affine is written as it is now (stale qform/sform rows are not), keeping the codes', () => {
    const { volume } = readFile('nv_lesion.nii.gz', null);
    const moved = volume.affine.slice();
    moved[3] += 10;
    for (const k of [0, 4, 8]) moved[k] *= 2; // voxels twice as wide in i: still a rigid rotation + zooms
    const back = readNifti(writeNifti({ ...volume, affine: moved }));
    back.affine.forEach((x, k) => {
      expect(x).toBeCloseTo(moved[k], 4);
    });
    expect([back.meta?.qformCode, back.meta?.sformCode]).toEqual([2, 2]);
    const qOnly = readNifti(writeNifti({ ...volume, affine: moved }, { sformCode: 0 }));
    qOnly.affine.forEach((x, k) => {
      expect(x).toBeCloseTo(moved[k], 4); // the quaternion was rebuilt from the new affine too
    });
  });

  it('ANALYZE volumes are written with their assumed affine and codes 1 (the header had none)', () => {
    const v = readNifti(readFixture('nib_anatomical_spm.hdr'), { pairedImage: readFixture('nib_anatomical_analyze.img') });
    const back = readNifti(writeNifti(v));
    expect(back.affine).toEqual(v.affine);
    expect([back.meta?.qformCode, back.meta?.sformCode]).toEqual([1, 1]);
    expect(back.nifti.layout).toBe('single');
  });
});
