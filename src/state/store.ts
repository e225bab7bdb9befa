// One store for runs and their series. Engine events land here at any rate; subscribers are
// notified at most every `throttleMs` so charts redraw a few times a second, never per step.
// Series grow in place (no copy of a 100,000-point history per event); each change gives the run a new
// summary object and the state a new version, so subscribers still see it.
import { Observable } from './observable';
import type { RunEvents, RunStatus, StepPoint } from '../engine/train/events';
import { appendInPlace } from './series';
import type { MetricId, ValidationMetrics } from '../domain/metrics';
import type { LiveVerdict } from '../domain/engine-types';

export interface ValidationPoint {
  step: number;
  dice: number;
  perClass?: number[];
  metrics?: ValidationMetrics;
}

/** A validation point's value of a metric (Dice falls back to the point's own; NaN where not recorded). */
export function metricOf(v: ValidationPoint | undefined, id: MetricId): number {
  if (!v) return Number.NaN;
  return v.metrics?.[id] ?? (id === 'dice' ? v.dice : Number.NaN);
}

export interface RunSummary {
  id: string;
  label: string;
  color: string;
  /** Settings the run was started with (for the runs table and exports). */
  config: Record<string, unknown>;
  status: RunStatus;
  statusStep: number;
  message?: string;
  /** A collapse seen while the run trains (the trainer's live verdict); cleared when it recovers. */
  verdict?: LiveVerdict;
  /**
   * Owned by the store and append-only: it grows in place while the run trains (a memo keys on the array
   * and its length; slice() keeps a fixed copy).
   */
  steps: StepPoint[];
  /**
   * perClass: each foreground class's Dice, when more than two classes are trained; metrics: the challenge
   * metrics of that validation (absent in records saved before they existed). Grows in place like steps.
   */
  validation: ValidationPoint[];
  lrChanges: { step: number; lr: number }[];
  totalSteps: number;
  startedAt: number;
}

export interface Snapshot {
  runId: string;
  step: number;
  height: number;
  width: number;
  probs: Float32Array;
}

export interface StoreState {
  runs: RunSummary[];
  snapshots: Record<string, Snapshot>;
  version: number;
}

export class RunStore extends Observable<StoreState> {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly throttleMs = 250) {
    super({ runs: [], snapshots: {}, version: 0 });
  }

  private get state(): StoreState {
    return this.getState();
  }

  private set state(next: StoreState) {
    this.stage(next);
  }

  reset(runs: Omit<RunSummary, 'status' | 'statusStep' | 'steps' | 'validation' | 'lrChanges' | 'startedAt'>[]): void {
    const now = Date.now();
    this.state = {
      runs: runs.map((r) => ({ ...r, status: 'idle', statusStep: 0, steps: [], validation: [], lrChanges: [], startedAt: now })),
      snapshots: {},
      version: this.state.version + 1,
    };
    this.flushNow();
  }

  /** Replaces the runs with saved summaries (reload, reopening from History); no snapshots yet. */
  restore(runs: readonly RunSummary[]): void {
    // Own copies: later appends must not grow the caller's arrays (a record History still shows).
    const own = (r: RunSummary) => ({ ...r, steps: r.steps.slice(), validation: r.validation.slice() });
    this.state = { runs: runs.map(own), snapshots: {}, version: this.state.version + 1 };
    this.flushNow();
  }

  /** Applies one engine event; copies only the run it touches. */
  apply<K extends keyof RunEvents>(name: K, payload: RunEvents[K]): void {
    if (name === 'snapshot') {
      const s = payload as RunEvents['snapshot'];
      this.state = { ...this.state, snapshots: { ...this.state.snapshots, [s.runId]: s } };
      this.schedule();
      return;
    }
    const runId = (payload as { runId: string }).runId;
    const runs = this.state.runs.map((r) => (r.id === runId ? update(r, name, payload) : r));
    this.state = { ...this.state, runs };
    // Status changes are shown at once (buttons depend on them); data points are throttled.
    if (name === 'status') this.flushNow();
    else this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => this.flushNow(), this.throttleMs);
  }

  private flushNow(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.state = { ...this.state, version: this.state.version + 1 };
    this.notify();
  }
}

function update<K extends keyof RunEvents>(r: RunSummary, name: K, payload: RunEvents[K]): RunSummary {
  switch (name) {
    case 'status': {
      const p = payload as RunEvents['status'];
      // A verdict change leaves the status, its step and its message as they are.
      if (p.verdict !== undefined) return { ...r, verdict: p.verdict ?? undefined };
      return { ...r, status: p.status, statusStep: p.step, message: p.message };
    }
    case 'steps':
      appendInPlace(r.steps, (payload as RunEvents['steps']).points);
      return { ...r };
    case 'validation': {
      const p = payload as RunEvents['validation'];
      const perClass = p.perClass ? { perClass: p.perClass } : {};
      const metrics = p.metrics ? { metrics: p.metrics } : {};
      r.validation.push({ step: p.step, dice: p.dice, ...perClass, ...metrics });
      return { ...r };
    }
    case 'lr': {
      const p = payload as RunEvents['lr'];
      return { ...r, lrChanges: [...r.lrChanges, { step: p.step, lr: p.lr }] };
    }
    default:
      return r;
  }
}
