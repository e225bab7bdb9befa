import { Buffer } from 'node:buffer';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readNifti } from './nifti';
import { handBuiltNifti, readFixture } from './nifti.test-utils';

// readNifti's contract on its input: any Uint8Array view is read where it starts, and never written.

/** `bytes` copied into a larger pool at `offset`, returned as a Node Buffer view of the pool. */
function pooledBuffer(bytes: Uint8Array, offset: number): Buffer {
  const pool = new ArrayBuffer(8 * Math.ceil((offset + bytes.length + 64) / 8)); // any typed array fits over it
  new Uint8Array(pool).fill(0xa5); // junk around the file, as in Node's shared Buffer pool
  new Uint8Array(pool, offset, bytes.length).set(bytes);
  return Buffer.from(pool, offset, bytes.length);
}

/** Same typed-array type and the same bytes. */
function expectSameData(got: ArrayBufferView, want: ArrayBufferView): void {
  expect(got.constructor).toBe(want.constructor);
  const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  expect(Buffer.compare(bytes(got), bytes(want))).toBe(0);
}

const values = Array.from({ length: 24 }, (_, i) => i * 3 - 20);
const FILES: Record<string, Uint8Array> = {
  'big-endian int16, scaled (hand-built)': handBuiltNifti({
    littleEndian: false,
    dims: [4, 3, 2],
    datatypeCode: 4,
    values,
    slope: 2,
    inter: -3,
  }),
  'uint8 (hand-built)': handBuiltNifti({ dims: [4, 3, 2], datatypeCode: 2, values: values.map((v) => v + 20) }),
  'nib_anatomical.nii (real, big-endian)': readFixture('nib_anatomical.nii'),
  'nib_functional.nii (real, scaled)': readFixture('nib_functional.nii'),
};

describe('readNifti input views', () => {
  for (const [what, bytes] of Object.entries(FILES)) {
    it(`${what}: a Buffer at an odd offset in a pool reads like a plain copy`, () => {
      const want = readNifti(bytes.slice());
      for (const offset of [1, 3, 333]) {
        const buf = pooledBuffer(bytes, offset);
        expect(buf.byteOffset).toBe(offset);
        const got = readNifti(buf);
        expect(got.dims).toEqual(want.dims);
        expectSameData(got.data, want.data);
        expect(got.affine).toEqual(want.affine);
      }
    });

    it(`${what}: the caller's bytes are the same before and after, and a second read agrees`, () => {
      for (const input of [bytes.slice(), pooledBuffer(bytes, 7), Buffer.from(bytes), gzipSync(bytes)]) {
        const before = Uint8Array.from(input);
        const first = readNifti(input);
        expect(Buffer.compare(Buffer.from(input), Buffer.from(before))).toBe(0);
        expectSameData(readNifti(input).data, first.data);
      }
      const ab = bytes.slice().buffer;
      const abBefore = new Uint8Array(ab.slice(0));
      readNifti(ab);
      expect(new Uint8Array(ab)).toEqual(abBefore);
    });
  }

  it('returned data never share memory with the input', () => {
    const bytes = FILES['uint8 (hand-built)'];
    const v = readNifti(bytes);
    expect(v.data.buffer).not.toBe(bytes.buffer);
    v.data[0] = 99;
    expect(readNifti(bytes).data[0]).toBe(0);
  });
});
