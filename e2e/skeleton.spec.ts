import { expect, test } from '@playwright/test';
import { canvasNonBlankFraction, waitForData } from './helpers';

test('webgpu runs on the SwiftShader adapter and the viewer shows a volume', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?backend=webgpu');
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('webgpu');
  await waitForData(page);
  await expect.poll(() => canvasNonBlankFraction(page), { timeout: 60_000 }).toBeGreaterThan(0.05);
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

test('viewers release their WebGL contexts: 24 mounts and unmounts never hit the ~16-context limit', async ({ page }) => {
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (/too many active webgl contexts|context lost/i.test(m.text())) warnings.push(m.text());
  });
  await page.goto('/?backend=wasm&size=48&patch=16&batch=1&losses=gdl,wce,ss,dl2&steps=1');
  await waitForData(page);
  await page.getByRole('button', { name: 'Step' }).click();
  const sideBySide = page.getByRole('checkbox', { name: 'Side by side' });
  for (let i = 0; i < 6; i++) {
    await sideBySide.check({ timeout: 60_000 });
    await expect(page.locator('[data-testid="niivue-canvas"]')).toHaveCount(5);
    await sideBySide.uncheck({ timeout: 60_000 });
    await expect(page.locator('[data-testid="niivue-canvas"]')).toHaveCount(1);
  }
  await expect.poll(() => canvasNonBlankFraction(page), { timeout: 30_000 }).toBeGreaterThan(0.05);
  expect(warnings).toEqual([]);
});
