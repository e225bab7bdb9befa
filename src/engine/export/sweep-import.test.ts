// A sweep export end to end: sweep.py runs a 2 losses x 1 lr x 2 seeds grid (CPU, one process here; one
// per GPU there) and writes results/sweep.json, which the Sweeps view's own parser (parseSweepFile, what
// SweepController.importText calls) reads unchanged: the grid, every cell's seeds, and statistics equal
// to those recomputed here from the per-step numbers of the history file train.py wrote for the same runs.
// (That history's import into History is scripts/export.test.ts's: src/engine may not import src/state.)
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { unzipSync } from 'fflate';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { phantomShape } from '../../domain/phantom';
import { parseSweepFile } from '../../domain/sweep/format';
import { planSweep } from '../../domain/sweep/plan';
import { assembleTables } from '../../domain/sweep/table';
import { windowValidations } from '../sweep/runner';
import { buildDataset } from '../train/dataset';
import { buildProject, type ExperimentJson, type ProjectParams, zipProject } from './project';
import { PYTHON_SOURCES } from './python-sources';
import { exportedSweep } from './sweep-grid';
import { requireTorch, runPython, skipWithoutTorch, tempDir } from './testing/python';

/** A run as train.py writes it in results/history.json (the fields read here; NaN metrics are null). */
interface TorchRun {
  id: string;
  status: string;
  config: { loss: string; lr: number; seed: number };
  steps: { step: number; trainDice: number }[];
  validation: { step: number; dice: number; metrics: Record<string, number | null> }[];
}

const STEPS = 8;
const LAST_K = 4;

/** The tiny phantom: 32 x 32 x 24 (a sweep's smallest side), 2% tumour, 16 px patches of batch 1. */
const tinyData = () =>
  buildDataset({
    seed: 3,
    lesion: 'tumour',
    fraction: 0.02,
    noise: 0.02,
    patch: 16,
    batch: 1,
    network: 'unet2d',
    shape: phantomShape(32),
  });

function tinyExport(runs: ProjectParams['runs'], extra: Partial<ProjectParams> = {}) {
  return buildProject({
    name: 'sweep import',
    ds: tinyData(),
    network: 'unet2d',
    runs,
    query: '',
    sources: PYTHON_SOURCES,
    ...extra,
  });
}

const grid = (seeds: number[], losses = ['gdl', 'dice']) =>
  losses.flatMap((loss) =>
    seeds.map((seed) => ({ runId: `${loss}-lr0.001-seed${seed}`, loss, lossOptions: {}, lr: 1e-3, steps: STEPS, seed })),
  );

const experimentOf = (files: { name: string; bytes: Uint8Array }[]) =>
  JSON.parse(new TextDecoder().decode(files.find((f) => f.name.endsWith('/experiment.json'))!.bytes)) as ExperimentJson;
const readmeOf = (files: { name: string; bytes: Uint8Array }[]) =>
  new TextDecoder().decode(files.find((f) => f.name.endsWith('/README.md'))!.bytes);

/** Quantile of ascending values, linear between order statistics (numpy's default), written here on purpose. */
function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
const median = (v: number[]) =>
  quantile(
    [...v].sort((a, b) => a - b),
    0.5,
  );
/** The file's rounding of stored Dice values (5 decimals). */
const round5 = (x: number) => Math.round(x * 1e5) / 1e5;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('which exports are an app sweep', () => {
  it('a losses x lr x consecutive seeds grid is one (README names results/sweep.json); other runs say why not', () => {
    const files = tinyExport(grid([1, 2]));
    const sweep = experimentOf(files).sweep!;
    expect(sweep.spec).toMatchObject({ losses: ['gdl', 'dice'], lrs: [1e-3], seeds: 2, firstSeed: 1, steps: STEPS, size: 32 });
    expect(sweep.spec.lastK).toBe(2); // a fifth of 8 steps, rounded
    expect(sweep.cells.map((c) => c.runId)).toEqual([
      'gdl-lr0_001-seed1',
      'gdl-lr0_001-seed2',
      'dice-lr0_001-seed1',
      'dice-lr0_001-seed2',
    ]);
    expect(readmeOf(files)).toContain("`results/sweep.json` imports in the app's **Sweeps** view");

    const base = { name: 'x', ds: tinyData(), network: 'unet2d' as const, fromTrained: false };
    const runs = (r: ReturnType<typeof grid>) => r.map((x) => ({ ...x, loss: x.loss as 'gdl' }));
    expect(exportedSweep({ ...base, runs: runs(grid([1, 3])) })).toEqual({ reason: expect.stringMatching(/not consecutive/) });
    expect(exportedSweep({ ...base, runs: runs(grid([1, 2])).slice(1) })).toEqual({
      reason: expect.stringMatching(/every loss x learning rate x seed once/),
    });
    expect(exportedSweep({ ...base, runs: runs(grid([1])), fromTrained: true })).toEqual({
      reason: expect.stringMatching(/trained weights/),
    });
    const refused = tinyExport(grid([1, 5]));
    expect(experimentOf(refused).sweep).toBeUndefined();
    expect(readmeOf(refused)).toMatch(/not a sweep of the app: the seeds 1, 5 are not consecutive/);
  });
});

const skip = skipWithoutTorch('export/sweep-import.test');

describe.skipIf(skip)('sweep.py writes a file the Sweeps view imports', () => {
  beforeAll(() => requireTorch());

  it('2 losses x 1 lr x 2 seeds on CPU: parseSweepFile reads the grid, and its statistics are the runs’ own', () => {
    const files = tinyExport(grid([1, 2]), { lastK: LAST_K });
    const dir = tempDir('export-sweep');
    for (const [name, bytes] of Object.entries(unzipSync(zipProject(files)))) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    const project = join(dir, files[0].name.split('/')[0]);
    const experiment = JSON.parse(readFileSync(join(project, 'experiment.json'), 'utf8')) as ExperimentJson;
    const started = performance.now();
    const stdout = runPython({
      script: join(project, 'sweep.py'),
      args: ['--data', experiment.dataset, '--out', 'results/history.json'],
      cwd: project,
      timeoutMs: 120_000,
    });
    console.log(`sweep.py: 4 runs of ${STEPS} steps in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(stdout).toContain('wrote results/sweep.json');

    // The Sweeps view's import, unchanged.
    const parsed = parseSweepFile(readFileSync(join(project, 'results/sweep.json'), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(parsed.warnings).toEqual([]);
    const { record } = parsed;
    const { spec } = record;
    expect(spec).toMatchObject({
      network: 'unet2d',
      losses: ['gdl', 'dice'],
      lrs: [1e-3],
      patches: [{ id: '16', patch: 16, batch: 1 }],
      burdens: [0.02],
      seeds: 2,
      firstSeed: 1,
      steps: STEPS,
      lastK: LAST_K,
      lesion: 'tumour',
      size: 32,
    });
    expect(record.state).toBe('done');
    expect(record.backend).toBe('torch-cpu');
    const plan = planSweep(spec);
    expect(record.results).toHaveLength(plan.cells.length);
    expect(plan.cells).toHaveLength(4);
    expect(new Set(record.results.map((r) => r.key))).toEqual(new Set(plan.cells.map((c) => c.key)));
    for (const loss of spec.losses) expect(record.results.filter((r) => r.loss === loss).map((r) => r.seed)).toEqual([1, 2]);
    expect(record.groups.map((g) => g.seed)).toEqual([1, 2]);

    // The same runs as train.py wrote them in the history file (its History import: scripts/export.test.ts).
    const history = JSON.parse(readFileSync(join(project, 'results/history.json'), 'utf8')) as {
      experiments: { runs: TorchRun[] }[];
    };
    const runs = new Map(history.experiments.flatMap((e) => e.runs).map((r) => [r.id, r]));
    expect(runs.size).toBe(4);
    const runOf = new Map(experiment.sweep!.cells.map((c) => [c.key, runs.get(c.runId)!]));

    // Each run: its window is its last K training Dice, its validations the app's sweep schedule's.
    const { validateEvery, validateFrom } = windowValidations(spec);
    const expectedSteps = Array.from({ length: STEPS }, (_, i) => i + 1).filter(
      (s) => s >= validateFrom && (s % validateEvery === 0 || s === STEPS),
    );
    expect(expectedSteps).toEqual([5, 6, 7, 8]);
    for (const r of record.results) {
      const run = runOf.get(r.key)!;
      expect(run.config).toMatchObject({ loss: r.loss, lr: r.lr, seed: r.seed });
      expect(r.step).toBe(STEPS);
      expect(r.status).toBe(run.status);
      expect(r.window).toEqual(run.steps.slice(-LAST_K).map((p) => round5(p.trainDice)));
      expect(r.curve).toEqual(run.steps.map((p) => round5(p.trainDice)));
      expect(r.validation!.map((v) => v.step)).toEqual(expectedSteps);
      for (const v of r.validation!) {
        const raw = run.validation.find((x) => x.step === v.step)!.metrics;
        expect(v.metrics).toEqual(Object.fromEntries(Object.entries(raw).map(([k, m]) => [k, m ?? Number.NaN])));
      }
    }

    // The statistics the Sweeps view shows, against the same numbers recomputed here from the history.
    const recompute = (loss: string, values: (run: TorchRun) => number[]) => {
      const perSeed = [1, 2].map((seed) => {
        const key = plan.cells.find((c) => c.loss === loss && c.seed === seed)!.key;
        const run = runOf.get(key)!;
        return run.status === 'diverged' ? new Array(LAST_K).fill(0) : values(run);
      });
      const pooled = perSeed.flat().sort((a, b) => a - b);
      return { perSeed: perSeed.map(median), pooled };
    };
    const trainDice = (run: TorchRun) => run.steps.slice(-LAST_K).map((p) => round5(p.trainDice));
    const validationDice = (run: TorchRun) =>
      run.validation
        .filter((v) => expectedSteps.includes(v.step) && v.metrics.dice !== null)
        .map((v) => v.metrics.dice as number);
    for (const [statistic, values] of [
      ['trainDice', trainDice],
      ['dice', validationDice],
    ] as const) {
      const [table] = assembleTables({ spec, results: record.results, statistic });
      table.losses.forEach((loss, k) => {
        const cell = table.rows[0].cells[k];
        const ours = recompute(loss, values);
        expect(cell.seedsDone).toBe(2);
        expect(cell.count).toBe(ours.pooled.length);
        expect(cell.median).toBeCloseTo(quantile(ours.pooled, 0.5), 12);
        expect(cell.q1).toBeCloseTo(quantile(ours.pooled, 0.25), 12);
        expect(cell.q3).toBeCloseTo(quantile(ours.pooled, 0.75), 12);
        expect(cell.iqr).toBeCloseTo(quantile(ours.pooled, 0.75) - quantile(ours.pooled, 0.25), 12);
        expect(cell.perSeed.map((s) => s.seed)).toEqual([1, 2]);
        for (const [i, s] of cell.perSeed.entries()) expect(s.value).toBeCloseTo(ours.perSeed[i], 12);
        expect(cell.acrossSeeds.mean).toBeCloseTo((ours.perSeed[0] + ours.perSeed[1]) / 2, 12);
        console.log(`${statistic} ${loss}: ${cell.text} (pooled ${cell.pooledText})`);
      });
    }
  }, 180_000);
});
