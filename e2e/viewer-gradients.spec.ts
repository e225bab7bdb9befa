// The viewer leaves out niivue's unused gradient passes (src/viewer/gradients.ts): the skip must really
// happen with the installed niivue, and the picture must not change, the 3D render tile included.
import { expect, type Page, test } from '@playwright/test';
import { canvasPixels, pixelDifference, waitForData } from './helpers';

const URL = '/?backend=wasm&size=48&patch=16&batch=2&seed=4';

async function multiplanar(page: Page, query: string): Promise<{ skipped: number; pixels: number[] }> {
  await page.goto(`${URL}${query}`);
  await waitForData(page);
  const viewer = page.getByRole('region', { name: 'Viewer' }).getByTestId('viewer');
  await expect(viewer).toHaveAttribute('data-gradient-draws-skipped', /^\d+$/);
  const skipped = Number(await viewer.getAttribute('data-gradient-draws-skipped'));
  await page.getByRole('combobox', { name: 'View', exact: true }).selectOption('multiplanar');
  await page.waitForTimeout(1000);
  return { skipped, pixels: await canvasPixels(page) };
}

test('the unused gradient passes are left out, and the multiplanar view (3D render included) is unchanged', async ({ page }) => {
  const fast = await multiplanar(page, '');
  const full = await multiplanar(page, '&_debug=gradients');
  // One blur and one Sobel draw per slice of the phantom (48x48x36).
  expect(fast.skipped).toBe(2 * 36);
  expect(full.skipped).toBe(0);
  const lit = fast.pixels.filter((v, i) => i % 4 === 0 && v > 20).length;
  expect(lit).toBeGreaterThan(fast.pixels.length / 4 / 10);
  expect(pixelDifference(fast.pixels, full.pixels, 0)).toBe(0);
});
