// One training run: the model, a batch source and a loss, advanced one step at a time. The trainer
// doesn't know the network or the data; it reports only through events. It owns its model: dispose()
// frees the weights with the optimizer state.
import * as tf from '@tensorflow/tfjs';
import { createAdam } from '../backend/wasm-adam';
import type { ErrorCode } from '../../domain/errors';
import type { LossContext } from '../losses';
import type { ChallengeMetrics } from '../metrics/challenge';
import { diceFromCounts } from '../metrics/overlap';
import { hardOverlapCounts, meanDice, rowCounts } from './dice-stats';
import type { RunEmit, RunStatus, StepPoint } from './events';
import type { ArrayBatch, BatchSource } from './source';
import { batchMetrics, summariseMetrics } from './validation-metrics';

/** A loss of one run; `needsDistance(step)`: it reads the source's distance maps (context.distance) at that step. */
export type LossFn = ((yTrue: tf.Tensor, yPred: tf.Tensor, context?: LossContext) => tf.Scalar) & {
  needsDistance?: (step: number) => boolean;
};

export interface TrainerParams {
  runId: string;
  /** Owned from here on: the trainer disposes it. */
  model: tf.LayersModel;
  source: BatchSource;
  loss: LossFn;
  lr: number;
  steps: number;
  emit: RunEmit;
  /** The run's batch stream (its seed: replicates see different patches); absent, the source's own. */
  batchStream?: number;
  /** Read scalars back every k steps (one async read for k steps, never dataSync in the loop). */
  readEvery?: number;
  /** Validation Dice on held-out subjects every m steps (0: never). */
  validateEvery?: number;
  /** No scheduled validation before this step (sweeps validate only inside their statistic's window). */
  validateFrom?: number;
  /** Prediction snapshot every n steps (0: only on request). */
  snapshotEvery?: number;
  /** A run whose batch prediction is one class for at least this many final steps is 'collapsed'
   * (default: the last 20% of the run, the paper's 200 of 1000 iterations, at least 5 steps). */
  collapseMinSteps?: number;
}

export const TRAINER_DEFAULTS = { readEvery: 5, validateEvery: 25, snapshotEvery: 25, validateFrom: 0 };

/** Per-step scalars kept on the device until the next read: [loss, counts (C-1 rows of tp, fp, fn)...]. */
interface Pending {
  step: number;
  lr: number;
  values: tf.Tensor1D;
  /** Voxels in the batch, to turn predicted counts into a fraction. */
  elements: number;
}

function toTensors(b: ArrayBatch): { x: tf.Tensor; y: tf.Tensor } {
  return { x: tf.tensor(b.x, b.xShape), y: tf.tensor(b.y, b.yShape) };
}

export class Trainer {
  readonly runId: string;
  status: RunStatus = 'idle';
  step = 0;
  lr: number;
  readonly history: StepPoint[] = [];
  private readonly p: Required<Omit<TrainerParams, 'runId' | 'lr' | 'batchStream'>> & Pick<TrainerParams, 'batchStream'>;

  private readonly optimizer: tf.AdamOptimizer;
  private readonly vars: tf.Variable[];
  private pending: Pending[] = [];
  /** Whether any step has been read back yet (the first one is read at once). */
  private readOnce = false;
  /** Time spent in this run's own steps since the last read (a race interleaves other runs). */
  private busyMs = 0;
  private lastReadStep = 0;
  private disposed = false;
  /** First step of the one-class stretch last reported live (null: none). */
  private collapsedSince: number | null = null;

  constructor(params: TrainerParams) {
    this.runId = params.runId;
    this.lr = params.lr;
    const collapseMinSteps = params.collapseMinSteps ?? Math.max(5, Math.round(params.steps * 0.2));
    this.p = { ...TRAINER_DEFAULTS, ...params, collapseMinSteps };
    this.optimizer = createAdam(params.lr);
    this.vars = params.model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  get finished(): boolean {
    return (
      this.status === 'done' ||
      this.status === 'stopped' ||
      this.status === 'diverged' ||
      this.status === 'collapsed' ||
      this.status === 'error'
    );
  }

  /** `step` is where the status applies: the current step, or where a collapse began. */
  setStatus(status: RunStatus, message?: string, step = this.step, code?: ErrorCode): void {
    this.status = status;
    this.p.emit('status', { runId: this.runId, status, step, message, ...(code ? { code } : {}) });
  }

  /** Changing the learning rate mid-run is allowed and recorded. */
  setLearningRate(lr: number): void {
    this.lr = lr;
    (this.optimizer as unknown as { learningRate: number }).learningRate = lr;
    this.p.emit('lr', { runId: this.runId, step: this.step, lr });
  }

  /** One optimizer step; reads, validation and snapshots happen on their schedules. */
  async advance(): Promise<void> {
    if (this.finished) return;
    const t0 = performance.now();
    try {
      await this.stepOnce();
    } finally {
      this.busyMs += performance.now() - t0;
    }
  }

  private async stepOnce(): Promise<void> {
    const next = this.step + 1;
    const batch = this.p.source.trainBatch(next, this.p.batchStream);
    // Distance maps only for a loss that reads them at this step; the step goes to every loss (most ignore it).
    const maps = this.p.loss.needsDistance?.(next) ? this.p.source.trainDistances?.(next, this.p.batchStream) : undefined;
    const values = tf.tidy(() => {
      const { x, y } = toTensors(batch);
      const context: LossContext = { step: next, ...(maps ? { distance: tf.tensor(maps, batch.yShape) } : {}) };
      let counts: tf.Tensor | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const pred = this.p.model.apply(x, { training: true }) as tf.Tensor;
        counts = tf.keep(hardOverlapCounts(y, pred));
        return this.p.loss(y, pred, context);
      }, this.vars);
      this.optimizer.applyGradients(grads as unknown as Record<string, tf.Variable>);
      const kept = counts as unknown as tf.Tensor;
      const out = tf.concat([value.reshape([1]), kept.reshape([-1])]) as tf.Tensor1D;
      kept.dispose(); // tf.keep exempted it from every scope
      return out;
    });
    const elements = batch.yShape.slice(0, -1).reduce((a, v) => a * v, 1);
    this.step = next;
    this.pending.push({ step: next, lr: this.lr, values, elements });
    const last = next >= this.p.steps;
    // The first step is read at once: a fresh (or resumed) run's curve moves without waiting readEvery rounds.
    if (next % this.p.readEvery === 0 || last || !this.readOnce) await this.flush();
    if (this.finished) return;
    const due = next >= this.p.validateFrom && (next % this.p.validateEvery === 0 || last);
    if (this.p.validateEvery > 0 && due) await this.validate();
    if (this.p.snapshotEvery > 0 && (next % this.p.snapshotEvery === 0 || last)) await this.snapshot();
    if (last) this.finish();
  }

  /** Emits every step taken so far (pause and single steps show the exact step, not the last read). */
  async sync(): Promise<void> {
    await this.flush();
  }

  /** The run's model (exports and inference); valid until dispose(). */
  get model(): tf.LayersModel {
    return this.p.model;
  }

  /** Model and optimizer, for checkpoints (checkpoint.ts reads and restores their weights). */
  get checkpointParts(): { model: tf.LayersModel; optimizer: tf.Optimizer } {
    return { model: this.p.model, optimizer: this.optimizer };
  }

  /** Continues from a checkpoint: the next step is step + 1, so batches match an unbroken run. */
  resumeAt(state: { step: number; lr: number; history: readonly StepPoint[] }): void {
    this.step = state.step;
    this.lastReadStep = state.step;
    this.lr = state.lr;
    (this.optimizer as unknown as { learningRate: number }).learningRate = state.lr;
    this.history.push(...state.history.filter((p) => p.step <= state.step));
  }

  /** Reads the pending scalars in one go and emits them; a non-finite loss ends the run as diverged. */
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    this.readOnce = true;
    const batch = this.pending;
    this.pending = [];
    const stacked = tf.stack(batch.map((b) => b.values));
    for (const b of batch) b.values.dispose();
    const data = await stacked.data();
    const width = stacked.shape[1]!;
    stacked.dispose();
    const msPerStep = this.busyMs / Math.max(1, this.step - this.lastReadStep);
    this.busyMs = 0;
    this.lastReadStep = this.step;
    const classes = (width - 1) / 3;
    const points: StepPoint[] = batch.map((b, i) => {
      const row = data.subarray(i * width, (i + 1) * width);
      const counts = row.subarray(1);
      let predicted = 0;
      for (let l = 0; l < classes; l++) {
        const k = rowCounts(counts, l);
        predicted += k.tp + k.fp;
      }
      const trainDice = meanDice(counts, classes);
      return { step: b.step, loss: row[0], trainDice, predictedFg: predicted / b.elements, msPerStep, lr: b.lr };
    });
    this.history.push(...points);
    this.p.emit('steps', { runId: this.runId, points });
    const bad = points.find((pt) => !Number.isFinite(pt.loss));
    if (bad) {
      this.step = bad.step;
      this.setStatus('diverged', `loss became ${bad.loss} at step ${bad.step}`);
    } else this.updateVerdict();
  }

  /** Reports a collapse as soon as the one-class stretch is K steps long, and its end if the run recovers. */
  private updateVerdict(): void {
    const since = findCollapse(this.history, this.p.collapseMinSteps);
    if (since === this.collapsedSince) return;
    this.collapsedSince = since;
    const verdict = since === null ? null : ({ kind: 'collapsed', since } as const);
    this.p.emit('status', { runId: this.runId, status: this.status, step: this.step, verdict });
  }

  /** Validation Dice and the challenge metrics on every held-out batch (one subject each). */
  async validate(): Promise<number> {
    const perSubject: number[] = [];
    const classSums: number[] = [];
    const challenge: ChallengeMetrics[] = [];
    for (const b of this.p.source.validationBatches()) {
      const [counts, fg] = tf.tidy(() => {
        const { x, y } = toTensors(b);
        const pred = this.p.model.apply(x, { training: false }) as tf.Tensor;
        // argmax != background on the device: one byte per voxel comes back, not C floats.
        return [hardOverlapCounts(y, pred), tf.notEqual(tf.argMax(pred, -1), 0)];
      });
      const [data, predictedFg] = await Promise.all([counts.data(), fg.data() as Promise<Uint8Array>]);
      const classes = counts.shape[0];
      tf.dispose([counts, fg]);
      perSubject.push(meanDice(data, classes));
      for (let l = 0; l < classes; l++) classSums[l] = (classSums[l] ?? 0) + diceFromCounts(rowCounts(data, l));
      challenge.push(batchMetrics({ batch: b, predictedFg }));
    }
    const n = perSubject.length;
    const dice = n ? perSubject.reduce((a, v) => a + v, 0) / n : Number.NaN;
    const perClass = classSums.length > 1 ? { perClass: classSums.map((v) => v / n) } : {};
    const metrics = summariseMetrics(challenge);
    this.p.emit('validation', { runId: this.runId, step: this.step, dice, perSubject, metrics, ...perClass });
    return dice;
  }

  /** Foreground probabilities (1 - p(background)) of the snapshot input (first item), as a transferable array. */
  async snapshot(): Promise<void> {
    const input = this.p.source.snapshotInput();
    if (!input) return;
    const fg = tf.tidy(() => {
      const pred = this.p.model.apply(tf.tensor(input.x, input.xShape), { training: false }) as tf.Tensor;
      // Background channel of the first item; for 3D inputs, the depth slice `pick`.
      const begin = Array(pred.rank).fill(0);
      const size = [1, ...pred.shape.slice(1, -1), 1];
      if (pred.rank === 5) {
        begin[1] = input.pick ?? 0;
        size[1] = 1;
      }
      return tf.sub(1, tf.slice(pred, begin, size));
    });
    const probs = (await fg.data()) as Float32Array;
    const [height, width] = fg.shape.slice(-3, -1) as [number, number];
    fg.dispose();
    this.p.emit('snapshot', { runId: this.runId, step: this.step, height, width, probs });
  }

  /** Ends a run that reached its last step: done, or collapsed if the prediction went one-class for good. */
  private finish(): void {
    const collapsedAt = findCollapse(this.history, this.p.collapseMinSteps);
    if (collapsedAt !== null) this.setStatus('collapsed', `prediction is one class from step ${collapsedAt} on`, collapsedAt);
    else this.setStatus('done');
  }

  /** Stops for good, keeping what was recorded. */
  async stop(): Promise<void> {
    if (this.finished) return;
    await this.flush();
    if (!this.finished) this.setStatus('stopped');
  }

  /** Frees pending scalars, the optimizer state and the model (idempotent). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.pending) b.values.dispose();
    this.pending = [];
    this.optimizer.dispose();
    this.p.model.dispose();
  }
}

/** First step of a final stretch, at least minSteps long, in which the batch prediction was all one class. */
export function findCollapse(history: readonly StepPoint[], minSteps: number): number | null {
  if (history.length === 0) return null;
  const lastStep = history[history.length - 1].step;
  let start: number | null = null;
  for (let i = history.length - 1; i >= 0; i--) {
    const fg = history[i].predictedFg;
    if (fg > 0 && fg < 1) break;
    start = history[i].step;
  }
  return start !== null && lastStep - start + 1 >= minSteps ? start : null;
}

/** A trainer whose every advance() is one complete step (read back, no validation): for timing steps. */
export function timingTrainer(p: Pick<TrainerParams, 'runId' | 'model' | 'source' | 'loss'>): Trainer {
  return new Trainer({ ...p, lr: 1e-3, steps: 1e9, emit: () => undefined, readEvery: 1, validateEvery: 0, snapshotEvery: 0 });
}
