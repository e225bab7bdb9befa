import { gzipSync } from 'fflate';
import * as niftiReader from 'nifti-reader-js';
import { describe, expect, it } from 'vitest';
import { NIFTI_MAX_VOXELS, NiftiError, readNifti, writeNifti } from './nifti';
import { exampleAffine, handBuiltNifti } from './nifti.test-utils';
import { createVolume, type DatatypeName, type VolumeArray } from './volume';

const DIMS = [5, 4, 3];
const N = 60;

/** Values spanning each type's range, extremes included. */
const SAMPLES: Record<DatatypeName, () => VolumeArray> = {
  uint8: () => Uint8Array.from({ length: N }, (_, i) => (i * 37) % 256).fill(255, 0, 1),
  int8: () => Int8Array.from({ length: N }, (_, i) => ((i * 37) % 256) - 128),
  int16: () => Int16Array.from({ length: N }, (_, i) => ((i * 1111) % 65536) - 32768).fill(32767, 1, 2),
  uint16: () => Uint16Array.from({ length: N }, (_, i) => (i * 1111) % 65536).fill(65535, 1, 2),
  int32: () => Int32Array.from({ length: N }, (_, i) => (i * 71_582_788) | 0).fill(-(2 ** 31), 2, 3),
  uint32: () => Uint32Array.from({ length: N }, (_, i) => (i * 71_582_788) >>> 0).fill(2 ** 32 - 1, 2, 3),
  float32: () => Float32Array.from({ length: N }, (_, i) => Math.fround((i - 30) * 1.37e3 + 0.123)),
  float64: () => Float64Array.from({ length: N }, (_, i) => (i - 30) * Math.PI * 1e-7 + 1e300 * (i === 5 ? 1 : 0)),
};

const AFFINE = exampleAffine({ deg: 30, scale: [0.9, 1.1, 2.5], shift: [-12.5, 30.25, 7] });

function expectAffine(got: number[], want: number[], digits = 4): void {
  expect(got).toHaveLength(16);
  got.forEach((v, k) => {
    expect(v).toBeCloseTo(want[k], digits);
  });
}

function nested(aff: number[][]): number[] {
  return aff.flat();
}

function toArrayBuffer(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer;
}

describe('writeNifti -> readNifti round trip', () => {
  for (const name of Object.keys(SAMPLES) as DatatypeName[]) {
    it(`${name}: data, dims, spacing and affine survive .nii and .nii.gz`, () => {
      const data = SAMPLES[name]();
      const volume = createVolume({ dims: DIMS, data, spacing: [0.9, 1.1, 2.5], affine: AFFINE, name: `t-${name}` });
      for (const gzip of [false, true]) {
        const bytes = writeNifti(volume, { gzip });
        expect(bytes[0] === 0x1f && bytes[1] === 0x8b).toBe(gzip);
        const back = readNifti(bytes);
        expect(back.datatype).toBe(name);
        expect(back.data.constructor).toBe(data.constructor);
        expect(Array.from(back.data)).toEqual(Array.from(data));
        expect(back.dims).toEqual(DIMS);
        back.spacing.forEach((s, k) => {
          expect(s).toBeCloseTo([0.9, 1.1, 2.5][k], 5);
        });
        expectAffine(back.affine, AFFINE);
        expect(back.nifti).toMatchObject({
          version: 1,
          littleEndian: true,
          gzipped: gzip,
          affineSource: 'sform',
          description: `t-${name}`,
        });
      }
    });
  }

  it('keeps a 4D volume (4th dim = channels) and accepts ArrayBuffer and offset views', () => {
    const data = Float32Array.from({ length: 5 * 4 * 3 * 2 }, (_, i) => i * 0.5);
    const bytes = writeNifti(createVolume({ dims: [5, 4, 3, 2], data }));
    const fromBuffer = readNifti(toArrayBuffer(bytes));
    expect(fromBuffer.dims).toEqual([5, 4, 3, 2]);
    expect(Array.from(fromBuffer.data)).toEqual(Array.from(data));
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(Array.from(readNifti(padded.subarray(3)).data)).toEqual(Array.from(data));
  });

  it('writes a header that nifti-reader-js reads the same way: sizes, magic, codes, qform and sform', () => {
    // qfac = -1 twice: a flipped k axis, and a flipped i axis (LAS, a 180-degree quaternion).
    const flipK = AFFINE.map((v, k) => (k % 4 === 2 && k < 12 ? -v : v));
    const flipI = exampleAffine({ deg: -50, scale: [1.5, 1, 3], shift: [1, 2, 3], flipX: true });
    for (const affine of [AFFINE, flipK, flipI]) {
      const volume = createVolume({ dims: DIMS, data: new Int16Array(N), affine });
      const bytes = writeNifti(volume);
      const view = new DataView(bytes.buffer);
      expect(view.getInt32(0, true)).toBe(348);
      expect(view.getFloat32(108, true)).toBe(352);
      const h = niftiReader.readHeader(toArrayBuffer(bytes)) as niftiReader.NIFTI1;
      expect(h.magic).toBe('n+1');
      expect(h.dims.slice(0, 4)).toEqual([3, 5, 4, 3]);
      expect(h.datatypeCode).toBe(4);
      expect(h.numBitsPerVoxel).toBe(16);
      expect([h.qform_code, h.sform_code]).toEqual([1, 1]);
      expect(h.pixDims[0]).toBe(affine === AFFINE ? 1 : -1);
      expectAffine(nested(h.affine), affine); // from the sform
      // With the sform code cleared, both readers rebuild the affine from our quaternion alone.
      const qOnly = writeNifti(volume, { sformCode: 0 });
      const ours = readNifti(qOnly);
      expect(ours.nifti.affineSource).toBe('qform');
      expectAffine(ours.affine, affine);
      // nifti-reader-js has no a ~ 0 threshold: float32 (b, c, d) of a 180-degree rotation leave it ~1e-3 off.
      const hq = niftiReader.readHeader(toArrayBuffer(qOnly)) as niftiReader.NIFTI1;
      expectAffine(nested(hq.affine), affine, affine === flipI ? 2 : 4);
    }
  });
});

describe('readNifti on hand-built files', () => {
  const values = Array.from({ length: 24 }, (_, i) => i * 3 - 20);

  it('reads big-endian NIfTI-1 and applies scl_slope / scl_inter', () => {
    const bytes = handBuiltNifti({
      littleEndian: false,
      dims: [4, 3, 2],
      datatypeCode: 4,
      values,
      slope: 2,
      inter: -3,
      pixdim: [1, 2, 3, 4, 1, 1, 1, 1],
    });
    const v = readNifti(bytes);
    expect(v.nifti.littleEndian).toBe(false);
    expect(v.datatype).toBe('int16');
    expect(v.data).toBeInstanceOf(Float32Array);
    expect(Array.from(v.data)).toEqual(values.map((x) => 2 * x - 3));
    expect(v.spacing).toEqual([2, 3, 4]);
    expect(v.nifti.affineSource).toBe('pixdim');
    expect(v.affine).toEqual([2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1]);
    // Same content little-endian, gzipped: same result.
    const le = handBuiltNifti({
      dims: [4, 3, 2],
      datatypeCode: 4,
      values,
      slope: 2,
      inter: -3,
      pixdim: [1, 2, 3, 4, 1, 1, 1, 1],
    });
    expect(Array.from(readNifti(gzipSync(le)).data)).toEqual(Array.from(v.data));
  });

  it('treats scl_slope 0 as "no scaling" and keeps the stored type', () => {
    const v = readNifti(handBuiltNifti({ dims: [4, 3, 2], datatypeCode: 4, values, slope: 0, inter: 100 }));
    expect(v.data).toBeInstanceOf(Int16Array);
    expect(Array.from(v.data)).toEqual(values);
  });

  for (const littleEndian of [true, false]) {
    it(`reads NIfTI-2 (${littleEndian ? 'little' : 'big'} endian) with float64 data and a double-precision sform`, () => {
      const srow = [0, -1.25, 0, 10.5, 0.8, 0, 0, -20, 0, 0, 3.3, 1e-3];
      const bytes = handBuiltNifti({
        version: 2,
        littleEndian,
        dims: [4, 3, 2, 1],
        datatypeCode: 64,
        values: values.map((x) => x / 7),
        sformCode: 4,
        srow,
        pixdim: [1, 0.8, 1.25, 3.3, 1, 1, 1, 1],
      });
      const v = readNifti(bytes);
      expect(v.nifti.version).toBe(2);
      expect(v.dims).toEqual([4, 3, 2]); // a trailing 4th dim of 1 is dropped
      expect(v.data).toBeInstanceOf(Float64Array);
      expect(Array.from(v.data)).toEqual(values.map((x) => x / 7));
      expect(v.affine).toEqual([...srow, 0, 0, 0, 1]);
      expect(v.spacing).toEqual([0.8, 1.25, 3.3]);
    });
  }

  it('builds the qform affine from a known quaternion (90 degrees about z, qfac -1) and prefers the sform', () => {
    const s = Math.SQRT1_2;
    const base = { dims: [4, 3, 2], datatypeCode: 2, values: values.map((x) => x + 20), pixdim: [-1, 2, 3, 4, 1, 1, 1, 1] };
    const q = readNifti(handBuiltNifti({ ...base, qformCode: 1, quatern: [0, 0, s], qoffset: [5, 6, 7] }));
    // R = [[0,-1,0],[1,0,0],[0,0,1]], columns scaled by (2, 3, -4).
    expectAffine(q.affine, [0, -3, 0, 5, 2, 0, 0, 6, 0, 0, -4, 7, 0, 0, 0, 1], 6);
    expect(q.nifti.affineSource).toBe('qform');
    const srow = [1, 0, 0, 1, 0, 1, 0, 2, 0, 0, 1, 3];
    const both = readNifti(handBuiltNifti({ ...base, qformCode: 1, quatern: [0, 0, s], sformCode: 2, srow }));
    expect(both.affine).toEqual([...srow, 0, 0, 0, 1]);
    expect(both.nifti.affineSource).toBe('sform');
  });

  it('refuses NaN/Inf unless asked to replace them, and reports the count', () => {
    const bad = handBuiltNifti({
      dims: [4, 3, 2],
      datatypeCode: 16,
      values: values.map((x, i) => (i === 3 ? Number.NaN : i === 7 ? -Infinity : x)),
    });
    expect(() => readNifti(bad)).toThrow(NiftiError);
    expect(() => readNifti(bad)).toThrow(/2 non-finite values.*voxel 3/);
    const fixed = readNifti(bad, { nonFinite: 'replace' });
    expect(fixed.nifti.nonFiniteReplaced).toBe(2);
    expect(Array.from(fixed.data)).toEqual(values.map((x, i) => (i === 3 || i === 7 ? 0 : x)));
  });
});

describe('readNifti errors are NiftiErrors naming the problem', () => {
  const good = handBuiltNifti({ dims: [4, 3, 2], datatypeCode: 4, values: Array(24).fill(1) });
  const patch = (f: (v: DataView) => void, src = good) => {
    const copy = src.slice();
    f(new DataView(copy.buffer));
    return copy;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /not a NIfTI file/],
    [
      'text',
      new TextEncoder().encode('hello, this is not an image at all, just some text bytes'.repeat(10)),
      /not a NIfTI file: sizeof_hdr/,
    ],
    ['short header', good.slice(0, 200), /truncated header: 200 bytes, NIfTI-1 needs 348/],
    ['short data', good.slice(0, good.length - 10), /truncated data/],
    ['dim[1] = 0', patch((v) => v.setInt16(42, 0, true)), /bad dims: dim\[1\] = 0/],
    ['dim[2] < 0', patch((v) => v.setInt16(44, -5, true)), /bad dims: dim\[2\] = -5/],
    ['dim[0] = 9', patch((v) => v.setInt16(40, 9, true)), /bad dims: dim\[0\] = 9/],
    [
      '5D',
      patch((v) => {
        v.setInt16(40, 5, true);
        v.setInt16(50, 3, true);
      }),
      /dim\[5\] = 3: only 3D and 4D/,
    ],
    [
      'huge',
      patch((v) => {
        for (const o of [42, 44, 46]) v.setInt16(o, 30000, true);
      }),
      /too large.*exceeds the limit of 134217728/,
    ],
    ['RGB', patch((v) => v.setInt16(70, 128, true)), /RGB images are not supported/],
    ['complex', patch((v) => v.setInt16(70, 32, true)), /unsupported datatype 32 \(complex64\)/],
    ['int64', patch((v) => v.setInt16(70, 1024, true)), /unsupported datatype 1024 \(int64\)/],
    ['pair', patch((v) => v.setUint8(345, 'i'.charCodeAt(0))), /\.hdr\/\.img pair/],
    ['analyze', patch((v) => v.setUint32(344, 0)), /missing NIfTI-1 magic/],
    ['vox_offset', patch((v) => v.setFloat32(108, 100, true)), /bad vox_offset 100/],
    ['vox_offset NaN', patch((v) => v.setFloat32(108, Number.NaN, true)), /bad vox_offset NaN/],
    ['bad gzip', gzipSync(good).slice(0, 40), /gzip data is corrupt or truncated/],
  ];
  for (const [what, bytes, message] of cases) {
    it(what, () => {
      let caught: unknown;
      try {
        readNifti(bytes);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(NiftiError);
      expect((caught as Error).name).toBe('NiftiError');
      expect((caught as Error).message).toMatch(message);
    });
  }

  it('documents and applies the voxel limit, which an option can lower', () => {
    expect(NIFTI_MAX_VOXELS).toBe(2 ** 27);
    expect(() => readNifti(good, { maxVoxels: 10 })).toThrow(/24 voxels exceeds the limit of 10/);
  });

  it('inflates a .nii.gz only as far as its header says: bombs and trailing junk cost one chunk', () => {
    const zeros = new Uint8Array(4 << 20); // 4 MB of zeros: a few KB gzipped
    const bomb = gzipSync(zeros, { level: 1 });
    expect(bomb.length).toBeLessThan(40_000);
    expect(() => readNifti(bomb)).toThrow(/not a NIfTI file: sizeof_hdr is 0/);
    // A valid small image followed by 4 MB of junk in the same gzip stream reads as the image.
    const image = handBuiltNifti({ dims: [4, 3, 2], datatypeCode: 4, values: Array.from({ length: 24 }, (_, i) => i) });
    const padded = new Uint8Array(image.length + zeros.length);
    padded.set(image);
    const v = readNifti(gzipSync(padded, { level: 1 }));
    expect(Array.from(v.data)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    // A header within the voxel limit but a stream cut short is still a clean error.
    expect(() => readNifti(gzipSync(image).slice(0, 60))).toThrow(/gzip data is corrupt or truncated/);
  });

  it('writeNifti refuses volumes NIfTI-1 cannot hold', () => {
    expect(() => writeNifti(createVolume({ dims: [40000, 1, 1], data: new Uint8Array(40000) }))).toThrow(NiftiError);
    const v = createVolume({ dims: [2, 2, 2], data: new Uint8Array(8) });
    expect(() => writeNifti({ ...v, affine: [1, 2, 3] })).toThrow(/affine/);
  });
});
