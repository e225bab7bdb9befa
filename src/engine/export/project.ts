// "Take it further": one experiment (a run, a race or a sweep's runs) as a folder a researcher unzips and
// runs in PyTorch: the nnU-Net dataset, the Python project, each run's weights, the browser's first
// batches, experiment.json and a README with the exact commands. Pure: the caller gives the Python sources.
import { pytorchOptions } from './pytorch-support';
import type * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import { EngineError } from '../../domain/errors';
import type { LossId } from '../../domain/loss-option-types';
import { isLossId } from '../../domain/losses';
import { resolveLossOptions } from '../../domain/loss-options';
import { type NetworkKind, resolveSpec, type ResolvedSpec, sizeMultiple } from '../../domain/network-spec';
import { sampleBatch } from '../data/patches';
import type { NamedBytes } from '../io/exports';
import { createNetwork } from '../networks';
import { DATASET_DEFAULTS, type Dataset } from '../train/dataset';
import { TRAINER_DEFAULTS } from '../train/trainer';
import { nnunetDataset, safeName } from './nnunet';
import { onnxModel } from './onnx';
import { projectReadme } from './readme';
import { type ExportedSweep, exportedSweep } from './sweep-grid';
import { type AdamState, exportWeights } from './weights';

export interface ProjectRun {
  runId: string;
  label?: string;
  color?: string;
  loss: string;
  lossOptions: Record<string, unknown>;
  lr: number;
  steps: number;
  seed: number;
}

export interface ProjectParams {
  name: string;
  ds: Dataset;
  network: NetworkKind;
  runs: readonly ProjectRun[];
  /** The app's settings query (serializeSettings), so results import with the same settings. */
  query: string;
  /** Python sources by file name (python/*.py and friends), from disk or Vite's ?raw. */
  sources: Readonly<Record<string, string>>;
  /** Trained weights per run (null: the seed's initial weights), the step they were taken at, Adam's state. */
  trained?: readonly ({ model: tf.LayersModel; step: number; adam?: AdamState } | null)[];
  /** Browser batches written to batches.json (patch origins of steps 1..n; default 5). */
  replaySteps?: number;
  validateEvery?: number;
  /** The sweep statistic's window (sweep.json's lastK: median (IQR) of Dice over the last K steps); default a fifth of the steps. */
  lastK?: number;
  /** Names the exact versions in the README. */
  versions?: Record<string, string>;
  onProgress?: (fraction: number, what: string) => void;
}

export interface ExperimentJson {
  format: 'segmentation-loss-playground/experiment';
  version: 1;
  name: string;
  query: string;
  network: Omit<ResolvedSpec, 'seed'>;
  patch: Dataset['spec'];
  dataSeed: number;
  dataset: string;
  schedule: { readEvery: number; validateEvery: number; validationSlices: number; slab3d: number; sizeMultiple: number };
  runs: {
    runId: string;
    label: string;
    color: string;
    loss: LossId;
    lossOptions: Record<string, unknown>;
    lr: number;
    steps: number;
    seed: number;
  }[];
  /** The runs as an app sweep (sweep.py writes results/sweep.json from it); absent when they are not one. */
  sweep?: ExportedSweep;
}

/** Refuses what the Python side cannot run, with a sentence naming the part. */
function checkRuns(runs: readonly ProjectRun[], trained: ProjectParams['trained']): void {
  if (runs.length === 0)
    throw new EngineError('invalid-request', 'Nothing to export: the experiment has no runs (a sweep needs at least one).');
  if (trained && trained.length !== runs.length)
    throw new EngineError(
      'invalid-request',
      `Trained weights were given for ${trained.length} runs, the experiment has ${runs.length}.`,
    );
  const ids = new Set<string>();
  for (const r of runs) {
    if (!isLossId(r.loss))
      throw new EngineError('invalid-request', `Run '${r.runId}': the loss '${r.loss}' has no PyTorch version.`);
    const id = safeName(r.runId, '');
    if (!id || ids.has(id))
      throw new EngineError('invalid-request', `Run id '${r.runId}' does not make a unique, safe file name.`);
    ids.add(id);
  }
}

export function buildProject(p: ProjectParams): NamedBytes[] {
  checkRuns(p.runs, p.trained);
  const name = safeName(p.name);
  const progress = p.onProgress ?? (() => {});
  const dataset = `Dataset501_${name}`;
  const { ds } = p;
  const runs = p.runs.map((r) => ({
    runId: safeName(r.runId),
    label: r.label ?? r.loss,
    color: r.color ?? '#888888',
    loss: r.loss as LossId,
    lossOptions: pytorchOptions(
      r.loss as LossId,
      resolveLossOptions(r.loss as LossId, r.lossOptions) as unknown as Record<string, unknown>,
    ),
    lr: r.lr,
    steps: r.steps,
    seed: r.seed,
  }));
  const spec = resolveSpec({ kind: p.network, inChannels: ds.train[0].channels.length, numClasses: ds.numClasses });
  const { seed: _seed, ...network } = spec;
  const experiment: ExperimentJson = {
    format: 'segmentation-loss-playground/experiment',
    version: 1,
    name,
    query: p.query,
    network,
    patch: ds.spec,
    dataSeed: ds.seed,
    dataset: `nnUNet_raw/${dataset}`,
    schedule: {
      readEvery: TRAINER_DEFAULTS.readEvery,
      validateEvery: p.validateEvery ?? TRAINER_DEFAULTS.validateEvery,
      validationSlices: DATASET_DEFAULTS.validationSlices,
      slab3d: DATASET_DEFAULTS.slab3d,
      sizeMultiple: sizeMultiple(spec),
    },
    runs,
  };
  const grid = exportedSweep({
    name: p.name,
    ds,
    network: p.network,
    runs,
    lastK: p.lastK,
    fromTrained: (p.trained ?? []).some((t) => t !== null && t !== undefined),
  });
  if ('sweep' in grid) experiment.sweep = grid.sweep;
  const text = (s: string) => new TextEncoder().encode(s);
  const files: NamedBytes[] = [];
  progress(0.05, 'dataset');
  for (const f of nnunetDataset({ ds, name }).files) files.push({ name: `nnUNet_raw/${dataset}/${f.name}`, bytes: f.bytes });
  progress(0.6, 'weights');
  runs.forEach((r, i) => {
    const given = p.trained?.[i];
    const model = given?.model ?? createNetwork({ ...spec, seed: r.seed });
    try {
      const { index, bin } = exportWeights({ model, spec: { ...spec, seed: r.seed }, adam: given?.adam });
      files.push({ name: `weights/${r.runId}.json`, bytes: text(JSON.stringify({ ...index, step: given?.step ?? 0 })) });
      files.push({ name: `weights/${r.runId}.bin`, bytes: bin });
      // Written here, not traced by PyTorch: the zip carries a model for inference as it comes.
      files.push({ name: `onnx/${r.runId}.onnx`, bytes: onnxModel({ index, bin, producerVersion: `step ${given?.step ?? 0}` }) });
    } finally {
      if (!given) model.dispose();
    }
  });
  progress(0.8, 'batches');
  const replay = Math.max(0, p.replaySteps ?? 5);
  // Each run's batch stream is its seed (the engine's Trainer asks the source for stream = run seed).
  const streamOf = (seed: number) => {
    const steps: Record<string, { subject: number; origin: number[] }[]> = {};
    for (let step = 1; step <= replay; step++)
      steps[step] = sampleBatch({ subjects: ds.train, spec: ds.spec, seed, step }).patches.map((q) => ({
        subject: q.subject,
        origin: [...q.origin],
      }));
    return steps;
  };
  const streams = Object.fromEntries([...new Set(runs.map((r) => r.seed))].map((seed) => [String(seed), streamOf(seed)]));
  files.push({
    name: 'batches.json',
    bytes: text(
      JSON.stringify({
        note: "the browser's batches: patch origins (x, y, z) per step, per run seed (its batch stream)",
        streams,
      }),
    ),
  });
  files.push({ name: 'experiment.json', bytes: text(`${JSON.stringify(experiment, null, 1)}\n`) });
  for (const [file, source] of Object.entries(p.sources)) files.push({ name: file, bytes: text(source) });
  files.push({
    name: 'README.md',
    bytes: text(projectReadme({ experiment, versions: p.versions ?? {}, noSweep: 'reason' in grid ? grid.reason : undefined })),
  });
  progress(0.9, 'zip');
  return files.map((f) => ({ name: `${name}/${f.name}`, bytes: f.bytes }));
}

/** The files as one zip; .gz files are stored, not deflated again. */
export function zipProject(files: readonly NamedBytes[]): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const f of files) entries[f.name] = [f.bytes, { level: f.name.endsWith('.gz') ? 0 : 6 }];
  return zipSync(entries);
}
