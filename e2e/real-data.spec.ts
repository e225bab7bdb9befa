// A real FLAIR with its lesion mask one click away (public/examples/, niivue's demo images): the checks
// read it, it trains a few steps like any user data, the Data group shows it instead of the phantom
// controls, the readout names the file's own voxels, and the exported prediction keeps the file's header.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { readNifti } from '../src/engine/data/nifti';
import { downloads, readStep, waitForData } from './helpers';

const TINY = 'backend=wasm&size=48&patch=16&batch=2&loss=gdl&lr=0.01&steps=3';

test('Try a real FLAIR with its lesion mask: checked, trained, shown and exported as the file', async ({ page }) => {
  // Preparing 2.8 M voxels takes a minute or more on a shared CPU (speed: the issue "Fast everywhere").
  test.setTimeout(480_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/?${TINY}`);
  await waitForData(page);
  await page.getByRole('button', { name: 'Your data' }).click();
  await page.getByRole('button', { name: 'Try a real FLAIR with its lesion mask' }).click();
  await expect(page.getByRole('status', { name: 'Volumes check' })).toContainText(
    '1 subject ready: niivue-example (1 image, 124x160x140, 32481 foreground voxels)',
  );
  await expect(page.getByRole('list', { name: 'Notes' })).toContainText(
    'the labels hold 1, 2, 3: all merged into one foreground',
  );
  await expect(page.getByRole('combobox', { name: 'Role of niivue-example_lesion.nii.gz' })).toHaveValue('label');
  await page.screenshot({ path: 'test-results/real-data-your-data.png', fullPage: true });
  await page.getByRole('button', { name: 'Train on these volumes' }).click();

  // The Data group lists the volumes in use; the phantom's controls are gone until it returns.
  const inUse = page.getByRole('region', { name: 'Your data in use' });
  await expect(inUse).toContainText('niivue-example: niivue-example_FLAIR.nii.gz + niivue-example_lesion.nii.gz', {
    timeout: 240_000,
  });
  await expect(page.getByRole('slider', { name: 'Lesion burden' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('done', { timeout: 150_000 });
  expect(await readStep(page)).toBe(3);

  const canvas = page.locator('[data-testid="niivue-canvas"]').first();
  const box = (await canvas.boundingBox())!;
  await canvas.click({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
  await expect(page.getByRole('status', { name: 'Voxel' })).toContainText(
    /voxel \(\d+, \d+, \d+\) of niivue-example_FLAIR\.nii\.gz at \(/,
  );

  const files = await downloads(page, 'Prediction NIfTI', 2);
  const seg = files.find((f) => /^niivue-example_pred-\w+_step-3_seg\.nii\.gz$/.test(f.name));
  const prob = files.find((f) => /^niivue-example_pred-\w+_step-3_prob\.nii\.gz$/.test(f.name));
  expect(seg && prob, files.map((f) => f.name).join(', ')).toBeTruthy();
  const source = readNifti(new Uint8Array(readFileSync('public/examples/niivue-example_FLAIR.nii.gz')));
  const out = readNifti(seg!.bytes);
  expect(out.dims).toEqual(source.dims);
  expect([out.meta?.qformCode, out.meta?.sformCode]).toEqual([source.meta?.qformCode, source.meta?.sformCode]);
  out.affine.forEach((v, i) => {
    expect(v).toBeCloseTo(source.affine[i], 4);
  });
  await inUse.getByRole('button', { name: 'Back to the phantom' }).click();
  await expect(page.getByRole('slider', { name: 'Lesion burden' })).toBeVisible();
  expect(errors).toEqual([]);
});
