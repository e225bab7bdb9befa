// What a newcomer trips over in the first five minutes (issue "First-visit polish"): each test would have
// caught one of the problems found by walking through the page at 1280x800, 1024x700 and 1920x1080.
import { expect, type Page, test } from '@playwright/test';
import { canvasPixels, pixelDifference, readStep, waitForData } from './helpers';

const FAST = 'backend=wasm&size=48&patch=16&batch=2&lr=0.01';
const SHOTS = process.env.POLISH_SHOTS ?? 'test-results';
const VIEWS = ['playground', 'explorer', 'lessons', 'sweeps', 'history', 'data'] as const;

async function trainUntil(page: Page, step: number) {
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => readStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(step);
  await page.getByRole('button', { name: 'Pause' }).click();
}

test('Reset takes the old prediction off the viewer and out of the voxel readout', async ({ page }) => {
  // The easy phantom: GDL finds its lesion within 30 steps, so there is an overlay for Reset to take away.
  await page.goto(`/?${FAST}&loss=gdl&steps=400&fraction=0.05&difficulty=easy`);
  await waitForData(page);
  // The crosshair goes where one clicks: click first, so the blank and the reset canvas share it.
  const canvas = page.getByTestId('niivue-canvas').first();
  const box = (await canvas.boundingBox())!;
  const at = (dx: number) => ({ position: { x: box.width / 2 + dx, y: box.height / 2 } });
  await canvas.click(at(0));
  await page.waitForTimeout(500);
  const blank = await canvasPixels(page);
  await trainUntil(page, 30);
  // A snapshot comes every 25 steps: the overlay is on the canvas now.
  await expect.poll(async () => pixelDifference(blank, await canvasPixels(page)), { timeout: 30_000 }).toBeGreaterThan(50);
  // Another voxel (niivue reports a location only when it changes): its probability is read out.
  await canvas.click(at(4));
  await expect(page.getByLabel('Voxel')).toContainText(/p\(lesion\) \d/);
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect.poll(() => readStep(page)).toBe(0);
  await expect(page.getByLabel('Voxel')).toContainText('p(lesion) –');
  // Back to the first voxel (same crosshair): the canvas is the untrained one again.
  await canvas.click(at(0));
  await expect.poll(async () => pixelDifference(blank, await canvasPixels(page)), { timeout: 10_000 }).toBeLessThan(20);
});

test('the first screen at 1280x800 shows the transport, viewer, both charts and every run with its status', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/?${FAST}&steps=400`);
  await waitForData(page);
  await trainUntil(page, 5);
  await page.screenshot({ path: `${SHOTS}/first-screen-1280.png` });
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  // Nothing sticks out to the right either (a wide runs table would).
  const width = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(width[0]).toBeLessThanOrEqual(width[1]);
  const inView = async (name: string, el: ReturnType<Page['locator']>) => {
    const b = await el.boundingBox();
    expect(b, name).not.toBeNull();
    expect(b!.y, name).toBeGreaterThanOrEqual(0);
    expect(b!.y + b!.height, `${name} bottom`).toBeLessThanOrEqual(800);
  };
  await inView('transport', page.getByRole('toolbar', { name: 'Training controls' }));
  await inView('viewer', page.getByRole('region', { name: 'Viewer' }));
  await inView('Dice chart', page.locator('[aria-label="Dice chart"]'));
  await inView('loss chart', page.locator('[aria-label="Loss chart"]'));
  const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
  await expect(rows).toHaveCount(4);
  for (const row of await rows.all()) await inView(`row ${await row.textContent()}`, row);
});

test('no horizontal overflow at 1024 px in any view, and the header stays on one line', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  for (const view of VIEWS) {
    await page.goto(`/?${FAST}&view=${view}`);
    await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('wasm');
    await page.waitForTimeout(300);
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(scroll, `${view}: page wider than the window`).toBeLessThanOrEqual(client);
    if (view === 'playground') await page.screenshot({ path: `${SHOTS}/first-screen-1024.png` });
  }
  const header = await page.locator('header').boundingBox();
  const title = await page.getByRole('heading', { level: 1 }).boundingBox();
  // One line: the header is not much taller than its title.
  expect(header!.height).toBeLessThan(title!.height * 2.2);
});

test('a full session through every view logs no console warning or error', async ({ page }) => {
  const logged: string[] = [];
  page.on('console', (m) => {
    // Chromium's own GPU-driver performance notes (software GL here) are the browser's, not the page's.
    if (/GL Driver Message \(OpenGL, Performance/.test(m.text())) return;
    if (m.type() === 'warning' || m.type() === 'error') logged.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => logged.push(`pageerror: ${e.message}`));
  await page.goto(`/?${FAST}&steps=40&losses=gdl,ce`);
  await waitForData(page);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('done', { timeout: 120_000 });
  for (const view of VIEWS) {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button').nth(VIEWS.indexOf(view)).click();
    await page.waitForTimeout(800);
  }
  expect(logged).toEqual([]);
});

test('the header names the paper and spells out the four losses; each loss has its full name and source', async ({ page }) => {
  await page.goto(`/?${FAST}`);
  await page.getByText('About', { exact: true }).click();
  const about = page.locator('details.about');
  await expect(about.getByRole('link', { name: /Generalised Dice overlap/ })).toBeVisible();
  for (const name of [
    'weighted cross-entropy (WCE)',
    'two-class Dice loss (DL2)',
    'sensitivity–specificity (SS)',
    'generalised Dice loss (GDL)',
  ])
    await expect(about).toContainText(name);
  const raced = page.getByRole('list', { name: 'Raced losses' });
  await expect(raced).toContainText('GDL Generalised Dice loss');
  await expect(raced).toContainText('Sudre et al. 2017');
  await expect(page.getByRole('checkbox', { name: 'ss', exact: true }).locator('..')).toHaveAttribute('title', /Brosch/);
});

// README screenshots: README_SHOTS=docs/screenshots npx playwright test e2e/first-visit.spec.ts -g "README screenshots"
test('README screenshots of the playground', async ({ page }) => {
  const out = process.env.README_SHOTS;
  test.skip(!out, 'set README_SHOTS to a folder to write them');
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/?backend=wasm&fraction=0.001');
  await waitForData(page);
  await trainUntil(page, 120);
  await page.screenshot({ path: `${out}/race-paper-four.png` });
  await page.goto('/?backend=wasm&loss=gdl&fraction=0.01');
  await waitForData(page);
  await trainUntil(page, 100);
  await page.screenshot({ path: `${out}/playground-training.png` });
});
