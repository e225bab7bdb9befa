// The page's safety net: saves the experiment as it goes (Persister), finds an interrupted one after a
// reload, watches the engine (device loss, silent or failed worker, out of memory) and keeps what the
// banner shows. React reads it through subscribe/getState; the playground controller calls it at a few points.
import type { RunRequest } from '../../engine/api';
import { isFinished } from '../../engine/train/events';
import type { EngineClient } from '../../worker/client';
import type { RunStore } from '../store';
import { describeFault, type Fault, type FaultCause, type MemorySettings } from './faults';
import { startHeartbeat } from './heartbeat';
import { recentMsPerStep, SpeedBook } from './speeds';
import { Persister } from './persister';
import { canContinue, defaultName, type ExperimentRecord, newId, recordStatus } from './records';
import { applyResume, experimentQuery, recordSettings, type ResumeTarget } from './resume';
import { openRunsDb, type RunsDb } from './runs-db';
import { Observable } from '../observable';

export interface ReliabilityState {
  fault: Fault | null;
  /** A storage problem; quota: deleting old runs would help. */
  storage: { message: string; quota: boolean } | null;
  /** What was put back after a reload or from History. */
  restored: { name: string; step: number | null; note: string } | null;
  /** An unfinished saved experiment that does not match the page's settings (offered in History). */
  interrupted: ExperimentRecord | null;
  /** False when runs are kept in memory only (no IndexedDB). */
  durable: boolean;
  /** Bumped whenever saved records change, so History reloads its list. */
  historyVersion: number;
}

export interface ReliabilityOptions {
  store: RunStore;
  db?: RunsDb;
  /** Fault drills (URL flag _debug=faults). */
  debug?: boolean;
  heartbeatTimeoutMs?: number;
}

export interface WatchHooks {
  backend: () => string;
  settings: () => MemorySettings;
  /** Training stopped because of a fault: the page leaves its playing state. */
  onStopped: () => void;
  /** The estimated ms of one training step for the current settings (a slow backend's silence is longer). */
  expectedStepMs?: () => number;
}

export class Reliability extends Observable<ReliabilityState> {
  readonly db: RunsDb;
  readonly persister: Persister;
  readonly debug: boolean;
  /** Measured ms/step per backend (saved runs and this page's), to offer the fastest fallback first. */
  readonly speeds = new SpeedBook();
  private pending: ResumeTarget | null = null;
  private client: EngineClient | null = null;
  private lastId: string | null = null;
  private readonly heartbeatTimeoutMs?: number;

  constructor(private readonly o: ReliabilityOptions) {
    const db = o.db ?? openRunsDb();
    super({ fault: null, storage: null, restored: null, interrupted: null, durable: db.durable, historyVersion: 0 });
    this.db = db;
    this.debug = o.debug ?? false;
    // Drills run with the page's own timeout, so what they measure is what a user gets.
    this.heartbeatTimeoutMs = o.heartbeatTimeoutMs;
    this.persister = new Persister({
      db: this.db,
      store: o.store,
      checkpoint: () => this.client?.call('checkpoint', {}) ?? Promise.resolve(null),
      onProblem: (message, quota) => this.set({ storage: message ? { message, quota } : null }),
    });
    // Closing or reloading the tab: write what is pending (best effort; the last checkpoint stands).
    globalThis.addEventListener?.('pagehide', () => void this.persister.flush());
  }

  private get state(): ReliabilityState {
    return this.getState();
  }

  /** The banner's close buttons: forget a fault, a restored note or an interrupted note. */
  dismiss(what: 'fault' | 'restored' | 'interrupted'): void {
    this.set({ [what]: null });
  }

  /** Saved records changed (History re-reads them). */
  touchHistory(): void {
    this.set({ historyVersion: this.state.historyVersion + 1 });
  }

  /**
   * After a reload: the newest unfinished experiment, as a resume target when its settings are the page's
   * (query from experimentQuery), else remembered as `interrupted` for the banner.
   */
  async findInterrupted(query: string): Promise<void> {
    try {
      // Any saved state with progress counts: running (reload), paused, restored-not-continued, failed (crash).
      const all = await this.db.list();
      this.speeds.addRecords(all);
      const latest = all.find((r) => recordStatus(r) !== 'idle');
      if (!latest || !canContinue(latest) || recordStatus(latest) === 'stopped') return;
      if (sameExperiment(latest.query) !== query) return this.set({ interrupted: latest });
      if (!this.pending)
        this.pending = { record: latest, checkpoint: (await this.db.getCheckpoint(latest.id)) ?? null, autoplay: false };
    } catch (err) {
      this.set({ storage: { message: `Saved runs could not be read: ${(err as Error).message}`, quota: false } });
    }
  }

  /** Starts saving the store's runs as a new experiment. */
  beginExperiment(query: string, backend: string): void {
    const now = Date.now();
    const id = newId(now);
    this.lastId = id;
    this.persister.begin({ id, name: defaultName(this.o.store.getState().runs, now), createdAt: now, query, backend });
    this.set({ restored: null });
    this.touchHistory();
  }

  /** Renames a saved experiment, and the one being saved if it is that one. */
  async rename(id: string, name: string): Promise<void> {
    await this.db.rename(id, name);
    const saved = await this.db.get(id);
    if (saved) this.persister.rename(id, saved.name);
  }

  /** Deletes saved experiments; the one being saved stops being saved. */
  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      if (this.persister.current?.id === id) this.persister.detach();
      await this.db.remove(id);
    }
  }

  /** After a fault: stops what still runs, saves, and makes the experiment the next (autoplay) resume target. */
  async prepareRecovery(autoplay = true): Promise<void> {
    const fault = this.state.fault;
    this.stopRuns(fault?.message ?? 'stopped to continue elsewhere');
    const id = this.persister.current?.id ?? this.lastId;
    this.set({ fault: null });
    if (id) await this.requestResume(id, autoplay);
  }

  /**
   * Applies the pending resume target if it belongs to these settings: curves back in the store, runs back
   * in the engine at their checkpoint, saving resumed under the same record. Returns null when none applied.
   */
  async resumeInto(p: { client: EngineClient; query: string; requests: RunRequest[]; backend: string }) {
    const target = this.takeResume(p.query);
    if (!target) return null;
    const { record } = target;
    const outcome = await applyResume({ client: p.client, store: this.o.store, target, requests: p.requests });
    this.lastId = record.id;
    this.persister.begin({ ...record, backend: p.backend }, outcome.step);
    const cont = outcome.step === null ? 'its curves are shown' : `it continues from step ${outcome.step}`;
    const lost = outcome.viewOnly.length ? ` (${outcome.viewOnly.join(', ')}: no saved weights, curves only)` : '';
    this.set({
      restored: { name: record.name, step: outcome.step, note: `Restored "${record.name}": ${cont}${lost}.` },
      interrupted: null,
    });
    return { ...outcome, autoplay: target.autoplay };
  }

  /** Loads a saved experiment as the next resume target. */
  async requestResume(id: string, autoplay: boolean): Promise<ExperimentRecord> {
    await this.persister.flush();
    const record = await this.db.get(id);
    if (!record) throw new Error('that run is no longer saved');
    this.pending = { record, checkpoint: (await this.db.getCheckpoint(id)) ?? null, autoplay };
    return record;
  }

  /** The pending resume target if it belongs to these settings (consumed). */
  takeResume(query: string): ResumeTarget | null {
    const t = this.pending;
    if (!t || sameExperiment(t.record.query) !== query) return null;
    this.pending = null;
    return t;
  }

  /** Watches one engine client: fault events, a heartbeat, and runs that fail for lack of memory. */
  watch(client: EngineClient, hooks: WatchHooks): () => void {
    this.client = client;
    const raise = (cause: FaultCause, detail?: string) => {
      const [backend, settings] = [hooks.backend(), hooks.settings()];
      // The runs' own speed on the failed backend joins what earlier runs measured.
      this.speeds.add(backend, settings, recentMsPerStep(this.o.store.getState().runs));
      const fault = describeFault({ cause, backend, detail, settings, speeds: this.speeds });
      this.set({ fault });
      return fault;
    };
    const offFault = client.on('fault', (f) => {
      const fault = raise(f.kind, f.message);
      this.stopRuns(fault.message);
      hooks.onStopped();
    });
    const offLog = client.on('log', (l) => {
      if (l.level === 'error' && l.message.startsWith('engine worker failed')) raise('worker-error', l.message);
    });
    const offStatus = client.on('status', (s) => {
      if (s.status === 'error' && s.code === 'out-of-memory' && !this.state.fault) raise('out-of-memory', s.message);
    });
    const beat = startHeartbeat({
      ping: () => client.call('ping', { t: Date.now() }),
      timeoutMs: this.heartbeatTimeoutMs,
      expectedStepMs: hooks.expectedStepMs,
      // Only reported: a kernel longer than any seen can still look like this and answer later (onAlive clears it).
      onSilent: (ms) => raise('worker-silent', `no answer for ${Math.round(ms / 1000)} s`),
      onAlive: () => {
        if (this.state.fault?.cause === 'worker-silent') this.set({ fault: null });
      },
    });
    // The worker's 'alive' (posted between kernels of a long step) and its step points are signs of life.
    const offSigns = [client.on('alive', (a) => beat.sign(a.longestKernelMs)), client.on('steps', () => beat.sign())];
    return () => {
      offFault();
      offLog();
      offStatus();
      beat.stop();
      for (const off of offSigns) off();
      if (this.client === client) this.client = null;
    };
  }

  /** Marks every unfinished run as stopped by the fault (the record keeps its checkpoint). */
  stopRuns(message: string): void {
    const { runs } = this.o.store.getState();
    for (const r of runs) {
      if (isFinished(r.status)) continue;
      const step = r.steps.at(-1)?.step ?? r.statusStep;
      this.o.store.apply('status', { runId: r.id, status: 'error', step, message });
    }
  }

  dispose(): void {
    this.persister.dispose();
    this.clearListeners();
  }
}

/** A saved query as the page writes it now (old option names, e.g. alpha, read as today's). */
function sameExperiment(savedQuery: string): string {
  return experimentQuery(recordSettings({ query: savedQuery }));
}

/** Fault drills are on when the page URL has _debug=faults (tests, teaching). */
export function faultDrillsRequested(search: string): boolean {
  return new URLSearchParams(search).get('_debug') === 'faults';
}
