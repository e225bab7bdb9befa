// Reliability and safety through the page: runs survive a reload and continue, a lost GPU device or a
// dead engine worker is survived on a fallback backend, a full disk is reported with a way out, bad
// history files end in clean messages, and no request ever leaves the origin (CSP holds).
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { writeNifti } from '../src/engine/data/nifti';
import { createVolume } from '../src/engine/data/volume';
import { readStep, waitForData } from './helpers';

const TINY = 'size=48&patch=16&batch=2&lr=0.01';

/** Every request (page and workers) to another origin, and every CSP violation, during one test. */
const foreign: string[] = [];
const violations: string[] = [];

function watchOrigin(context: BrowserContext, origin: string): void {
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
}

test.beforeEach(async ({ context, baseURL }) => {
  foreign.length = 0;
  violations.length = 0;
  watchOrigin(context, new URL(baseURL!).origin);
  await context.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
});

test.afterEach(() => {
  expect(foreign, 'requests to other origins').toEqual([]);
  expect(violations, 'CSP violations').toEqual([]);
});

/** Largest checkpoint step saved in IndexedDB (-1: none yet). */
async function savedCheckpointStep(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const dbs = await indexedDB.databases();
    if (!dbs.some((d) => d.name === 'slp-runs')) return -1;
    return new Promise<number>((resolve) => {
      const req = indexedDB.open('slp-runs');
      req.onerror = () => resolve(-1);
      req.onsuccess = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('checkpoints')) return resolve(-1);
        const all = db.transaction('checkpoints').objectStore('checkpoints').getAll();
        all.onsuccess = () => {
          db.close();
          const steps = (all.result as { runs: { step: number }[] }[]).flatMap((c) => c.runs.map((r) => r.step));
          resolve(Math.max(-1, ...steps));
        };
      };
    });
  });
}

function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

// Points of the first run's loss curve (one per step).
const lossLine = (page: Page) => page.locator('[aria-label="Loss chart"] .recharts-line-curve').first();
const segments = async (page: Page) => ((await lossLine(page).getAttribute('d')) ?? '').split('L').length;

test('a reload mid-run keeps the curves and the race continues from its checkpoint', async ({ page }) => {
  const errors = pageErrors(page);
  await page.goto(`/?backend=wasm&${TINY}&losses=gdl,wce&steps=20000`); // outlasts a checkpoint period on a fast machine
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1);
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => savedCheckpointStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(15);
  const before = await readStep(page);
  const segsBefore = await segments(page);

  await page.reload();
  await waitForData(page);
  const restored = page.getByRole('status', { name: 'Restored run' });
  await expect(restored).toContainText(/continues from step \d+/);
  const from = Number((await restored.textContent())!.match(/step (\d+)/)![1]);
  expect(from).toBeGreaterThanOrEqual(15);
  expect(from).toBeLessThanOrEqual(before + 10);
  await expect.poll(() => readStep(page)).toBe(from);
  const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(page.locator('[aria-label="Loss chart"] .recharts-line-curve')).toHaveCount(2);
  // The curve up to the checkpoint is back: a point a step, no more than before the reload.
  expect(await segments(page)).toBe(from);
  expect(from).toBeLessThanOrEqual(segsBefore + 10);
  await page.screenshot({ path: 'test-results/reliability-restored.png' });

  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => readStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(from + 15);
  await expect(rows.nth(0)).toContainText('running');
  expect(await segments(page)).toBeGreaterThan(from + 10);
  expect(errors).toEqual([]);
});

test('a restored run survives three more reloads without Train and still continues', async ({ page }) => {
  const errors = pageErrors(page);
  await page.goto(`/?backend=wasm&${TINY}&losses=gdl,wce&steps=20000`);
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => savedCheckpointStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
  const before = await readStep(page);
  const restored = page.getByRole('status', { name: 'Restored run' });
  let from = -1;
  for (let i = 0; i < 4; i++) {
    await page.reload();
    await waitForData(page);
    await expect(restored).toContainText(/continues from step \d+/);
    const step = Number((await restored.textContent())!.match(/step (\d+)/)![1]);
    if (i === 0) {
      from = step;
      // The readout lags the engine (throttled), so a negative figure means the checkpoint was newer than the screen.
      console.log(`steps lost on a reload mid-run: ${before - from} (step ${before} on screen, continues from ${from})`);
    }
    // Not trained in between: every later reload comes back at the same step.
    expect(step).toBe(from);
    await expect.poll(() => readStep(page)).toBe(from);
  }
  await page.getByRole('button', { name: 'History', exact: true }).click();
  const row = page.getByRole('table', { name: 'Saved runs' }).locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('paused');
  await expect(row).not.toContainText('not started');
  await page.getByRole('button', { name: 'Playground', exact: true }).click();
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => readStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(from + 10);
  expect(errors).toEqual([]);
});

test('the largest link the parser accepts asks before training, with the estimate and a way out', async ({ page }) => {
  const errors = pageErrors(page);
  await page.goto(
    `/?backend=wasm&network=unet3d&size=192&patch=256&batch=32&steps=100000&losses=wce,dl2,ss,gdl,ce,dice,focal,tversky,dice_ce`,
  );
  // Asked at once: even this link's data would take minutes and gigabytes to prepare.
  const dialog = page.getByRole('dialog', { name: 'This run would probably not fit' });
  await expect(dialog).toContainText(/needs about \d+ GB, more than wasm/);
  await expect(dialog).toContainText(/smaller patch .* smaller batch .* 2D network/);
  await page.screenshot({ path: 'test-results/reliability-confirm.png' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('table', { name: 'Runs' }).locator('tbody tr')).toHaveCount(0);
  // A 2D net at a small patch fits: no question, the data is prepared.
  await page.goto(
    '/?backend=wasm&network=unet2d&size=48&patch=16&batch=2&steps=100000&losses=wce,dl2,ss,gdl,ce,dice,focal,tversky,dice_ce',
  );
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => readStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  await expect(dialog).toBeHidden();
  expect(errors).toEqual([]);
});

test('steps longer than the heartbeat timeout are not taken for a crash (the worker says alive between kernels)', async ({
  page,
}) => {
  const errors = pageErrors(page);
  // Four HighResNets at patch 40 on wasm: a round (one step of each, no macrotask between them) keeps the
  // worker's thread busy ~20 s, past the 6 s timeout; its longest kernel is ~3 s (Node, loaded machine).
  await page.goto('/?backend=wasm&network=highres3d&size=48&patch=40&batch=2&losses=gdl,wce,dl2,ss&steps=2');
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  const fault = page.getByRole('alert', { name: 'Engine fault' });
  const rows = page.getByRole('table', { name: 'Runs' }).locator('tbody tr');
  const started = Date.now();
  let faults = 0;
  while (!/done/.test((await rows.first().textContent()) ?? '') && Date.now() - started < 160_000) {
    faults += await fault.count();
    await page.waitForTimeout(500);
  }
  console.log(`4 x highres3d patch 40: 2 rounds in ${Date.now() - started} ms, fault banners seen: ${faults}`);
  await expect(rows.first()).toContainText('done');
  expect(faults).toBe(0);
  expect(errors).toEqual([]);
});

test('a lost WebGPU device stops the run with a message and it continues on wasm', async ({ page }) => {
  const errors = pageErrors(page);
  await page.goto(`/?backend=webgpu&size=48&patch=16&batch=1&lr=0.01&loss=gdl&steps=400&_debug=faults`);
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('webgpu');
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => savedCheckpointStep(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(5);
  await page.getByRole('button', { name: 'Simulate GPU device loss' }).click();
  const fault = page.getByRole('alert', { name: 'Engine fault' });
  await expect(fault).toContainText('GPU device was lost');
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('error');
  await page.screenshot({ path: 'test-results/reliability-device-lost.png' });
  const cont = page.getByRole('button', { name: /^Continue on wasm from step \d+ \(/ });
  const from = Number((await cont.textContent())!.match(/step (\d+)/)![1]);
  await cont.click();
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('wasm');
  await expect(fault).toHaveCount(0);
  await expect.poll(() => readStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(from + 10);
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('running');
  expect(errors).toEqual([]);
});

test('a worker that dies silently is caught by the heartbeat within 10 s, the fastest backend offered first', async ({
  page,
}) => {
  await page.goto(`/?backend=wasm&${TINY}&loss=gdl&steps=20000&_debug=faults`); // long enough (7 ms/step here) to outlast a checkpoint period
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => savedCheckpointStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
  await page.getByRole('button', { name: 'Simulate engine crash' }).click();
  const crashedAt = Date.now();
  const fault = page.getByRole('alert', { name: 'Engine fault' });
  await expect(fault).toContainText('stopped answering', { timeout: 10_000 });
  const detectedMs = Date.now() - crashedAt;
  console.log(`crash detected after ${detectedMs} ms`);
  expect(detectedMs).toBeLessThan(10_000);
  const stuck = await readStep(page);
  await page.waitForTimeout(1000);
  expect(await readStep(page)).toBe(stuck);
  // wasm, measured by the run itself, ranks before the unmeasured (and here far slower) webgl.
  const first = fault.getByRole('button').first();
  await expect(first).toHaveText(/^Continue on wasm from step \d+ \(about \d+ ms\/step here\)$/);
  const saved = await savedCheckpointStep(page);
  console.log(`steps lost on the crash: ${stuck - saved} (step ${stuck}, checkpoint ${saved})`);
  await first.click();
  await expect.poll(() => readStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(stuck + 10);
});

test('History renames, exports, imports (bad files end in clean messages) and deletes', async ({ page }) => {
  const errors = pageErrors(page);
  await page.goto(`/?backend=wasm&${TINY}&loss=gdl&steps=8`);
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('done', { timeout: 60_000 });
  await page.getByRole('button', { name: 'History', exact: true }).click();
  const table = page.getByRole('table', { name: 'Saved runs' });
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText('finished');

  await table.getByRole('button', { name: /^Rename / }).click();
  await table.getByRole('textbox', { name: /^New name for / }).fill('first GDL run');
  await table.getByRole('button', { name: 'Save name' }).click();
  await expect(table.locator('tbody th')).toHaveText('first GDL run');

  const download = page.waitForEvent('download');
  await table.getByRole('button', { name: 'Export first GDL run' }).click();
  const file = await (await download).path();
  const text = (await import('node:fs')).readFileSync(file, 'utf8');
  const parsed = JSON.parse(text);
  expect(parsed.experiments[0].name).toBe('first GDL run');
  expect(parsed.experiments[0].runs[0].steps).toHaveLength(8);

  const importer = page.getByLabel('Import saved runs');
  await importer.setInputFiles({ name: 'runs.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByRole('status', { name: 'History message' })).toHaveText('Imported 1 saved run.');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table.locator('tbody th')).toHaveText(['first GDL run', 'first GDL run']);

  // A sample of mutated files: each ends in one clean message, never an uncaught error.
  const samples = [
    text.slice(0, text.length / 2),
    text.replace('"steps"', '"stepz"'),
    text.replace(/"trainDice": [\d.e-]+/, '"trainDice": "high"'),
    text.replace('segmentation-loss-playground/history', 'something-else'),
    '{"format":"segmentation-loss-playground/history","version":1,"experiments":[{"__proto__":{"x":1}}]}',
    '\u0000\u0001garbage',
    '[]',
  ];
  for (const [i, s] of samples.entries()) {
    await importer.setInputFiles({ name: `bad-${i}.json`, mimeType: 'application/json', buffer: Buffer.from(s) });
    await expect(page.getByRole('alert')).toContainText(`bad-${i}.json:`);
  }
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/reliability-history.png' });

  // Reopening a finished run shows its curves again on the playground.
  await table.getByRole('button', { name: 'Reopen first GDL run' }).first().click();
  await expect(page.getByRole('status', { name: 'Restored run' })).toContainText('its curves are shown');
  await expect(page.getByRole('table', { name: 'Runs' })).toContainText('done');
  await expect.poll(() => readStep(page)).toBe(8);
  await page.getByRole('button', { name: 'History', exact: true }).click();

  await table.getByRole('button', { name: 'Delete first GDL run' }).first().click();
  await table.getByRole('button', { name: 'Confirm delete first GDL run' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a full disk is reported with a way out, and saving resumes once there is room', async ({ page, context }) => {
  // IndexedDB refuses writes while window.__diskFull is set, the way a browser over its quota does.
  await context.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if ((window as unknown as { __diskFull?: boolean }).__diskFull)
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    } as typeof put;
  });
  await page.goto(`/?backend=wasm&${TINY}&loss=gdl&steps=20000`); // still running when Pause is pressed
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => readStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(5);
  await page.evaluate(() => {
    (window as unknown as { __diskFull?: boolean }).__diskFull = true;
  });
  const problem = page.getByRole('alert', { name: 'Storage problem' });
  await expect(problem).toContainText('storage is full', { ignoreCase: true });
  await page.getByRole('button', { name: 'Pause' }).click();
  await problem.getByRole('button', { name: 'Open History' }).click();
  await expect(page.getByRole('table', { name: 'Saved runs' })).toBeVisible();
  await page.evaluate(() => {
    (window as unknown as { __diskFull?: boolean }).__diskFull = false;
  });
  await page.getByRole('button', { name: 'Playground', exact: true }).click();
  await page.getByRole('button', { name: 'Train' }).click();
  await expect(problem).toHaveCount(0, { timeout: 20_000 });
});

/** A tiny seeded generator for the byte mutations (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('a sample of mutated NIfTI files dropped on Your data ends in clean messages, never an error', async ({ page }) => {
  const errors = pageErrors(page);
  const dims: [number, number, number] = [12, 10, 8];
  const n = dims[0] * dims[1] * dims[2];
  const image = writeNifti(createVolume({ dims, data: Float32Array.from({ length: n }, (_, i) => (i * 13) % 97) }));
  const label = writeNifti(createVolume({ dims, data: Uint8Array.from({ length: n }, (_, i) => (i % 9 === 0 ? 1 : 0)) }));
  const next = rng(2024);
  const mutate = (src: Uint8Array): Uint8Array => {
    const b = src.slice(0, next() < 0.2 ? Math.floor(next() * src.length) : src.length);
    for (let k = 0; k < 1 + Math.floor(next() * 4); k++)
      b[Math.floor(next() * Math.min(b.length, 352))] = Math.floor(next() * 256);
    return b;
  };
  await page.goto('/?backend=wasm&view=data');
  const picker = page.getByLabel('Choose NIfTI files');
  const outcome = page
    .getByRole('alert')
    .or(page.getByRole('status', { name: 'Volumes check' }))
    .or(page.getByRole('list', { name: 'Why not trainable' }));
  for (let i = 0; i < 12; i++) {
    const files = [
      { name: `s${i}_T1.nii`, mimeType: 'application/octet-stream', buffer: Buffer.from(mutate(image)) },
      { name: `s${i}_seg.nii`, mimeType: 'application/octet-stream', buffer: Buffer.from(i % 3 ? label : mutate(label)) },
    ];
    await picker.setInputFiles(files);
    // The file's own check has come back: 'read', or the reader's message.
    const row = page.getByRole('table', { name: 'Files' }).getByRole('row', { name: new RegExp(`s${i}_T1\\.nii`) });
    await expect(row.getByRole('cell').last()).toHaveText(/\S/);
    await expect(outcome.first()).toBeVisible();
    const text = (await page.getByRole('region', { name: 'Your volumes' }).textContent()) ?? '';
    expect(text).not.toMatch(/TypeError|RangeError|undefined|Cannot read|\[object Object\]/);
  }
  expect(errors).toEqual([]);
});

test('a full session (every view, training, export) makes no request to another origin', async ({ page, baseURL }) => {
  const errors = pageErrors(page);
  const seen: string[] = [];
  page.context().on('request', (r) => seen.push(r.url()));
  await page.goto(`/?backend=wasm&${TINY}&loss=gdl&steps=20000`); // still running when Pause is pressed
  await waitForData(page);
  await page.getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => readStep(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
  await page.getByRole('button', { name: 'Pause' }).click();
  const views = page.getByRole('navigation', { name: 'Views' }).getByRole('button');
  const names = await views.allTextContents();
  expect(names.length).toBeGreaterThanOrEqual(3);
  for (const name of names) {
    await views.filter({ hasText: name }).click();
    await page.waitForTimeout(1500);
  }
  await page.getByRole('button', { name: 'History', exact: true }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export all' }).click();
  await download;
  // The engine worker's own fetches (the .wasm binary) are among the requests seen, all same-origin.
  expect(seen.some((u) => u.includes('/tfjs-wasm/'))).toBe(true);
  expect(seen.every((u) => u.startsWith(new URL(baseURL!).origin) || /^(data|blob):/.test(u))).toBe(true);
  expect(errors).toEqual([]);
});
