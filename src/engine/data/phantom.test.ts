import { describe, expect, it } from 'vitest';
import { TISSUE } from './anatomy';
import { generatePhantom, type LesionKind, lesionVoxelTarget, type Phantom } from './phantom';

const SMALL: [number, number, number] = [64, 64, 48];
const N = SMALL[0] * SMALL[1] * SMALL[2];
const KINDS: LesionKind[] = ['tumour', 'wmh', 'lacunes'];
const FRACTIONS = [0.3, 0.1, 0.03, 0.01, 1e-3, 1e-4, 1e-5];

function count(data: ArrayLike<number>, where: (i: number) => boolean = () => true): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] && where(i)) n++;
  return n;
}

function bytes(p: Phantom): Uint8Array[] {
  return [...p.images.map((v) => new Uint8Array(v.data.buffer)), p.label.data as Uint8Array];
}

function meanWhere(values: ArrayLike<number>, mask: (i: number) => boolean): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (!mask(i)) continue;
    s += values[i];
    n++;
  }
  return s / n;
}

describe('generatePhantom: determinism', () => {
  it('gives identical bytes for the same options and different subjects for different seeds', () => {
    const opts = { seed: 7, shape: SMALL, lesion: { kind: 'wmh' as const, fraction: 0.01 } };
    const a = bytes(generatePhantom(opts));
    const b = bytes(generatePhantom(opts));
    a.forEach((arr, k) => {
      expect(Buffer.from(arr).equals(Buffer.from(b[k]))).toBe(true);
    });
    const c = generatePhantom({ ...opts, seed: 8 });
    const d = bytes(c);
    a.forEach((arr, k) => {
      expect(Buffer.from(arr).equals(Buffer.from(d[k]))).toBe(false);
    });
    // Different anatomy, not just different noise: the label overlaps only partly.
    const la = generatePhantom(opts).label.data;
    const overlap = count(la, (i) => c.label.data[i] === 1);
    expect(overlap).toBeLessThan(0.8 * count(la));
  });

  it('renders each modality independently of which others are requested, in the order asked', () => {
    const all = generatePhantom({ seed: 2, shape: SMALL });
    const two = generatePhantom({ seed: 2, shape: SMALL, modalities: ['FLAIR', 'T1'] });
    expect(two.images.map((v) => v.name)).toEqual(['FLAIR', 'T1']);
    expect(Array.from(two.images[0].data)).toEqual(Array.from(all.images[2].data));
    expect(Array.from(two.images[1].data)).toEqual(Array.from(all.images[0].data));
  });

  it('keeps the anatomy fixed when only the lesion burden changes (a slider moves lesions, not the brain)', () => {
    const a = generatePhantom({ seed: 4, shape: SMALL, lesion: { fraction: 0 } });
    const b = generatePhantom({ seed: 4, shape: SMALL, lesion: { fraction: 0.01 } });
    expect(Array.from(a.brainMask.data)).toEqual(Array.from(b.brainMask.data));
    expect(Array.from(a.wmMask.data)).toEqual(Array.from(b.wmMask.data));
  });
});

describe('generatePhantom: lesion burden', () => {
  for (const kind of KINDS) {
    it(`${kind}: achieved fraction is exact, within 10% of the request unless capped, capped only at the region size`, () => {
      const healthy = generatePhantom({ seed: 11, shape: SMALL, lesion: { kind, fraction: 0 } });
      const tissue = healthy.tissue.data;
      expect(count(healthy.label.data)).toBe(0);
      for (const fraction of FRACTIONS) {
        const p = generatePhantom({ seed: 11, shape: SMALL, lesion: { kind, fraction } });
        const lesion = count(p.label.data);
        expect(p.fraction).toBe(lesion / N);
        expect(p.meta.lesion.voxels).toBe(lesion);
        expect(p.meta.lesion.requestedFraction).toBe(fraction);
        const target = Math.max(1, Math.round(fraction * N));
        if (p.meta.lesion.capped) {
          expect(lesion).toBe(p.meta.lesion.allowedVoxels);
          expect(target).toBeGreaterThan(p.meta.lesion.allowedVoxels);
          expect(p.meta.lesion.maxFraction).toBeCloseTo(p.meta.lesion.allowedVoxels / N, 12);
        } else {
          expect(lesion).toBe(target);
          expect(Math.abs(p.fraction - fraction) / fraction).toBeLessThanOrEqual(0.1);
        }
        // Where each kind may grow, checked against the lesion-free anatomy of the same seed.
        const inside = (allowed: number[]) => count(p.label.data, (i) => !allowed.includes(tissue[i]));
        if (kind === 'wmh') expect(inside([TISSUE.wm])).toBe(0);
        if (kind === 'lacunes') expect(inside([TISSUE.wm, TISSUE.deepGm])).toBe(0);
        const outsideBrain = count(p.label.data, (i) => p.brainMask.data[i] === 0);
        expect(p.meta.lesion.outsideBrain).toBe(outsideBrain);
        if (kind !== 'tumour' || lesion <= count(p.brainMask.data)) expect(outsideBrain).toBe(0);
        expect(outsideBrain).toBe(count(p.label.data, (i) => healthy.brainMask.data[i] === 0));
      }
    });
  }

  it('tumour reaches 0.3 uncapped for any seed; wmh is capped at the white matter and says so', () => {
    for (let seed = 20; seed < 30; seed++) {
      const small = generatePhantom({ seed, shape: [32, 32, 24], lesion: { kind: 'tumour', fraction: 0.3 } });
      expect(small.meta.lesion.capped).toBe(false);
    }
    const t = generatePhantom({ seed: 3, shape: SMALL, lesion: { kind: 'tumour', fraction: 0.3 } });
    expect(t.meta.lesion.capped).toBe(false);
    expect(t.meta.lesion.outsideBrain).toBeGreaterThan(0); // the brain alone is smaller than 30%
    const w = generatePhantom({ seed: 3, shape: SMALL, lesion: { kind: 'wmh', fraction: 0.3 } });
    expect(w.meta.lesion.capped).toBe(true);
    expect(w.meta.lesion.voxels).toBe(count(w.wmMask.data));
    expect(w.meta.lesion.region).toMatch(/white matter/);
  });

  it('rounds tiny requests to the nearest voxel count, at least one', () => {
    expect(lesionVoxelTarget({ fraction: 1e-5, voxels: N })).toBe(2); // 1.97 voxels requested
    expect(lesionVoxelTarget({ fraction: 1e-9, voxels: N })).toBe(1);
    expect(lesionVoxelTarget({ fraction: 0, voxels: N })).toBe(0);
    const p = generatePhantom({ seed: 1, shape: [16, 16, 16], lesion: { kind: 'lacunes', fraction: 1e-5 } });
    expect(count(p.label.data)).toBe(1);
  });
});

describe('generatePhantom: anatomy and contrast (easy; realistic contrasts are in difficulty.test.ts)', () => {
  const p = generatePhantom({ seed: 5, shape: SMALL, lesion: { kind: 'tumour', fraction: 0.01 }, difficulty: 'easy' });
  const [t1, t2, flair] = p.images.map((v) => v.data);
  const tissue = p.tissue.data;
  const mean = (img: ArrayLike<number>, t: number) => meanWhere(img, (i) => tissue[i] === t);

  it('orders tissue means as on real scans: T1 WM > GM > CSF; T2 CSF brightest; FLAIR CSF dark, lesion bright', () => {
    expect(mean(t1, TISSUE.wm)).toBeGreaterThan(mean(t1, TISSUE.gm));
    expect(mean(t1, TISSUE.gm)).toBeGreaterThan(mean(t1, TISSUE.csf));
    expect(mean(t2, TISSUE.csf)).toBeGreaterThan(mean(t2, TISSUE.gm));
    expect(mean(t2, TISSUE.gm)).toBeGreaterThan(mean(t2, TISSUE.wm));
    expect(mean(flair, TISSUE.csf)).toBeLessThan(mean(flair, TISSUE.wm));
    expect(mean(flair, TISSUE.csf)).toBeLessThan(mean(flair, TISSUE.gm));
    for (const t of [TISSUE.wm, TISSUE.gm, TISSUE.csf]) expect(mean(flair, TISSUE.lesion)).toBeGreaterThan(1.3 * mean(flair, t));
    expect(mean(t2, TISSUE.lesion)).toBeGreaterThan(mean(t2, TISSUE.wm));
    expect(mean(t1, TISSUE.lesion)).toBeLessThan(mean(t1, TISSUE.wm));
  });

  it('has a plausible head: nested masks, brain inside the skull, white matter inside the brain', () => {
    const f = p.meta.tissueFractions;
    for (const k of ['scalp', 'skull', 'csf', 'gm', 'wm', 'deepGm'] as const) expect(f[k]).toBeGreaterThan(0);
    expect(f.gm + f.wm).toBeGreaterThan(0.08);
    expect(count(p.wmMask.data, (i) => p.brainMask.data[i] === 0)).toBe(0);
    expect(
      count(p.brainMask.data, (i) => tissue[i] === TISSUE.skull || tissue[i] === TISSUE.scalp || tissue[i] === TISSUE.air),
    ).toBe(0);
    const corner = 0;
    expect(tissue[corner]).toBe(TISSUE.air);
    expect(Array.from(new Set(p.label.data)).sort()).toEqual([0, 1]);
  });

  it('adds Rician noise of the requested sd: the air background has the Rayleigh mean sd*sqrt(pi/2)', () => {
    const sd = p.meta.noiseSd;
    // Air in the corners of the grid, away from any blurred head signal.
    const corner = (i: number) => i % SMALL[0] < 6 && Math.floor(i / SMALL[0]) % SMALL[1] < 6;
    const bg = meanWhere(t1, corner);
    expect(count(tissue, corner)).toBe(0);
    expect(bg / (sd * Math.sqrt(Math.PI / 2))).toBeGreaterThan(0.95);
    expect(bg / (sd * Math.sqrt(Math.PI / 2))).toBeLessThan(1.05);
    const clean = generatePhantom({ seed: 5, shape: SMALL, noise: 0, blur: 0, biasField: 0 });
    expect(meanWhere(clean.images[0].data, (i) => clean.tissue.data[i] === TISSUE.air)).toBe(0);
  });

  it('treats options passed as undefined as defaults', () => {
    const p = generatePhantom({ seed: 2, shape: undefined, noise: undefined, lesion: { kind: undefined, fraction: 0.001 } });
    expect(p.options.shape).toEqual([128, 128, 96]);
    expect(p.options.noise).toBe(0.025);
    expect(p.options.lesion).toEqual({ kind: 'tumour', fraction: 0.001 });
  });

  it('rejects bad options with a message naming the option', () => {
    expect(() => generatePhantom({ shape: [4, 64, 64] })).toThrow(/shape/);
    expect(() => generatePhantom({ shape: [64.5, 64, 64] })).toThrow(/shape/);
    expect(() => generatePhantom({ lesion: { fraction: -0.1 } })).toThrow(/lesion.fraction/);
    expect(() => generatePhantom({ lesion: { kind: 'cyst' as LesionKind } })).toThrow(/lesion.kind/);
    expect(() => generatePhantom({ modalities: [] })).toThrow(/modalities/);
    expect(() => generatePhantom({ noise: Number.NaN })).toThrow(/noise/);
    expect(() => generatePhantom({ spacing: [1, 0, 1] })).toThrow(/spacing/);
    expect(() => generatePhantom({ shape: [1024, 1024, 1024] })).toThrow(/exceeds/);
  });
});

describe('generatePhantom: default shape', () => {
  it('is 128x128x96 at 1 mm, three named modalities, a centred RAS affine and ~1% tumour', () => {
    const p = generatePhantom();
    expect(p.options.shape).toEqual([128, 128, 96]);
    expect(p.images.map((v) => v.name)).toEqual(['T1', 'T2', 'FLAIR']);
    for (const v of [...p.images, p.label, p.brainMask, p.wmMask]) {
      expect(v.dims).toEqual([128, 128, 96]);
      expect(v.spacing).toEqual([1, 1, 1]);
      // Voxel centre of the grid maps to world (0, 0, 0); axes point R, A, S.
      const a = v.affine;
      const c = [63.5, 63.5, 47.5];
      for (let r = 0; r < 3; r++)
        expect(a[4 * r] * c[0] + a[4 * r + 1] * c[1] + a[4 * r + 2] * c[2] + a[4 * r + 3]).toBeCloseTo(0, 9);
      expect([a[0], a[5], a[10]]).toEqual([1, 1, 1]);
    }
    expect(p.images[0].data).toBeInstanceOf(Float32Array);
    expect(p.label.data).toBeInstanceOf(Uint8Array);
    expect(p.label.datatype).toBe('uint8');
    expect(Math.abs(p.fraction - 0.01) / 0.01).toBeLessThan(0.1);
  });
});
