// The wasm backend runs multi-threaded in the built app: tfjs's pthreads start as nested blob: workers
// of the engine worker (cross-origin isolated; the worker's CSP allows blob:), and a tiny run trains.
import { expect, test } from '@playwright/test';
import { readStep, waitForData } from './helpers';

const TINY = 'backend=wasm&size=48&patch=16&batch=2&lr=0.01&loss=dice_ce';

test('wasm trains with more than one thread in the engine worker', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Nested workers' failures reach the console only (their CSP violations and uncaught errors).
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|is not defined|pthread/i.test(m.text())) errors.push(m.text());
  });
  await page.goto(`/?${TINY}&steps=30`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('wasm');
  const threadsText = page.getByRole('status', { name: 'Wasm threads' });
  await expect(threadsText).toHaveText(/\(\d+ threads?\)/);
  const threads = Number((await threadsText.textContent())!.match(/\d+/)![0]);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  // One thread per logical core, at most 4 (MAX_WASM_THREADS): more than one on any multicore machine.
  expect(threads).toBe(Math.min(cores, 4));
  // Only the workers the pool needs are started (emscripten's fixed pool would start 8, each compiling the module).
  if (cores >= 2) expect(await threadsText.getAttribute('data-pthread-workers')).toBe(String(threads - 1));
  const title = (await page.locator('.backend').getAttribute('title')) ?? '';
  // A one-core machine runs single-threaded and says why; elsewhere there is no fallback reason.
  if (cores < 2) expect(title).toContain('one logical core');
  else expect(title).not.toContain('single-threaded');

  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  const row = page.getByRole('table', { name: 'Runs' }).locator('tbody tr').first();
  // 'diverged' is how a non-finite loss ends a run: a finished run had finite losses at every step.
  await expect(row).toContainText(/done|collapsed|diverged/, { timeout: 120_000 });
  await expect(row).not.toContainText('diverged');
  expect(await readStep(page)).toBe(30);
  const d = (await page.locator('[aria-label="Loss chart"] .recharts-line-curve').first().getAttribute('d')) ?? '';
  const coords = d.match(/-?\d+(\.\d+)?(e-?\d+)?|NaN|Infinity/g) ?? [];
  expect(coords.length).toBeGreaterThanOrEqual(2 * 30);
  expect(coords.every((c) => Number.isFinite(Number(c)))).toBe(true);
  expect(errors).toEqual([]);
});
