// auto chooses the backend by measurement. _measure=all makes the software backends here (SwiftShader
// WebGL and WebGPU) count as usable, so wasm and them are timed and wasm wins; a reload uses the
// remembered choice; "Measure again" times them afresh; training then goes on.
import { expect, type Page, test } from '@playwright/test';
import { readStep, waitForData } from './helpers';

const URL = '/?_measure=all&steps=3&size=48';

const choice = (page: Page) => page.getByRole('status', { name: 'Backend choice' });
const measured = (page: Page) => page.getByRole('status', { name: 'Backends measured' });

/** ms/step per backend from the disclosure ("wasm 95 ms/step; webgl 2,400 ms/step; webgpu: ..."). */
async function figures(page: Page): Promise<Record<string, number>> {
  const text = (await measured(page).textContent()) ?? '';
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/(\w+) ([\d,]+) ms\/step/g)) out[m[1]] = Number(m[2].replace(/,/g, ''));
  return out;
}

test('auto times wasm and the software backends, keeps wasm, remembers it, and measures again on request', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(URL);
  await expect(choice(page)).toHaveText(/^[\d,]+ ms\/step, measured$/, { timeout: 180_000 });
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('wasm');
  await page.getByRole('button', { name: 'What was measured' }).click();
  const first = await figures(page);
  console.log(`measured: ${await measured(page).textContent()}`);
  expect(first.wasm).toBeGreaterThan(0);
  // SwiftShader WebGL and WebGPU: timed (slower than wasm), or stopped by the 10x warm-up bound
  // (here their first step, shader builds included, outlasts 10x wasm's whole measurement).
  for (const name of ['webgl', 'webgpu']) {
    await expect(measured(page)).toContainText(new RegExp(`${name}( [\\d,]+ ms/step|: stopped: warm-up [^;]+, past 10x)`));
    expect(first[name] ?? Number.POSITIVE_INFINITY).toBeGreaterThan(first.wasm);
  }
  await page.locator('header').screenshot({ path: '/tmp/auto-backend-header.png' });

  // A reload: the remembered choice, with the figures it was made on, and no new timing.
  const before = await measured(page).textContent();
  await page.goto(URL);
  await expect(choice(page)).toHaveText(/^[\d,]+ ms\/step, remembered$/, { timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('wasm');
  await page.getByRole('button', { name: 'What was measured' }).click();
  await expect(measured(page)).toHaveText(before ?? '');

  // Measure again from the keyboard: a fresh engine, a fresh measurement.
  const again = page.getByRole('button', { name: 'Measure again' });
  await again.focus();
  await page.keyboard.press('Enter');
  await expect(choice(page)).toHaveText(/^[\d,]+ ms\/step, measured$/, { timeout: 180_000 });
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('wasm');

  // And it trains.
  await waitForData(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => readStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
});
