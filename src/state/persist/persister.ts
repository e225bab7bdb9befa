// Saves the experiment on screen as it goes: the record (settings, curves, statuses) at most every
// saveEveryMs and at once on any status change; the engine's checkpoint (weights) every
// checkpointEveryMs while training and on pause. Writes are queued so an older state never lands last.
import type { RunCheckpoint } from '../../engine/train/checkpoint';
import type { RunStore, RunSummary } from '../store';
import { compactRun } from './compact';
import { isQuotaError, StorageFullError } from './db';
import { type ExperimentRecord, experimentStatus } from './records';
import type { RunsDb } from './runs-db';

export const PERSIST_DEFAULTS = { saveEveryMs: 1000, checkpointEveryMs: 4000 };

export interface PersisterParams {
  db: RunsDb;
  store: RunStore;
  /** The engine's checkpoints of its runs; null or a rejection when there is no engine to ask. */
  checkpoint: () => Promise<RunCheckpoint[] | null>;
  /** A storage problem (message) or its end (null); quota says whether deleting old runs would help. */
  onProblem: (message: string | null, quota: boolean) => void;
  saveEveryMs?: number;
  checkpointEveryMs?: number;
  now?: () => number;
}

export interface ExperimentMeta {
  id: string;
  name: string;
  createdAt: number;
  query: string;
  backend: string;
}

export class Persister {
  private meta: ExperimentMeta | null = null;
  private runIds = '';
  private runs: readonly RunSummary[] = [];
  private statusKey = '';
  private checkpointStep: number | null = null;
  private lastCheckpointAt = 0;
  private checkpointing: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private problem = false;
  private readonly unsubscribe: () => void;
  private readonly saveEveryMs: number;
  private readonly checkpointEveryMs: number;
  private readonly now: () => number;

  constructor(private readonly p: PersisterParams) {
    this.saveEveryMs = p.saveEveryMs ?? PERSIST_DEFAULTS.saveEveryMs;
    this.checkpointEveryMs = p.checkpointEveryMs ?? PERSIST_DEFAULTS.checkpointEveryMs;
    this.now = p.now ?? Date.now;
    this.unsubscribe = p.store.subscribe(() => this.onStore());
  }

  /** The experiment being saved, if any. */
  get current(): ExperimentMeta | null {
    return this.meta;
  }

  /** Step of the last saved checkpoint of the current experiment (null: none yet). */
  get savedStep(): number | null {
    return this.checkpointStep;
  }

  /** Starts saving the store's current runs as this experiment (new, or one continued). */
  begin(meta: ExperimentMeta, checkpointStep: number | null = null): void {
    this.meta = { ...meta };
    this.runs = this.p.store.getState().runs;
    this.runIds = idsOf(this.runs);
    this.statusKey = statusesOf(this.runs);
    this.checkpointStep = checkpointStep;
    this.lastCheckpointAt = this.now();
    this.saveNow();
  }

  /** The experiment was renamed (History): later saves keep the new name. */
  rename(id: string, name: string): void {
    if (this.meta?.id === id) this.meta.name = name;
  }

  /** The backend changed (fallback after a fault): later saves say so. */
  setBackend(backend: string): void {
    if (this.meta) this.meta.backend = backend;
  }

  /** Stops saving (the record stays as last saved). */
  detach(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.meta = null;
    this.runIds = '';
  }

  /** Saves now and resolves when every queued write is done. */
  async flush(): Promise<void> {
    if (this.meta) this.saveNow();
    await this.queue;
    await this.checkpointing;
  }

  /** Asks the engine for a checkpoint now and saves it. */
  checkpointNow(): Promise<void> {
    if (!this.meta) return Promise.resolve();
    if (this.checkpointing) return this.checkpointing;
    const meta = this.meta;
    this.lastCheckpointAt = this.now();
    this.checkpointing = this.p
      .checkpoint()
      .then(async (runs) => {
        if (!runs || runs.length === 0 || this.meta?.id !== meta.id) return;
        // The race ended while the engine was answering: its weights are no longer wanted.
        const status = experimentStatus(this.runs);
        if (status === 'finished' || status === 'stopped') return;
        const mine = runs.filter((r) => this.runs.some((x) => x.id === r.runId));
        if (mine.length === 0) return;
        await this.write(() => this.p.db.saveCheckpoint({ id: meta.id, savedAt: this.now(), backend: meta.backend, runs: mine }));
        this.checkpointStep = Math.min(...mine.map((r) => r.step));
        this.saveNow();
      })
      .catch(() => undefined) // no engine (it died): the last saved checkpoint stands
      .finally(() => {
        this.checkpointing = null;
      });
    return this.checkpointing;
  }

  dispose(): void {
    this.detach();
    this.unsubscribe();
  }

  private onStore(): void {
    if (!this.meta) return;
    const runs = this.p.store.getState().runs;
    if (idsOf(runs) !== this.runIds) {
      // The store moved on to other runs: the last state seen is final.
      this.saveNow();
      this.detach();
      return;
    }
    // Snapshots alone (a slice change) leave the runs as they were: nothing to save.
    if (runs === this.runs) return;
    this.runs = runs;
    const statuses = statusesOf(runs);
    if (statuses !== this.statusKey) {
      this.statusKey = statuses;
      this.onStatus(experimentStatus(runs));
      return;
    }
    if (this.timer === null) this.timer = setTimeout(() => this.saveNow(), this.interval());
    if (experimentStatus(runs) === 'running' && this.now() - this.lastCheckpointAt >= this.checkpointEveryMs)
      void this.checkpointNow();
  }

  private onStatus(status: ExperimentRecord['status']): void {
    this.saveNow();
    const id = this.meta!.id;
    if (status === 'paused') void this.checkpointNow();
    else if (status === 'finished' || status === 'stopped') {
      // Nothing left to continue: the weights would only take space.
      this.checkpointStep = null;
      void this.write(() => this.p.db.deleteCheckpoint(id));
    }
  }

  /** Longer records are written less often (a write copies the whole record). */
  private interval(): number {
    const points = this.runs.reduce((a, r) => a + r.steps.length, 0);
    return this.saveEveryMs + Math.min(20_000, points * 0.05);
  }

  private saveNow(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const meta = this.meta;
    if (!meta) return;
    // The store's state is current even when its notifications are throttled: a checkpoint's points (sent
    // by the engine before it answered) and the last points before a reload are saved with it.
    const latest = this.p.store.getState().runs;
    if (idsOf(latest) === this.runIds) this.runs = latest;
    const rec: ExperimentRecord = {
      ...meta,
      updatedAt: this.now(),
      status: experimentStatus(this.runs),
      // Copies, taken now: the store's series grow in place while the write waits in the queue.
      runs: this.runs.map((r) => compactRun(r)),
      checkpointStep: this.checkpointStep,
    };
    void this.write(() => this.p.db.save(rec));
  }

  private write(op: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(op).then(
      () => {
        if (this.problem) this.p.onProblem(null, false);
        this.problem = false;
      },
      (err) => {
        this.problem = true;
        const quota = isQuotaError(err);
        const why = err instanceof Error ? err.message : String(err);
        this.p.onProblem(quota ? new StorageFullError(err).message : `Saving runs failed: ${why}`, quota);
      },
    );
    return this.queue;
  }
}

// A reset to runs with the same ids (same settings, trained again) is another experiment: startedAt tells.
const idsOf = (runs: readonly RunSummary[]) => runs.map((r) => `${r.id}@${r.startedAt}`).join('\u0000');
const statusesOf = (runs: readonly RunSummary[]) => runs.map((r) => r.status).join(',');
