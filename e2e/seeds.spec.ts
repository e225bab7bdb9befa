// Replicates in the page: a link with two seeds per loss trains four runs; the Dice chart draws each
// loss as its median over seeds with a shaded min–max band, the runs table summarises each loss's seeds
// with a verdict, "show each seed" brings the seeds' own lines back, and the Seeds control edits the link.
import { expect, test } from '@playwright/test';
import { waitForData } from './helpers';

const RACE = 'backend=wasm&size=48&patch=16&batch=2&steps=6&losses=gdl,wce&seeds=2';

test('two seeds per loss: a median line and a band per loss, grouped rows, and the control', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/?${RACE}`);
  await waitForData(page);
  const seeds = page.getByRole('spinbutton', { name: 'Seeds' });
  await expect(seeds).toHaveValue('2');
  await page.getByRole('button', { name: 'Train' }).click();

  const table = page.getByRole('table', { name: 'Runs' });
  for (const loss of ['gdl', 'wce']) {
    const group = table.getByRole('row', { name: `${loss}, 2 seeds` });
    await expect(group).toContainText(/2 (done|collapsed)|1 done · 1 collapsed|1 collapsed · 1 done/, { timeout: 150_000 });
    for (const seed of [1, 2])
      await expect(table.getByRole('rowheader', { name: `${loss} s${seed}`, exact: true })).toBeVisible();
  }
  // The verdict rests on the paired comparison over the two seeds.
  const verdicts = await Promise.all(
    ['gdl', 'wce'].map((loss) => page.getByRole('status', { name: `${loss} verdict across seeds` }).textContent()),
  );
  expect(verdicts.filter((v) => v === 'best mean')).toHaveLength(1);
  expect(verdicts.find((v) => v !== 'best mean')).toMatch(/^(gdl vs wce|wce vs gdl): better in \d of 2 seeds, p = \d\.\d{3}$/);

  // One band per loss: a filled SVG path of real height in the loss's colour, and the caption says what it spans.
  const chart = page.getByRole('figure', { name: 'Dice chart' });
  await expect(chart).toContainText('shaded: training Dice min–max over seeds');
  const bands = chart.locator('.seed-band path.recharts-area-area');
  await expect(bands).toHaveCount(2);
  const drawn = await bands.evaluateAll((paths) =>
    paths.map((p) => {
      const box = (p as SVGPathElement).getBBox();
      return { width: box.width, height: box.height, fill: p.getAttribute('fill'), d: p.getAttribute('d') ?? '' };
    }),
  );
  for (const b of drawn) {
    expect(b.width).toBeGreaterThan(50);
    expect(b.height).toBeGreaterThan(0);
    expect(b.fill).toMatch(/^#[0-9a-f]{6}$/i);
  }
  expect(new Set(drawn.map((b) => b.fill)).size).toBe(2);
  await expect(chart.getByText('gdl: median of 2 seeds')).toBeVisible();
  await chart.screenshot({ path: '/tmp/seeds-chart.png' });

  // The loss chart too: each loss's median over seeds with its band, not a line per seed.
  const lossChart = page.getByRole('figure', { name: 'Loss chart' });
  await expect(lossChart).toContainText('lines: median over seeds, shaded: min–max over seeds');
  const lossBands = lossChart.locator('.seed-band path.recharts-area-area');
  await expect(lossBands).toHaveCount(2);
  const lossDrawn = await lossBands.evaluateAll((paths) => paths.map((p) => (p as SVGPathElement).getBBox().width));
  for (const w of lossDrawn) expect(w).toBeGreaterThan(50);
  await expect(lossChart.getByText('wce: median of 2 seeds')).toBeVisible();
  await expect(lossChart.getByText('gdl s2', { exact: true })).toHaveCount(0);
  await lossChart.screenshot({ path: 'test-results/seeds-loss-chart.png' });

  // "show each seed": the seeds' own lines, no band.
  await chart.getByRole('checkbox', { name: 'show each seed' }).check();
  await expect(bands).toHaveCount(0);
  await expect(chart.getByText('gdl s2', { exact: true })).toBeVisible();
  await expect(lossBands).toHaveCount(0);
  await expect(lossChart.getByText('gdl s2', { exact: true })).toBeVisible();
  await chart.screenshot({ path: '/tmp/seeds-chart-each.png' });

  // The control is keyboard-usable and writes the link.
  await seeds.focus();
  await page.keyboard.press('ArrowUp');
  await expect(seeds).toHaveValue('3');
  await expect(page).toHaveURL(/seeds=3/);
  expect(errors).toEqual([]);
});
