// Sweeps in Chromium: a tiny 2 x 2 sweep (2 losses x 2 LRs x 2 patch presets) runs to completion with
// pause/resume, renders the paper-layout table, the heat maps and the robustness summary, survives a
// reload (IndexedDB), exports and re-imports its JSON, rejects a bad file, and loads the Node command's file.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

const URL = '/?view=sweeps&backend=wasm&size=48&patch=16&batch=2';

test('a tiny 2x2 sweep runs to completion, renders table and heat maps, survives a reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(URL);
  const builder = page.getByRole('form', { name: 'Sweep builder' });
  await expect(builder).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Sweep preset').selectOption('quick');
  await expect(page.getByRole('region', { name: 'Preset scale-down' })).toContainText('smoke test');
  await page.getByLabel('Steps per run').fill('24');
  await page.getByLabel('Last K steps').fill('6');
  await expect(page.getByRole('status', { name: 'Sweep estimate' })).toContainText(/^8 runs in 2 data groups, about .* on wasm/, {
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Start sweep' }).click();

  const status = page.getByRole('status', { name: 'Sweep status' });
  await expect(status).toContainText('Running');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toContainText('Paused');
  const pausedAt = await page.getByRole('progressbar', { name: 'Sweep progress' }).getAttribute('value');
  await page.waitForTimeout(1500);
  expect(await page.getByRole('progressbar', { name: 'Sweep progress' }).getAttribute('value')).toBe(pausedAt);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(status).toContainText('Running');

  const saved = page.getByRole('table', { name: 'Saved sweeps list' });
  await expect(saved.getByRole('row').first()).toContainText('done', { timeout: 120_000 });
  await expect(page.getByRole('region', { name: 'Running sweep' })).toHaveCount(0);

  const table = page.getByRole('table', { name: 'Sweep results' });
  await expect(table.getByRole('columnheader')).toHaveText(['Patch', 'LR', 'WCE', 'GDL']);
  await expect(table.getByRole('row')).toHaveCount(5);
  await expect(table.getByRole('rowheader', { name: '1e-3' })).toHaveCount(2);
  await expect(table.getByRole('cell', { name: '…' })).toHaveCount(0);
  for (const cell of await table.getByRole('cell').allTextContents())
    expect(cell).toMatch(/^(0|0\.\d\d|1\.00) \((0|0\.\d\d|1\.00)\)/);

  for (const loss of ['WCE', 'GDL']) {
    const map = page.getByRole('img', { name: new RegExp(`^Heat map ${loss}`) });
    await expect(map).toBeVisible();
    expect(await map.locator('rect').count()).toBeGreaterThan(100);
  }
  await expect(page.getByRole('table', { name: 'Robustness per loss' }).getByRole('row')).toHaveCount(3);
  await expect(page.getByRole('note', { name: 'Robustness verdict' })).toContainText('Most robust here');
  await page.screenshot({ path: 'test-results/sweep-quick.png', fullPage: true });

  await page.reload();
  await expect(saved.getByRole('row').first()).toContainText('Quick check', { timeout: 60_000 });
  await expect(saved.getByRole('row').first()).toContainText('done');
  await expect(page.getByRole('table', { name: 'Sweep results' }).getByRole('cell', { name: '…' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('export and import JSON; a bad file is refused with a clear message; the Node command\u2019s file loads', async ({
  page,
}) => {
  await page.goto(URL);
  await expect(page.getByRole('form', { name: 'Sweep builder' })).toBeVisible({ timeout: 60_000 });
  const input = page.getByLabel('Import sweep JSON');

  await input.setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "segmentation-loss-playground/sweep", "version": 1, "record": {"id": 5}}'),
  });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('broken.json was not imported');
  await expect(alert).toContainText('record.id: expected');
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await input.setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
  await expect(page.getByRole('alert')).toContainText('not valid JSON');

  // The committed output of `npm run sweep -- --preset table2` (docs/sweep-report.md).
  await input.setInputFiles('docs/sweeps/table2.json');
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText(
    'Imported sweep "Paper Table 2 (2D, scaled down)" (36 runs)',
  );
  const table = page.getByRole('table', { name: 'Sweep results' });
  await expect(table.getByRole('row')).toHaveCount(10);
  await expect(table.getByRole('cell', { name: '…' })).toHaveCount(0);
  await expect(page.getByRole('img', { name: /^Heat map GDL/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/sweep-table2.png', fullPage: true });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const file = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  expect(file.format).toBe('segmentation-loss-playground/sweep');
  expect(file.record.results).toHaveLength(36);
  expect(file.plots).toHaveLength(4);
  // Re-importing the export gives a copy next to the original.
  await input.setInputFiles({ name: 'again.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByRole('table', { name: 'Saved sweeps list' }).getByRole('row', { name: /Paper Table 2/ })).toHaveCount(2);
});
