// Shared e2e helpers: read pixels of the niivue canvas to prove it shows something.
import type { Page } from '@playwright/test';

/** Fraction of sampled canvas pixels that are neither black nor the background. */
export async function canvasNonBlankFraction(page: Page, selector = '[data-testid="niivue-canvas"]'): Promise<number> {
  const shot = await page.locator(selector).first().screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, img.width, img.height);
    let bright = 0;
    let total = 0;
    for (let i = 0; i < data.length; i += 16) {
      total++;
      if (data[i] + data[i + 1] + data[i + 2] > 60) bright++;
    }
    return bright / total;
  }, shot.toString('base64'));
}
