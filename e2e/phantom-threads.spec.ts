// The phantoms are made across threads in the page (the engine worker and a helper worker per spare
// core): the data the page trains on must be exactly what Node makes on one thread for the same link.
import { expect, test } from '@playwright/test';
import { buildDataset } from '../src/engine/train/dataset';
import { buildDataRequest } from '../src/state/run-requests';
import { DEFAULT_SETTINGS } from '../src/state/settings';
import { formatPercent } from '../src/ui/format';

test('phantoms made by helper workers equal Node’s: trained-patch share and the threshold baseline', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/?seed=11');
  const baseline = page.getByRole('row', { name: 'Threshold baseline' });
  await expect(baseline).toBeVisible({ timeout: 60_000 });
  const ds = buildDataset(buildDataRequest({ ...DEFAULT_SETTINGS, seed: 11 }));
  const b = ds.baseline!;
  // Both figures come from the training phantoms (index 1 is a helper's whenever the browser has 2+ cores).
  await expect(baseline).toContainText(`${b.modality} ${b.direction === 'bright' ? '>' : '<'} ${b.threshold.toPrecision(3)}`);
  await expect(baseline).toContainText(b.dice.toFixed(3));
  await expect(page.getByLabel('Patch imbalance')).toHaveText(formatPercent(ds.patchImbalance));
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  console.log(`cores ${cores}; phantom helpers started: ${workers.filter((u) => u.includes('phantom.worker')).length}`);
  if (cores > 1) expect(workers.some((u) => u.includes('phantom.worker'))).toBe(true);
});

test('a revisit reads the phantoms back from the browser (no regeneration) and they still equal Node’s', async ({ page }) => {
  test.setTimeout(180_000);
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  const ds = buildDataset(buildDataRequest({ ...DEFAULT_SETTINGS, seed: 12 }));
  const b = ds.baseline!;
  const baseline = page.getByRole('row', { name: 'Threshold baseline' });
  await page.goto('/?seed=12');
  await expect(baseline).toContainText(b.dice.toFixed(3), { timeout: 60_000 });
  await expect
    .poll(() => logs.filter((l) => l.startsWith('phantoms:')))
    .toEqual(['phantoms: 0 read back from this browser, 3 made']);
  // The write waits 2 s after the data are ready; then the stored dataset is read back on a reload.
  await expect
    .poll(
      () =>
        page.evaluate(`new Promise((resolve) => {
          const r = indexedDB.open('slp-phantoms');
          r.onsuccess = () => {
            const db = r.result;
            if (!db.objectStoreNames.contains('phantoms')) return resolve(0);
            const c = db.transaction('phantoms').objectStore('phantoms').count();
            c.onsuccess = () => resolve(c.result);
          };
          r.onerror = () => resolve(-1);
        })`),
      { timeout: 30_000 },
    )
    .toBe(3);
  await page.reload();
  await expect(baseline).toContainText(`${b.modality} ${b.direction === 'bright' ? '>' : '<'} ${b.threshold.toPrecision(3)}`, {
    timeout: 60_000,
  });
  await expect(baseline).toContainText(b.dice.toFixed(3));
  await expect(page.getByLabel('Patch imbalance')).toHaveText(formatPercent(ds.patchImbalance));
  await expect
    .poll(() => logs.filter((l) => l.startsWith('phantoms:')).at(-1))
    .toBe('phantoms: 3 read back from this browser, 0 made');
  // Nor did the page's helpers make the link's phantoms ahead: they saw them stored.
  const helpers = page.workers().filter((w) => w.url().includes('phantom.worker'));
  for (const w of helpers) expect(await w.evaluate(`performance.getEntriesByName('slp:phantom-made').length`)).toBe(0);
});
