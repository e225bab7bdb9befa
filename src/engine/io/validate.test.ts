import { describe, expect, it } from 'vitest';
import { readNifti, writeNifti } from '../data/nifti';
import { createVolume, type VolumeArray } from '../data/volume';
import { assignFiles, groupSubjects, guessModality, guessRole, guessSubject } from './files';
import { loadUserSubjects } from './validate';

const RAS = (dims: number[], shift = 0) => [
  1,
  0,
  0,
  -dims[0] / 2 + shift,
  0,
  1,
  0,
  -dims[1] / 2,
  0,
  0,
  1,
  -dims[2] / 2,
  0,
  0,
  0,
  1,
];

function nii(name: string, dims: number[], fill: (i: number) => number, opts: { affine?: number[]; array?: 'f32' | 'u8' } = {}) {
  const n = dims.reduce((a, b) => a * b, 1);
  const data: VolumeArray =
    opts.array === 'u8' ? Uint8Array.from({ length: n }, (_, i) => fill(i)) : Float32Array.from({ length: n }, (_, i) => fill(i));
  const vol = createVolume({ dims, data, affine: opts.affine ?? RAS(dims) });
  return { name, bytes: writeNifti(vol, { gzip: name.endsWith('.gz') }) };
}

const image = (name: string, dims = [8, 6, 4], affine?: number[]) => nii(name, dims, (i) => 100 + (i % 7), { affine });
const label = (name: string, dims = [8, 6, 4], f: (i: number) => number = (i) => (i % 5 === 0 ? 1 : 0), affine?: number[]) =>
  nii(name, dims, f, { affine, array: 'u8' });

describe('file names -> roles, subjects, modalities', () => {
  it('guesses from name tokens', () => {
    expect(guessRole('sub01_seg.nii.gz')).toBe('label');
    expect(guessRole('case3-lesion-mask.nii')).toBe('label');
    expect(guessRole('sub01_T1.nii.gz')).toBe('image');
    expect(guessRole('segmental_T1.nii')).toBe('image');
    expect(guessSubject('sub-01_ses-1_T1w.nii.gz')).toBe('sub-01_ses-1');
    expect(guessSubject('case3-flair.nii')).toBe('case3');
    expect(guessModality('phantom-1_FLAIR.nii.gz')).toBe('FLAIR');
  });

  it('groups by subject, orders channels T1, T2, FLAIR, and a lone label takes every image', () => {
    const names = ['a_FLAIR.nii', 'a_T1.nii', 'a_label.nii', 'b_T1.nii', 'b_FLAIR.nii', 'b_label.nii'];
    const groups = groupSubjects(assignFiles({ names }));
    expect(groups.map((g) => [g.id, g.images, g.label])).toEqual([
      ['a', ['a_T1.nii', 'a_FLAIR.nii'], 'a_label.nii'],
      ['b', ['b_T1.nii', 'b_FLAIR.nii'], 'b_label.nii'],
    ]);
    const lone = assignFiles({ names: ['T1.nii', 'flair.nii', 'truth.nii'] });
    expect(new Set(lone.map((f) => f.subject)).size).toBe(1);
    const two = groupSubjects(assignFiles({ names: ['x_T1.nii', 'x_seg.nii', 'x_mask.nii'] }));
    expect(two[0].problems[0]).toMatch(/2 label files/);
    const roles = assignFiles({ names: ['x_T1.nii', 'x_seg.nii'], roles: { 'x_seg.nii': 'ignore' } });
    expect(roles[1].role).toBe('ignore');
  });
});

describe('loadUserSubjects', () => {
  it('a good image + label pair is ok and trainable, with the label as 0/1', () => {
    const { report, subjects } = loadUserSubjects({ files: [image('s_T1.nii'), label('s_label.nii.gz')] });
    expect(report.errors).toEqual([]);
    expect(report.ok && report.trainable).toBe(true);
    expect(report.labelValues).toEqual([
      { value: 0, count: 192 - 39 },
      { value: 1, count: 39 },
    ]);
    expect(subjects).toHaveLength(1);
    expect(subjects[0].working.dims).toEqual([8, 6, 4]);
    expect(report.subjects[0].foregroundVoxels).toBe(39);
  });

  it('a corrupt file and a non-NIfTI name get messages naming them; nothing throws', () => {
    const junk = { name: 'broken.nii.gz', bytes: Uint8Array.from({ length: 500 }, (_, i) => (i * 31) % 256) };
    const png = { name: 'scan.png', bytes: new Uint8Array(10) };
    const { report } = loadUserSubjects({ files: [image('s_T1.nii'), junk, png] });
    expect(report.ok).toBe(false);
    expect(report.errors.some((e) => e.startsWith('broken.nii.gz: cannot read it as NIfTI'))).toBe(true);
    expect(report.errors).toContain('scan.png: not a .nii or .nii.gz file (nor an .hdr/.img pair)');
    expect(loadUserSubjects({ files: [] }).report.errors[0]).toMatch(/no files/);
  });

  it('mismatched dims or affines are refused with a way out; resampling on request aligns them', () => {
    const bad = loadUserSubjects({ files: [image('s_T1.nii'), label('s_label.nii', [10, 6, 4])] });
    expect(bad.report.ok).toBe(false);
    expect(bad.report.errors[0]).toMatch(/s_label\.nii is 10x6x4 voxels but s_T1\.nii is 8x6x4.*Resample/);
    const moved = loadUserSubjects({ files: [image('s_T1.nii'), label('s_label.nii', [8, 6, 4], undefined, RAS([8, 6, 4], 2))] });
    expect(moved.report.errors[0]).toMatch(/another position or orientation \(affines differ by up to 2\.00 mm\)/);
    // Resampled: label voxel x reads source x + 2 (the label grid starts 2 mm further right).
    const fix = loadUserSubjects({
      files: [image('s_T1.nii'), label('s_label.nii', [8, 6, 4], (i) => (i % 8 === 5 ? 1 : 0), RAS([8, 6, 4], 2))],
      choices: { resample: true },
    });
    expect(fix.report.ok).toBe(true);
    expect(fix.report.notices.some((n) => n.includes('s_label.nii resampled'))).toBe(true);
    const lab = fix.subjects[0].label!.data;
    for (let i = 0; i < lab.length; i++) expect(lab[i]).toBe(i % 8 === 7 ? 1 : 0);
  });

  it('label values small and large (FreeSurfer-style 2035, 12000) are counted exactly; over 10,000 distinct is refused', () => {
    const values = [0, 3, 4095, 4096, 2035, 12000, 65535];
    const f = (i: number) => values[i % values.length];
    const { report } = loadUserSubjects({
      files: [image('s_T1.nii'), nii('s_label.nii', [8, 6, 4], f)],
      choices: { classes: 'all' },
    });
    const want = values.map((value) => ({
      value,
      count: Array.from({ length: 192 }, (_, i) => f(i)).filter((v) => v === value).length,
    }));
    expect(report.labelValues.map(({ value, count }) => ({ value, count }))).toEqual(want.sort((a, b) => a.value - b.value));
    const many = loadUserSubjects({ files: [image('s_T1.nii', [30, 30, 12]), nii('s_label.nii', [30, 30, 12], (i) => i)] });
    expect(many.report.errors[0]).toMatch(/has more than 10000 distinct values: is it an image, not a label map\?/);
  });

  it('labels must be whole non-negative numbers; multi-label maps merge by default or take a choice', () => {
    const frac = loadUserSubjects({ files: [image('s_T1.nii'), nii('s_label.nii', [8, 6, 4], (i) => (i === 9 ? 0.5 : 0))] });
    expect(frac.report.errors[0]).toMatch(/voxel \(1, 1, 0\) holds 0\.5 \(not a whole number\)/);
    const multi = (i: number) => (i % 3 === 0 ? 2 : i % 3 === 1 ? 4 : 0);
    const merged = loadUserSubjects({ files: [image('s_T1.nii'), label('s_label.nii', [8, 6, 4], multi)] });
    expect(merged.report.notices.some((n) => /hold 2, 4: all merged/.test(n))).toBe(true);
    expect(merged.report.subjects[0].foregroundVoxels).toBe(128);
    const chosen = loadUserSubjects({
      files: [image('s_T1.nii'), label('s_label.nii', [8, 6, 4], multi)],
      choices: { foreground: [4] },
    });
    expect(chosen.report.subjects[0].foregroundVoxels).toBe(64);
    expect(chosen.report.foreground).toEqual([4]);
    const none = loadUserSubjects({
      files: [image('s_T1.nii'), label('s_label.nii', [8, 6, 4], multi)],
      choices: { foreground: [7] },
    });
    expect(none.report.trainable).toBe(false);
    expect(none.report.trainProblems[0]).toMatch(/no label has a voxel of the foreground label\(s\) 7/);
  });

  it('volumes over the voxel limit are downsampled with a notice; oblique storage is reoriented', () => {
    const big = loadUserSubjects({
      files: [image('s_T1.nii', [16, 12, 8]), label('s_label.nii', [16, 12, 8])],
      choices: { maxVoxels: 150 },
    });
    expect(big.report.ok).toBe(true);
    // The smallest factor (in 1/1000 steps) that fits: 2.301 gives 7x5x4 = 140 voxels, 2.3 would give 7x6x4 = 168.
    for (const f of big.subjects[0].factors) expect(f).toBeCloseTo(2.301, 9);
    expect(big.subjects[0].working.dims).toEqual([7, 5, 4]);
    expect(big.report.notices.some((n) => /1536 voxels, over the 150 limit: downsampled by 2.301 to 7x5x4/.test(n))).toBe(true);
    const lps = [-1, 0, 0, 4, 0, -1, 0, 3, 0, 0, 1, -2, 0, 0, 0, 1];
    const flipped = loadUserSubjects({
      files: [image('s_T1.nii', [8, 6, 4], lps), label('s_label.nii', [8, 6, 4], undefined, lps)],
    });
    const s = flipped.subjects[0];
    expect(s.orientation.flip).toEqual([true, true, false]);
    expect(s.working.affine[0]).toBe(1);
    expect(s.original.affine).toEqual(lps);
    // The first stored voxel (x = 0, y = 0) is now the last of its row and column.
    const first = readNifti(image('x.nii', [8, 6, 4], lps).bytes).data[0];
    expect(s.images[0].data[7 + 8 * 5]).toBe(first);
  });

  it('a subject without a label can be shown and segmented, not trained', () => {
    const { report } = loadUserSubjects({ files: [image('s_T1.nii')] });
    expect(report.ok).toBe(true);
    expect(report.trainable).toBe(false);
    expect(report.trainProblems[0]).toMatch(/needs a label/);
  });
});
