// "Take it further (PyTorch)" from the page: the zip the button saves unpacks into a project whose
// train.py runs in Debian's PyTorch, continues each run from the browser's weights and Adam state, and
// makes the step the page makes next with the same loss; its history imports back into History.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { downloads, readStep, waitForData } from './helpers';

const PYTHON = '/usr/bin/python3';
const TINY = 'backend=wasm&size=48&patch=16&batch=2&losses=gdl,wce&lr=0.01&steps=6';

/** The app's history file (runs JSON from the page, results/history.json from train.py). */
interface HistoryFile {
  experiments: { name: string; runs: { id: string; steps: { step: number; loss: number }[] }[] }[];
}

test('the PyTorch project from the page trains on from the browser, step for step', async ({ page }) => {
  test.setTimeout(240_000);
  const torch = spawnSync(PYTHON, ['-c', 'import torch, nibabel, scipy'], { encoding: 'utf8' });
  expect(torch.status, `${PYTHON} needs torch, nibabel and scipy (apt install python3-torch python3-nibabel python3-scipy)`).toBe(
    0,
  );
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/?${TINY}`);
  await waitForData(page);
  for (let n = 1; n <= 2; n++) {
    await page.getByRole('button', { name: 'Step' }).click();
    await expect.poll(() => readStep(page)).toBe(n);
  }

  const [zip] = await downloads(page, 'Take it further (PyTorch)', 1);
  await expect(page.getByRole('status', { name: 'Export status' })).not.toHaveText(/error|failed/i);
  expect(zip.name).toMatch(/\.zip$/);
  const dir = mkdtempSync(join(tmpdir(), 'take-it-further-'));
  try {
    const files = unzipSync(new Uint8Array(zip.bytes));
    for (const [name, bytes] of Object.entries(files)) {
      if (name.endsWith('/')) continue;
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    const root = join(dir, Object.keys(files)[0].split('/')[0]);
    const experiment = JSON.parse(readFileSync(join(root, 'experiment.json'), 'utf8'));
    expect(experiment.runs.map((r: { runId: string }) => r.runId).sort()).toEqual(['gdl-1', 'wce-1']);
    // The page wrote each run's ONNX model: it loads in onnxruntime and gives class probabilities.
    const ort = await import('onnxruntime-node');
    for (const id of ['gdl-1', 'wce-1']) {
      const session = await ort.InferenceSession.create(join(root, `onnx/${id}.onnx`));
      const x = new ort.Tensor(
        'float32',
        Float32Array.from({ length: 3 * 16 * 16 }, (_, i) => Math.cos(i)),
        [1, 3, 16, 16],
      );
      const p = (await session.run({ image: x })).probabilities;
      expect([...p.dims], id).toEqual([1, 2, 16, 16]);
      const probs = p.data as Float32Array;
      expect(Math.abs(probs[0] + probs[256] - 1), id).toBeLessThan(1e-5);
      await session.release();
    }

    // The page's third step, after the export: what train.py's first step must reproduce.
    await page.getByRole('button', { name: 'Step' }).click();
    await expect.poll(() => readStep(page)).toBe(3);
    const [runsJson] = await downloads(page, 'Runs JSON', 1);
    const pageRuns = (JSON.parse(runsJson.bytes.toString('utf8')) as HistoryFile).experiments[0].runs;

    const out = spawnSync(
      PYTHON,
      ['train.py', '--data', experiment.dataset, '--steps', '1', '--device', 'cpu', '--out', 'results/history.json'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 180_000,
      },
    );
    expect(out.status, `train.py failed:\n${out.stdout}\n${out.stderr}`).toBe(0);
    const history = JSON.parse(readFileSync(join(root, 'results/history.json'), 'utf8')) as HistoryFile;
    const torchRuns = history.experiments[0].runs;
    for (const id of ['gdl-1', 'wce-1']) {
      const mine = torchRuns.find((r) => r.id === id);
      expect(mine, `${id} in train.py's history (${torchRuns.map((r) => r.id).join(', ')})`).toBeTruthy();
      const next = mine!.steps.find((s) => s.step === 3);
      const browser = pageRuns.find((r) => r.id === id)!.steps.find((s) => s.step === 3);
      expect(next, `${id}: train.py continued at step 3`).toBeTruthy();
      expect(browser).toBeTruthy();
      // tfjs's Adam and float32 kernels in both: the same step to well within 1e-4 relative.
      const rel = Math.abs(next!.loss - browser!.loss) / Math.abs(browser!.loss);
      test.info().annotations.push({
        type: 'step 3 loss',
        description: `${id}: browser ${browser!.loss}, PyTorch ${next!.loss}, relative ${rel.toExponential(2)}`,
      });
      expect(rel, `${id} step 3 loss`).toBeLessThan(1e-4);
    }

    // The results come back into the page's History.
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByLabel('Import saved runs').setInputFiles(join(root, 'results/history.json'));
    await expect(page.getByText(history.experiments[0].name).first()).toBeVisible();
    await page.screenshot({ path: 'test-results/take-it-further-history.png', fullPage: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(errors).toEqual([]);
});
