// A multi-label map kept whole (issue 9): white matter (5) and lesion (7) as their own classes through the
// file picker; GDL trains both, the paper's two-class DL2 stops with the reason; exports hold 0, 5 and 7.
import { expect, test } from '@playwright/test';
import { readNifti, writeNifti } from '../src/engine/data/nifti';
import { generatePhantom } from '../src/engine/data/phantom';
import { createVolume } from '../src/engine/data/volume';
import { downloads, readStep, waitForData } from './helpers';

const URL = '/?backend=wasm&size=48&patch=16&batch=2&losses=gdl,dl2&lr=0.01&steps=30';

/** One subject: T1 and FLAIR of a phantom and its tissue map cut down to 0, 5 (white matter) and 7 (lesion). */
function subjectFiles(seed: number) {
  const p = generatePhantom({ seed, noise: 0.02, lesion: { kind: 'tumour', fraction: 0.03 }, shape: [48, 48, 24] });
  const data = Uint8Array.from(p.tissue.data, (t) => (t === 5 || t === 7 ? t : 0));
  const label = createVolume({ dims: [48, 48, 24], data, affine: p.images[0].affine });
  const file = (name: string, bytes: Uint8Array) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  return [
    file(`mc${seed}_T1.nii`, writeNifti(p.images[0])),
    file(`mc${seed}_FLAIR.nii`, writeNifti(p.images[2])),
    file(`mc${seed}_seg.nii`, writeNifti(label)),
  ];
}

test('keep all classes: three classes train, DL2 stops with the reason, exports hold the label values', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(URL);
  await waitForData(page);
  await page.getByRole('button', { name: 'Your data' }).click();
  const files = [...subjectFiles(21), ...subjectFiles(22)];
  await page.getByLabel('Choose NIfTI files').setInputFiles(files);
  const check = page.getByRole('status', { name: 'Volumes check' });
  await expect(check).toContainText('2 subjects ready');
  await expect(page.getByRole('list', { name: 'Notes' })).toContainText('the labels hold 5, 7: all merged into one foreground');
  await page.getByRole('radio', { name: /Keep the chosen labels as classes/ }).check();
  await expect(check).toContainText('3 classes kept (label values 0, 5, 7)');
  // Which labels are kept is still the user's choice (all of them by default).
  await expect(page.getByRole('group', { name: 'Foreground labels' }).getByRole('checkbox').first()).toBeEnabled();
  await page.screenshot({ path: 'test-results/multiclass-your-data.png', fullPage: true });

  await page.getByRole('button', { name: 'Train on these volumes' }).click();
  await expect(page.getByRole('note', { name: 'Classes' })).toContainText('3 classes (label values 5, 7; 0 is background)');
  await page.getByRole('button', { name: 'Train' }).click();
  const table = page.getByRole('table', { name: 'Runs' });
  const row = (name: string) => table.locator('tbody tr').filter({ has: page.getByRole('button', { name, exact: true }) });
  await expect(row('dl2')).toContainText('cannot train on 3 classes', { timeout: 60_000 });
  await expect(row('gdl')).toContainText('done', { timeout: 120_000 });
  expect(await readStep(page)).toBe(30);
  await expect(row('gdl')).toContainText(/\d\.\d{3} \(5: \d\.\d\d · 7: \d\.\d\d\)/);
  await page.screenshot({ path: 'test-results/multiclass-playground.png', fullPage: true });

  // The readout names label values, and the exported prediction agrees with the screen.
  await row('gdl').getByRole('button').click();
  const prediction = await downloads(page, 'Prediction NIfTI', 2);
  const prob = readNifti(prediction.find((f) => f.name.endsWith('_prob.nii.gz'))!.bytes);
  const seg = readNifti(prediction.find((f) => f.name.endsWith('_seg.nii.gz'))!.bytes);
  expect(new Set(seg.data).size).toBeGreaterThan(1);
  expect([...new Set(seg.data)].every((v) => [0, 5, 7].includes(v))).toBe(true);
  const canvas = page.locator('[data-testid="niivue-canvas"]').first();
  const box = (await canvas.boundingBox())!;
  const labels = new Set<number>();
  let compared = 0;
  for (const [fx, fy] of [
    [0.5, 0.5],
    [0.45, 0.4],
    [0.55, 0.6],
    [0.3, 0.5],
  ]) {
    await canvas.click({ position: { x: box.width * fx, y: box.height * fy } });
    const text = (await page.getByRole('status', { name: 'Voxel' }).textContent()) ?? '';
    const m = /voxel \((\d+), (\d+), (\d+)\).*label (\d+), p\(foreground\) ([\d.]+)/.exec(text);
    if (!m) continue;
    const [x, y, z, l, p] = m.slice(1).map(Number);
    const i = x + 48 * (y + 48 * z);
    expect(prob.data[i]).toBeCloseTo(p, 2);
    expect([0, 5, 7]).toContain(l);
    labels.add(l);
    compared++;
  }
  expect(compared).toBeGreaterThan(0);
  expect([...labels].some((l) => l > 0)).toBe(true);
  expect(errors).toEqual([]);
});
