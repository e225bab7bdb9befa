// The engine's one live session: the current dataset and the runs on it. Glue between the API and
// the parts (data, networks, losses, trainer); it holds no maths of its own.
import type * as tf from '@tensorflow/tfjs';
import type { ControlAction, DataRequest, DataSummary, Emit, RunRequest } from '../api';
import { SPATIAL_DIMS } from '../../domain/network-spec';
import { countParams, type NetworkKind, sizeMultiple } from '../networks';
import { EngineError } from '../../domain/errors';
import { captureTrainer, type RunCheckpoint, restoreTrainer } from './checkpoint';
import {
  buildDatasetWith,
  createDatasetSource,
  type Dataset,
  type DatasetSource,
  displayVolumes,
  phantomInputs,
} from './dataset';
import type { RunEmit } from './events';
import { cachedMaker, makePhantomsHere, type PhantomMaker } from '../data/phantom-maker';
import { buildRace, type TrainerSchedule } from './race';
import { Runner } from './runner';
import type { Trainer } from './trainer';

export interface SessionOptions {
  /** Trainer schedule overrides (tests and scripts use small values). */
  trainer?: TrainerSchedule;
  /** Copies a loaded checkpoint's weights into a fresh model (RunRequest.init); absent: warm starts are refused. */
  warmStart?: (checkpointId: string, model: tf.LayersModel) => void;
  /** Where phantoms are made (the page spreads them over helper threads); absent: here, one by one. */
  makePhantoms?: PhantomMaker;
}

export class Session {
  private dataset: Dataset | null = null;
  private source: DatasetSource | null = null;
  private runner: Runner | null = null;
  private snapshotZ: number | null = null;
  private readonly makePhantoms: PhantomMaker;

  constructor(
    private readonly emit: Emit,
    private readonly options: SessionOptions = {},
  ) {
    this.makePhantoms = cachedMaker(options.makePhantoms ?? makePhantomsHere);
  }

  /** Starts making the phantoms of `req` (while the backend starts); prepareData with it then waits for them. */
  prefetch(req: DataRequest): void {
    this.makePhantoms(phantomInputs(req)).catch(() => undefined); // prepareData reports a failure itself
  }

  async prepareData(req: DataRequest): Promise<DataSummary> {
    const t0 = performance.now();
    await this.disposeRuns();
    return this.adoptDataset(await buildDatasetWith(req, this.makePhantoms), t0);
  }

  /** Adopts a dataset built elsewhere (user volumes); replaces any previous data and runs. */
  async adoptDataset(ds: Dataset, t0 = performance.now()): Promise<DataSummary> {
    await this.disposeRuns();
    this.dataset = ds;
    this.source = null;
    return {
      display: displayVolumes(ds),
      achievedFraction: ds.achievedFraction,
      patchImbalance: ds.patchImbalance,
      patch: typeof ds.spec.size === 'number' ? ds.spec.size : ds.spec.size[0],
      subjects: { train: ds.train.length, validation: ds.validation.length },
      numClasses: ds.numClasses,
      ...(ds.classValues ? { classValues: [...ds.classValues] } : {}),
      ...(ds.baseline ? { baseline: { ...ds.baseline } } : {}),
      ms: performance.now() - t0,
    };
  }

  async createRuns(runs: RunRequest[]): Promise<{ runIds: string[]; params: Record<string, number> }> {
    const ds = this.dataset;
    if (!ds) throw new EngineError('no-data', 'no data yet: prepare data before creating runs');
    if (runs.length === 0) throw new EngineError('invalid-request', 'no runs requested');
    await this.disposeRuns();
    const kinds = new Set(runs.map((r) => r.network));
    if (kinds.size > 1) throw new EngineError('invalid-request', 'runs of one race must share the network');
    const kind = runs[0].network as NetworkKind;
    if (!(kind in SPATIAL_DIMS)) throw new EngineError('invalid-request', `unknown network '${kind}'`);
    if (SPATIAL_DIMS[kind] !== ds.spec.dims)
      throw new EngineError('invalid-request', `${kind} needs ${SPATIAL_DIMS[kind]}D patches; prepare the data for it`);
    const multiple = sizeMultiple({ kind });
    const side = typeof ds.spec.size === 'number' ? ds.spec.size : ds.spec.size[0];
    if (side % multiple !== 0)
      throw new EngineError('invalid-request', `patch ${side} must be a multiple of ${multiple} for ${kind}`);
    const source = createDatasetSource(ds, multiple);
    if (this.snapshotZ !== null) source.setSnapshotSlice(this.snapshotZ);
    const { trainers, problems } = buildRace({
      network: kind,
      inChannels: ds.train[0].channels.length,
      numClasses: ds.numClasses,
      source,
      // Run events are a subset of the engine's events.
      emit: this.emit as RunEmit,
      runs,
      trainer: this.options.trainer,
      initModel: (i, model) => {
        const init = runs[i].init;
        if (!init) return;
        if (!this.options.warmStart) throw new EngineError('unsupported', 'warm starts from checkpoints are not available here');
        this.options.warmStart(init, model);
      },
    });
    // Continuing from checkpoints (reload, lost device): weights, optimizer state and step come back.
    try {
      for (const [i, r] of runs.entries()) if (r.resume) await restoreTrainer(trainers[i], r.resume);
    } catch (err) {
      for (const t of trainers) t.dispose();
      throw err;
    }
    const params = Object.fromEntries(trainers.map((t) => [t.runId, countParams(t.model)]));
    this.source = source;
    this.runner = new Runner(trainers);
    for (const [i, t] of trainers.entries()) {
      const why = problems[i];
      if (why) t.setStatus('error', `cannot train on ${ds.numClasses} classes: ${why}`, undefined, 'unsupported');
      else t.setStatus('idle');
    }
    return { runIds: runs.map((r) => r.runId), params };
  }

  async control(action: ControlAction): Promise<{ playing: boolean }> {
    const runner = this.runner;
    if (!runner) {
      if (action === 'stop' || action === 'pause') return { playing: false };
      throw new EngineError('no-runs', 'no runs: create runs first');
    }
    if (action === 'play') runner.play();
    else if (action === 'pause') await runner.pause();
    else if (action === 'step') await runner.stepOnce();
    else await runner.stop();
    return { playing: runner.isPlaying };
  }

  setLearningRate(lr: number, runId?: string): void {
    if (!(lr > 0 && lr <= 1)) throw new EngineError('invalid-request', `learning rate must be in (0, 1], got ${lr}`);
    for (const t of this.runner?.trainers ?? []) if (!runId || t.runId === runId) t.setLearningRate(lr);
  }

  /** Moves snapshots to axial slice z and snapshots every run there now. */
  async setSnapshotSlice(z: number): Promise<void> {
    this.snapshotZ = z;
    if (!this.source || !this.runner) return;
    this.source.setSnapshotSlice(z);
    for (const t of this.runner.trainers) if (t.step > 0) await t.snapshot();
  }

  /** Every run's weights, optimizer state and step, read between rounds so they agree. */
  async checkpoint(): Promise<RunCheckpoint[]> {
    const runner = this.runner;
    if (!runner) return [];
    return runner.between(async () => {
      const out: RunCheckpoint[] = [];
      for (const t of runner.trainers) {
        await t.sync();
        out.push(await captureTrainer(t));
      }
      return out;
    });
  }

  /** The current dataset (exports read its display subject). */
  get data(): Dataset | null {
    return this.dataset;
  }

  /** A run's model (exports and inference), or null. */
  modelOf(runId: string): tf.LayersModel | null {
    return this.runner?.trainers.find((t) => t.runId === runId)?.model ?? null;
  }

  /** Runs fn between training rounds, so the weights it reads do not change under it. */
  betweenSteps<T>(fn: () => Promise<T>): Promise<T> {
    return this.runner ? this.runner.between(fn) : fn();
  }

  /** Resolves when the runs stop stepping (tests and scripts). */
  whenIdle(): Promise<void> {
    return this.runner?.whenIdle() ?? Promise.resolve();
  }

  get trainers(): readonly Trainer[] {
    return this.runner?.trainers ?? [];
  }

  async disposeRuns(): Promise<void> {
    if (this.runner) {
      await this.runner.stop();
      for (const t of this.runner.trainers) t.dispose();
    }
    this.runner = null;
  }
}
