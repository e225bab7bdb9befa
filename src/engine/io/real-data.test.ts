// Your data on real files: an atlas of 725 labels picked by value and by name, an .hdr/.img pair, a
// 20-frame series, 8 mm slices kept when downsampling, a BIDS folder of two subjects, a volume over 2^25
// voxels. Expected values come from nibabel + numpy (scripts/nibabel-expected.py -> user-expected.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assignFiles, groupSubjects } from './files';
import { loadUserSubjects } from './validate';

const FIX = 'tests/fixtures/nifti/';
const expected = JSON.parse(readFileSync(`${FIX}user-expected.json`, 'utf8')).files;
const file = (path: string, name = path.split('/').pop()!) => ({ name, bytes: new Uint8Array(readFileSync(path)) });
const text = (name: string, body: string) => ({ name, bytes: new TextEncoder().encode(body) });
const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

/** Real shrink factors: equal to numpy's to float64 rounding. */
function expectFactors(got: readonly number[], want: readonly number[]): void {
  expect(got).toHaveLength(3);
  for (const [k, f] of got.entries()) expect(f).toBeCloseTo(want[k], 9);
}

describe('an atlas of 725 labels (inia19)', () => {
  const atlas = expected['nv_inia19-NeuroMaps.nii.gz'];
  const files = [
    file(`${FIX}nv_inia19-t1-brain.nii.gz`, 'inia19_T1w.nii.gz'),
    file(`${FIX}nv_inia19-NeuroMaps.nii.gz`, 'inia19_dseg.nii.gz'),
  ];
  // No downsampling here, so foreground counts are the file's own.
  const base = { maxVoxels: 5e6 };

  it('is read as a label map with every value counted as nibabel counts them', () => {
    const { report } = loadUserSubjects({ files, choices: base });
    expect(report.errors).toEqual([]);
    expect(report.labelValues).toHaveLength(atlas.distinct);
    const counts = new Map(report.labelValues.map((v) => [v.value, v.count]));
    for (const { value, count } of atlas.largest) expect(counts.get(value)).toBe(count);
    expect(report.subjects[0].foregroundVoxels).toBe(atlas.nonzeroVoxels);
    expect(report.notices.some((n) => n.includes('all merged into one foreground'))).toBe(true);
  });

  it('labels picked by value merge into one foreground, or stay classes up to 15', () => {
    const [a, b, c] = atlas.largest;
    const merged = loadUserSubjects({ files, choices: { ...base, foreground: [a.value, b.value] } });
    expect(merged.report.subjects[0].foregroundVoxels).toBe(a.count + b.count);
    const kept = loadUserSubjects({ files, choices: { ...base, classes: 'all', foreground: [c.value, a.value, b.value] } });
    expect(kept.report.ok).toBe(true);
    expect(kept.report.classValues).toEqual([0, ...[a.value, b.value, c.value].sort((x, y) => x - y)]);
    const classes = kept.subjects[0].label!.data;
    expect(sum(Array.from(classes, (k) => (k > 0 ? 1 : 0)))).toBe(a.count + b.count + c.count);
    const all = loadUserSubjects({ files, choices: { ...base, classes: 'all' } });
    expect(all.report.ok).toBe(false);
    expect(all.report.errors[0]).toMatch(
      /724 label values are chosen as classes; keeping classes works up to 15 foreground classes/,
    );
  });

  it('names from a label table dropped beside the map pick labels by name', () => {
    const [a, b, c] = atlas.largest;
    const tsv = text(
      'inia19_dseg.tsv',
      `index\tname\n${a.value}\tcortex left\n${b.value}\tcortex right\n${c.value}\twhite matter\n`,
    );
    const { report } = loadUserSubjects({ files: [...files, tsv], choices: { ...base, foregroundNames: ['CORTEX'] } });
    expect(report.labelTables).toEqual(['inia19_dseg.tsv']);
    expect(report.foreground).toEqual([a.value, b.value].sort((x, y) => x - y));
    expect(report.subjects[0].foregroundVoxels).toBe(a.count + b.count);
    expect(report.labelValues.find((v) => v.value === c.value)?.name).toBe('white matter');
  });
});

describe('a 20-frame series as an .hdr/.img pair (nibabel functional.nii, 4 x 4 x 8 mm, TR 2 s)', () => {
  const func = expected['nib_functional.nii'];
  const pair = [file(`${FIX}nib_functional_pair.hdr`, 'run_bold.hdr'), file(`${FIX}nib_functional_pair.img`, 'run_bold.img')];

  it('reads the pair from both files and takes the mean over time, saying so', () => {
    const { report, subjects } = loadUserSubjects({ files: pair });
    expect(report.errors).toEqual([]);
    expect(report.files.map((f) => f.name)).toEqual(['run_bold.hdr']);
    expect(report.files[0]).toMatchObject({ pairedWith: 'run_bold.img', volumes: 20, series: 'mean' });
    expect(report.notices).toContain('run_bold.hdr read with its voxels from run_bold.img');
    expect(report.notices.some((n) => /20 volumes in its 4th dimension: taken as time: the mean of the 20 frames/.test(n))).toBe(
      true,
    );
    expect(subjects[0].working.dims).toEqual(func.canonicalShape);
    expect(sum(subjects[0].images[0].data) / func.meanSum).toBeCloseTo(1, 6);
  });

  it('takes one frame or every frame as channels when asked', () => {
    const frame = loadUserSubjects({ files: pair, choices: { series: { 'run_bold.hdr': 5 } } });
    expect(sum(frame.subjects[0].images[0].data) / func.frame5Sum).toBeCloseTo(1, 6);
    const channels = loadUserSubjects({ files: pair, choices: { series: { 'run_bold.hdr': 'channels' } } });
    expect(channels.subjects[0].images).toHaveLength(20);
  });

  it('keeps its 8 mm slices when downsampling: in-plane boxes of the smallest factor that fits, as numpy averages them', () => {
    const { report, subjects } = loadUserSubjects({ files: pair, choices: { maxVoxels: 300 } });
    expectFactors(subjects[0].factors, func.factors300);
    const [fx, fy] = func.factors300.map((f: number) => Number(f.toFixed(3)));
    expect(report.notices.some((n) => n.includes(`downsampled by ${fx} x ${fy} x 1 (x, y, z; thick slices kept)`))).toBe(true);
    const got = subjects[0].images[0].data;
    expect(got).toHaveLength(func.blockMean300.length);
    func.blockMean300.forEach((v: number, i: number) => {
      expect(got[i]).toBeCloseTo(v, 2);
    });
  });

  it('an .img without its .hdr, or an .hdr without its .img, is named with what to add', () => {
    const img = loadUserSubjects({ files: [pair[1]] });
    expect(img.report.errors).toContain('run_bold.img: the voxels of an .hdr/.img pair; add run_bold.hdr with it');
    const hdr = loadUserSubjects({ files: [pair[0]] });
    expect(hdr.report.errors[0]).toMatch(/^run_bold\.hdr: cannot read it as NIfTI \(.*pairedImage/);
  });

  it('a plain ANALYZE 7.5 pair reads too, with a note that it stores no orientation', () => {
    const files = [file(`${FIX}nib_anatomical_analyze.hdr`, 'anat.hdr'), file(`${FIX}nib_anatomical_analyze.img`, 'anat.img')];
    const { report } = loadUserSubjects({ files });
    expect(report.ok).toBe(true);
    expect(report.notices.some((n) => n.startsWith('anat.hdr: ANALYZE 7.5 header: it stores no orientation'))).toBe(true);
  });
});

describe('a BIDS folder of two subjects (the niivue FLAIR and its lesion mask)', () => {
  const flair = 'public/examples/niivue-example_FLAIR.nii.gz';
  const lesion = 'public/examples/niivue-example_lesion.nii.gz';
  const names = [
    'ds/sub-01/anat/sub-01_FLAIR.nii.gz',
    'ds/sub-01/anat/sub-01_FLAIR.json',
    'ds/sub-02/ses-1/anat/sub-02_ses-1_FLAIR.nii.gz',
    'ds/derivatives/lesions/sub-01/anat/sub-01_desc-lesion_mask.nii.gz',
    'ds/derivatives/lesions/sub-02/ses-1/anat/sub-02_ses-1_desc-lesion_mask.nii.gz',
    'ds/participants.tsv',
  ];

  it('groups images with their derivative masks by sub and ses; sidecars are ignored', () => {
    const groups = groupSubjects(assignFiles({ names }));
    expect(groups.map((g) => [g.id, g.images, g.label])).toEqual([
      ['sub-01', [names[0]], names[3]],
      ['sub-02_ses-1', [names[2]], names[4]],
    ]);
    expect(
      assignFiles({ names })
        .filter((f) => f.role === 'ignore')
        .map((f) => f.name),
    ).toEqual([names[1], names[5]]);
  });

  it('loads as two trainable subjects from the real files', () => {
    const bytes = (n: string) => (n.endsWith('_mask.nii.gz') ? file(lesion, n) : file(flair, n));
    const files = names.filter((n) => n.endsWith('.nii.gz')).map(bytes);
    const { report } = loadUserSubjects({ files });
    expect(report.errors).toEqual([]);
    expect(report.trainable).toBe(true);
    expect(report.subjects.map((s) => s.id)).toEqual(['sub-01', 'sub-02_ses-1']);
  });
});

describe('a volume over 2^25 voxels (BigBrain, 310 x 374 x 317)', () => {
  it('is read and downsampled instead of refused, as numpy block means it', () => {
    const big = expected['dm_bigbrain.nii.gz'];
    expect(big.voxels).toBeGreaterThan(2 ** 25);
    const { report, subjects } = loadUserSubjects({ files: [file(`${FIX}dm_bigbrain.nii.gz`, 'bigbrain_T1w.nii.gz')] });
    expect(report.errors).toEqual([]);
    const s = subjects[0];
    expectFactors(s.factors, big.factors);
    expect(s.working.dims).toEqual(big.downsampledShape);
    expect(s.original.dims).toEqual(big.shape);
    const [nx, ny] = s.working.dims;
    const data = s.images[0].data;
    expect(sum(data) / big.downsampledSum).toBeCloseTo(1, 5);
    for (const { index, value } of big.downsampledSamples)
      expect(data[index[0] + nx * (index[1] + ny * index[2])]).toBeCloseTo(value, 3);
  });
});

describe('a thick-slice scan (every 3rd slice of the niivue FLAIR: 1 x 1 x 3 mm, 124 x 160 x 47)', () => {
  it('shrinks in-plane only over a 64^3 working size, as numpy box means it, and says its slices are kept', () => {
    const thick = expected['nv_flair_thick.nii.gz'];
    const files = [file(`${FIX}nv_flair_thick.nii.gz`, 'thick_FLAIR.nii.gz')];
    const { report, subjects } = loadUserSubjects({ files, choices: { maxVoxels: 64 ** 3 } });
    expect(report.errors).toEqual([]);
    const s = subjects[0];
    expect(s.original.dims).toEqual(thick.canonicalShape);
    expectFactors(s.factors, thick.factors64);
    expect(s.working.dims).toEqual(thick.downsampledShape64);
    expect(sum(s.images[0].data) / thick.downsampledSum64).toBeCloseTo(1, 5);
    const [fx, fy] = thick.factors64.map((f: number) => Number(f.toFixed(3)));
    expect(report.notices.some((n) => n.includes(`downsampled by ${fx} x ${fy} x 1 (x, y, z; thick slices kept)`))).toBe(true);
  });
});

describe('exports keep the input file header (nv_hippo.nii.gz: qform and sform code 4, MNI)', () => {
  it('a prediction on an MNI file says MNI, holds the chosen label value and is tagged as a label map', async () => {
    const { predictionFiles } = await import('./exports');
    const { readNifti } = await import('../data/nifti');
    const nib = JSON.parse(readFileSync(`${FIX}expected.json`, 'utf8')).files['nv_hippo.nii.gz'];
    const s = loadUserSubjects({ files: [file(`${FIX}nv_hippo.nii.gz`, 'mni_T1w.nii.gz')] }).subjects[0];
    const n = s.working.dims[0] * s.working.dims[1] * s.working.dims[2];
    const probs = Float32Array.from({ length: n }, (_, i) => (i % 11) / 10);
    const geometry = { working: s.working, original: s.original, meta: s.meta };
    const out = predictionFiles({ probs, geometry, prefix: 'sub-01_pred-gdl', foregroundValue: 5, gzip: true });
    expect([out.segmentation.name, out.probability.name]).toEqual(['sub-01_pred-gdl_seg.nii.gz', 'sub-01_pred-gdl_prob.nii.gz']);
    const seg = readNifti(out.segmentation.bytes);
    const prob = readNifti(out.probability.bytes);
    for (const v of [seg, prob]) {
      expect([v.meta?.qformCode, v.meta?.sformCode]).toEqual([nib.qformCode, nib.sformCode]);
      expect(v.dims).toEqual(nib.shape);
      v.affine.forEach((a, i) => {
        expect(a).toBeCloseTo(nib.affine[i], 4);
      });
    }
    expect(seg.meta?.intentCode).toBe(1002);
    expect(new Set(seg.data)).toEqual(new Set([0, 5]));
    expect(prob.meta?.intentCode).toBe(0);
  });
});

describe('the readout maps a shown voxel to the file own voxel (nib_anatomical.nii: LAS, shown flipped to RAS)', () => {
  it('the file voxel it names holds the shown value, at the world mm nibabel gives that voxel', async () => {
    const { locateVoxel } = await import('./file-grid');
    const nib = JSON.parse(readFileSync(`${FIX}expected.json`, 'utf8')).files['nib_anatomical.nii'];
    const f = file(`${FIX}nib_anatomical.nii`, 'anat_T1w.nii');
    const s = loadUserSubjects({ files: [f] }).subjects[0];
    const { readNifti } = await import('../data/nifti');
    const raw = readNifti(f.bytes);
    const [wx, wy] = s.working.dims;
    const [fx, fy] = raw.dims;
    const fileGrid = { name: s.originalName, dims: [...s.original.dims], affine: [...s.original.affine] };
    expect(fileGrid.name).toBe('anat_T1w.nii');
    expect(s.orientation.flip.some(Boolean) || s.orientation.perm.some((a, i) => a !== i)).toBe(true);
    let nonzero = 0;
    for (const v of [
      [0, 0, 0],
      [16, 20, 12],
      [30, 5, 20],
      [3, 38, 2],
      [10, 25, 8],
    ]) {
      const shown = s.images[0].data[v[0] + wx * (v[1] + wy * v[2])];
      const { world, fileVoxel } = locateVoxel({ voxel: v, displayAffine: s.images[0].affine, file: fileGrid });
      const [i, j, k] = fileVoxel!;
      expect(raw.data[i + fx * (j + fy * k)]).toBe(shown);
      const a = nib.affine as number[];
      [0, 1, 2].forEach((r) => {
        expect(world[r]).toBeCloseTo(a[4 * r] * i + a[4 * r + 1] * j + a[4 * r + 2] * k + a[4 * r + 3], 3);
      });
      if (shown !== 0) nonzero++;
    }
    expect(nonzero).toBeGreaterThanOrEqual(2);
  });
});
