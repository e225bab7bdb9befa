// Headless training: the page's engine (phantom data, network, loss, trainer) in Node, printing the
// curve summary; optionally saves the model as a checkpoint and records it in models/index.json.
// Usage: npm run train -- --network unet2d --loss gdl --lr 1e-3 --steps 600 --seed 1
//          [--size 128 --lesion tumour --fraction 0.005 --noise 0.05 --difficulty realistic --patch M --batch 3]
//          [--backend wasm] [--every 50] [--window 50] [--option epsilon=1e-5]
//          [--init models/unet2d/model.json] [--save models/unet2d --id unet2d]
import { formatMetric, METRIC_IDS, METRICS } from '../src/domain/metrics';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { EngineEvents } from '../src/engine/api';
import { type CheckpointEntry, type CheckpointManifest, parseManifest } from '../src/engine/io/manifest';
import { CheckpointStore, saveModelFiles } from '../src/engine/io/model-io';
import { windowStats } from '../src/domain/summary';
import { countParams } from '../src/engine/networks';
import { selectBackend } from '../src/engine/backend/backend';
import type { StepPoint } from '../src/engine/train/events';
import { Session } from '../src/engine/train/session';
import { DEFAULT_DIFFICULTY, DIFFICULTY_IDS, isDifficulty } from '../src/domain/difficulty';
import { phantomShape } from '../src/domain/phantom';
import { DEFAULT_SETTINGS, patchAndBatch, type Settings } from '../src/state/settings';

/** Metrics printed per validation row (Dice is already there). */
const CLI_METRICS = METRIC_IDS.filter((id) => id !== 'dice');
const cellWidth = (id: (typeof METRIC_IDS)[number]) => Math.max(METRICS[id].short.length, 7) + 1;

const MANIFEST = 'models/index.json';

function parseArgs(argv: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}' (options look like --name value)`);
    const value = argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
    out.set(a.slice(2), [...(out.get(a.slice(2)) ?? []), value]);
  }
  return out;
}

const KNOWN =
  'network loss lr steps seed size lesion fraction noise difficulty patch batch backend every window option init save id manifest help'.split(
    ' ',
  );

function number(args: Map<string, string[]>, key: string, fallback: number): number {
  const raw = args.get(key)?.at(-1);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new Error(`--${key} must be a number, got '${raw}'`);
  return v;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) {
    // The usage is this file's header comment.
    const head = readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('//'));
    console.log(head.map((l) => l.slice(3)).join('\n'));
    return;
  }
  const unknown = [...args.keys()].filter((k) => !KNOWN.includes(k));
  if (unknown.length) throw new Error(`unknown option(s) ${unknown.map((k) => `--${k}`).join(', ')}; known: ${KNOWN.join(', ')}`);
  const str = (k: string, d: string) => args.get(k)?.at(-1) ?? d;
  const patchArg = str('patch', String(DEFAULT_SETTINGS.patch));
  const s: Settings = {
    ...DEFAULT_SETTINGS,
    network: str('network', DEFAULT_SETTINGS.network) as Settings['network'],
    loss: str('loss', DEFAULT_SETTINGS.loss) as Settings['loss'],
    lr: number(args, 'lr', DEFAULT_SETTINGS.lr),
    steps: number(args, 'steps', DEFAULT_SETTINGS.steps),
    seed: number(args, 'seed', DEFAULT_SETTINGS.seed),
    size: number(args, 'size', DEFAULT_SETTINGS.size),
    lesion: str('lesion', DEFAULT_SETTINGS.lesion) as Settings['lesion'],
    fraction: number(args, 'fraction', DEFAULT_SETTINGS.fraction),
    noise: number(args, 'noise', DEFAULT_SETTINGS.noise),
    patch: /^[SML]$/.test(patchArg) ? (patchArg as 'S' | 'M' | 'L') : number(args, 'patch', 64),
  };
  const { patch, batch: presetBatch } = patchAndBatch(s);
  const batch = number(args, 'batch', args.has('patch') && !/^[SML]$/.test(patchArg) ? DEFAULT_SETTINGS.batch : presetBatch);
  const lossOptions = Object.fromEntries(
    (args.get('option') ?? []).map((o) => {
      const [k, v] = o.split('=');
      const n = Number(v);
      return [k, v === 'true' ? true : v === 'false' ? false : Number.isFinite(n) ? n : v];
    }),
  );
  const difficulty = str('difficulty', DEFAULT_DIFFICULTY);
  if (!isDifficulty(difficulty)) throw new Error(`--difficulty must be one of ${DIFFICULTY_IDS.join(', ')}, got '${difficulty}'`);
  const every = number(args, 'every', 50);
  const window = number(args, 'window', 50);
  const shape = phantomShape(s.size);

  const backend = await selectBackend({ requested: str('backend', 'wasm') as Settings['backend'] });
  const points: StepPoint[] = [];
  const validation: EngineEvents['validation'][] = [];
  // The challenge metrics after val Dice, each under its short header.
  const metricCells = (m: EngineEvents['validation']['metrics']) =>
    CLI_METRICS.map((id) => formatMetric(id, m?.[id]).padStart(cellWidth(id))).join('');
  let status: EngineEvents['status'] | null = null;
  // One row per validation (every `every` steps and at the end): the step's loss, the window's train Dice.
  const emit = <K extends keyof EngineEvents>(name: K, payload: EngineEvents[K]) => {
    if (name === 'steps') points.push(...(payload as EngineEvents['steps']).points);
    else if (name === 'status') status = payload as EngineEvents['status'];
    else if (name === 'validation') {
      const v = payload as EngineEvents['validation'];
      validation.push(v);
      const upTo = points.filter((p) => p.step <= v.step);
      const last = upTo.at(-1);
      const w = windowStats({ values: upTo.map((p) => p.trainDice), window });
      console.log(
        `${String(v.step).padStart(6)}  ${(last?.loss ?? Number.NaN).toFixed(4).padStart(8)}  ${`${w.median.toFixed(2)} (${w.iqr.toFixed(2)})`.padEnd(20)}  ${v.dice.toFixed(3).padEnd(8)}  ${(last?.msPerStep ?? Number.NaN).toFixed(1).padStart(7)} ${metricCells(v.metrics)}`,
      );
    }
  };
  const store = new CheckpointStore();
  const session = new Session(emit, {
    trainer: { validateEvery: every, snapshotEvery: 0, readEvery: every % 5 === 0 ? 5 : 1 },
    warmStart: (id, model) => store.applyTo(id, model),
  });
  const init = args.get('init')?.at(-1);
  if (init) {
    const json = readFileSync(init, 'utf8');
    const weightsPath = join(dirname(init), JSON.parse(json).weightsManifest[0].paths[0]);
    await store.load({ id: 'init', modelJson: json, weights: readFileSync(weightsPath) });
  }

  console.log(
    `train: ${s.network}, ${s.loss}${Object.keys(lossOptions).length ? ` ${JSON.stringify(lossOptions)}` : ''}, lr ${s.lr}, ${s.steps} steps, seed ${s.seed}${init ? `, from ${init}` : ''} | phantom ${shape.join('x')} ${difficulty} ${s.lesion} ${(s.fraction * 100).toFixed(3)}% noise ${s.noise} | patch ${patch} batch ${batch} | backend ${backend.active}`,
  );
  const t0 = performance.now();
  const data = await session.prepareData({
    seed: s.seed,
    lesion: s.lesion,
    fraction: s.fraction,
    noise: s.noise,
    difficulty,
    patch,
    batch,
    network: s.network,
    shape,
  });
  console.log(
    `data: ${data.subjects.train} train + ${data.subjects.validation} validation subjects, achieved ${(data.achievedFraction * 100).toFixed(3)}%, patch ${data.patch}, patch imbalance ${data.patchImbalance.toFixed(4)} (${data.ms.toFixed(0)} ms)`,
  );
  const b = data.baseline;
  console.log(
    `baseline: best single threshold ${b ? `${b.modality} ${b.direction === 'bright' ? '>=' : '<'} ${b.threshold.toFixed(3)}, validation Dice ${b.dice.toFixed(4)}` : 'n/a'}`,
  );
  const runId = `${s.network}-${s.loss}-${s.seed}`;
  const { params } = await session.createRuns([
    {
      runId,
      loss: s.loss,
      lossOptions,
      lr: s.lr,
      network: s.network,
      steps: s.steps,
      seed: s.seed,
      ...(init ? { init: 'init' } : {}),
    },
  ]);
  console.log(`model: ${params[runId].toLocaleString('en-US')} parameters`);
  console.log(
    `${'step'.padStart(6)}  ${'loss'.padStart(8)}  ${`train Dice (last ${window})`.padEnd(20)}  val Dice  ms/step ${CLI_METRICS.map((id) => METRICS[id].short.padStart(cellWidth(id))).join('')}`,
  );
  const tTrain = performance.now();
  await session.control('play');
  await session.whenIdle();
  const seconds = (performance.now() - tTrain) / 1000;
  const final = status as EngineEvents['status'] | null;
  const w = windowStats({ values: points.map((p) => p.trainDice), window });
  const v = validation.at(-1);
  const msPerStep = (seconds * 1000) / Math.max(1, points.length);
  if (v?.metrics)
    console.log(`validation: ${METRIC_IDS.map((id) => `${METRICS[id].label} ${formatMetric(id, v.metrics?.[id])}`).join(', ')}`);
  console.log(
    `result: ${final?.status ?? '?'} at step ${final?.step ?? points.length}${final?.message ? ` (${final.message})` : ''}; validation Dice ${v ? v.dice.toFixed(4) : 'n/a'}; train Dice median (IQR) over the last ${window} steps ${w.median.toFixed(2)} (${w.iqr.toFixed(2)}); ${seconds.toFixed(1)} s training, ${msPerStep.toFixed(1)} ms/step, ${((performance.now() - t0) / 1000).toFixed(1)} s in all`,
  );

  const saveDir = args.get('save')?.at(-1);
  if (saveDir) {
    const model = session.modelOf(runId)!;
    const files = await saveModelFiles({
      model,
      weightsName: 'weights.bin',
      metadata: { network: s.network, modalities: data.display.modalities },
    });
    mkdirSync(saveDir, { recursive: true });
    writeFileSync(join(saveDir, 'model.json'), `${files.modelJson}\n`);
    writeFileSync(join(saveDir, 'weights.bin'), files.weights);
    const bytes = files.weights.byteLength + files.modelJson.length + 1;
    console.log(`saved ${join(saveDir, 'model.json')} + weights.bin (${(bytes / 1024).toFixed(1)} KB)`);
    const id = args.get('id')?.at(-1);
    if (id) {
      if (!v || final?.status !== 'done')
        throw new Error('not recording a checkpoint whose run did not finish with a validation Dice');
      const manifestPath = args.get('manifest')?.at(-1) ?? MANIFEST;
      let manifest: CheckpointManifest = { version: 1, checkpoints: [] };
      try {
        manifest = parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8')));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const rel = (f: string) => relative(dirname(manifestPath), join(saveDir, f)).split('\\').join('/');
      const entry: CheckpointEntry = {
        id,
        network: s.network,
        modelJson: rel('model.json'),
        weights: rel('weights.bin'),
        bytes,
        params: countParams(model),
        inChannels: data.display.modalities.length,
        modalities: data.display.modalities,
        command: `npm run train -- ${process.argv.slice(2).join(' ')}`,
        settings: {
          size: s.size,
          shape: shape.join('x'),
          lesion: s.lesion,
          fraction: s.fraction,
          noise: s.noise,
          difficulty,
          patch: data.patch,
          batch,
          loss: s.loss,
          lr: s.lr,
          steps: s.steps,
          ...lossOptions,
        },
        seed: s.seed,
        validationDice: Number(v.dice.toFixed(6)),
        trainDice: { median: Number(w.median.toFixed(4)), iqr: Number(w.iqr.toFixed(4)), window },
        backend: backend.active,
        msPerStep: Number(msPerStep.toFixed(1)),
      };
      manifest.checkpoints = [...manifest.checkpoints.filter((c) => c.id !== id), entry];
      writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
      console.log(`recorded '${id}' in ${manifestPath}`);
    }
  }
  await session.disposeRuns();
  store.dispose();
}

main().catch((err) => {
  console.error(`train: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
