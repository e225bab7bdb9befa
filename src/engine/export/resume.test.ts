// Training continues where the browser stopped: a session exported after 2 steps (weights and Adam's
// moments) and continued by train.py for 2 steps gives the losses the engine itself gives at steps 3 and 4.
import { unzipSync } from 'fflate';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngineHost } from '../host';
import type { StepPoint } from '../train/events';
import { requireTorch, runPython, skipWithoutTorch, tempDir } from './testing/python';

const skip = skipWithoutTorch('export/resume.test');

describe.skipIf(skip)('continuing a browser run in PyTorch', () => {
  beforeAll(() => requireTorch());

  it('steps 3 and 4 in train.py equal the engine within 1e-4 (weights and Adam state carried over)', async () => {
    const points = new Map<string, StepPoint[]>();
    const host = createEngineHost((name, payload) => {
      if (name !== 'steps') return;
      const e = payload as { runId: string; points: StepPoint[] };
      points.set(e.runId, [...(points.get(e.runId) ?? []), ...e.points]);
    });
    await host.init({ backend: 'cpu' });
    await host.prepareData({
      seed: 5,
      lesion: 'tumour',
      fraction: 0.02,
      noise: 0.02,
      patch: 16,
      batch: 2,
      network: 'unet2d',
      shape: [24, 24, 12],
    });
    const runs = ['gdl', 'focal'].map((loss) => ({
      runId: `${loss}-5`,
      loss: loss as 'gdl' | 'focal',
      lossOptions: {},
      lr: 1e-2,
      network: 'unet2d' as const,
      steps: 4,
      seed: 5,
    }));
    await host.createRuns({ runs });
    for (let s = 0; s < 2; s++) await host.control({ action: 'step' });
    const out = await host.exportProject({ name: 'resume', query: '', runs });
    for (let s = 0; s < 2; s++) await host.control({ action: 'step' });
    const dir = tempDir('export-resume');
    for (const [name, bytes] of Object.entries(unzipSync(out.bytes))) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    const project = join(dir, 'resume');
    const stdout = runPython({
      script: join(project, 'train.py'),
      args: ['--data', 'nnUNet_raw/Dataset501_resume', '--device', 'cpu'],
      cwd: project,
      timeoutMs: 240_000,
    });
    expect(stdout).toContain("continuing from step 2 with the browser's Adam state");
    const history = JSON.parse(readFileSync(join(project, 'results/history.json'), 'utf8'));
    for (const run of history.experiments[0].runs as { id: string; steps: StepPoint[]; totalSteps: number }[]) {
      const engine = points.get(run.id)!.filter((p) => p.step > 2);
      expect(run.steps.map((p) => p.step)).toEqual([3, 4]);
      expect(run.totalSteps).toBe(4);
      const diffs = run.steps.map((p, k) => Math.abs(p.loss - engine[k].loss));
      console.log(`${run.id}: steps 3, 4 |torch - engine| = ${diffs.map((d) => d.toExponential(1)).join(', ')}`);
      for (const d of diffs) expect(d).toBeLessThan(1e-4);
    }
  }, 300_000);
});
