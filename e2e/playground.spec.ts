import { expect, test } from '@playwright/test';
import { canvasPixels, pixelDifference, readStep, waitForData } from './helpers';

// Tiny settings: SwiftShader's software WebGPU is slow (and compiles shaders per shape), so the
// phantom is 48x48x36 and patches 16 px, batch 1.
const TINY = 'backend=webgpu&size=48&patch=16&batch=1&lr=0.01';

test('train, watch curves and predictions grow, pause, reset', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/?${TINY}&loss=gdl&steps=400`);
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('webgpu');
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => readStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(25);
  // First snapshot arrives at step 25; grab the canvas, then again after the next one.
  const diceLine = page.locator('[aria-label="Dice chart"] .recharts-line-curve').first();
  await expect(diceLine).toHaveAttribute('d', /L/);
  const before = await canvasPixels(page);
  const dBefore = (await diceLine.getAttribute('d')) ?? '';
  await expect.poll(() => readStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(55);
  await page.waitForTimeout(500);
  const after = await canvasPixels(page);
  const dAfter = (await diceLine.getAttribute('d')) ?? '';
  expect(dAfter.split('L').length).toBeGreaterThan(dBefore.split('L').length);
  expect(pixelDifference(before, after)).toBeGreaterThan(20);
  await page.screenshot({ path: 'test-results/playground-training.png' });

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Train' })).toBeVisible();
  const paused = await readStep(page);
  await page.waitForTimeout(2000);
  expect(await readStep(page)).toBe(paused);
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('paused');

  await page.getByRole('button', { name: 'Step' }).click();
  await expect.poll(() => readStep(page)).toBe(paused + 1);

  await page.getByRole('button', { name: 'Reset' }).click();
  await expect.poll(() => readStep(page)).toBe(0);
  await expect(page.getByRole('table', { name: 'Runs' }).locator('tbody tr')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('compare mode races two losses into two curves', async ({ page }) => {
  await page.goto(`/?${TINY}&steps=12&losses=gdl,wce`);
  await waitForData(page);
  await page.keyboard.press('Space');
  const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  // Either loss may legitimately collapse at lr 0.01; the race must finish with both curves drawn.
  await expect(rows.nth(0)).toContainText(/done|collapsed|diverged/, { timeout: 120_000 });
  await expect(rows.nth(1)).toContainText(/done|collapsed|diverged/, { timeout: 120_000 });
  await expect(page.locator('[aria-label="Loss chart"] .recharts-line-curve')).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('gdl');
  await expect(rows.nth(1)).toContainText('wce');
});

test('a URL round trip restores every setting', async ({ page, context }) => {
  const query =
    'loss=ss&losses=&lr=0.0001&network=twopath2d&lesion=wmh&fraction=0.001&noise=0.1&patch=32&batch=2&steps=77&seed=5&backend=cpu&lambda=0.2&epsilon=0.001';
  await page.goto(`/?${query}`);
  await waitForData(page);
  const url = new URL(page.url());
  const expected = Object.fromEntries(new URLSearchParams(query));
  expect(Object.fromEntries(url.searchParams)).toEqual(expected);
  const again = await context.newPage();
  await again.goto(url.toString());
  await waitForData(again);
  await expect(again.getByRole('combobox', { name: 'Loss', exact: true })).toHaveValue('ss');
  await expect(again.getByRole('spinbutton', { name: 'Learning rate value' })).toHaveValue('0.0001');
  await expect(again.getByRole('combobox', { name: 'Network' })).toHaveValue('twopath2d');
  await expect(again.getByRole('combobox', { name: 'Lesion type' })).toHaveValue('wmh');
  await expect(again.getByRole('status', { name: 'Requested lesion burden' })).toHaveText('0.10%');
  await expect(again.getByRole('spinbutton', { name: 'Noise' })).toHaveValue('0.1');
  await expect(again.getByRole('spinbutton', { name: 'Patch size' })).toHaveValue('32');
  await expect(again.getByRole('spinbutton', { name: 'Batch size' })).toHaveValue('2');
  await expect(again.getByRole('spinbutton', { name: 'Steps' })).toHaveValue('77');
  await expect(again.getByRole('spinbutton', { name: 'Seed', exact: true })).toHaveValue('5');
  await expect(again.getByRole('combobox', { name: 'Backend', exact: true })).toHaveValue('cpu');
  await expect(again.getByRole('spinbutton', { name: 'lambda' })).toHaveValue('0.2');
  await expect(again.getByRole('spinbutton', { name: 'epsilon' })).toHaveValue('0.001');
  expect(new URL(again.url()).search).toBe(url.search);
});

test('a malformed URL shows notices, not a crash', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?loss=nope&lr=-3&fraction=7&batch=abc&steps=1e99&bogus=1&losses=gdl,,zz&backend=cpu');
  const notices = page.getByRole('status', { name: 'Notices' });
  for (const key of ['loss=nope', 'lr=-3', 'fraction=7', 'batch=abc', 'steps=1e99', "'bogus'", 'losses=gdl,,zz']) {
    await expect(notices).toContainText(key);
  }
  await waitForData(page);
  // Defaults stand in for every ignored value: the paper's four losses, ready to train.
  await expect(page.getByRole('checkbox', { name: 'gdl', exact: true })).toBeChecked();
  await expect(page.getByRole('button', { name: 'Train' })).toBeEnabled();
  expect(errors).toEqual([]);
});

test("a loss's options show its own defaults: GDL includes the background, and turning it off sticks", async ({ page }) => {
  await page.goto('/?loss=gdl&losses=&backend=wasm&size=48&patch=16&batch=2');
  await waitForData(page);
  const box = page.getByRole('checkbox', { name: 'includeBackground' });
  await expect(box).toBeChecked();
  await box.uncheck();
  await expect(page).toHaveURL(/includeBackground=false/);
  await page.reload();
  await waitForData(page);
  await expect(page.getByRole('checkbox', { name: 'includeBackground' })).not.toBeChecked();
  // Raced with Dice (its own default: false), the box says each keeps its default until one is chosen.
  await page.goto('/?losses=gdl,dice&backend=wasm&size=48&patch=16&batch=2');
  await waitForData(page);
  await expect(page.getByText('(each its default: gdl true, dice false)')).toBeVisible();
});
