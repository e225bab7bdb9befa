// Your data in the built app on real files (tests/fixtures/nifti/, public/examples/): an atlas picked by name
// from a label table, then trained; a BIDS folder of two subjects; a 4D series as an .hdr/.img pair; a
// thick-slice scan over a chosen working size; a volume over 2^25 voxels; a plain ANALYZE pair; an .img
// alone. Each says what was done (Notes) or what is wrong (Problems); the numbers come from nibabel + numpy
// (tests/fixtures/nifti/user-expected.json), as in src/engine/io/real-data.test.ts.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { readStep, waitForData } from './helpers';

const FIX = 'tests/fixtures/nifti/';
const expected = JSON.parse(readFileSync(`${FIX}user-expected.json`, 'utf8')).files;
const TINY = 'backend=wasm&size=48&patch=16&batch=2&loss=gdl&lr=0.01&steps=2';
const file = (path: string, name: string) => ({ name, mimeType: 'application/octet-stream', buffer: readFileSync(path) });

async function yourData(page: Page): Promise<void> {
  await page.goto(`/?${TINY}`);
  await waitForData(page);
  await page.getByRole('button', { name: 'Your data' }).click();
}

const notes = (page: Page) => page.getByRole('list', { name: 'Notes' });
const check = (page: Page) => page.getByRole('status', { name: 'Volumes check' });

test.describe('Your data on real files', () => {
  let errors: string[];
  test.beforeEach(({ page }) => {
    errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
  });
  test.afterEach(() => expect(errors).toEqual([]));

  test('an atlas of 725 labels: two picked by name from a label table, then trained', async ({ page }) => {
    test.setTimeout(300_000);
    const [a, b, c] = expected['nv_inia19-NeuroMaps.nii.gz'].largest;
    const table = `index\tname\n${a.value}\tcortex left\n${b.value}\tcortex right\n${c.value}\twhite matter\n`;
    await yourData(page);
    await page
      .getByLabel('Choose NIfTI files')
      .setInputFiles([
        file(`${FIX}nv_inia19-t1-brain.nii.gz`, 'inia19_T1w.nii.gz'),
        file(`${FIX}nv_inia19-NeuroMaps.nii.gz`, 'inia19_dseg.nii.gz'),
        { name: 'inia19_dseg.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(table) },
      ]);
    const labels = page.getByRole('group', { name: 'Foreground labels' });
    await expect(labels).toContainText('724 chosen · names from inia19_dseg.tsv', { timeout: 60_000 });
    // 168 x 206 x 128 is over 160^3: shrunk, and said so.
    await expect(notes(page)).toContainText('over the 4.1 M limit: downsampled by');
    await page.getByRole('textbox', { name: 'Find labels by value or name' }).fill('cortex');
    await labels.getByRole('button', { name: 'Only the 2 listed' }).click();
    await expect(labels).toContainText('2 chosen');
    await expect(labels.getByRole('checkbox', { name: /cortex left/ })).toBeChecked();
    await expect(check(page)).toContainText('1 subject ready: inia19');
    await page.screenshot({ path: 'test-results/your-data-atlas.png', fullPage: true });
    await page.getByRole('button', { name: 'Train on these volumes' }).click();
    await expect(page.getByRole('region', { name: 'Your data in use' })).toContainText('inia19', { timeout: 180_000 });
    await page.getByRole('button', { name: 'Train' }).click();
    await expect(page.getByRole('table', { name: 'Runs' })).toContainText('done', { timeout: 120_000 });
    expect(await readStep(page)).toBe(2);
  });

  test('a BIDS folder of two subjects: images grouped with their derivative masks, sidecars left out', async ({ page }) => {
    test.setTimeout(180_000);
    const root = join(mkdtempSync(join(tmpdir(), 'bids-')), 'ds');
    const put = (rel: string, from?: string) => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      if (from) cpSync(from, join(root, rel));
      else writeFileSync(join(root, rel), '{}');
    };
    const [flair, lesion] = ['public/examples/niivue-example_FLAIR.nii.gz', 'public/examples/niivue-example_lesion.nii.gz'];
    put('sub-01/anat/sub-01_FLAIR.nii.gz', flair);
    put('sub-01/anat/sub-01_FLAIR.json');
    put('sub-02/ses-1/anat/sub-02_ses-1_FLAIR.nii.gz', flair);
    put('derivatives/lesions/sub-01/anat/sub-01_desc-lesion_mask.nii.gz', lesion);
    put('derivatives/lesions/sub-02/ses-1/anat/sub-02_ses-1_desc-lesion_mask.nii.gz', lesion);
    await yourData(page);
    await page.getByLabel('Choose a folder (BIDS or one folder per subject)').setInputFiles(root);
    await expect(check(page)).toContainText(
      /^2 subjects ready: sub-01 \(1 image, 124x160x140, \d+ foreground voxels\); sub-02_ses-1 /,
      {
        timeout: 120_000,
      },
    );
    // Four NIfTI rows; the sidecar is not among the volumes and raises no problem.
    await expect(page.getByRole('table', { name: 'Files' }).getByRole('row')).toHaveCount(5);
    await expect(page.getByRole('row', { name: /FLAIR\.json/ })).toHaveCount(0);
    await expect(page.getByRole('alert', { name: 'Problems' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Train on these volumes' })).toBeEnabled();
  });

  test('a 20-frame series as an .hdr/.img pair: read from both files, the mean over time or one frame', async ({ page }) => {
    await yourData(page);
    await page
      .getByLabel('Choose NIfTI files')
      .setInputFiles([
        file(`${FIX}nib_functional_pair.hdr`, 'run_bold.hdr'),
        file(`${FIX}nib_functional_pair.img`, 'run_bold.img'),
      ]);
    await expect(notes(page)).toContainText('run_bold.hdr read with its voxels from run_bold.img');
    await expect(notes(page)).toContainText('20 volumes in its 4th dimension: taken as time: the mean of the 20 frames');
    const fourth = page.getByRole('combobox', { name: '4th dimension of run_bold.hdr' });
    await fourth.selectOption('frame');
    await page.getByRole('spinbutton', { name: 'Frame of run_bold.hdr' }).fill('5');
    await expect(notes(page)).toContainText('frame 5');
    await fourth.selectOption('channels');
    await expect(check(page)).toContainText('run (1 image, 20 channels, 17x21x3,');
    // No label: it can be segmented by a model, not trained on; the page says why.
    await expect(page.getByRole('list', { name: 'Why not trainable' })).toBeVisible();
  });

  test('a thick-slice scan over a 64^3 working size: shrunk in-plane, its 3 mm slices kept', async ({ page }) => {
    const thick = expected['nv_flair_thick.nii.gz'];
    await yourData(page);
    await page.getByLabel('Choose NIfTI files').setInputFiles([file(`${FIX}nv_flair_thick.nii.gz`, 'thick_FLAIR.nii.gz')]);
    await expect(check(page)).toContainText(`thick (1 image, ${thick.canonicalShape.join('x')},`);
    await page.getByRole('combobox', { name: 'Working size' }).selectOption({ label: '64^3 (0.26 M voxels)' });
    const [fx, fy] = thick.factors64.map((f: number) => Number(f.toFixed(3)));
    await expect(notes(page)).toContainText(`downsampled by ${fx} x ${fy} x 1 (x, y, z; thick slices kept)`);
    await expect(check(page)).toContainText(`thick (1 image, ${thick.downsampledShape64.join('x')},`);
    await page.screenshot({ path: 'test-results/your-data-thick.png', fullPage: true });
  });

  test('a volume over 2^25 voxels (BigBrain) is downsampled while read, not refused', async ({ page }) => {
    test.setTimeout(180_000);
    const big = expected['dm_bigbrain.nii.gz'];
    await yourData(page);
    await page.getByLabel('Choose NIfTI files').setInputFiles([file(`${FIX}dm_bigbrain.nii.gz`, 'bigbrain_T1w.nii.gz')]);
    await expect(check(page)).toContainText(`bigbrain (1 image, ${big.downsampledShape.join('x')},`, { timeout: 120_000 });
    await expect(notes(page)).toContainText(`${big.shape.join('x')} is 36.8 M voxels, over the 4.1 M limit: downsampled by`);
  });

  test('a plain ANALYZE 7.5 pair reads with a note; an .img alone is named with what to add', async ({ page }) => {
    await yourData(page);
    const input = page.getByLabel('Choose NIfTI files');
    await input.setInputFiles([file(`${FIX}nib_anatomical_analyze.img`, 'anat.img')]);
    await expect(page.getByRole('alert', { name: 'Problems' })).toContainText(
      'anat.img: the voxels of an .hdr/.img pair; add anat.hdr with it',
    );
    await input.setInputFiles([file(`${FIX}nib_anatomical_analyze.hdr`, 'anat.hdr')]);
    await expect(notes(page)).toContainText('anat.hdr: ANALYZE 7.5 header: it stores no orientation');
    await expect(check(page)).toContainText('1 subject ready: anat (1 image,');
  });

  test("a checkpoint's segmentation of a reoriented file: the readout names the file's own voxel", async ({ page }) => {
    test.setTimeout(120_000);
    await yourData(page);
    // nib_anatomical.nii is stored LAS (x runs right to left) and shown in RAS order: x is mirrored, y and z kept.
    // Three copies make the checkpoint's three images (T1, T2, FLAIR).
    const anat = (m: string) => file(`${FIX}nib_anatomical.nii`, `anat_${m}.nii`);
    await page.getByLabel('Choose NIfTI files').setInputFiles([anat('T1'), anat('T2'), anat('FLAIR')]);
    await expect(check(page)).toContainText('1 subject ready: anat (3 images, 33x41x25');
    await page.getByRole('button', { name: 'Segment with unet2d' }).click();
    await expect(page.getByRole('region', { name: 'Segmentation' })).toContainText('by unet2d', { timeout: 60_000 });
    const canvas = page.getByRole('region', { name: 'Segmentation' }).locator('[data-testid="niivue-canvas"]');
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width * 0.3, y: box.height * 0.5 } });
    const readout = page.getByRole('status', { name: 'Segmentation voxel' });
    await expect(readout).toContainText(/of anat_T1\.nii at \(/);
    const text = (await readout.textContent()) ?? '';
    const m =
      /voxel \((\d+), (\d+), (\d+)\) of anat_T1\.nii at .* mm, shown as \((\d+), (\d+), (\d+)\): intensity [-\d.]+, p\(lesion\) \d/.exec(
        text,
      );
    expect(m, text).toBeTruthy();
    const [fx, fy, fz, sx, sy, sz] = m!.slice(1).map(Number);
    expect([fx, fy, fz]).toEqual([32 - sx, sy, sz]);
    await page.screenshot({ path: 'test-results/your-data-segment-readout.png', fullPage: true });
  });
});
