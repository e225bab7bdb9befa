import { describe, expect, it } from 'vitest';
import { generatePhantom } from './phantom';
import { maskedVoxels, prepareSubject, splitSubjects, subjectFromPhantom, zScore } from './subjects';
import { createVolume } from './volume';

function stats(values: ArrayLike<number>, mask?: ArrayLike<number>): { mean: number; sd: number } {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) if (!mask || mask[i]) xs.push(values[i]);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
}

describe('zScore', () => {
  it('standardises over the mask and maps every voxel with the same affine transform', () => {
    const data = Float32Array.from({ length: 100 }, (_, i) => 3 + (i % 10) * 2 + (i > 80 ? 1000 : 0));
    const mask = Uint8Array.from({ length: 100 }, (_, i) => (i <= 80 ? 1 : 0));
    const z = zScore({ data, mask });
    const s = stats(z, mask);
    expect(s.mean).toBeCloseTo(0, 6);
    expect(s.sd).toBeCloseTo(1, 6);
    const ref = stats(data, mask);
    expect(z[95]).toBeCloseTo((data[95] - ref.mean) / ref.sd, 4);
    expect(stats(zScore({ data })).sd).toBeCloseTo(1, 6);
    expect(() => zScore({ data, mask: new Uint8Array(100) })).toThrow(/no voxels/);
    expect(Array.from(zScore({ data: [5, 5, 5] }))).toEqual([0, 0, 0]);
  });

  it('gives the same numbers from the mask as from its voxel list', () => {
    const data = Float32Array.from({ length: 500 }, (_, i) => Math.sin(i) * 40 + (i % 7));
    const mask = Uint8Array.from({ length: 500 }, (_, i) => (i % 3 === 0 || i > 400 ? 1 : 0));
    const idx = maskedVoxels(mask);
    expect(Array.from(idx)).toEqual(Array.from(mask.keys()).filter((i) => mask[i]));
    expect(zScore({ data, masked: idx })).toEqual(zScore({ data, mask }));
    const ref = stats(data, mask);
    expect(zScore({ data, masked: idx })[7]).toBeCloseTo((data[7] - ref.mean) / ref.sd, 4);
    expect(() => zScore({ data, masked: new Int32Array(0) })).toThrow(/no voxels/);
  });
});

describe('prepareSubject', () => {
  const phantom = generatePhantom({ seed: 3, shape: [32, 32, 24], lesion: { kind: 'wmh', fraction: 0.01 } });

  it("z-scores each modality on the white matter by default (the paper's normalisation)", () => {
    const s = subjectFromPhantom(phantom);
    expect(s.channels).toHaveLength(3);
    expect(s.dims).toEqual([32, 32, 24]);
    for (const c of s.channels) {
      const w = stats(c, phantom.wmMask.data);
      expect(w.mean).toBeCloseTo(0, 4);
      expect(w.sd).toBeCloseTo(1, 4);
    }
    expect(Array.from(s.label)).toEqual(Array.from(phantom.label.data));
    const brain = subjectFromPhantom(phantom, 'brain');
    expect(stats(brain.channels[0], phantom.brainMask.data).mean).toBeCloseTo(0, 4);
    expect(stats(brain.channels[0], phantom.wmMask.data).mean).not.toBeCloseTo(0, 1);
  });

  it('splits a 4D volume into channels, binarises the label and checks shapes', () => {
    const n = 4 * 3 * 2;
    const data = Float32Array.from({ length: 2 * n }, (_, i) => (i < n ? i : 100 - 3 * i));
    const images = [createVolume({ dims: [4, 3, 2, 2], data })];
    const label = createVolume({ dims: [4, 3, 2], data: Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 2.5 : 0)) });
    const s = prepareSubject({ images, label });
    expect(s.channels).toHaveLength(2);
    expect(stats(s.channels[1]).mean).toBeCloseTo(0, 5);
    expect(Array.from(s.label)).toEqual(Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0)));
    const wrong = createVolume({ dims: [4, 3, 3], data: new Float32Array(36) });
    expect(() => prepareSubject({ images: [wrong], label })).toThrow(/4x3x3/);
    expect(() => prepareSubject({ images, label, reference: 'wm' })).toThrow(/needs its mask/);
  });
});

describe('splitSubjects', () => {
  it('is a seeded partition with at least one subject on each side', () => {
    const a = splitSubjects({ count: 10, validationFraction: 0.2, seed: 1 });
    expect(a).toEqual(splitSubjects({ count: 10, validationFraction: 0.2, seed: 1 }));
    expect(a.validation).toHaveLength(2);
    expect([...a.train, ...a.validation].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const seen = new Set<string>();
    for (let seed = 0; seed < 20; seed++) seen.add(splitSubjects({ count: 10, seed }).validation.join(','));
    expect(seen.size).toBeGreaterThan(5);
    expect(splitSubjects({ count: 2, validationFraction: 0.01 })).toMatchObject({
      train: [expect.any(Number)],
      validation: [expect.any(Number)],
    });
    expect(splitSubjects({ count: 3, validationFraction: 0 }).validation).toEqual([]);
    expect(splitSubjects({ count: 1 })).toEqual({ train: [0], validation: [] });
    expect(() => splitSubjects({ count: -1 })).toThrow(RangeError);
  });
});
