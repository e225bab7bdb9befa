import { expect, test } from '@playwright/test';
import { readStep, waitForData } from './helpers';

// A 3D U-Net trains in the page on wasm: its convolutions and their gradients run as our generated
// SIMD kernels in the engine worker (the 2D nets' filter gradient too, in every other spec).
test('a 3D U-Net race trains on wasm in the page, with finite Dice', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?backend=wasm&network=unet3d&size=48&patch=16&batch=2&losses=gdl,wce&steps=20');
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('wasm');
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(/done|collapsed/, { timeout: 150_000 });
  await expect(rows.nth(1)).toContainText(/done|collapsed/, { timeout: 150_000 });
  expect(await readStep(page)).toBe(20);
  await expect(page.locator('[aria-label="Dice chart"] .recharts-line-curve')).toHaveCount(2);
  await expect(rows.nth(0)).not.toContainText(/NaN|diverged/);
  await page.screenshot({ path: 'test-results/train-3d.png' });
  expect(errors).toEqual([]);
});
