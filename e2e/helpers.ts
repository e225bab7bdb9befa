// Shared e2e helpers: pixels of the niivue canvas, waiting for data, reading readouts, downloads.
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

const CANVAS = '[data-testid="niivue-canvas"]';

async function decode(page: Page, png: Buffer): Promise<number[]> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return Array.from(ctx.getImageData(0, 0, img.width, img.height).data);
  }, png.toString('base64'));
}

/** Fraction of sampled canvas pixels that are not (near) black. */
export async function canvasNonBlankFraction(page: Page, selector = CANVAS): Promise<number> {
  const data = await decode(page, await page.locator(selector).first().screenshot());
  let bright = 0;
  let total = 0;
  for (let i = 0; i < data.length; i += 16) {
    total++;
    if (data[i] + data[i + 1] + data[i + 2] > 60) bright++;
  }
  return bright / total;
}

/** RGBA pixels of the viewer canvas. */
export async function canvasPixels(page: Page, selector = CANVAS): Promise<number[]> {
  return decode(page, await page.locator(selector).first().screenshot());
}

/** Count of pixels whose colour differs by more than `tol` (sum over RGB). */
export function pixelDifference(a: number[], b: number[], tol = 30): number {
  let n = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 4) {
    if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > tol) n++;
  }
  return n;
}

/** Waits until the phantom is generated (the achieved fraction is shown). */
export async function waitForData(page: Page): Promise<void> {
  await expect(page.getByRole('status', { name: 'Achieved lesion fraction' })).toHaveText(/%$/, { timeout: 60_000 });
}

export async function readStep(page: Page): Promise<number> {
  return Number(await page.getByRole('status', { name: 'Step', exact: true }).textContent());
}

/** Clicks a button that saves `count` files; returns their names and bytes. */
export async function downloads(page: Page, button: string, count: number): Promise<{ name: string; bytes: Buffer }[]> {
  const got: { name: string; bytes: Buffer }[] = [];
  const done = new Promise<void>((resolve) => {
    page.on('download', async function onDownload(d) {
      got.push({ name: d.suggestedFilename(), bytes: readFileSync(await d.path()) });
      if (got.length === count) {
        page.off('download', onDownload);
        resolve();
      }
    });
  });
  await page.getByRole('button', { name: button, exact: true }).click();
  await done;
  return got;
}
