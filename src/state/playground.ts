// The playground's controller: owns the engine client, the run store and the safety net, and turns
// intents (train, pause, step, reset, prepare, adopt data, recover, reopen) into engine calls with an
// explicit phase. Settings arrive through setSettings and are diffed: data changes prepare new data,
// run changes clear the runs. Plain class: React only subscribes (usePlayground).
import type { BackendChoice, BackendReport } from '../engine/backend/backend';
import type { AutoMeasureRequest, DataRequest, DataSummary } from '../engine/api';
import type { FaultDrill } from '../engine/backend/device-watch';
import type { EngineClient } from '../worker/client';
import { markOnce } from '../domain/marks';
import { prefetchFor } from './link-prefetch';
import { estimateRun, type RunEstimate } from '../domain/estimate';
import { isFinished } from '../domain/runs';
import { measuredPatch } from '../domain/network-spec';
import { isNetworkKind } from '../domain/networks';
import { Observable } from './observable';
import { withMemoryAdvice } from './persist/faults';
import { BackendChoices } from './persist/backend-choice';
import { Reliability } from './persist/reliability';
import { experimentQuery, recordSettings } from './persist/resume';
import type { RunsDb } from './persist/runs-db';
import { buildDataRequest, buildRunRequests } from './run-requests';
import { runColor } from './run-colors';
import { patchAndBatch, type Settings } from './settings';
import { ExplorerController } from './explorer';
import { ExportsController } from './exports';
import { createSweepStore, type SweepStore } from './sweep-store';
import { SweepController } from './sweeps';
import { RunStore } from './store';
import { UserDataController } from './user-data';

export type PlaygroundPhase = 'idle' | 'preparing' | 'ready' | 'training' | 'paused' | 'finished' | 'failed';

/** Data other than the settings' phantom (the user's volumes): prepares them for the current network and patch. */
export interface DataSource {
  label: string;
  prepare: (client: EngineClient, req: { seed: number; patch: number; batch: number; network: string }) => Promise<DataSummary>;
}

export interface PlaygroundState {
  phase: PlaygroundPhase;
  /** The engine's backend once it started (null while starting). */
  backend: BackendReport | null;
  data: DataSummary | null;
  error: string | null;
  /** The adopted source's label, null while the data is the settings' phantom. */
  dataSource: string | null;
  /** Bumped for each fresh engine, so helpers bound to one (sweeps) rebind. */
  engineGeneration: number;
  /** Train was pressed on runs that would not fit or crawl: the estimate, until confirmed or cancelled. */
  confirm: RunEstimate | null;
}

export interface PlaygroundOptions {
  settings: Settings;
  /** Makes the engine client (the worker in the page; in-thread in tests). */
  createClient: () => EngineClient;
  /** Fault drills (URL flag _debug=faults). */
  debug?: boolean;
  /** Where models/ is served: an absolute URL (the engine fetches checkpoints from it). */
  modelsBase?: string;
  /** Wait after a data setting changes before preparing, so dragging a slider stays smooth. */
  debounceMs?: number;
  /** Runs store throttle (charts redraw a few times a second, never per step). */
  throttleMs?: number;
  /** Where sweeps are kept (IndexedDB in the page). */
  sweepStore?: SweepStore;
  /** Where runs are saved (IndexedDB in the page; a shared memory db lets a test "reload"). */
  db?: RunsDb;
  /** auto: software backends are measured too (URL flag _measure=all). */
  measureAll?: boolean;
  /** Where auto's measured choice is remembered (localStorage in the page). */
  backendChoices?: BackendChoices;
}

/** Settings that decide the data (a change prepares new data). */
const dataKey = (s: Settings) =>
  JSON.stringify([s.seed, s.lesion, s.fraction, s.noise, s.difficulty, s.size, patchAndBatch(s), s.network]);
/** Settings that decide the runs (a change clears them, since they would no longer match the link). */
const runKey = (s: Settings) => JSON.stringify(buildRunRequests(s));
/** What a confirmation agreed to: these runs on this data. */
const confirmKey = (s: Settings) => `${runKey(s)}\u0000${dataKey(s)}`;
const memorySettings = (s: Settings) => ({ ...patchAndBatch(s), network: s.network, size: s.size });

export class PlaygroundController extends Observable<PlaygroundState> {
  readonly runs: RunStore;
  readonly reliability: Reliability;
  readonly sweeps: SweepController;
  readonly explorer: ExplorerController;
  readonly userData: UserDataController;
  readonly exports: ExportsController;
  private client: EngineClient | null = null;
  private settings: Settings;
  private source: DataSource | null = null;
  private runsCreated = false;
  private backendOverride: BackendChoice | null = null;
  private readonly choices: BackendChoices;
  /** Measure again: the next start times the backends, ignoring what is remembered. */
  private remeasure = false;
  private prepareTimer: ReturnType<typeof setTimeout> | null = null;
  private detach: () => void = () => {};
  private interrupted: Promise<void>;
  private disposed = false;
  /** The runs (runKey) the user agreed to train although the estimate said they would not fit. */
  private confirmedKey: string | null = null;
  /** Each prepare gets a number; a later one makes an earlier one's result stale. */
  private prepareSeq = 0;

  constructor(private readonly o: PlaygroundOptions) {
    super({ phase: 'idle', backend: null, data: null, error: null, dataSource: null, engineGeneration: 0, confirm: null });
    this.settings = o.settings;
    this.choices = o.backendChoices ?? new BackendChoices();
    this.runs = new RunStore(o.throttleMs ?? 250);
    this.reliability = new Reliability({ store: this.runs, db: o.db, debug: o.debug });
    const engine = () => this.client;
    this.sweeps = new SweepController(o.sweepStore ?? createSweepStore());
    this.explorer = new ExplorerController(engine);
    this.userData = new UserDataController({ engine, modelsBase: o.modelsBase ?? '/' });
    this.exports = new ExportsController(engine);
    // The page's first settings decide what a reload resumes.
    this.interrupted = this.reliability.findInterrupted(experimentQuery(o.settings));
  }

  /** The live engine client (null while starting or after a fault until recovered). */
  get engine(): EngineClient | null {
    return this.client;
  }

  get playing(): boolean {
    return this.getState().phase === 'training';
  }

  /** Starts an engine (again after a fault, or after stop): backend chosen, then data prepared. */
  async start(): Promise<void> {
    this.detach();
    this.disposed = false;
    markOnce('engine-start');
    const c = this.o.createClient();
    const unwatch = this.reliability.watch(c, {
      backend: () => this.getState().backend?.active ?? '',
      settings: () => memorySettings(this.settings),
      onStopped: () => this.set({ phase: 'paused' }),
      expectedStepMs: () => (this.playing ? this.estimate().msPerStep : 0),
    });
    const offs = (['status', 'steps', 'validation', 'snapshot', 'lr'] as const).map((name) =>
      c.on(name, (payload) => this.runs.apply(name, payload as never)),
    );
    offs.push(c.on('steps', () => markOnce('first-step')));
    // Registered after the store's: the store has the status already.
    offs.push(c.on('status', () => this.afterStatus()));
    this.detach = () => {
      unwatch();
      for (const off of offs) off();
      c.dispose();
      if (this.client === c) this.client = null;
    };
    try {
      const report = await c.call('init', {
        backend: this.backendOverride ?? this.settings.backend,
        debug: this.reliability.debug,
        ...this.measureRequest(),
        ...this.prefetchRequest(),
      });
      if (this.disposed) return;
      markOnce('backend-ready');
      this.remeasure = false;
      this.keepMeasurement(report);
      this.reliability.persister.setBackend(report.active);
      this.client = c;
      this.set({ backend: report, engineGeneration: this.getState().engineGeneration + 1 });
      this.sweeps.attach(c);
      this.explorer.wake();
      this.userData.engineChanged();
      await this.prepare();
    } catch (err) {
      if (!this.disposed) this.set({ error: message(err), phase: 'failed' });
    }
  }

  /** Ends the engine (a React unmount; start() makes a fresh one). */
  stop(): void {
    this.disposed = true;
    if (this.prepareTimer) clearTimeout(this.prepareTimer);
    this.sweeps.attach(null);
    this.detach();
  }

  /** Ends the engine and everything watching it. */
  dispose(): void {
    this.stop();
    this.reliability.dispose();
    this.clearListeners();
  }

  /** New settings from the page: data changes prepare new data (debounced), run changes clear the runs. */
  setSettings(next: Settings): void {
    const prev = this.settings;
    this.settings = next;
    if (!this.client) return;
    if (dataKey(prev) !== dataKey(next)) {
      if (this.prepareTimer) clearTimeout(this.prepareTimer);
      this.prepareTimer = setTimeout(() => void this.prepare(), this.o.debounceMs ?? 150);
    } else if (runKey(prev) !== runKey(next) && this.runsCreated && !this.playing) {
      this.clearRuns();
      this.set({ phase: 'ready' });
    }
  }

  /** Prepares the data of the settings (or the adopted source), then puts back a saved experiment that matches. */
  async prepare(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const seq = ++this.prepareSeq;
    const s = this.settings;
    this.clearRuns();
    // Data for runs that would not fit can take minutes and gigabytes itself: ask first.
    if (!this.source && this.needsConfirmation()) return void this.set({ phase: 'ready', data: null });
    this.set({ phase: 'preparing' });
    try {
      const { patch, batch } = patchAndBatch(s);
      const source = this.source;
      const summary = source
        ? await source.prepare(client, { seed: s.seed, patch, batch, network: s.network })
        : await client.call('prepareData', buildDataRequest(s));
      if (seq !== this.prepareSeq) return;
      markOnce('data-ready');
      this.set({ data: summary, error: null, phase: 'ready' });
      if (source) return; // saved experiments belong to phantom data
      // A reload, a fault or History may have left an experiment to put back on this data.
      await this.interrupted;
      const resumed = await this.reliability.resumeInto({
        client,
        query: experimentQuery(s),
        requests: buildRunRequests(s),
        backend: this.getState().backend?.active ?? '',
      });
      if (!resumed || resumed.created === 0 || seq !== this.prepareSeq) return;
      this.runsCreated = true;
      this.set({ phase: 'paused' });
      if (resumed.autoplay) {
        await client.call('control', { action: 'play' });
        this.set({ phase: 'training' });
      }
    } catch (err) {
      if (seq === this.prepareSeq) this.set({ error: withMemoryAdvice(err, memorySettings(this.settings)), phase: 'failed' });
    }
  }

  train = (): Promise<void> =>
    this.guard(async () => {
      markOnce('train-pressed');
      const { phase } = this.getState();
      if (!this.client || phase === 'preparing') return;
      // After a lost device or a dead worker this engine cannot train: continue in a fresh one.
      const fault = this.reliability.getState().fault;
      if (fault && fault.cause !== 'out-of-memory') return this.recover(fault.fallbacks[0] ?? 'auto');
      if (this.needsConfirmation() || !this.getState().data) return;
      await this.ensureRuns();
      await this.client.call('control', { action: 'play' });
      this.set({ phase: 'training' });
    });

  pause = (): Promise<void> =>
    this.guard(async () => {
      if (!this.client) return;
      await this.client.call('control', { action: 'pause' });
      this.set({ phase: 'paused' });
    });

  step = (): Promise<void> =>
    this.guard(async () => {
      if (!this.client || this.playing || this.needsConfirmation() || !this.getState().data) return;
      await this.ensureRuns();
      await this.client.call('control', { action: 'step' });
      if (!this.isFinishedNow()) this.set({ phase: 'paused' });
    });

  /** The confirmation's "Train anyway": these runs start although the estimate says they will not fit. */
  confirmTrain = async (): Promise<void> => {
    this.confirmedKey = confirmKey(this.settings);
    this.set({ confirm: null });
    if (!this.getState().data) await this.prepare();
    await this.train();
  };

  /** The confirmation's "Cancel": nothing starts; the user changes the settings. */
  cancelTrain = (): void => this.set({ confirm: null });

  /** The estimate for the runs Train would create now (memory and time per step on the active backend). */
  estimate(): RunEstimate {
    const s = this.settings;
    const report = this.getState().backend;
    const backend = report?.active ?? 'wasm';
    const gpu = report?.gpu;
    const speed = this.reliability.speeds.speed(backend, memorySettings(s), gpu);
    const measuredMsPerStep = speed.measured ? speed.msPerStep : undefined;
    return estimateRun({
      ...memorySettings(s),
      network: s.network,
      runs: buildRunRequests(s).length,
      steps: s.steps,
      backend,
      ...(gpu ? { gpu } : {}),
      measuredMsPerStep,
    });
  }

  /** Stops and forgets the runs (their predictions go with them); the data stays. */
  reset = (): Promise<void> =>
    this.guard(async () => {
      if (!this.client) return;
      await this.client.call('control', { action: 'stop' });
      this.clearRuns();
      this.set({ phase: this.getState().data ? 'ready' : 'idle' });
    });

  /** After a fault: a fresh engine on `backend`, the experiment continued from its last checkpoint. */
  recover = (backend: BackendChoice): Promise<void> => this.restart(backend, true);

  /** A fresh engine on `backend`; the experiment is put back at its last checkpoint (and played on when `autoplay`). */
  private restart = async (backend: BackendChoice, autoplay: boolean): Promise<void> => {
    await this.reliability.prepareRecovery(autoplay);
    this.runsCreated = false;
    this.backendOverride = backend;
    this.set({ phase: 'idle', backend: null });
    await this.start();
  };

  /** A fresh engine whose auto times the backends again (runs checkpointed and continued, as in recover). */
  measureAgain = async (): Promise<void> => {
    const wasPlaying = this.playing;
    // The engine is healthy: checkpoint the runs at their current step, so the restart loses none.
    if (this.client && this.runsCreated) {
      if (wasPlaying) await this.pause();
      await this.reliability.persister.checkpointNow();
      await this.reliability.persister.flush();
    }
    this.remeasure = true;
    await this.restart('auto', wasPlaying);
  };

  /** auto: the page's network for the engine to time, and what this browser remembers for it. */
  /** The phantom data the page will ask for, made while the backend starts (never user data, never big phantoms). */
  private prefetchRequest(): { prefetch?: DataRequest } {
    const prefetch = this.source ? null : prefetchFor(this.settings);
    return prefetch ? { prefetch } : {};
  }

  private measureRequest(): { measure?: AutoMeasureRequest } {
    const s = this.settings;
    if ((this.backendOverride ?? s.backend) !== 'auto' || !isNetworkKind(s.network)) return {};
    const remembered = this.remeasure ? [] : this.choices.forNetwork(s.network);
    return { measure: { network: s.network, batch: s.batch, remembered, includeSoftware: this.o.measureAll === true } };
  }

  /** A fresh measurement is remembered for this device and network; its figures also rank fault fallbacks. */
  private keepMeasurement(report: BackendReport): void {
    if (report.chosenBy !== 'measured') return;
    const network = this.settings.network;
    if (!isNetworkKind(network)) return;
    this.choices.remember({ deviceKey: report.deviceKey, network, backend: report.active, measured: report.measured });
    const patch = measuredPatch(network);
    for (const m of report.measured)
      if (m.msPerStep)
        this.reliability.speeds.add(
          m.name,
          { patch, batch: this.settings.batch, network, size: this.settings.size },
          m.msPerStep,
        );
  }

  /** Reopens a saved experiment; resolves to its settings (the caller applies them, then it is prepared). */
  reopen = async (id: string): Promise<Settings> => {
    await this.client?.call('control', { action: 'stop' }).catch(() => undefined);
    const rec = await this.reliability.requestResume(id, false);
    const settings = recordSettings(rec);
    this.settings = settings;
    await this.prepare();
    return settings;
  };

  /** Shows and trains on prepared data from a source from now on; null, null: back to the phantom. */
  adoptData = (summary: DataSummary | null, source: DataSource | null): void => {
    this.source = source;
    this.set({ dataSource: source?.label ?? null });
    if (!summary) return void this.prepare();
    this.clearRuns();
    this.set({ data: summary, error: null, phase: 'ready' });
  };

  setSnapshotSlice = (z: number): void => void this.client?.call('setSnapshotSlice', { z }).catch(() => undefined);

  /** A fault drill (teaching and tests; only with _debug=faults). */
  drill = async (drill: FaultDrill): Promise<string> => {
    if (!this.client) throw new Error('the engine is still starting');
    return (await this.client.call('debugFault', { drill })).message;
  };

  private async ensureRuns(): Promise<void> {
    const client = this.client;
    if (!client || this.runsCreated) return;
    const s = this.settings;
    const reqs = buildRunRequests(s);
    const data = this.getState().data;
    this.runs.reset(
      reqs.map((r) => ({
        id: r.runId,
        label: s.seeds > 1 ? `${r.loss} s${r.seed}` : r.loss,
        color: runColor(r.loss),
        config: {
          loss: r.loss,
          lr: r.lr,
          network: r.network,
          patch: data?.patch ?? '',
          batch: s.batch,
          seed: r.seed,
          ...(r.init ? { init: r.init } : {}),
          ...r.lossOptions,
        },
        totalSteps: r.steps,
      })),
    );
    // A warm start needs its checkpoint in the engine: it fetches it from models/ beside the page, once per id.
    if (s.init) await client.call('loadCheckpoint', { id: s.init, base: this.o.modelsBase ?? '/' });
    await client.call('createRuns', { runs: reqs });
    this.runsCreated = true;
    if (!this.source) this.reliability.beginExperiment(experimentQuery(s), this.getState().backend?.active ?? '');
  }

  /** New runs that would not fit wait for a confirmation (shown as a dialog); true: do not start yet. */
  private needsConfirmation(): boolean {
    const e = this.runsCreated || this.confirmedKey === confirmKey(this.settings) ? null : this.estimate();
    const confirm = e && !e.fits ? e : null;
    if (confirm || this.getState().confirm) this.set({ confirm });
    return confirm !== null;
  }

  private clearRuns(): void {
    if (this.runsCreated) void this.client?.call('control', { action: 'stop' }).catch(() => undefined);
    this.runsCreated = false;
    this.runs.reset([]);
  }

  private isFinishedNow(): boolean {
    const runs = this.runs.getState().runs;
    return runs.length > 0 && runs.every((r) => isFinished(r.status));
  }

  /** Nothing running any more: the race is finished, or paused between steps. */
  private afterStatus(): void {
    const runs = this.runs.getState().runs;
    if (runs.some((r) => r.status === 'running')) return;
    if (this.isFinishedNow()) this.set({ phase: 'finished' });
    else if (this.playing) this.set({ phase: 'paused' });
  }

  private async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
      if (this.getState().error) this.set({ error: null });
    } catch (err) {
      this.set({ error: withMemoryAdvice(err, memorySettings(this.settings)) });
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
