// Files over the working size are streamed into the working grid (streamed-read.ts): on real files the result
// equals the whole-file path (loadUserSubjects with stream: false: readNifti, reorient, downsample) voxel for
// voxel: BigBrain (36.8 M voxels), a LAS big-endian int16 file, a 20-frame scaled series (mean, frame,
// channels, .hdr/.img pair; and over the whole-file limit, not downsampled), a label map (box modes, ties
// included), the same data stored in a permuted, flipped voxel order, a volume resampled on request (read whole
// for it) and cut gzip files (the same errors). Then the peak memory of both paths on BigBrain, each in a fresh
// Node process.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readNifti, writeNifti } from '../data/nifti';
import type { Volume } from '../data/volume';
import { canonicalOrientation, type Orientation, reorientVolume } from './geometry';
import { alignSubject } from './align';
import { applySeries, openVolume } from './read-user';
import { isStreamed } from './streamed-read';
import { loadUserSubjects, USER_MAX_VOXELS, USER_READ_MAX_VOXELS, type UserDataChoices, type UserSubject } from './validate';

const FIX = 'tests/fixtures/nifti/';
const file = (path: string, name = path.split('/').pop()!) => ({ name, bytes: new Uint8Array(readFileSync(path)) });
type Files = { name: string; bytes: Uint8Array }[];

/** Voxels where a and b differ: exactly, or by more than `rel` of |b| (float32 rounding of a different sum order). */
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>, rel = 0): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (rel === 0 ? a[i] !== b[i] : Math.abs(a[i] - b[i]) > rel * Math.abs(b[i])) n++;
  return n;
}

function expectSameVolume(a: Volume, b: Volume, rel = 0): void {
  expect(a.dims).toEqual(b.dims);
  expect(a.spacing).toEqual(b.spacing);
  expect(a.affine).toEqual(b.affine);
  expect(a.datatype).toBe(b.datatype);
  expect(a.data.constructor).toBe(b.data.constructor);
  expect(a.name).toBe(b.name);
  expect(a.meta).toEqual(b.meta);
  expect(mismatches(a.data, b.data, rel)).toBe(0);
}

/** Loads the files both ways and checks that report and subjects agree; returns the streamed result. */
function bothWays(files: Files, choices: UserDataChoices, rel = 0) {
  const streamed = loadUserSubjects({ files, choices });
  const whole = loadUserSubjects({ files, choices, stream: false });
  expect(streamed.report.errors).toEqual([]);
  expect(streamed.report).toEqual(whole.report);
  expect(streamed.subjects).toHaveLength(whole.subjects.length);
  streamed.subjects.forEach((s, k) => {
    const w = whole.subjects[k];
    const strip = (x: UserSubject) => ({ ...x, images: x.images.length, label: !!x.label });
    expect(strip(s)).toEqual(strip(w));
    s.images.forEach((v, c) => {
      expectSameVolume(v, w.images[c], rel);
    });
    if (s.label) expectSameVolume(s.label, w.label!);
  });
  return streamed;
}

const streams = (f: Files[number], choices: UserDataChoices = {}) =>
  isStreamed(
    openVolume(f, undefined, {
      workingVoxels: choices.maxVoxels ?? USER_MAX_VOXELS,
      wholeMax: USER_READ_MAX_VOXELS,
      stream: true,
    }).volume!,
  );

/** The same voxels stored in another voxel order: file axis r reads the original's axis o.perm[r] (flipped when o.flip[r]). */
function restored(path: string, name: string, o: Orientation) {
  const v = readNifti(readFileSync(path));
  const r = reorientVolume({ dims: v.dims, spacing: v.spacing, affine: v.affine, data: v.data, datatype: v.datatype }, o);
  return { name, bytes: writeNifti(r, { gzip: true }) };
}
const PERMUTED: Orientation = { perm: [2, 0, 1], flip: [true, false, true] };

describe('BigBrain (310 x 374 x 317 uint8) over the default 160^3 working size', () => {
  const files = [file(`${FIX}dm_bigbrain.nii.gz`, 'bigbrain_T1w.nii.gz')];

  it('is streamed (a file under the limit is read whole)', () => {
    expect(streams(files[0])).toBe(true);
    expect(streams(file(`${FIX}nib_anatomical.nii`))).toBe(false);
  });

  it("gives the whole-file path's grid, factors and box means, voxel for voxel", () => {
    const { subjects } = bothWays(files, {});
    expect(subjects[0].working.dims).toEqual([149, 180, 152]);
    for (const f of subjects[0].factors) expect(f).toBeCloseTo(2.083, 9);
  });
});

describe('nib_anatomical.nii (LAS, big-endian int16) over a 5000-voxel working size', () => {
  const anat = file(`${FIX}nib_anatomical.nii`, 'anat_T1w.nii');

  it('is flipped to RAS before its boxes are laid, as the whole-file path does', () => {
    expect(streams(anat, { maxVoxels: 5000 })).toBe(true);
    const { subjects } = bothWays([anat], { maxVoxels: 5000 });
    expect(subjects[0].orientation.flip).toEqual([true, false, false]);
    expect(subjects[0].working.dims).toEqual([17, 22, 13]);
  });

  it('stored with permuted, flipped axes it streams to the same RAS grid and the same values', () => {
    const permuted = restored(`${FIX}nib_anatomical.nii`, 'perm_T1w.nii.gz', PERMUTED);
    const back = canonicalOrientation(readNifti(permuted.bytes).affine);
    expect(back.perm).toEqual([1, 2, 0]);
    const p = bothWays([permuted], { maxVoxels: 5000 }).subjects[0];
    const a = loadUserSubjects({ files: [anat], choices: { maxVoxels: 5000 } }).subjects[0];
    expect(p.working.dims).toEqual(a.working.dims);
    p.working.affine.forEach((x, i) => {
      expect(x).toBeCloseTo(a.working.affine[i], 4);
    });
    expect(mismatches(p.images[0].data, a.images[0].data)).toBe(0);
  });
});

describe('a scaled 20-frame series (nib_functional, 17 x 21 x 3, 8 mm slices) over a 300-voxel working size', () => {
  const series = file(`${FIX}nib_functional.nii`, 'run_bold.nii');
  const pair = [file(`${FIX}nib_functional_pair.hdr`, 'pair_bold.hdr'), file(`${FIX}nib_functional_pair.img`, 'pair_bold.img')];

  it('the time mean (the default: the header gives a TR), to float32 rounding of the frame sums', () => {
    // The whole-file path sums the frames voxel by voxel in float32, the streamed one in float64.
    const { subjects } = bothWays([series], { maxVoxels: 300 }, 1e-6);
    expect(subjects[0].working.dims).toEqual([9, 11, 3]);
    bothWays(pair, { maxVoxels: 300 }, 1e-6);
  });

  it('one frame, and every frame as channels, exactly', () => {
    bothWays([series], { maxVoxels: 300, series: { 'run_bold.nii': 7 } });
    const { subjects } = bothWays([series], { maxVoxels: 300, series: { 'run_bold.nii': 'channels' } });
    expect(subjects[0].images).toHaveLength(20);
    bothWays(pair, { maxVoxels: 300, series: { 'pair_bold.hdr': 'channels' } });
  });
});

describe('a series over the whole-file limit but within the working size (the limit lowered to 5000 voxels here)', () => {
  it('is streamed without downsampling: reoriented and reduced to its time mean, as the whole-file path does', () => {
    const f = file(`${FIX}nib_functional.nii`, 'run_bold.nii');
    const opened = openVolume(f, undefined, { workingVoxels: 1e6, wholeMax: 5000, stream: true });
    expect(opened.volume && isStreamed(opened.volume)).toBe(true);
    const v = applySeries(opened.volume!, 'mean');
    const problems: string[] = [];
    const s = alignSubject({
      id: 'run',
      images: [v],
      label: null,
      modalities: ['bold'],
      classOf: () => 0,
      resample: false,
      maxVoxels: 1e6,
      problems,
      notices: [],
    })!;
    expect(problems).toEqual([]);
    const w = loadUserSubjects({ files: [f], choices: { maxVoxels: 1e6 }, stream: false }).subjects[0];
    expect(s.factors).toEqual([1, 1, 1]);
    expect(s.working).toEqual(w.working);
    expectSameVolume(s.images[0], w.images[0], 1e-6);
  });
});

describe('a label map (nv_lesion, values 0-3, with its FLAIR)', () => {
  const files = [
    file('public/examples/niivue-example_FLAIR.nii.gz', 'l_FLAIR.nii.gz'),
    file(`${FIX}nv_lesion.nii.gz`, 'l_lesion.nii.gz'),
  ];

  it('box modes as the whole-file path takes them: merged, kept as classes, one value; ties to the larger class', () => {
    expect(streams(files[1], { maxVoxels: 5000 })).toBe(true);
    bothWays(files, { maxVoxels: 5000 });
    // At 50,000 voxels (boxes of 3.86 voxels a side) 72 boxes hold as many lesion as background voxels.
    const merged = bothWays(files, { maxVoxels: 50_000 });
    expect(merged.report.notices.some((n) => /downsampled by 3.86 to 32x42x37 \(foreground voxels \d+ -> \d+\)/.test(n))).toBe(
      true,
    );
    expect(merged.subjects[0].label!.data.some((v) => v > 0)).toBe(true);
    const kept = bothWays(files, { maxVoxels: 50_000, classes: 'all' });
    expect(new Set(kept.subjects[0].label!.data).size).toBeGreaterThan(2);
    bothWays(files, { maxVoxels: 50_000, foreground: [3] });
  });

  it('stored permuted and flipped, the label streams to the same classes as the file in its own order', () => {
    const permuted = [
      restored('public/examples/niivue-example_FLAIR.nii.gz', 'p_FLAIR.nii.gz', PERMUTED),
      restored(`${FIX}nv_lesion.nii.gz`, 'p_lesion.nii.gz', PERMUTED),
    ];
    const p = bothWays(permuted, { maxVoxels: 50_000, classes: 'all' }).subjects[0];
    const a = loadUserSubjects({ files, choices: { maxVoxels: 50_000, classes: 'all' } }).subjects[0];
    expect(p.working.dims).toEqual(a.working.dims);
    expect(mismatches(p.label!.data, a.label!.data)).toBe(0);
    expect(mismatches(p.images[0].data, a.images[0].data, 1e-6)).toBe(0);
  });
});

describe('an image on another grid, resampled on request', () => {
  it('a volume to resample is read whole for it (the first image still streams), as the whole-file path does', () => {
    const files = [
      file('public/examples/niivue-example_FLAIR.nii.gz', 'r_FLAIR.nii.gz'),
      restored('public/examples/niivue-example_FLAIR.nii.gz', 'r_T2w.nii.gz', PERMUTED),
      file(`${FIX}nv_lesion.nii.gz`, 'r_lesion.nii.gz'),
    ];
    const { report } = bothWays(files, { maxVoxels: 5000, resample: true });
    // The channel order puts T2w first: the FLAIR and the label are resampled onto its (permuted) grid.
    expect(report.notices).toContain("r_FLAIR.nii.gz resampled onto r_T2w.nii.gz's grid (trilinear)");
    expect(report.notices).toContain("r_lesion.nii.gz resampled onto r_T2w.nii.gz's grid (nearest neighbour)");
  });
});

describe('a damaged file over the working size', () => {
  it('a cut gzip fails with the message of the whole-file path (found while streaming: a subject problem, not a file error)', () => {
    const gz = new Uint8Array(readFileSync(`${FIX}nv_lesion.nii.gz`));
    for (const [cut, why] of [
      [2000, /truncated data: 124x160x140 uint8 needs 2777600 bytes after offset 352, the file has \d+\)$/],
      [100, /gzip data is corrupt or truncated/],
    ] as const) {
      const files = [{ name: 'cut_FLAIR.nii.gz', bytes: gz.subarray(0, gz.length - cut) }];
      const streamed = loadUserSubjects({ files, choices: { maxVoxels: 5000 } });
      const whole = loadUserSubjects({ files, choices: { maxVoxels: 5000 }, stream: false });
      expect(whole.report.errors).toHaveLength(1);
      expect(whole.report.errors[0]).toMatch(/^cut_FLAIR\.nii\.gz: cannot read it as NIfTI \(/);
      expect(whole.report.errors[0]).toMatch(why);
      expect(streamed.report.ok).toBe(false);
      expect(streamed.report.errors).toEqual(whole.report.errors);
      expect(streamed.subjects).toEqual([]);
    }
  });
});

describe('peak memory of reading BigBrain, each path in a fresh Node process (scripts/bench-streamed-read.ts)', () => {
  it('the streamed read peaks at under half the whole-file read (the numbers are printed)', () => {
    const run = (path: 'stream' | 'whole') =>
      JSON.parse(
        execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'scripts/bench-streamed-read.ts', path], {
          encoding: 'utf8',
        })
          .trim()
          .split('\n')
          .pop()!,
      ) as { peakMB: number; peakFromRead: boolean; retainedArrayBuffersMB: number; coldMs: number; imageSum: number };
    const whole = run('whole');
    const stream = run('stream');
    for (const [name, r] of [
      ['whole', whole],
      ['stream', stream],
    ] as const)
      console.log(
        `BigBrain ${name}: peak ${r.peakMB.toFixed(1)} MB over the resident set before the read, retained ${r.retainedArrayBuffersMB.toFixed(1)} MB, ${r.coldMs.toFixed(0)} ms`,
      );
    expect(whole.peakFromRead && stream.peakFromRead).toBe(true);
    expect(stream.imageSum).toBe(whole.imageSum);
    expect(stream.peakMB).toBeLessThan(whole.peakMB / 2);
  }, 120_000);
});
