// Own data, exports and checkpoints through the page: phantom -> NIfTI -> back in through the file
// picker -> a tiny run -> prediction NIfTI equal to what the viewer shows; bad files get clear messages;
// a shipped checkpoint segments the volume and its download matches the numbers on screen.
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { readNifti, writeNifti } from '../src/engine/data/nifti';
import { createVolume } from '../src/engine/data/volume';
import { downloads, readStep, waitForData } from './helpers';

const TINY = 'backend=wasm&size=48&patch=16&batch=2&loss=gdl&lr=0.01';

const at = (v: { dims: number[]; data: ArrayLike<number> }, x: number, y: number, z: number) =>
  v.data[x + v.dims[0] * (y + v.dims[1] * z)];

test('phantom -> NIfTI -> file picker -> tiny run; exports match the screen and re-import', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/?${TINY}&steps=40`);
  await waitForData(page);
  const phantom = await downloads(page, 'Phantom NIfTI', 4);
  const suffixes = phantom.map((f) => /^phantom-\d+_(T1|T2|FLAIR|label)\.nii\.gz$/.exec(f.name)?.[1]);
  expect(suffixes.sort()).toEqual(['FLAIR', 'T1', 'T2', 'label']);
  const t1 = readNifti(phantom.find((f) => f.name.includes('_T1'))!.bytes);
  expect(t1.dims).toEqual([48, 48, 36]);

  await page.getByRole('button', { name: 'Your data' }).click();
  await expect(page.getByText('Nothing leaves your browser')).toBeVisible();
  await page
    .getByLabel('Choose NIfTI files')
    .setInputFiles(phantom.map((f) => ({ name: f.name, mimeType: 'application/gzip', buffer: f.bytes })));
  await expect(page.getByRole('status', { name: 'Volumes check' })).toContainText(
    /1 subject ready: phantom-\d+ \(3 images, 48x48x36, \d+ foreground voxels\)/,
  );
  await expect(page.getByRole('combobox', { name: /Role of phantom-\d+_label/ })).toHaveValue('label');
  await page.screenshot({ path: 'test-results/io-your-data.png', fullPage: true });
  await page.getByRole('button', { name: 'Train on these volumes' }).click();
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText('Training data: your volumes');
  await expect(page.getByRole('region', { name: 'Export' })).toContainText('Data: your volumes');

  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('done', { timeout: 120_000 });
  expect(await readStep(page)).toBe(40);

  // What the viewer shows at a few voxels (the readout of the snapshot) against the exported file.
  const prediction = await downloads(page, 'Prediction NIfTI', 2);
  const prob = readNifti(prediction.find((f) => f.name.endsWith('_prob.nii.gz'))!.bytes);
  const seg = readNifti(prediction.find((f) => f.name.endsWith('_seg.nii.gz'))!.bytes);
  expect(prob.dims).toEqual([48, 48, 36]);
  prob.affine.forEach((v, i) => {
    expect(v).toBeCloseTo(t1.affine[i], 4);
  });
  const canvas = page.locator('[data-testid="niivue-canvas"]').first();
  const box = (await canvas.boundingBox())!;
  let compared = 0;
  for (const [fx, fy] of [
    [0.5, 0.5],
    [0.4, 0.45],
    [0.6, 0.55],
  ]) {
    await canvas.click({ position: { x: box.width * fx, y: box.height * fy } });
    const text = (await page.getByRole('status', { name: 'Voxel' }).textContent()) ?? '';
    const m = /voxel \((\d+), (\d+), (\d+)\).*p\(lesion\) ([\d.]+)/.exec(text);
    if (!m) continue;
    const [x, y, z, p] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    expect(at(prob, x, y, z)).toBeCloseTo(p, 2);
    expect(at(seg, x, y, z)).toBe(at(prob, x, y, z) > 0.5 ? 1 : 0);
    compared++;
  }
  expect(compared).toBeGreaterThan(0);

  // Curves CSV, charts PNG, runs JSON (and back in), the model.
  const [csv] = await downloads(page, 'Curves CSV', 1);
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  expect(lines[0]).toBe(
    'run,label,step,loss,train_dice,predicted_fg,ms_per_step,lr,validation_dice,validation_hd95,validation_avd,validation_lesion_recall,validation_lesion_precision,validation_lesion_f1,validation_recall_small,validation_recall_medium,validation_recall_large',
  );
  expect(lines).toHaveLength(41);
  const [png] = await downloads(page, 'Charts PNG', 1);
  expect([...png.bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
  expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(400);
  writeFileSync('test-results/io-charts.png', png.bytes);
  const [json] = await downloads(page, 'Runs JSON', 1);
  const model = await downloads(page, 'Model (tfjs)', 2);
  const modelJson = JSON.parse(model.find((f) => f.name.endsWith('.model.json'))!.bytes.toString('utf8'));
  const weights = model.find((f) => f.name.endsWith('.weights.bin'))!;
  expect(modelJson.weightsManifest[0].paths).toEqual([weights.name]);
  const specBytes = modelJson.weightsManifest[0].weights.reduce(
    (s: number, w: { shape: number[] }) => s + 4 * w.shape.reduce((a, b) => a * b, 1),
    0,
  );
  expect(weights.bytes.length).toBe(specBytes);
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByRole('table', { name: 'Runs' }).locator('tbody tr')).toHaveCount(0);
  await page.getByLabel('Import runs JSON').setInputFiles({ name: json.name, mimeType: 'application/json', buffer: json.bytes });
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('done');
  await expect(page.locator('[aria-label="Dice chart"] .recharts-line-curve').first()).toHaveAttribute('d', /L/);
  await page.screenshot({ path: 'test-results/io-playground-own-data.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a corrupt file and a mismatched pair get clear messages; the page keeps working', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/?${TINY}&steps=5`);
  await waitForData(page);
  await page.getByRole('button', { name: 'Your data' }).click();
  const picker = page.getByLabel('Choose NIfTI files');
  const junk = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37 + 11) % 256));
  await picker.setInputFiles({ name: 'broken.nii.gz', mimeType: 'application/gzip', buffer: junk });
  const problems = page.getByRole('alert', { name: 'Problems' });
  await expect(problems).toContainText('broken.nii.gz: cannot read it as NIfTI');
  await expect(page.getByRole('button', { name: 'Train on these volumes' })).toBeDisabled();

  await page.getByRole('button', { name: 'Clear' }).click();
  const vol = (dims: number[], label: boolean) => {
    const n = dims[0] * dims[1] * dims[2];
    const data = label
      ? Uint8Array.from({ length: n }, (_, i) => (i % 9 === 0 ? 1 : 0))
      : Float32Array.from({ length: n }, (_, i) => i % 13);
    return Buffer.from(writeNifti(createVolume({ dims, data })));
  };
  await picker.setInputFiles([
    { name: 'pair_T1.nii', mimeType: 'application/octet-stream', buffer: vol([10, 10, 8], false) },
    { name: 'pair_label.nii', mimeType: 'application/octet-stream', buffer: vol([12, 10, 8], true) },
  ]);
  await expect(problems).toContainText('pair_label.nii is 12x10x8 voxels but pair_T1.nii is 10x10x8');
  await expect(problems).toContainText('Resample onto the first image');
  await page.screenshot({ path: 'test-results/io-mismatch.png', fullPage: true });
  await page.getByRole('checkbox', { name: "Resample onto the first image's grid" }).check();
  await expect(page.getByRole('status', { name: 'Volumes check' })).toContainText('1 subject ready: pair (1 image, 10x10x8');
  await expect(page.getByRole('alert', { name: 'Problems' })).toHaveCount(0);
  await expect(page.getByText('pair_label.nii resampled onto pair_T1.nii')).toBeVisible();

  // The playground still trains (on the phantom: nothing was adopted).
  await page.getByRole('button', { name: 'Playground' }).click();
  await page.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => readStep(page)).toBe(1);
  expect(errors).toEqual([]);
});

test('a shipped checkpoint segments the volume (inference only) and warm-starts runs', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/?${TINY}&steps=3`);
  await waitForData(page);
  await page.getByRole('button', { name: 'Your data' }).click();
  const table = page.getByRole('table', { name: 'Checkpoints' });
  await expect(table).toContainText('unet2d');
  await page.getByRole('button', { name: 'Segment with unet2d' }).click();
  const panel = page.getByRole('region', { name: 'Segmentation' });
  await expect(panel).toContainText('by unet2d');
  const dice = Number(await page.getByRole('status', { name: 'Segmentation Dice' }).textContent());
  const onSlice = Number(await page.getByRole('status', { name: 'Predicted voxels on the slice' }).textContent());
  const inVolume = Number(await page.getByRole('status', { name: 'Predicted voxels in the volume' }).textContent());
  const z = Number(await page.getByRole('status', { name: 'Segmentation slice' }).textContent());
  await page.screenshot({ path: 'test-results/io-segmentation.png', fullPage: true });
  const files = await downloads(page, 'Download segmentation + probability NIfTI', 2);
  const seg = readNifti(files.find((f) => f.name.endsWith('_seg.nii.gz'))!.bytes);
  let all = 0;
  let slice = 0;
  seg.data.forEach((v, i) => {
    all += v;
    if (Math.floor(i / (48 * 48)) === z) slice += v;
  });
  expect(all).toBe(inVolume);
  expect(slice).toBe(onSlice);
  expect(dice).toBeGreaterThanOrEqual(0);

  await page.getByRole('button', { name: 'Start runs from unet2d' }).click();
  await expect(page).toHaveURL(/init=unet2d/);
  await page.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => readStep(page)).toBe(1);
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('unet2d');
  expect(errors).toEqual([]);
});
