import { expect, test } from '@playwright/test';
import { canvasNonBlankFraction } from './helpers';

test('webgpu runs on the SwiftShader adapter and the viewer shows a volume', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?backend=webgpu');
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('webgpu');
  await expect.poll(() => canvasNonBlankFraction(page), { timeout: 30_000 }).toBeGreaterThan(0.05);
  await page.screenshot({ path: 'test-results/skeleton-webgpu.png' });
  expect(errors).toEqual([]);
});

test('?backend=cpu reports cpu', async ({ page }) => {
  await page.goto('/?backend=cpu');
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('cpu');
});

test('an invalid backend value shows a notice, not a crash', async ({ page }) => {
  await page.goto('/?backend=quantum');
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText('Ignored backend=quantum');
  await expect(page.getByRole('status', { name: 'Active backend' })).not.toHaveText('starting…');
});

test('auto skips the software WebGPU adapter and trains on wasm', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('wasm');
  // The header names the adapter that was probed and skipped.
  await expect(page.getByRole('status', { name: 'WebGPU adapter' })).toHaveText(/swiftshader, software/);
});
