// "Take it further" from the command line: a seeded phantom experiment (one run or a race of losses) as a
// zip that trains unchanged in PyTorch (nnU-Net dataset, Python project, weights, README inside).
// Usage: npm run export -- --losses gdl,wce --network unet2d [--lr 1e-3 --steps 600 --seed 1]
//          [--size 64 --lesion tumour --fraction 0.01 --noise 0.05 --patch 32 --batch 4]
//          [--train-subjects 2 --validation-subjects 1] [--option epsilon=1e-5]
//          [--checkpoint models/unet2d/model.json --checkpoint-step 600] [--name my-run] [--out export.zip]
//        A sweep: --lrs 1e-3,1e-4 --seeds 1,2,3 expands losses x lrs x seeds (sweep.py spreads it over the GPUs
//          and writes results/sweep.json for the Sweeps view; --last K: its statistic's window, default steps / 5).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { phantomShape } from '../src/domain/phantom';
import type { NetworkKind } from '../src/domain/network-spec';
import { isLossId, optionsFor } from '../src/engine/losses';
import { buildProject, type ExperimentJson, type ProjectRun, zipProject } from '../src/engine/export/project';
import { PYTHON_FILES } from '../src/engine/export/readme';
import { CheckpointStore } from '../src/engine/io/model-io';
import type { NamedBytes } from '../src/engine/io/exports';
import { createNetwork } from '../src/engine/networks';
import { buildDataset, type Dataset } from '../src/engine/train/dataset';
import { runColor } from '../src/state/run-colors';
import { DEFAULT_SETTINGS, type Settings, serializeSettings } from '../src/state/settings';

const PYTHON_DIR = fileURLToPath(new URL('../src/engine/export/python/', import.meta.url));

const KNOWN = new Set(
  'losses loss network lr lrs seeds steps seed size lesion fraction noise patch batch train-subjects validation-subjects option checkpoint checkpoint-step replay last name out help'.split(
    ' ',
  ),
);

/** The Python project's files as shipped, read from src/engine/export/python. */
export function pythonSources(): Record<string, string> {
  return Object.fromEntries(PYTHON_FILES.map((f) => [f, readFileSync(join(PYTHON_DIR, f), 'utf8')]));
}

function parseArgs(argv: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}' (options look like --name value)`);
    const key = a.slice(2);
    if (!KNOWN.has(key)) throw new Error(`unknown option --${key}; known: ${[...KNOWN].map((k) => `--${k}`).join(' ')}`);
    const value = argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

function versions(): Record<string, string> {
  const out: Record<string, string> = { '@tensorflow/tfjs': tf.version.tfjs };
  try {
    const v = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        'import sys, torch, nibabel, numpy; print(sys.version.split()[0], torch.__version__, nibabel.__version__, numpy.__version__)',
      ],
      { encoding: 'utf8' },
    );
    const [python, torch, nibabel, numpy] = v.trim().split(' ');
    Object.assign(out, { python, torch, nibabel, numpy });
  } catch {
    // No local torch: the README says the versions were not checked here.
  }
  return out;
}

/** Builds the export's files from command-line arguments (the test calls this without a process). */
export async function exportFromArgs(
  argv: string[],
): Promise<{ files: NamedBytes[]; out: string; ds: Dataset; runs: ProjectRun[]; network: NetworkKind }> {
  const args = parseArgs(argv);
  const str = (k: string, d: string) => args.get(k)?.at(-1) ?? d;
  const num = (k: string, d: number) => {
    const raw = args.get(k)?.at(-1);
    if (raw === undefined) return d;
    const v = Number(raw);
    if (!Number.isFinite(v)) throw new Error(`--${k} must be a number, got '${raw}'`);
    return v;
  };
  const num2 = (k: string, raw: string) => {
    const v = Number(raw);
    if (!Number.isFinite(v)) throw new Error(`--${k} must be numbers, got '${raw}'`);
    return v;
  };
  const positiveInt = (k: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a whole number of steps >= 1, got '${v}'`);
    return v;
  };
  const losses = str('losses', str('loss', 'gdl')).split(',').filter(Boolean);
  for (const l of losses) if (!isLossId(l)) throw new Error(`--losses: unknown loss '${l}'`);
  const network = str('network', 'unet2d') as NetworkKind;
  const seed = num('seed', 1);
  const size = num('size', 64);
  const options = Object.fromEntries(
    (args.get('option') ?? []).map((o) => {
      const [k, v] = o.split('=');
      const n = Number(v);
      return [k, v === 'true' ? true : v === 'false' ? false : Number.isFinite(n) ? n : v];
    }),
  );
  const s: Settings = {
    ...DEFAULT_SETTINGS,
    losses: losses as Settings['losses'],
    loss: losses[0] as Settings['loss'],
    network,
    lr: num('lr', DEFAULT_SETTINGS.lr),
    steps: num('steps', DEFAULT_SETTINGS.steps),
    seed,
    lesion: str('lesion', DEFAULT_SETTINGS.lesion) as Settings['lesion'],
    fraction: num('fraction', DEFAULT_SETTINGS.fraction),
    noise: num('noise', DEFAULT_SETTINGS.noise),
    lossOptions: Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)])),
  };
  const ds = buildDataset({
    seed,
    lesion: s.lesion,
    fraction: s.fraction,
    noise: s.noise,
    patch: num('patch', 32),
    batch: num('batch', 4),
    network,
    shape: phantomShape(size),
    trainSubjects: num('train-subjects', 2),
    validationSubjects: num('validation-subjects', 1),
  });
  const list = (k: string, d: number) => (args.get(k)?.at(-1)?.split(',') ?? [String(d)]).map((v) => num2(k, v));
  const lrs = list('lrs', s.lr);
  const seeds = list('seeds', seed);
  const grid = lrs.length > 1 || seeds.length > 1;
  // A race is one run per loss; a sweep is the grid of losses x learning rates x seeds.
  const runs: ProjectRun[] = losses.flatMap((loss) =>
    lrs.flatMap((lr) =>
      seeds.map((sd) => ({
        runId: grid ? `${loss}-lr${lr}-seed${sd}` : `${loss}-${sd}`,
        label: grid ? `${loss} lr ${lr} seed ${sd}` : loss,
        color: runColor(loss),
        loss,
        lossOptions: optionsFor(loss as Settings['loss'], options),
        lr,
        steps: s.steps,
        seed: sd,
      })),
    ),
  );
  let trained: { model: tf.LayersModel; step: number }[] | undefined;
  const checkpoint = args.get('checkpoint')?.at(-1);
  if (checkpoint) {
    const store = new CheckpointStore();
    const json = readFileSync(checkpoint, 'utf8');
    const weights = readFileSync(join(dirname(checkpoint), JSON.parse(json).weightsManifest[0].paths[0]));
    await store.load({ id: 'checkpoint', modelJson: json, weights });
    trained = runs.map((r) => {
      const model = createNetwork({
        kind: network,
        inChannels: ds.train[0].channels.length,
        numClasses: ds.numClasses,
        seed: r.seed,
      });
      store.applyTo('checkpoint', model);
      return { model, step: num('checkpoint-step', 0) };
    });
  }
  const name = str('name', `${network}-${losses.join('-')}-seed${seed}`);
  const files = buildProject({
    name,
    ds,
    network,
    runs,
    query: serializeSettings(s),
    sources: pythonSources(),
    trained,
    replaySteps: num('replay', 5),
    ...(args.has('last') ? { lastK: positiveInt('last', num('last', 0)) } : {}),
    versions: versions(),
  });
  for (const t of trained ?? []) t.model.dispose();
  return { files, out: str('out', `${files[0].name.split('/')[0]}.zip`), ds, runs, network };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    const head = readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('//'));
    console.log(head.map((l) => l.slice(3)).join('\n'));
    return;
  }
  await tf.setBackend('cpu');
  const { files, out } = await exportFromArgs(argv);
  const zip = zipProject(files);
  writeFileSync(out, zip);
  const folder = files[0].name.split('/')[0];
  console.log(`wrote ${out} (${(zip.length / 2 ** 20).toFixed(2)} MiB, ${files.length} files)`);
  const experiment = JSON.parse(
    new TextDecoder().decode(files.find((f) => f.name.endsWith('/experiment.json'))!.bytes),
  ) as ExperimentJson;
  if (experiment.sweep)
    console.log(
      `a sweep of the app: sweep.py also writes results/sweep.json (Sweeps -> Import), Dice over the last ${experiment.sweep.spec.lastK} steps`,
    );
  console.log(
    `next: unzip ${out} && cd ${folder} && python3 train.py --data ${files.find((f) => f.name.endsWith('dataset.json'))!.name.slice(folder.length + 1, -'/dataset.json'.length)}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
