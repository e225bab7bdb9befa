// Runs a sweep's queue: one dataset per group (burden, patch, seed), its runs raced in lockstep by the
// training Runner, results summarised as each race ends. Pause, resume and cancel are inputs.
import { DEFAULT_DIFFICULTY } from '../../domain/difficulty';
import { phantomShape } from '../../domain/phantom';
import { type NetworkKind, sizeMultiple } from '../networks';
import { buildDataset, createDatasetSource } from '../train/dataset';
import type { RunEmit, RunEvents } from '../train/events';
import { buildRace } from '../train/race';
import { Runner } from '../train/runner';
import type { Trainer } from '../train/trainer';
import { formatBurden, planSweep } from '../../domain/sweep/plan';
import { downsampleCurve, runWindow } from '../../domain/sweep/stats';
import type {
  GroupInfo,
  RunResult,
  SweepCell,
  SweepGroup,
  SweepProgress,
  SweepRunState,
  SweepSpec,
} from '../../domain/sweep/types';
import { WINDOW_VALIDATIONS } from '../../domain/sweep/types';

export interface SweepRunnerParams {
  sweepId: string;
  spec: SweepSpec;
  emit: (progress: SweepProgress) => void;
  /** Keys of runs already finished (a resumed sweep): they are not trained again. */
  skip?: readonly string[];
  /** Most runs raced together; a larger group is split into races of this size. */
  maxRace?: number;
  /** Least time between progress events (results always go out at once). */
  progressEveryMs?: number;
  /** Trainer read interval (steps per async read-back). */
  readEvery?: number;
}

export const SWEEP_RUNNER_DEFAULTS = { maxRace: 12, progressEveryMs: 250, readEvery: 10 };

export class SweepRunner {
  private readonly p: SweepRunnerParams & typeof SWEEP_RUNNER_DEFAULTS;
  private state: SweepRunState = 'running';
  private race: Runner | null = null;
  private resumed: (() => void) | null = null;
  private cancelled = false;
  private paused = false;
  private runsDone = 0;
  private stepsDone = 0;
  private stepsThisSession = 0;
  private runsTotal = 0;
  private current: string | null = null;
  private t0 = 0;
  /** Paused time is left out of the elapsed time and the rate. */
  private pausedMs = 0;
  private pausedAt: number | null = null;
  private lastEmit = 0;
  private readonly messages = new Map<string, string>();
  /** Each run's validations so far (all inside its statistic's window). */
  private readonly validations = new Map<string, NonNullable<RunResult['validation']>>();
  private outbox: { results: RunResult[]; groups: GroupInfo[] } = { results: [], groups: [] };

  constructor(params: SweepRunnerParams) {
    this.p = { ...SWEEP_RUNNER_DEFAULTS, ...params };
  }

  get runState(): SweepRunState {
    return this.state;
  }

  get active(): boolean {
    return this.state === 'running' || this.state === 'paused';
  }

  /** Trains every group in turn; resolves with the final state once the queue ends or is cancelled. */
  async run(): Promise<SweepRunState> {
    const { spec } = this.p;
    const skip = new Set(this.p.skip ?? []);
    const plan = planSweep(spec);
    this.runsTotal = plan.cells.length;
    this.runsDone = plan.cells.filter((c) => skip.has(c.key)).length;
    this.stepsDone = this.runsDone * spec.steps;
    this.t0 = performance.now();
    this.emitProgress(true);
    try {
      for (const group of plan.groups) {
        const todo = group.cells.filter((c) => !skip.has(c.key));
        if (todo.length === 0) continue;
        if (this.cancelled) break;
        await this.runGroup(group, todo);
      }
      this.state = this.cancelled ? 'cancelled' : 'done';
      this.current = null;
      this.emitProgress(true);
    } catch (err) {
      this.state = 'error';
      this.emitProgress(true, err instanceof Error ? err.message : String(err));
    }
    return this.state;
  }

  /** Pauses after the step in flight. */
  async pause(): Promise<void> {
    if (this.state !== 'running') return;
    this.paused = true;
    this.state = 'paused';
    this.pausedAt = performance.now();
    await this.race?.pause();
    this.emitProgress(true);
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.paused = false;
    this.state = 'running';
    this.endPause();
    this.resumed?.();
    this.emitProgress(true);
  }

  /** Stops for good: finished runs are kept, the runs in flight are dropped. */
  async cancel(): Promise<void> {
    if (!this.active) return;
    this.cancelled = true;
    this.paused = false;
    this.endPause();
    this.resumed?.();
    await this.race?.stop();
  }

  private async runGroup(group: SweepGroup, todo: SweepCell[]): Promise<void> {
    const { spec } = this.p;
    const kind = spec.network as NetworkKind;
    this.current = `burden ${formatBurden(group.burden)}, patch ${group.patch.id}, seed ${group.seed}`;
    await this.waitWhilePaused();
    if (this.cancelled) return;
    const ds = buildDataset({
      seed: group.seed,
      lesion: spec.lesion,
      fraction: group.burden,
      noise: spec.noise,
      difficulty: spec.difficulty ?? DEFAULT_DIFFICULTY,
      patch: group.patch.patch,
      batch: group.patch.batch,
      network: kind,
      shape: phantomShape(spec.size),
    });
    const side = typeof ds.spec.size === 'number' ? ds.spec.size : ds.spec.size[0];
    this.outbox.groups.push({
      key: group.key,
      burden: group.burden,
      patch: group.patch.id,
      seed: group.seed,
      side,
      batch: group.patch.batch,
      patchImbalance: ds.patchImbalance,
      achievedFraction: ds.achievedFraction,
      ...(ds.baseline ? { baselineDice: ds.baseline.dice } : {}),
    });
    const source = createDatasetSource(ds, sizeMultiple({ kind }));
    for (let i = 0; i < todo.length && !this.cancelled; i += this.p.maxRace) {
      const cells = todo.slice(i, i + this.p.maxRace);
      // Same seed, same initial weights for every loss and LR of the group (the paper's fair start).
      const { trainers } = buildRace({
        network: kind,
        inChannels: ds.train[0].channels.length,
        numClasses: ds.numClasses,
        source,
        emit: this.trainerEmit,
        runs: cells.map((cell) => ({
          runId: cell.key,
          loss: cell.loss,
          lossOptions: {},
          lr: cell.lr,
          steps: spec.steps,
          seed: group.seed,
        })),
        trainer: { readEvery: this.p.readEvery, snapshotEvery: 0, collapseMinSteps: spec.lastK, ...windowValidations(spec) },
      });
      try {
        await this.race_(trainers);
        trainers.forEach((t, k) => {
          if (t.status === 'stopped' || !t.finished) return;
          const validation = this.validations.get(t.runId) ?? [];
          this.validations.delete(t.runId);
          this.outbox.results.push(resultOf(cells[k], t, spec.lastK, validation, this.messages.get(t.runId)));
          this.runsDone++;
        });
        this.emitProgress(true);
      } finally {
        for (const t of trainers) t.dispose();
        this.race = null;
      }
    }
  }

  /** Plays a race to its end, waiting out pauses. */
  private async race_(trainers: Trainer[]): Promise<void> {
    const race = new Runner(trainers);
    this.race = race;
    while (!this.cancelled && race.active.length > 0) {
      await this.waitWhilePaused();
      if (this.cancelled) break;
      race.play();
      await race.whenIdle();
    }
    if (this.cancelled) await race.stop();
  }

  private endPause(): void {
    if (this.pausedAt !== null) this.pausedMs += performance.now() - this.pausedAt;
    this.pausedAt = null;
  }

  private waitWhilePaused(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return new Promise((resolve) => {
      this.resumed = () => {
        this.resumed = null;
        resolve();
      };
    });
  }

  /** Trainers report here, not to the page: only step counts matter until a run ends. */
  private readonly trainerEmit = (<K extends keyof RunEvents>(name: K, payload: RunEvents[K]) => {
    if (name === 'status') {
      const s = payload as RunEvents['status'];
      if (s.message) this.messages.set(s.runId, s.message);
    }
    if (name === 'validation') {
      const v = payload as RunEvents['validation'];
      const list = this.validations.get(v.runId) ?? [];
      if (v.metrics) list.push({ step: v.step, metrics: v.metrics });
      this.validations.set(v.runId, list);
    }
    if (name !== 'steps') return;
    const n = (payload as RunEvents['steps']).points.length;
    this.stepsDone += n;
    this.stepsThisSession += n;
    this.emitProgress(false);
  }) as RunEmit;

  private emitProgress(force: boolean, message?: string): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < this.p.progressEveryMs) return;
    this.lastEmit = now;
    const pausedNow = this.pausedAt === null ? 0 : now - this.pausedAt;
    const elapsedMs = now - this.t0 - this.pausedMs - pausedNow;
    const msPerStep = this.stepsThisSession > 0 ? elapsedMs / this.stepsThisSession : null;
    const stepsTotal = this.runsTotal * this.p.spec.steps;
    const { results, groups } = this.outbox;
    this.outbox = { results: [], groups: [] };
    this.p.emit({
      sweepId: this.p.sweepId,
      state: this.state,
      runsDone: this.runsDone,
      runsTotal: this.runsTotal,
      stepsDone: this.stepsDone,
      stepsTotal,
      current: this.current,
      msPerStep,
      etaMs: msPerStep === null ? null : Math.max(0, stepsTotal - this.stepsDone) * msPerStep,
      elapsedMs,
      results,
      groups,
      ...(message ? { message } : {}),
    });
  }
}

/** WINDOW_VALIDATIONS evenly spaced validations in the last K steps, the last at the final step. */
export function windowValidations(spec: Pick<SweepSpec, 'steps' | 'lastK'>): { validateEvery: number; validateFrom: number } {
  const k = Math.min(spec.lastK, spec.steps);
  const every = Math.max(1, Math.floor(k / WINDOW_VALIDATIONS));
  // Multiples of `every` in (steps - k, steps], plus the final step.
  return { validateEvery: every, validateFrom: spec.steps - k + 1 };
}

function resultOf(
  cell: SweepCell,
  t: Trainer,
  lastK: number,
  validation: NonNullable<RunResult['validation']>,
  message?: string,
): RunResult {
  const dice = t.history.map((p) => p.trainDice).filter((d) => Number.isFinite(d));
  const { key, ...rest } = cell;
  return {
    key,
    ...rest,
    status: t.status,
    step: t.step,
    window: runWindow({ dice, lastK }),
    curve: downsampleCurve({ values: dice }),
    validation,
    ...(message ? { message } : {}),
  };
}
