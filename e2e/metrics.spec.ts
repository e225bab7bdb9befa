// The challenge metrics through the page: a short race, HD95 in the chart's select, a lesion-F1 column
// in the runs table (both kept in the URL), the header naming its run, and the curves CSV's columns.
import { expect, test } from '@playwright/test';
import { downloads, waitForData } from './helpers';

const RACE = 'backend=wasm&size=48&patch=16&batch=2&steps=30&losses=gdl,wce&lr=0.01';

test('a race reports every validation metric in the chart, the table and the CSV', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/?${RACE}`);
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  const table = page.getByRole('table', { name: 'Runs' });
  const rows = table.getByRole('row');
  // A header row, the two runs and the threshold baseline's footer row.
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table.getByRole('row', { name: 'Threshold baseline' })).toContainText(/best single threshold: (T1|T2|FLAIR) [<>]/);
  const row = (label: string) => rows.filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
  for (const label of ['gdl', 'wce']) await expect(row(label)).toContainText(/done|collapsed/, { timeout: 150_000 });

  // The chart plots HD95 on its own axis; the choice is in the link.
  await page.getByRole('combobox', { name: 'Validation metric' }).selectOption('hd95');
  await expect(page).toHaveURL(/metric=hd95/);
  await expect(page.getByRole('figure', { name: 'Dice chart' })).toContainText('validation HD95 (mm) (solid, right axis)');

  // A lesion-F1 column, next to the validation Dice column that is on by default.
  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Lesion F1' }).check();
  await expect(page).toHaveURL(/cols=dice%2ClesionF1|cols=dice,lesionF1/);
  const headers = await table.getByRole('columnheader').allTextContents();
  const f1Col = headers.indexOf('Validation Lesion F1');
  expect(f1Col).toBeGreaterThan(0);
  expect(headers).toContain('Validation Dice');
  const shown: Record<string, string> = {};
  for (const label of ['gdl', 'wce']) {
    const cells = await row(label).getByRole('cell').allTextContents();
    // The row header (run name) is not a cell: columns after it shift by one.
    shown[label] = cells[f1Col - 1];
    expect(shown[label]).toMatch(/^\d+\.\d{3}$/);
  }

  // The header says whose validation Dice it shows.
  await expect(page.getByRole('status', { name: 'Validation run' })).toHaveText(/^\((gdl|wce), best\)$/);

  await page.screenshot({ path: 'test-results/metrics.png', fullPage: true });

  // The CSV has every metric's column; each run's last row holds the value the table shows.
  const [csv] = await downloads(page, 'Curves CSV', 1);
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  const head = lines[0].split(',');
  for (const col of ['validation_hd95', 'validation_avd', 'validation_lesion_recall', 'validation_lesion_f1'])
    expect(head).toContain(col);
  const f1 = head.indexOf('validation_lesion_f1');
  const hd = head.indexOf('validation_hd95');
  for (const label of ['gdl', 'wce']) {
    const last = lines
      .filter((l) => l.split(',')[1] === label)
      .at(-1)!
      .split(',');
    expect(Number(last[f1]).toFixed(3)).toBe(shown[label]);
    expect(Number(last[hd])).toBeGreaterThanOrEqual(0);
  }
  expect(errors).toEqual([]);
});
