import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectedComponents } from '../metrics/components';
import { TISSUE } from './anatomy';
import { MIMIC } from './mimics';
import { generatePhantom, type Phantom, type PhantomInput } from './phantom';
import { zoneCode } from './zones';

const SMALL: [number, number, number] = [64, 64, 48];
const CLEAN = { noise: 0, biasField: 0, blur: 0 };

function where(n: number, pick: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (pick(i)) out.push(i);
  return out;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const at = (img: ArrayLike<number>, idx: number[]) => idx.map((i) => img[i]);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];

/** Voxels whose 6 face neighbours all satisfy `inside` (and which do themselves). */
function interior(p: Phantom, inside: (i: number) => boolean): number[] {
  const [nx, ny] = p.options.shape;
  const steps = [1, -1, nx, -nx, nx * ny, -nx * ny];
  return where(p.label.data.length, (i) => inside(i) && steps.every((s) => inside(i + s)));
}

const flairOf = (p: Phantom) => p.images[p.options.modalities.indexOf('FLAIR')].data;
const wmFar = (p: Phantom) =>
  where(p.label.data.length, (i) => p.tissue.data[i] === TISSUE.wm && (p.mimics?.data[i] ?? 0) === MIMIC.none);

describe('difficulty easy: the original phantom', () => {
  it('gives the same bytes as before the difficulty model (hash of images, label and tissue, 48x48x36, seed 3)', () => {
    // Hashes recorded from the phantom before difficulty existed.
    const expected = { tumour: '4e29d5b3da21e7bd', wmh: '385a0ae73c591e7f', lacunes: '324c4e270cf5c060' };
    for (const kind of ['tumour', 'wmh', 'lacunes'] as const) {
      const p = generatePhantom({ seed: 3, shape: [48, 48, 36], lesion: { kind, fraction: 0.01 }, difficulty: 'easy' });
      const h = createHash('sha256');
      for (const v of p.images) h.update(new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength));
      h.update(p.label.data as Uint8Array);
      h.update(p.tissue.data as Uint8Array);
      expect(h.digest('hex').slice(0, 16)).toBe(expected[kind]);
      expect(p.mimics).toBeUndefined();
    }
  });
});

describe('difficulty realistic: elements of the model', () => {
  const make = (input: PhantomInput) => generatePhantom({ seed: 4, shape: SMALL, difficulty: 'realistic', ...CLEAN, ...input });

  it('places FLAIR-bright mimics (rim and caps, flow artefacts, choroid plexus) that are never labelled', () => {
    for (const kind of ['tumour', 'wmh', 'lacunes'] as const) {
      const p = make({ lesion: { kind, fraction: 0.01 } });
      const mimic = p.mimics!.data;
      const flair = flairOf(p);
      const wm = mean(at(flair, wmFar(p)));
      for (const code of [MIMIC.rim, MIMIC.flow, MIMIC.choroid]) {
        const idx = where(mimic.length, (i) => mimic[i] === code);
        expect(idx.length).toBeGreaterThan(0);
        expect(idx.every((i) => p.label.data[i] === 0)).toBe(true);
        expect(mean(at(flair, idx))).toBeGreaterThan(1.2 * wm);
      }
      // The rim reaches into the lesions' FLAIR range: a threshold cannot tell them apart.
      const lesion = at(
        flair,
        where(mimic.length, (i) => p.label.data[i] === 1),
      );
      const rim = at(
        flair,
        where(mimic.length, (i) => mimic[i] === MIMIC.rim),
      );
      expect(quantile(rim, 0.9)).toBeGreaterThan(quantile(lesion, 0.25));
    }
  });

  it('draws lesion intensities from their per-modality distribution, overlapping normal tissue in every modality', () => {
    const p = make({ lesion: { kind: 'wmh', fraction: 0.03 } });
    const core = interior(p, (i) => p.label.data[i] === 1);
    expect(core.length).toBeGreaterThan(200);
    const lab = p.label.data;
    const normal = [TISSUE.csf, TISSUE.gm, TISSUE.wm, TISSUE.deepGm].map((t) =>
      where(lab.length, (i) => !lab[i] && p.brainMask.data[i] === 1 && p.tissue.data[i] === t && p.mimics!.data[i] === 0),
    );
    const rim = where(lab.length, (i) => p.mimics!.data[i] === MIMIC.rim);
    /** Share of lesion voxels inside the central 90% of a normal structure's intensities (noise-free). */
    const overlap = (img: ArrayLike<number>, idx: number[]) => {
      const v = at(img, idx);
      const [lo, hi] = [quantile(v, 0.05), quantile(v, 0.95)];
      return at(img, core).filter((x) => x >= lo && x <= hi).length / core.length;
    };
    p.options.modalities.forEach((m, k) => {
      const img = p.images[k].data;
      const c = p.meta.contrast![m]!;
      const dist = c.lesion.wmh;
      const values = at(img, core).map((v) => v / c.gain);
      expect(Math.abs(mean(values) - dist.mean)).toBeLessThan(0.35 * dist.sd);
      expect(sd(values) / dist.sd).toBeGreaterThan(0.6);
      expect(sd(values) / dist.sd).toBeLessThan(1.4);
      // Every modality has a normal structure that some lesion voxels look like even without noise.
      expect(Math.max(...[...normal, rim].map((idx) => overlap(img, idx)))).toBeGreaterThan(0.05);
    });
    // On FLAIR, that structure is the periventricular rim.
    expect(overlap(flairOf(p), rim)).toBeGreaterThan(0.05);
    // Each subject draws its own lesion contrast around the model's mean.
    const drawn = [1, 2, 3, 4, 5, 6].map(
      (seed) => generatePhantom({ seed, shape: [32, 32, 24], difficulty: 'realistic' }).meta.contrast!.FLAIR!.lesion.oedema.mean,
    );
    expect(new Set(drawn).size).toBe(6);
    expect(sd(drawn)).toBeGreaterThan(0);
  });

  it('gives tumours a FLAIR-dark necrotic core and a bright oedema, all labelled', () => {
    const p = make({ lesion: { kind: 'tumour', fraction: 0.02 } });
    const zones = p.zones!.data;
    const flair = flairOf(p);
    const wm = mean(at(flair, wmFar(p)));
    const necrosis = where(zones.length, (i) => zones[i] === zoneCode('necrosis'));
    const oedema = where(zones.length, (i) => zones[i] === zoneCode('oedema'));
    expect(necrosis.length).toBeGreaterThan(0.1 * p.meta.lesion.voxels);
    expect(necrosis.every((i) => p.label.data[i] === 1)).toBe(true);
    expect(where(zones.length, (i) => zones[i] > 0).length).toBe(p.meta.lesion.voxels);
    expect(mean(at(flair, necrosis))).toBeLessThan(0.8 * wm);
    expect(mean(at(flair, oedema))).toBeGreaterThan(1.4 * wm);
    // T2 sees necrosis as fluid: bright.
    expect(mean(at(p.images[1].data, necrosis))).toBeGreaterThan(mean(at(p.images[1].data, wmFar(p))));
  });

  it('makes lacunes CSF-dark on FLAIR with an unlabelled FLAIR-bright gliotic rim', () => {
    const p = make({ lesion: { kind: 'lacunes', fraction: 0.002 } });
    const flair = flairOf(p);
    const wm = mean(at(flair, wmFar(p)));
    const cavity = where(flair.length, (i) => p.label.data[i] === 1);
    const gliosis = where(flair.length, (i) => p.mimics!.data[i] === MIMIC.gliosis);
    expect(cavity.length).toBeGreaterThan(0);
    expect(gliosis.length).toBeGreaterThan(cavity.length / 2);
    expect(mean(at(flair, cavity))).toBeLessThan(0.7 * wm);
    expect(mean(at(flair, gliosis))).toBeGreaterThan(1.3 * wm);
    expect(gliosis.every((i) => p.label.data[i] === 0)).toBe(true);
  });

  it('grows WMH as many punctate 3-30 voxel lesions plus confluent periventricular ones', () => {
    const p = make({ lesion: { kind: 'wmh', fraction: 0.01 } });
    const label = p.label.data as Uint8Array;
    const { sizes } = connectedComponents({ mask: label, dims: SMALL });
    const small = Array.from(sizes).filter((s) => s <= 30);
    expect(small.filter((s) => s >= 3).length).toBeGreaterThanOrEqual(15);
    expect(small.filter((s) => s >= 3).length).toBeGreaterThan(0.7 * small.length);
    // The largest lesion is confluent and lines a ventricle: it borders the ependymal rim.
    const rim = Uint8Array.from(p.mimics!.data, (v) => (v === MIMIC.rim ? 1 : 0));
    const grown = connectedComponents({ mask: label, dims: SMALL, other: dilate6(rim, SMALL) });
    const largest = grown.sizes.indexOf(Math.max(...grown.sizes));
    expect(grown.sizes[largest]).toBeGreaterThan(100);
    expect(grown.overlaps[largest]).toBeGreaterThan(0);
  });

  it('puts partial volume at lesion borders: border voxels lie between lesion and tissue, on both sides of the label', () => {
    const p = make({ lesion: { kind: 'tumour', fraction: 0.02 } });
    const flair = flairOf(p);
    const zones = p.zones!.data;
    const oedema = (i: number) => zones[i] === zoneCode('oedema');
    const core = interior(p, oedema);
    const lab = p.label.data;
    const [nx, ny] = SMALL;
    const steps = [1, -1, nx, -nx, nx * ny, -nx * ny];
    const inner = where(lab.length, (i) => oedema(i) && steps.some((s) => !lab[i + s] && p.tissue.data[i + s] !== TISSUE.csf));
    const outer = where(
      lab.length,
      (i) => !lab[i] && p.tissue.data[i] === TISSUE.wm && p.mimics!.data[i] === 0 && steps.some((s) => oedema(i + s)),
    );
    const wm = mean(at(flair, wmFar(p)));
    const [mCore, mInner, mOuter] = [core, inner, outer].map((idx) => mean(at(flair, idx)));
    expect(mInner).toBeLessThan(mCore);
    expect(mInner).toBeGreaterThan(mOuter);
    expect(mOuter).toBeGreaterThan(1.1 * wm);
  });

  it('varies anatomy, head size and position, and intensity scale between subjects more than easy does', () => {
    const stats = (difficulty: 'easy' | 'realistic') =>
      [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
        const p = generatePhantom({ seed, shape: [48, 48, 36], difficulty, lesion: { fraction: 0 } });
        const brain = where(p.brainMask.data.length, (i) => p.brainMask.data[i] === 1);
        const x = mean(brain.map((i) => i % 48));
        const y = mean(brain.map((i) => Math.floor(i / 48) % 48));
        const csf = brain.filter((i) => p.tissue.data[i] === TISSUE.csf).length;
        return { volume: brain.length, x, y, csf: csf / brain.length, flair: mean(at(flairOf(p), brain)) };
      });
    const easy = stats('easy');
    const real = stats('realistic');
    const spread = (rows: typeof easy, k: keyof (typeof easy)[number]) => sd(rows.map((r) => r[k])) / mean(rows.map((r) => r[k]));
    for (const k of ['volume', 'x', 'y', 'csf', 'flair'] as const) expect(spread(real, k)).toBeGreaterThan(1.3 * spread(easy, k));
  });

  it('is deterministic, and hard is harder than realistic: a fainter WMH contrast and stronger noise', () => {
    const a = generatePhantom({ seed: 9, shape: [32, 32, 24], difficulty: 'realistic', lesion: { kind: 'wmh' } });
    const b = generatePhantom({ seed: 9, shape: [32, 32, 24], difficulty: 'realistic', lesion: { kind: 'wmh' } });
    expect(Buffer.from(a.images[2].data.buffer).equals(Buffer.from(b.images[2].data.buffer))).toBe(true);
    const h = generatePhantom({ seed: 9, shape: [32, 32, 24], difficulty: 'hard', lesion: { kind: 'wmh' } });
    expect(h.meta.noiseSd).toBeGreaterThan(a.meta.noiseSd);
    expect(() => generatePhantom({ difficulty: 'extreme' as 'hard' })).toThrow(/difficulty/);
  });
});

/** One step of 6-neighbour dilation (test helper). */
function dilate6(mask: Uint8Array, dims: [number, number, number]): Uint8Array {
  const [nx, ny] = dims;
  const out = mask.slice();
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    for (const s of [1, -1, nx, -nx, nx * ny, -nx * ny]) if (i + s >= 0 && i + s < mask.length) out[i + s] = 1;
  }
  return out;
}
