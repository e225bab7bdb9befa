// The export end to end: `npm run export`'s files unzip into a project whose train.py, run on CPU for 5
// steps from the exported weights, gives the engine Trainer's step-1 loss within 1e-4 on the same batch
// (batches.json replays the browser's patch origins), and whose results import with parseHistoryJson.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { sizeMultiple } from '../src/domain/network-spec';
import { buildProject, zipProject } from '../src/engine/export/project';
import { requireTorch, runPython, skipWithoutTorch, tempDir } from '../src/engine/export/testing/python';
import type { StepPoint } from '../src/engine/train/events';
import { createDatasetSource } from '../src/engine/train/dataset';
import { buildRace } from '../src/engine/train/race';
import { parseHistoryJson } from '../src/state/persist/history-json';
import { curvesCsv } from '../src/ui/io/curves';
import { exportFromArgs, pythonSources } from './export';

/** The engine's own Trainer for `steps` steps: every loss recorded per run. */
async function engineLosses(p: Awaited<ReturnType<typeof exportFromArgs>>, steps: number): Promise<Map<string, StepPoint[]>> {
  const out = new Map<string, StepPoint[]>();
  const source = createDatasetSource(p.ds, sizeMultiple({ kind: p.network }));
  const race = buildRace({
    network: p.network,
    inChannels: p.ds.train[0].channels.length,
    numClasses: p.ds.numClasses,
    source,
    emit: (name, payload) => {
      if (name !== 'steps') return;
      const e = payload as { runId: string; points: StepPoint[] };
      out.set(e.runId, [...(out.get(e.runId) ?? []), ...e.points]);
    },
    runs: p.runs.map((r) => ({ ...r, steps })),
    trainer: { readEvery: 1, validateEvery: 0, snapshotEvery: 0 },
  });
  for (let s = 0; s < steps; s++) for (const t of race.trainers) await t.advance();
  for (const t of race.trainers) t.dispose();
  return out;
}

function unpack(files: { name: string; bytes: Uint8Array }[]): string {
  const dir = tempDir('export-project');
  for (const [name, bytes] of Object.entries(unzipSync(zipProject(files)))) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  return join(dir, files[0].name.split('/')[0]);
}

describe('export refusals', () => {
  it('refuses zero runs and a loss without a PyTorch version, naming the part', async () => {
    const p = await exportFromArgs(['--losses', 'gdl', '--size', '24', '--patch', '16', '--batch', '1', '--steps', '5']);
    const base = { name: 'x', ds: p.ds, network: p.network, query: '', sources: {} };
    expect(() => buildProject({ ...base, runs: [] })).toThrow(/no runs/);
    expect(() => buildProject({ ...base, runs: [{ ...p.runs[0], loss: 'hinge' }] })).toThrow(
      /the loss 'hinge' has no PyTorch version/,
    );
    expect(() => buildProject({ ...base, runs: [p.runs[0], p.runs[0]] })).toThrow(/unique, safe file name/);
    await expect(exportFromArgs(['--losses', 'gdl,nope'])).rejects.toThrow(/unknown loss 'nope'/);
  });

  it('--last K is the sweep file’s window; a grid the Sweeps view cannot hold has none', async () => {
    const sweepOf = async (argv: string[]) => {
      const p = await exportFromArgs(['--losses', 'gdl,dice', '--patch', '16', '--batch', '1', '--steps', '10', ...argv]);
      const json = p.files.find((f) => f.name.endsWith('/experiment.json'))!.bytes;
      return JSON.parse(new TextDecoder().decode(json)).sweep;
    };
    expect((await sweepOf(['--size', '32', '--seeds', '1,2', '--last', '3'])).spec).toMatchObject({ seeds: 2, lastK: 3 });
    expect(await sweepOf(['--size', '24', '--seeds', '1,2'])).toBeUndefined(); // a sweep's phantom is 32 or more
    await expect(exportFromArgs(['--losses', 'gdl', '--last', '0'])).rejects.toThrow(/--last must be a whole number/);
  });

  it('every path is OS-safe and the zip holds what was built', async () => {
    const p = await exportFromArgs(['--losses', 'gdl', '--size', '24', '--patch', '16', '--batch', '1', '--name', 'a:b/c?*']);
    const names = Object.keys(unzipSync(zipProject(p.files)));
    expect(names).toEqual(p.files.map((f) => f.name));
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_./-]+$/);
    expect(names[0].startsWith('a_b_c/')).toBe(true);
    expect(Object.keys(pythonSources())).toContain('train.py');
  });
});

const skip = skipWithoutTorch('scripts/export.test');

describe.skipIf(skip)('train.py on an exported tiny phantom', () => {
  beforeAll(async () => {
    requireTorch();
    await tf.setBackend('cpu');
  });

  for (const network of ['unet2d', 'highres3d']) {
    it(`${network}: step-1 loss equals the engine's within 1e-4; results import back`, async () => {
      const patch = network === 'unet2d' ? '16' : '8';
      const p = await exportFromArgs([
        '--losses',
        'gdl,wce,ss',
        '--network',
        network,
        '--size',
        '24',
        '--patch',
        patch,
        '--batch',
        '2',
        '--steps',
        '5',
        '--name',
        `${network} test`,
        // Two replicates in 2D: each seed is its own batch stream, replayed from batches.json per seed.
        ...(network === 'unet2d' ? ['--seeds', '3,4'] : []),
      ]);
      const dir = unpack(p.files);
      const data = JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8')).dataset;
      const stdout = runPython({
        script: join(dir, 'train.py'),
        args: ['--data', data, '--device', 'cpu', '--out', 'results/history.json'],
        cwd: dir,
        timeoutMs: 240_000,
      });
      expect(stdout).toContain('wrote results/history.json and results/history.csv');
      const text = readFileSync(join(dir, 'results/history.json'), 'utf8');
      const imported = parseHistoryJson(text);
      if (!imported.ok) throw new Error(imported.message);
      expect(imported.notices).toEqual([]);
      const runs = imported.experiments[0].runs;
      // The CSV is the app's curves CSV of the same runs (numbers compared as numbers: 1e-07 vs 1e-7).
      const cells = (csv: string) =>
        csv
          .trim()
          .split('\n')
          .map((l) => l.split(',').map((c) => (c !== '' && Number.isFinite(Number(c)) ? Number(c) : c)));
      expect(cells(readFileSync(join(dir, 'results/history.csv'), 'utf8'))).toEqual(cells(curvesCsv(runs)));
      // Run ids as the export wrote them (file-safe: 'gdl-lr0.001-seed3' -> 'gdl-lr0_001-seed3'), in the same order.
      const exported = JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8')).runs as { runId: string }[];
      expect(runs.map((r) => r.id)).toEqual(exported.map((r) => r.runId));
      expect(runs).toHaveLength(p.runs.length);
      if (network === 'unet2d') expect(new Set(p.runs.map((r) => r.seed))).toEqual(new Set([3, 4]));
      const engine = await engineLosses(p, 5);
      const diffs = runs.map((r, i) => {
        const ours = engine.get(p.runs[i].runId)!;
        expect(r.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);
        expect(['done', 'collapsed']).toContain(r.status);
        return r.steps.map((s, k) => Math.abs(s.loss - ours[k].loss));
      });
      console.log(
        `${network}: |torch - engine| loss per step (${runs.map((r) => r.id).join(', ')}): ${diffs.map((d) => d.map((v) => v.toExponential(1)).join(' ')).join(' | ')}`,
      );
      for (const d of diffs) expect(d[0]).toBeLessThan(1e-4);
    }, 300_000);
  }

  it('a sweep export: sweep.py runs the grid (CPU here, one process per GPU there) and the merged file imports', async () => {
    const p = await exportFromArgs([
      '--losses',
      'gdl,dice',
      '--lrs',
      '1e-3,1e-2',
      '--size',
      '24',
      '--patch',
      '16',
      '--batch',
      '1',
      '--steps',
      '2',
      '--name',
      'sweep test',
    ]);
    const dir = unpack(p.files);
    const data = JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8')).dataset;
    runPython({
      script: join(dir, 'sweep.py'),
      args: ['--data', data, '--out', 'elsewhere/history.json'],
      cwd: dir,
      timeoutMs: 240_000,
    });
    // Everything goes beside --out: the workers' parts too.
    expect(existsSync(join(dir, 'results'))).toBe(false);
    expect(readdirSync(join(dir, 'elsewhere/parts')).sort()).toEqual(['cpu.csv', 'cpu.json']);
    const imported = parseHistoryJson(readFileSync(join(dir, 'elsewhere/history.json'), 'utf8'));
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.experiments[0].runs.map((r) => r.id)).toEqual([
      'gdl-lr0_001-seed1',
      'gdl-lr0_01-seed1',
      'dice-lr0_001-seed1',
      'dice-lr0_01-seed1',
    ]);
    expect(imported.experiments[0].runs.map((r) => r.config.lr)).toEqual([1e-3, 1e-2, 1e-3, 1e-2]);
    const slurm = runPython({
      script: join(dir, 'sweep.py'),
      args: ['--data', data, '--slurm', '--out', 'cluster/h.json'],
      cwd: dir,
    });
    expect(slurm).toContain('#SBATCH --array=0-3');
    // SLURM opens its log before the job runs: the folder is made when the script is written.
    expect(slurm).toContain('#SBATCH --output=cluster/slurm-%A_%a.log');
    expect(existsSync(join(dir, 'cluster'))).toBe(true);
    expect(slurm).toContain('--out cluster/run-$SLURM_ARRAY_TASK_ID.json');
    expect(slurm).toContain('python3 sweep.py --merge cluster/ --out cluster/h.json');
  }, 300_000);
});
