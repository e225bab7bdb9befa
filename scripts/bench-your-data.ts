// npm run bench:your-data [-- --loads=3 --port=4194 --image=PATH]: a 256^3 T1 and a label on its grid through
// the built app's Your data tab in Debian's Chromium, `loads` times (a fresh tab each): from picking the two
// files (the input's change event) to the check saying the subject is ready, and on through "Train on these
// volumes" to the data in use with Train enabled. The label is the image's voxels above its median, written here with the image's header.
// Default image: brainchop's t1_crop.nii.gz (MIT) from ../shared/data/real-nifti/; without it, a 256^3
// phantom T1 made here. Goal (issue "Fast everywhere"): ready to train within 3 s of picking the files.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { readNifti } from '../src/engine/data/nifti';
import { writeNifti } from '../src/engine/data/nifti-write';
import { generatePhantom } from '../src/engine/data/phantom';
import { buildAndServe } from './preview';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const port = Number(args.get('port') ?? 4194);
const loads = Number(args.get('loads') ?? 3);
const imagePath = args.get('image') ?? fileURLToPath(new URL('../../shared/data/real-nifti/bc_t1_crop.nii.gz', import.meta.url));
const outDir = args.get('outDir') ?? '/tmp/dist-your-data';

/** The image's bytes and a label on its grid (voxels above the median), both .nii.gz. */
function inputs(): { image: Buffer; label: Buffer; what: string } {
  if (existsSync(imagePath)) {
    const bytes = readFileSync(imagePath);
    const v = readNifti(new Uint8Array(bytes));
    const sorted = Float32Array.from(v.data).sort();
    const median = sorted[sorted.length >> 1];
    const label = Uint8Array.from(v.data, (x) => (x > median ? 1 : 0));
    const out = writeNifti({ ...v, data: label }, { gzip: true });
    return { image: bytes, label: Buffer.from(out), what: `${imagePath} (${v.dims.join('x')})` };
  }
  const p = generatePhantom({ seed: 1, shape: [256, 256, 256] });
  const t1 = p.images[0];
  // As a scanner writes it, int16 (float32 noise would gzip to more than Playwright hands over, 50 MB).
  const scaled = new Int16Array(t1.data.length);
  for (let i = 0; i < scaled.length; i++) scaled[i] = Math.round(t1.data[i] * 10); // T1 spans 0..~900
  const image = writeNifti({ ...t1, data: scaled }, { gzip: true });
  const label = writeNifti({ ...p.label, data: Uint8Array.from(p.label.data) }, { gzip: true });
  return { image: Buffer.from(image), label: Buffer.from(label), what: `a 256^3 phantom T1 (${imagePath} not found)` };
}

interface Load {
  check: number;
  ready: number;
}

/** ms since the page got the files (the file input's change event; Playwright's own hand-over of the bytes excluded). */
const sincePicked = (page: Page) => page.evaluate('performance.now() - window.__picked') as Promise<number>;

async function measure(page: Page, files: { image: Buffer; label: Buffer }): Promise<Load> {
  await page.addInitScript(
    "document.addEventListener('change', (e) => { if (e.target && e.target.type === 'file') window.__picked = performance.now(); }, true);",
  );
  await page.goto(`http://127.0.0.1:${port}/?backend=wasm`);
  await page.waitForFunction(
    () => !(document.querySelector('button.primary[data-control="train"]') as HTMLButtonElement | null)?.disabled,
    null,
    { timeout: 120_000 },
  );
  await page.getByRole('button', { name: 'Your data' }).click();
  await page.getByLabel('Choose NIfTI files').setInputFiles([
    { name: 'bench_T1w.nii.gz', mimeType: 'application/octet-stream', buffer: files.image },
    { name: 'bench_dseg.nii.gz', mimeType: 'application/octet-stream', buffer: files.label },
  ]);
  await page.getByRole('status', { name: 'Volumes check' }).filter({ hasText: '1 subject ready' }).waitFor({ timeout: 120_000 });
  const check = await sincePicked(page);
  await page.getByRole('button', { name: 'Train on these volumes' }).click();
  await page.getByRole('region', { name: 'Your data in use' }).filter({ hasText: 'bench' }).waitFor({ timeout: 120_000 });
  await page.waitForFunction(
    () => !(document.querySelector('button.primary[data-control="train"]') as HTMLButtonElement | null)?.disabled,
    null,
    { timeout: 120_000, polling: 20 },
  );
  return { check, ready: await sincePicked(page) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<void> {
  const files = inputs();
  console.log(
    `image: ${files.what}; ${(files.image.length / 1e6).toFixed(1)} MB image, ${(files.label.length / 1e6).toFixed(2)} MB label`,
  );
  const server = await buildAndServe({ outDir, port });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
      args: CHROMIUM_ARGS,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const rows: Load[] = [];
    for (let i = 0; i < loads; i++) {
      const page = await context.newPage();
      rows.push(await measure(page, files));
      await page.close();
      console.log(
        `load ${i}: checked ${(rows[i].check / 1000).toFixed(2)} s, ready to train ${(rows[i].ready / 1000).toFixed(2)} s after picking the files`,
      );
    }
    const ready = median(rows.map((r) => r.ready));
    console.log(
      `median: checked ${(median(rows.map((r) => r.check)) / 1000).toFixed(2)} s, ready to train ${(ready / 1000).toFixed(2)} s (goal 3 s)`,
    );
  } finally {
    await browser?.close();
    server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
