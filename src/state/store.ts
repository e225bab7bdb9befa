// One store for runs and their series. Engine events land here at any rate; subscribers are
// notified at most every `throttleMs` so charts redraw a few times a second, never per step.
import type { RunEvents, RunStatus, StepPoint } from '../engine/train/events';

export interface RunSummary {
  id: string;
  label: string;
  color: string;
  /** Settings the run was started with (for the runs table and exports). */
  config: Record<string, unknown>;
  status: RunStatus;
  statusStep: number;
  message?: string;
  steps: StepPoint[];
  /** perClass: each foreground class's Dice, when more than two classes are trained. */
  validation: { step: number; dice: number; perClass?: number[] }[];
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

type Listener = () => void;

export class RunStore {
  private state: StoreState = { runs: [], snapshots: {}, version: 0 };
  private listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly throttleMs = 250) {}

  getState = (): StoreState => this.state;

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

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
    this.state = { runs: runs.map((r) => ({ ...r })), snapshots: {}, version: this.state.version + 1 };
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
    for (const l of this.listeners) l();
  }
}

function update<K extends keyof RunEvents>(r: RunSummary, name: K, payload: RunEvents[K]): RunSummary {
  switch (name) {
    case 'status': {
      const p = payload as RunEvents['status'];
      return { ...r, status: p.status, statusStep: p.step, message: p.message };
    }
    case 'steps':
      return { ...r, steps: [...r.steps, ...(payload as RunEvents['steps']).points] };
    case 'validation': {
      const p = payload as RunEvents['validation'];
      const perClass = p.perClass ? { perClass: p.perClass } : {};
      return { ...r, validation: [...r.validation, { step: p.step, dice: p.dice, ...perClass }] };
    }
    case 'lr': {
      const p = payload as RunEvents['lr'];
      return { ...r, lrChanges: [...r.lrChanges, { step: p.step, lr: p.lr }] };
    }
    default:
      return r;
  }
}
