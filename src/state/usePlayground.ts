// The page's controller: owns the engine client, the run store and the settings, and turns UI
// intents (train, pause, step, reset, regenerate) into engine calls.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { DataSummary } from '../engine/api';
import type { BackendChoice, BackendReport } from '../engine/train/backend';
import { isFinished } from '../domain/runs';
import { createEngineClient, type EngineClient } from '../worker/client';
import { withMemoryAdvice } from './persist/faults';
import { faultDrillsRequested, Reliability } from './persist/reliability';
import { experimentQuery, recordSettings } from './persist/resume';
import { buildDataRequest, buildRunRequests } from './run-requests';
import { patchAndBatch, type Settings, serializeSettings } from './settings';
import { RunStore } from './store';

export const RUN_COLORS: Record<string, string> = {
  wce: '#e4572e',
  dl2: '#2e86ab',
  ss: '#a23b72',
  gdl: '#3bb273',
  ce: '#f18f01',
  dice: '#6c5b7b',
  focal: '#c06c84',
  tversky: '#355c7d',
  dice_ce: '#99b898',
};

export type Phase = 'starting' | 'generating' | 'ready' | 'training' | 'paused' | 'finished' | 'error';

/** Data other than the settings' phantom (the user's volumes): prepares them for the current network and patch. */
export interface DataSource {
  label: string;
  prepare: (client: EngineClient, req: { seed: number; patch: number; batch: number; network: string }) => Promise<DataSummary>;
}

export interface Playground {
  /** The engine client, for views that ask the engine for more than training (null until ready). */
  client: EngineClient | null;
  backend: BackendReport | null;
  data: DataSummary | null;
  phase: Phase;
  error: string | null;
  store: RunStore;
  playing: boolean;
  train: () => Promise<void>;
  pause: () => Promise<void>;
  step: () => Promise<void>;
  reset: () => Promise<void>;
  regenerate: () => Promise<void>;
  setSnapshotSlice: (z: number) => void;
  /** Saving, restoring and fault handling (src/state/persist). */
  reliability: Reliability;
  /** After a fault: a fresh engine on `backend`, the experiment continued from its last checkpoint. */
  recover: (backend: BackendChoice) => Promise<void>;
  /** Reopens a saved experiment; resolves to its settings (the caller applies them). */
  reopen: (id: string) => Promise<Settings>;
  /** Shows and trains on prepared data from a source from now on; null, null: back to the phantom. */
  adoptData: (summary: DataSummary | null, source: DataSource | null) => void;
  /** The adopted source's label, null while the data is the settings' phantom. */
  dataSource: string | null;
}

const memorySettings = (s: Settings) => ({ ...patchAndBatch(s), network: s.network, size: s.size });

export function usePlayground(settings: Settings): Playground {
  const [client, setClient] = useState<EngineClient | null>(null);
  const [backend, setBackend] = useState<BackendReport | null>(null);
  const [data, setData] = useState<DataSummary | null>(null);
  const [phase, setPhase] = useState<Phase>('starting');
  const [error, setError] = useState<string | null>(null);
  const sourceRef = useRef<DataSource | null>(null);
  const [dataSource, setDataSource] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const store = useMemo(() => new RunStore(250), []);
  const runsCreated = useRef(false);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const rel = useMemo(() => new Reliability({ store, debug: faultDrillsRequested(window.location.search) }), [store]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the page's first settings decide what a reload resumes
  const relReady = useMemo(() => rel.findInterrupted(experimentQuery(settings)), [rel]);
  const [engineGen, setEngineGen] = useState(0);
  const [resumeTick, setResumeTick] = useState(0);
  const backendOverride = useRef<BackendChoice | null>(null);
  const activeBackend = useRef('');

  // One client per mount (StrictMode mounts twice: the first is disposed), and a fresh one after a fault.
  // biome-ignore lint/correctness/useExhaustiveDependencies: engineGen asks for a fresh engine
  useEffect(() => {
    const c = createEngineClient();
    let live = true;
    const unwatch = rel.watch(c, {
      backend: () => activeBackend.current,
      settings: () => memorySettings(settingsRef.current),
      onStopped: () => setPlaying(false),
    });
    const offs = (['status', 'steps', 'validation', 'snapshot', 'lr'] as const).map((name) =>
      c.on(name, (payload) => store.apply(name, payload as never)),
    );
    // The store has applied the status already (registered first): nothing running means idle.
    offs.push(
      c.on('status', () => {
        const runs = store.getState().runs;
        if (runs.some((r) => r.status === 'running')) return;
        setPlaying(false);
        if (runs.length > 0 && runs.every((r) => isFinished(r.status))) setPhase('finished');
      }),
    );
    c.call('init', { backend: backendOverride.current ?? settingsRef.current.backend, debug: rel.debug })
      .then((report) => {
        if (!live) return;
        activeBackend.current = report.active;
        rel.persister.setBackend(report.active);
        setBackend(report);
        setClient(c);
      })
      .catch((err) => {
        if (!live) return;
        setError(err instanceof Error ? err.message : String(err));
        setPhase('error');
      });
    return () => {
      live = false;
      unwatch();
      for (const off of offs) off();
      c.dispose();
    };
  }, [store, rel, engineGen]);

  const dataKey = JSON.stringify([
    settings.seed,
    settings.lesion,
    settings.fraction,
    settings.noise,
    settings.size,
    patchAndBatch(settings),
    settings.network,
  ]);

  const prepare = useCallback(async () => {
    if (!client) return;
    const s = settingsRef.current;
    setPhase('generating');
    runsCreated.current = false;
    store.reset([]);
    setPlaying(false);
    try {
      const { patch, batch } = patchAndBatch(s);
      const source = sourceRef.current;
      const summary = source
        ? await source.prepare(client, { seed: s.seed, patch, batch, network: s.network })
        : await client.call('prepareData', buildDataRequest(s));
      setData(summary);
      setError(null);
      setPhase('ready');
      if (source) return; // saved experiments belong to phantom data
      // A reload, a fault or History may have left an experiment to put back on this data.
      await relReady;
      const resumed = await rel.resumeInto({
        client,
        query: experimentQuery(s),
        requests: buildRunRequests(s),
        backend: activeBackend.current,
      });
      if (resumed && resumed.created > 0) {
        runsCreated.current = true;
        setPhase('paused');
        if (resumed.autoplay) {
          await client.call('control', { action: 'play' });
          setPlaying(true);
          setPhase('training');
        }
      }
    } catch (err) {
      setError(withMemoryAdvice(err, memorySettings(settingsRef.current)));
      setPhase('error');
    }
  }, [client, store, rel, relReady]);

  // Data follows the data settings (debounced, so dragging the burden slider stays smooth).
  // biome-ignore lint/correctness/useExhaustiveDependencies: dataKey stands for the data settings
  useEffect(() => {
    if (!client) return;
    const t = setTimeout(() => void prepare(), 150);
    return () => clearTimeout(t);
    // resumeTick: reopening from History prepares again even when the data settings are unchanged.
  }, [client, dataKey, prepare, resumeTick]);

  // Any change of run settings invalidates existing runs (they would no longer match the URL).
  const runKey = JSON.stringify(buildRunRequests(settings));
  // biome-ignore lint/correctness/useExhaustiveDependencies: runKey stands for the run settings
  useEffect(() => {
    if (!runsCreated.current || !client) return;
    if (playing) return;
    runsCreated.current = false;
    void client.call('control', { action: 'stop' });
    store.reset([]);
    setPhase('ready');
  }, [runKey]);

  const ensureRuns = useCallback(async () => {
    if (!client || runsCreated.current) return;
    const s = settingsRef.current;
    const reqs = buildRunRequests(s);
    store.reset(
      reqs.map((r) => ({
        id: r.runId,
        label: r.loss,
        color: RUN_COLORS[r.loss] ?? '#888',
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
    if (s.init) {
      const base = new URL(import.meta.env.BASE_URL, window.location.href).href;
      await client.call('loadCheckpoint', { id: s.init, base });
    }
    await client.call('createRuns', { runs: reqs });
    runsCreated.current = true;
    if (!sourceRef.current) rel.beginExperiment(experimentQuery(s), activeBackend.current);
  }, [client, data, store, rel]);

  const guard = useCallback(async (fn: () => Promise<void>) => {
    try {
      await fn();
      setError(null);
    } catch (err) {
      setError(withMemoryAdvice(err, memorySettings(settingsRef.current)));
    }
  }, []);

  const recover = useCallback(
    async (to: BackendChoice) => {
      await rel.prepareRecovery();
      runsCreated.current = false;
      setPlaying(false);
      backendOverride.current = to;
      setClient(null);
      setEngineGen((g) => g + 1);
    },
    [rel],
  );

  const train = useCallback(
    () =>
      guard(async () => {
        if (!client || phase === 'generating' || !data) return;
        // After a lost device or a dead worker this engine cannot train: continue in a fresh one.
        const fault = rel.getState().fault;
        if (fault && fault.cause !== 'out-of-memory') return recover(fault.fallbacks[0] ?? 'auto');
        await ensureRuns();
        await client.call('control', { action: 'play' });
        setPlaying(true);
        setPhase('training');
      }),
    [client, data, phase, ensureRuns, guard, rel, recover],
  );

  const pause = useCallback(
    () =>
      guard(async () => {
        if (!client) return;
        await client.call('control', { action: 'pause' });
        setPlaying(false);
        setPhase('paused');
      }),
    [client, guard],
  );

  const step = useCallback(
    () =>
      guard(async () => {
        if (!client || playing || !data) return;
        await ensureRuns();
        await client.call('control', { action: 'step' });
        setPhase('paused');
      }),
    [client, playing, data, ensureRuns, guard],
  );

  const reset = useCallback(
    () =>
      guard(async () => {
        if (!client) return;
        await client.call('control', { action: 'stop' });
        runsCreated.current = false;
        setPlaying(false);
        store.reset([]);
        setPhase(data ? 'ready' : 'starting');
      }),
    [client, data, store, guard],
  );

  const reopen = useCallback(
    async (id: string) => {
      await client?.call('control', { action: 'stop' }).catch(() => undefined);
      setPlaying(false);
      const rec = await rel.requestResume(id, false);
      setResumeTick((t) => t + 1);
      return recordSettings(rec);
    },
    [client, rel],
  );

  const setSnapshotSlice = useCallback(
    (z: number) => void client?.call('setSnapshotSlice', { z }).catch(() => undefined),
    [client],
  );

  const adoptData = useCallback(
    (summary: DataSummary | null, source: DataSource | null) => {
      sourceRef.current = source;
      setDataSource(source?.label ?? null);
      if (!summary) return void prepare();
      runsCreated.current = false;
      store.reset([]);
      setPlaying(false);
      setData(summary);
      setError(null);
      setPhase('ready');
    },
    [prepare, store],
  );

  // Settings -> URL, so every experiment is a link.
  useEffect(() => {
    const q = serializeSettings(settings);
    const url = `${window.location.pathname}${q ? `?${q}` : ''}`;
    window.history.replaceState(null, '', url);
  }, [settings]);

  return {
    client,
    backend,
    data,
    phase,
    error,
    store,
    playing,
    train,
    pause,
    step,
    reset,
    regenerate: prepare,
    setSnapshotSlice,
    reliability: rel,
    recover,
    reopen,
    adoptData,
    dataSource,
  };
}

export function useRuns(store: RunStore) {
  return useSyncExternalStore(store.subscribe, store.getState);
}
