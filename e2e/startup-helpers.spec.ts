// The page starts the phantom helper workers itself, beside the engine worker (one per spare core, at most
// three); each makes the link's phantom it will be asked for first before the engine has loaded, and the
// engine's request for it is answered with that one (phantom-threads.spec.ts checks the data equal Node's).
import { expect, test } from '@playwright/test';
import { waitForData } from './helpers';

const phantomsMade = `performance.getEntriesByName('slp:phantom-made').length`;
const usedAhead = `performance.getEntriesByName('slp:phantom-ahead-used').length`;
// Set by a helper that got its port from the page (one the engine started itself gets none).
const linked = `performance.getEntriesByName('slp:helper-linked').length`;

test('the page’s phantom helpers make the engine’s phantoms', async ({ page }) => {
  await page.goto('/?backend=wasm&seed=41');
  await waitForData(page);
  const cores = (await page.evaluate('navigator.hardwareConcurrency')) as number;
  const expected = Math.max(0, Math.min(3, cores - 1));
  const workers = page.workers();
  const helpers = workers.filter((w) => w.url().includes('phantom.worker'));
  expect(workers.filter((w) => w.url().includes('engine.worker'))).toHaveLength(1);
  expect(helpers).toHaveLength(expected);
  test.skip(expected === 0, 'one core: the engine makes every phantom itself');
  for (const w of helpers) expect(await w.evaluate(linked)).toBe(1);
  // Three phantoms (two to train on, one to validate), the helpers' share made there.
  const made = (await Promise.all(helpers.map((w) => w.evaluate(phantomsMade)))) as number[];
  const total = made.reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(3);
  // Each helper made its first phantom before the engine asked (read from the link), and was asked for it.
  const ahead = (await Promise.all(helpers.map((w) => w.evaluate(usedAhead)))) as number[];
  expect(ahead).toEqual(helpers.map(() => 1));
});

test('the workers start before the app’s modules load; an app that fails to load says so', async ({ page, request }) => {
  // The built page: a small entry (src/boot.ts) and the app chunk it imports, preloaded from the HTML.
  const html = await (await request.get('/')).text();
  const entry = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
  const app = [...html.matchAll(/rel="modulepreload" crossorigin href="([^"]+)"/g)]
    .map((m) => m[1])
    .find((href) => /\/main-[^/]+\.js$/.test(href) && href !== entry);
  expect(entry).toBeTruthy();
  expect(app).toBeTruthy();
  await page.route(`**${app}`, (route) => route.abort());
  const started: string[] = [];
  page.on('worker', (w) => started.push(w.url()));
  await page.goto('/?backend=wasm');
  await expect(page.locator('#root')).toContainText('The playground failed to load', { timeout: 30_000 });
  // The engine worker was started by the entry alone, without the app.
  expect(started.some((u) => u.includes('engine.worker'))).toBe(true);
});
