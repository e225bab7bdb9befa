import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { NiftiError, readNifti, writeNifti } from './nifti';
import { handBuiltNifti, readFixture } from './nifti.test-utils';
import { createRng, type Rng } from './rng';
import { createVolume } from './volume';

// Valid seeds in every flavour the reader supports; mutations of them must read or fail cleanly.
const values = Array.from({ length: 6 * 5 * 4 }, (_, i) => (i * 7) % 50);
const BASES: Uint8Array[] = [
  writeNifti(createVolume({ dims: [6, 5, 4], data: Int16Array.from(values) })),
  writeNifti(createVolume({ dims: [6, 5, 2, 2], data: Float32Array.from(values, (v) => v / 3) })),
  handBuiltNifti({ littleEndian: false, dims: [6, 5, 4], datatypeCode: 512, values, slope: 0.5, inter: 1 }),
  handBuiltNifti({
    version: 2,
    dims: [6, 5, 4],
    datatypeCode: 64,
    values,
    sformCode: 1,
    srow: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0],
  }),
  handBuiltNifti({
    version: 2,
    littleEndian: false,
    dims: [6, 5, 4],
    datatypeCode: 8,
    values,
    qformCode: 1,
    quatern: [0, 0.6, 0],
  }),
];
const GZ = BASES.slice(0, 3).map((b) => gzipSync(b));

// Header fields worth hitting with extreme values (NIfTI-1 and NIfTI-2 offsets).
const FIELDS: [offset: number, kind: 'i16' | 'i32' | 'f32' | 'f64' | 'i64'][] = [
  [0, 'i32'],
  [40, 'i16'],
  [42, 'i16'],
  [44, 'i16'],
  [48, 'i16'],
  [70, 'i16'],
  [108, 'f32'],
  [112, 'f32'],
  [252, 'i16'],
  [254, 'i16'],
  [256, 'f32'],
  [280, 'f32'],
  [12, 'i16'],
  [16, 'i64'],
  [24, 'i64'],
  [168, 'i64'],
  [176, 'f64'],
  [352, 'f64'],
];
const EXTREMES = [
  0,
  -1,
  1,
  2,
  3,
  4,
  7,
  8,
  128,
  348,
  540,
  32767,
  -32768,
  2 ** 31 - 1,
  -(2 ** 31),
  1e30,
  -1e30,
  Number.NaN,
  Infinity,
];

function mutate(src: Uint8Array, rng: Rng): Uint8Array {
  let b = src.slice();
  const steps = 1 + rng.int(3);
  for (let s = 0; s < steps; s++) {
    const view = new DataView(b.buffer);
    const op = rng.int(6);
    if (op === 0 && b.length > 0) {
      b[rng.int(Math.min(b.length, 560))] = rng.int(256); // header byte
    } else if (op === 1 && b.length > 0) {
      b[rng.int(b.length)] ^= 1 << rng.int(8); // any bit
    } else if (op === 2) {
      b = b.slice(0, rng.int(b.length + 1)); // truncate
    } else if (op === 3) {
      const [at, kind] = FIELDS[rng.int(FIELDS.length)];
      const v = EXTREMES[rng.int(EXTREMES.length)];
      const le = rng.next() < 0.5;
      if (at + 8 > b.length) continue;
      if (kind === 'i16') view.setInt16(at, v, le);
      else if (kind === 'i32') view.setInt32(at, v, le);
      else if (kind === 'f32') view.setFloat32(at, v, le);
      else if (kind === 'f64') view.setFloat64(at, v, le);
      else view.setBigInt64(at, BigInt(Number.isFinite(v) ? Math.trunc(v) : -1), le);
    } else if (op === 4) {
      const extra = Uint8Array.from({ length: rng.int(64) }, () => rng.int(256));
      const grown = new Uint8Array(b.length + extra.length);
      grown.set(b);
      grown.set(extra, b.length);
      b = grown;
    } else if (b.length > 0) {
      const start = rng.int(b.length);
      b.fill(rng.int(256), start, Math.min(b.length, start + 1 + rng.int(16))); // smear a run
    }
  }
  return b;
}

describe('readNifti fuzz', () => {
  it('answers 600 seeded mutations and truncations with a volume or a NiftiError, nothing else', () => {
    const rng = createRng(2024).fork('fuzz');
    const outcomes = { ok: 0, niftiError: 0 };
    const messages = new Set<string>();
    for (let k = 0; k < 600; k++) {
      const pool = rng.next() < 0.25 ? GZ : BASES;
      const bytes = mutate(pool[rng.int(pool.length)], rng);
      try {
        const v = readNifti(bytes, { nonFinite: rng.next() < 0.5 ? 'error' : 'replace' });
        expect(v.data.length).toBe(v.dims.reduce((a, d) => a * d, 1));
        expect(v.affine.every(Number.isFinite)).toBe(true);
        outcomes.ok++;
      } catch (err) {
        if (!(err instanceof NiftiError)) throw new Error(`case ${k}: ${String(err)} is not a NiftiError`);
        messages.add(err.message.replace(/[-\d.e+]+/g, '#').slice(0, 40));
        outcomes.niftiError++;
      }
    }
    // The fuzz must exercise both paths and many distinct error messages.
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(outcomes.niftiError).toBeGreaterThan(150);
    expect(messages.size).toBeGreaterThan(8);
  });
});

describe('readNifti fuzz on .hdr/.img pairs', () => {
  // Real pair headers (NIfTI 'ni1', ANALYZE, SPM) with their .img; either part mutated, or a .hdr alone.
  const PAIRS = [
    ['nib_functional_pair.hdr', 'nib_functional_pair.img'],
    ['nib_anatomical_analyze.hdr', 'nib_anatomical_analyze.img'],
    ['nib_anatomical_spm.hdr', 'nib_anatomical_analyze.img'],
  ].map(([h, i]) => [readFixture(h), readFixture(i)]);

  it('answers 300 mutated pairs with a volume or a NiftiError, nothing else', () => {
    const rng = createRng(2025).fork('pairs');
    const outcomes = { ok: 0, niftiError: 0 };
    for (let k = 0; k < 300; k++) {
      const [hdr, img] = PAIRS[rng.int(PAIRS.length)];
      const which = rng.int(4);
      const h = which === 1 ? hdr : mutate(hdr, rng);
      const i = which === 0 ? img : which === 3 ? undefined : mutate(img, rng);
      try {
        const v = readNifti(rng.next() < 0.2 ? gzipSync(h) : h, { pairedImage: i, nonFinite: 'replace' });
        expect(v.data.length).toBe(v.dims.reduce((a, d) => a * d, 1));
        expect(v.affine.every(Number.isFinite)).toBe(true);
        outcomes.ok++;
      } catch (err) {
        if (!(err instanceof NiftiError)) throw new Error(`case ${k}: ${String(err)} is not a NiftiError`);
        outcomes.niftiError++;
      }
    }
    expect(outcomes.ok).toBeGreaterThan(30);
    expect(outcomes.niftiError).toBeGreaterThan(30);
  });
});
