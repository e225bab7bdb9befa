import { describe, expect, it } from 'vitest';
import {
  type Batch,
  median,
  PATCH_PRESETS,
  PAPER_TABLE1,
  type PatchSpec,
  patchImbalance,
  presetSpec,
  SamplingError,
  sampleBatch,
} from './patches';
import { generatePhantom } from './phantom';
import type { Subject } from './subjects';
import { subjectFromPhantom } from './subjects';

const DIMS: [number, number, number] = [12, 10, 8];
const value = (c: number, x: number, y: number, z: number) => (c + 1) * (x + 100 * y + 10_000 * z);

/** A subject whose voxel values encode their own coordinates, with foreground where `fg` says. */
function codedSubject(fg: (x: number, y: number, z: number) => boolean, id = 's'): Subject {
  const [nx, ny, nz] = DIMS;
  const channels = [0, 1].map(() => new Float32Array(nx * ny * nz));
  const label = new Uint8Array(nx * ny * nz);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = x + nx * (y + ny * z);
        channels.forEach((ch, c) => {
          ch[i] = value(c, x, y, z);
        });
        label[i] = fg(x, y, z) ? 1 : 0;
      }
  return { id, dims: DIMS, channels, label };
}

/** Volume coordinates of patch element (outer, middle, inner), by the documented axis layout. */
function coords(spec: PatchSpec, origin: number[], i0: number, i1: number, i2: number): [number, number, number] {
  const [ox, oy, oz] = origin;
  if (spec.dims === 3) return [ox + i2, oy + i1, oz + i0]; // [D, H, W] = [z, y, x]
  const axis = spec.axis ?? 'axial';
  if (axis === 'axial') return [ox + i2, oy + i1, oz]; // [H, W] = [y, x]
  if (axis === 'coronal') return [ox + i2, oy, oz + i1]; // [H, W] = [z, x]
  return [ox, oy + i2, oz + i1]; // sagittal: [H, W] = [z, y]
}

/** Checks every element of a batch against the coded subjects, independently of the sampler's loops. */
function checkBatch(batch: Batch, subjects: Subject[], spec: PatchSpec): void {
  const shape = batch.imageShape;
  const C = shape[shape.length - 1];
  const lens = spec.dims === 3 ? shape.slice(1, 4) : [1, shape[1], shape[2]];
  const P = lens[0] * lens[1] * lens[2];
  const onehot = (spec.labels ?? 'onehot') === 'onehot';
  batch.patches.forEach((ref, b) => {
    const s = subjects[ref.subject];
    let fg = 0;
    for (let i0 = 0; i0 < lens[0]; i0++)
      for (let i1 = 0; i1 < lens[1]; i1++)
        for (let i2 = 0; i2 < lens[2]; i2++) {
          const [x, y, z] = coords(spec, ref.origin, i0, i1, i2);
          const inside = x >= 0 && y >= 0 && z >= 0 && x < DIMS[0] && y < DIMS[1] && z < DIMS[2];
          const e = b * P + (i0 * lens[1] + i1) * lens[2] + i2;
          const l = inside ? s.label[x + DIMS[0] * (y + DIMS[1] * z)] : 0;
          fg += l;
          for (let c = 0; c < C; c++) expect(batch.image[e * C + c]).toBe(inside ? value(c, x, y, z) : 0); // pad = channel min = 0
          if (onehot) expect([batch.label[2 * e], batch.label[2 * e + 1]]).toEqual([1 - l, l]);
          else expect(batch.label[e]).toBe(l);
        }
    expect(batch.foreground[b]).toBeCloseTo(fg / P, 12);
  });
}

describe('sampleBatch layout', () => {
  const subjects = [codedSubject((x, y, z) => x > 6 && y < 3 && z > 4), codedSubject(() => true, 't')];
  const cases: PatchSpec[] = [
    { dims: 2, size: [4, 5], batch: 3, axis: 'axial' },
    { dims: 2, size: [4, 5], batch: 3, axis: 'coronal' },
    { dims: 2, size: [4, 5], batch: 3, axis: 'sagittal', labels: 'index' },
    { dims: 3, size: [3, 4, 5], batch: 2 },
    { dims: 2, size: 14, batch: 2 }, // larger than x and y: centred and padded
    { dims: 3, size: 9, batch: 2, labels: 'index' }, // larger than z
  ];
  for (const spec of cases) {
    it(`${spec.dims}D ${spec.axis ?? ''} ${JSON.stringify(spec.size)} ${spec.labels ?? 'onehot'}: channels-last values from the right voxels`, () => {
      const batch = sampleBatch({ subjects, spec, seed: 1, step: 0 });
      const hw = typeof spec.size === 'number' ? Array(spec.dims).fill(spec.size) : spec.size;
      expect(batch.imageShape).toEqual([spec.batch, ...hw, 2]);
      expect(batch.labelShape).toEqual(spec.labels === 'index' ? [spec.batch, ...hw] : [spec.batch, ...hw, 2]);
      expect(batch.image.length).toBe(batch.imageShape.reduce((a, b) => a * b, 1));
      expect(batch.label.length).toBe(batch.labelShape.reduce((a, b) => a * b, 1));
      expect(batch.label).toBeInstanceOf(spec.labels === 'index' ? Uint8Array : Float32Array);
      checkBatch(batch, subjects, spec);
    });
  }
});

describe('the foreground rule', () => {
  const single = codedSubject((x, y, z) => x === 9 && y === 2 && z === 6); // one foreground voxel
  const empty = codedSubject(() => false);

  it('keeps only patches with a foreground voxel, by rejection and by the exact fallback', () => {
    for (const maxRetries of [200, 0]) {
      for (let step = 0; step < 30; step++) {
        const spec: PatchSpec = { dims: 2, size: 3, batch: 4, maxRetries };
        const batch = sampleBatch({ subjects: [empty, single], spec, seed: 9, step });
        for (const f of batch.foreground) expect(f).toBeGreaterThan(0);
        checkBatch(batch, [empty, single], spec);
      }
    }
  });

  it('draws uniformly among qualifying patches (fallback): all 9 axial 3x3 origins around the voxel appear', () => {
    const seen = new Set<string>();
    for (let step = 0; step < 60; step++) {
      for (const p of sampleBatch({ subjects: [single], spec: { dims: 2, size: 3, batch: 5, maxRetries: 0 }, seed: 2, step })
        .patches) {
        seen.add(p.origin.join(','));
      }
    }
    expect(seen.size).toBe(9);
  });

  it('samples empty patches when the rule is off, and names the problem when no patch qualifies', () => {
    const off = sampleBatch({
      subjects: [single],
      spec: { dims: 2, size: 3, batch: 20, requireForeground: false },
      seed: 1,
      step: 0,
    });
    expect(off.foreground.filter((f) => f === 0).length).toBeGreaterThan(10);
    expect(() => sampleBatch({ subjects: [empty], spec: { dims: 2, size: 3, batch: 1 }, seed: 1, step: 0 })).toThrow(
      SamplingError,
    );
    expect(() => sampleBatch({ subjects: [empty], spec: { dims: 3, size: 3, batch: 1 }, seed: 1, step: 0 })).toThrow(
      /no 3x3x3 patch.*foreground/,
    );
  });
});

describe('replay', () => {
  const subjects = [codedSubject((x, y) => x + y > 12), codedSubject((x, _y, z) => x < 3 && z < 3)];
  const spec: PatchSpec = { dims: 2, size: [4, 4], batch: 5 };

  it('batch `step` of a seed is identical every time; other steps and seeds differ', () => {
    const a = sampleBatch({ subjects, spec, seed: 3, step: 7 });
    expect(sampleBatch({ subjects, spec, seed: 3, step: 7 })).toEqual(a);
    const refs = (b: Batch) => JSON.stringify(b.patches);
    expect(refs(sampleBatch({ subjects, spec, seed: 3, step: 8 }))).not.toBe(refs(a));
    expect(refs(sampleBatch({ subjects, spec, seed: 4, step: 7 }))).not.toBe(refs(a));
    // Regenerating a later step does not depend on having generated the earlier ones.
    const later = sampleBatch({ subjects, spec, seed: 3, step: 100 });
    for (let s = 0; s < 5; s++) sampleBatch({ subjects, spec, seed: 3, step: s });
    expect(sampleBatch({ subjects, spec, seed: 3, step: 100 })).toEqual(later);
  });

  it('validates its inputs', () => {
    expect(() => sampleBatch({ subjects: [], spec, seed: 1, step: 0 })).toThrow(/no subjects/);
    expect(() => sampleBatch({ subjects, spec: { ...spec, batch: 0 }, seed: 1, step: 0 })).toThrow(/batch/);
    expect(() => sampleBatch({ subjects, spec: { ...spec, size: [4, 4, 4] }, seed: 1, step: 0 })).toThrow(/patch size/);
  });
});

describe('presets and imbalance', () => {
  it("holds the paper's Table 1 (2D U-Net: S 56/5, M 64/3, L 88/1) and builds specs with free overrides", () => {
    expect([PATCH_PRESETS.S, PATCH_PRESETS.M, PATCH_PRESETS.L].map((p) => [p.size, p.batch])).toEqual([
      [56, 5],
      [64, 3],
      [88, 1],
    ]);
    expect(PAPER_TABLE1.HighResNet.L).toMatchObject({ size: 85, batch: 1, paperImbalance: 0.003 });
    expect(presetSpec('M')).toEqual({ dims: 2, size: 64, batch: 3 });
    expect(presetSpec('S', { batch: 2, axis: 'coronal' })).toEqual({ dims: 2, size: 56, batch: 2, axis: 'coronal' });
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('patchImbalance is the median foreground fraction: exact on constructed cases', () => {
    const full = codedSubject(() => true);
    expect(patchImbalance({ subjects: [full], spec: { dims: 2, size: 4, batch: 1 } })).toBe(1);
    // Half the volume is foreground; patches as big as the volume all hold exactly half.
    const half = codedSubject((x) => x < 6);
    expect(patchImbalance({ subjects: [half], spec: { dims: 3, size: [8, 10, 12], batch: 1 } })).toBe(0.5);
    // 1x1 patches under the rule are single foreground voxels.
    expect(patchImbalance({ subjects: [codedSubject((x, y) => x === y)], spec: { dims: 2, size: 1, batch: 1 } })).toBe(1);
  });

  it('on a phantom: S/M/L batches have the right shapes, and larger patches are more unbalanced (as in Table 1)', () => {
    const p = generatePhantom({ seed: 1, shape: [64, 64, 48], lesion: { kind: 'tumour', fraction: 0.005 } });
    const subjects = [subjectFromPhantom(p)];
    const ratios = (['S', 'M', 'L'] as const).map((id) => {
      const spec = presetSpec(id);
      const batch = sampleBatch({ subjects, spec, seed: 5, step: 0 });
      const { size, batch: b } = PATCH_PRESETS[id];
      expect(batch.imageShape).toEqual([b, size, size, 3]);
      for (const f of batch.foreground) expect(f).toBeGreaterThan(0);
      return patchImbalance({ subjects, spec, seed: 5, patches: 40 });
    });
    expect(ratios[0]).toBeGreaterThan(ratios[2]);
    for (const r of ratios) expect(r).toBeGreaterThan(0);
  });
});
