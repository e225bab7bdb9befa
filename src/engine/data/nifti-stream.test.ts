// streamNifti hands over, chunk by chunk, exactly the voxels readNifti returns (same byte order, datatype and
// scaling code), for every real fixture the reader accepts, and fails the same way on bad files.
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { NiftiError, readNifti, writeNifti } from './nifti';
import { readNiftiHead, streamNifti } from './nifti-stream';
import { handBuiltNifti, nibabelExpected, readFixture } from './nifti.test-utils';
import { createRng } from './rng';
import { createVolume, type VolumeArray } from './volume';

const EXPECTED = nibabelExpected();
const readable = Object.entries(EXPECTED).filter(([, e]) => !e.refused);

function streamed(bytes: Uint8Array, pairedImage: Uint8Array | undefined, chunkBytes?: number) {
  const parts: { start: number; values: number[]; type: string }[] = [];
  const head = streamNifti(
    bytes,
    { ...(pairedImage ? { pairedImage } : {}), ...(chunkBytes ? { chunkBytes } : {}) },
    (start, v) => {
      parts.push({ start, values: Array.from(v), type: v.constructor.name });
    },
  );
  return { head, parts };
}

describe('streamNifti on the real fixtures', () => {
  it.each(readable.map(([name, e]) => [name, e.image] as const))('%s: the same voxels as readNifti', (name, image) => {
    const bytes = readFixture(name);
    const paired = image ? readFixture(image) : undefined;
    const whole = readNifti(bytes, { nonFinite: 'replace', ...(paired ? { pairedImage: paired } : {}) });
    // 1000-byte chunks (not a multiple of 3 voxels, so inflated pieces end inside voxels) and the default.
    for (const chunkBytes of [1000, undefined]) {
      const { head, parts } = streamed(bytes, paired, chunkBytes);
      let at = 0;
      for (const p of parts) {
        expect(p.start).toBe(at);
        expect(p.type).toBe(whole.data.constructor.name);
        at += p.values.length;
      }
      expect(at).toBe(whole.data.length);
      const all = parts.flatMap((p) => p.values);
      let differ = 0;
      for (let i = 0; i < all.length; i++) if (!Object.is(all[i], whole.data[i])) differ++;
      expect(differ).toBe(0);
      const { data: _d, ...rest } = whole;
      expect(head).toEqual(rest);
    }
    const { data: _d, ...rest } = whole;
    expect(readNiftiHead(bytes, paired ? { pairedImage: paired } : {})).toEqual({
      ...rest,
      nifti: { ...rest.nifti, nonFiniteReplaced: 0 },
    });
  });

  it('refuses what readNifti refuses, with its message: a truncated file, a corrupt gzip, a missing .img, a voxel limit', () => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(NiftiError);
        return (err as Error).message;
      }
      return 'no error';
    };
    const noop = (_s: number, _v: VolumeArray) => undefined;
    const anat = readFixture('nib_anatomical.nii');
    const cut = anat.subarray(0, anat.length - 100);
    expect(message(() => streamNifti(cut, {}, noop))).toBe(message(() => readNifti(cut)));
    expect(message(() => streamNifti(cut, {}, noop))).toMatch(
      /^truncated data: 33x41x25 int16 needs 67650 bytes after offset 352/,
    );
    expect(message(() => readNiftiHead(cut))).toBe(message(() => readNifti(cut)));
    const gz = readFixture('nv_lesion.nii.gz');
    const broken = gz.slice();
    broken.fill(0x55, 2000, 2400);
    expect(message(() => streamNifti(broken, {}, noop))).toMatch(/^gzip data is corrupt or truncated/);
    expect(message(() => streamNifti(readFixture('nib_functional_pair.hdr'), {}, noop))).toBe(
      message(() => readNifti(readFixture('nib_functional_pair.hdr'))),
    );
    expect(message(() => streamNifti(anat, { maxVoxels: 1000 }, noop))).toBe(message(() => readNifti(anat, { maxVoxels: 1000 })));
  });

  it('an error thrown by the callback comes back as it is, and stops the read', () => {
    const stop = new RangeError('enough');
    let calls = 0;
    expect(() =>
      streamNifti(readFixture('nv_lesion.nii.gz'), { chunkBytes: 4096 }, () => {
        calls++;
        throw stop;
      }),
    ).toThrow(stop);
    expect(calls).toBe(1);
  });
});

describe('streamNifti fuzz: mutated files read as readNifti reads them', () => {
  const values = Array.from({ length: 6 * 5 * 4 }, (_, i) => (i * 7) % 50);
  const bases = [
    writeNifti(createVolume({ dims: [6, 5, 4], data: Int16Array.from(values) })),
    writeNifti(createVolume({ dims: [6, 5, 2, 2], data: Float32Array.from(values, (v) => v / 3) })),
    handBuiltNifti({ littleEndian: false, dims: [6, 5, 4], datatypeCode: 512, values, slope: 0.5, inter: 1 }),
    handBuiltNifti({ version: 2, littleEndian: false, dims: [6, 5, 4], datatypeCode: 8, values, qformCode: 1 }),
    readFixture('nib_anatomical.nii'),
  ];
  const pool = [...bases, ...bases.map((b) => gzipSync(b))];
  const extremes = [0, -1, 1, 3, 348, 540, 32767, -32768, 2 ** 31 - 1, 1e30, Number.NaN, Infinity];

  it('400 seeded mutations: the same voxels, or a NiftiError with the same message', () => {
    const rng = createRng(2026).fork('stream-fuzz');
    const outcomes = { ok: 0, error: 0, sameMessage: 0 };
    for (let k = 0; k < 400; k++) {
      let b = pool[rng.int(pool.length)].slice();
      const view = new DataView(b.buffer);
      const op = rng.int(4);
      if (op === 0) b[rng.int(Math.min(b.length, 560))] = rng.int(256);
      else if (op === 1) b[rng.int(b.length)] ^= 1 << rng.int(8);
      else if (op === 2) b = b.slice(0, rng.int(b.length + 1));
      else {
        const at = [0, 40, 42, 70, 108, 112, 16, 168][rng.int(8)];
        if (at + 4 <= b.length) view.setInt32(at, extremes[rng.int(extremes.length)], rng.next() < 0.5);
      }
      let want: { data?: VolumeArray; message?: string };
      try {
        want = { data: readNifti(b, { nonFinite: 'replace' }).data };
      } catch (err) {
        if (!(err instanceof NiftiError)) throw err;
        want = { message: err.message };
      }
      const got: number[] = [];
      try {
        streamNifti(b, { chunkBytes: 64 }, (start, v) => {
          expect(start).toBe(got.length);
          got.push(...v);
        });
        expect(want.message, `case ${k}: streamed, but readNifti refused it`).toBeUndefined();
        expect(got).toEqual(Array.from(want.data!));
        outcomes.ok++;
      } catch (err) {
        if (!(err instanceof NiftiError)) throw new Error(`case ${k}: ${String(err)} is not a NiftiError`);
        expect(want.data, `case ${k}: readNifti read it, the stream refused it (${err.message})`).toBeUndefined();
        if (err.message === want.message) outcomes.sameMessage++;
        outcomes.error++;
      }
    }
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes.error).toBeGreaterThan(50);
    expect(outcomes.sameMessage).toBe(outcomes.error);
  });
});
