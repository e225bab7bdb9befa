// The viewer makes its WebGL context (niivue's ~37 shader programs) only once the data are ready and Train
// is enabled, so a first visit's shader compiles do not compete with making the phantoms; then it draws.
import { expect, test } from '@playwright/test';
import { canvasNonBlankFraction, waitForData } from './helpers';

const marks = `(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])))()`;

test('the viewer attaches after the data are ready and Train is enabled, then shows the slice', async ({ page }) => {
  // Train's enabling, seen in the page the moment it happens (before the viewer's idle-time attach).
  await page.addInitScript(`(() => {
    const obs = new MutationObserver(() => {
      const b = document.querySelector('button.primary[data-control="train"]');
      if (b && !b.disabled) { window.__trainEnabled = performance.now(); obs.disconnect(); }
    });
    obs.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
  })()`);
  // The default phantom: the page's update that enables Train comes in a task of its own after the data.
  await page.goto('/?backend=wasm');
  await waitForData(page);
  await expect.poll(() => page.evaluate(`performance.getEntriesByName('slp:first-frame').length`), { timeout: 30_000 }).toBe(1);
  const m = (await page.evaluate(marks)) as Record<string, number>;
  const enabled = (await page.evaluate('window.__trainEnabled')) as number;
  expect(m['slp:data-ready']).toBeGreaterThan(0);
  expect(m['slp:viewer-attach']).toBeGreaterThan(m['slp:data-ready']);
  expect(m['slp:viewer-attach']).toBeGreaterThan(enabled);
  expect(m['slp:first-frame']).toBeGreaterThan(m['slp:viewer-attach']);
  // And the late attach still draws the slice (a blank canvas would pass the order above).
  expect(await canvasNonBlankFraction(page)).toBeGreaterThan(0.05);
});

test('a viewer that never gets a volume makes no WebGL context', async ({ page }) => {
  // Counts WebGL contexts asked of the viewers' canvases (the old code made one at mount).
  await page.addInitScript(`(() => {
    const get = HTMLCanvasElement.prototype.getContext;
    window.__webgl = 0;
    HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
      if (String(kind).startsWith('webgl') && this.dataset.testid === 'niivue-canvas') window.__webgl++;
      return get.call(this, kind, ...rest);
    };
  })()`);
  // A link too large to prepare without asking: the playground's viewer mounts and no data come.
  await page.goto('/?backend=wasm&network=unet3d&size=192&patch=256&batch=32&steps=100000');
  const dialog = page.getByRole('dialog', { name: 'This run would probably not fit' });
  await expect(dialog).toBeVisible({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('[data-testid="niivue-canvas"]')).toHaveCount(1);
  // Past the attach's idle wait: still no context for a viewer with nothing to show.
  await page.waitForTimeout(1000);
  expect(await page.evaluate('window.__webgl')).toBe(0);
});
