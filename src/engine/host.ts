// Implements EngineApi on whatever thread imports it (worker or main thread).
import type { EngineApi, Emit } from './api';
import { EngineError, engineError } from './errors';
import { explorerCurves } from './explorer';
import { runBenchmark } from './backend/bench';
import { selectBackend } from './backend/backend';
import { autoBackend, type DeviceProbe, gpuKind, probeWebGlRenderer } from './backend/measure';
import { runFaultDrill, watchDevice } from './backend/device-watch';
import { Session } from './train/session';
import type { PhantomMaker, ThreadGate } from './data/phantom-maker';
import { createSweepMethods } from './sweep/host';
import { IoController, ioMethods } from './io/io-host';
import { exportProjectFrom } from './export/host-export';

/** The same methods, each rejecting with an EngineError (classified here, where the failure happens). */
function classified(api: EngineApi): EngineApi {
  const out: Record<string, (arg: unknown) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(api) as [string, (arg: unknown) => Promise<unknown>][]) {
    out[name] = async (arg) => {
      try {
        return await fn(arg);
      } catch (err) {
        throw engineError(err);
      }
    };
  }
  return out as unknown as EngineApi;
}

export interface HostOptions {
  makePhantoms?: PhantomMaker;
  /** Held while the backend starts, so that this thread's phantom work waits (helpers go on). */
  gate?: ThreadGate;
  /** The device probed before the page's init came (the worker starts it at once); the first auto init uses it. */
  probe?: Promise<DeviceProbe>;
  /** Awaited before auto times backends (the page's helpers finish the phantoms they started on their own). */
  beforeTiming?: () => Promise<void>;
}

export function createEngineHost(emit: Emit, opts: HostOptions = {}): EngineApi {
  // Warm starts copy weights from checkpoints loaded through the io methods.
  const session = new Session(emit, {
    warmStart: (id, model) => io.checkpoints.applyTo(id, model),
    ...(opts.makePhantoms ? { makePhantoms: opts.makePhantoms } : {}),
  });
  const io = new IoController(session);
  let debug = false;
  let unwatch = () => {};
  let early = opts.probe; // only for the first init: a later one (another backend, a fault) probes afresh
  return classified({
    async init({ backend, debug: drills, measure, prefetch }) {
      let fetched = false;
      const prefetchNow = () => {
        if (prefetch && !fetched) session.prefetch(prefetch);
        fetched = true;
      };
      // auto with the page's network: chosen by measurement (or a remembered one); else the fixed order.
      // The phantoms are made meanwhile, except while backends are timed (they would share the cores).
      const auto = (backend ?? 'auto') === 'auto' && measure;
      if (!auto) prefetchNow();
      const starting = auto
        ? autoBackend({
            ...measure,
            ...(early ? { probe: early } : {}),
            ...(opts.beforeTiming ? { beforeTiming: opts.beforeTiming } : {}),
            onPlan: ({ measuring }) => !measuring && prefetchNow(),
          })
        : selectBackend({ requested: backend });
      early = undefined;
      opts.gate?.hold(starting);
      const active = await starting;
      const gpu = gpuKind(active.active, active.adapter, probeWebGlRenderer);
      const report = gpu ? { ...active, gpu } : active;
      prefetchNow();
      const w = report.wasm;
      const threads = w ? ` (${w.threads} thread${w.threads === 1 ? '' : 's'}${w.reason ? `: ${w.reason}` : ''})` : '';
      emit('log', { level: 'info', message: `backend ${report.active}${threads}` });
      debug = drills === true;
      unwatch();
      unwatch = watchDevice((fault) => emit('fault', fault));
      return report;
    },
    prepareData: (req) => session.prepareData(req),
    createRuns: ({ runs }) => session.createRuns(runs),
    control: ({ action }) => session.control(action),
    async setLearningRate({ lr, runId }) {
      session.setLearningRate(lr, runId);
    },
    setSnapshotSlice: ({ z }) => session.setSnapshotSlice(z),
    benchmark: (req) => runBenchmark(req),
    explorerCurves: (req) => explorerCurves(req),
    // One thing trains at a time: a sweep pauses the playground's runs.
    ...createSweepMethods({ emit, beforeStart: () => session.control('pause') }),
    exportProject: (req) => exportProjectFrom(session, req),
    checkpoint: () => session.checkpoint(),
    ping: async ({ t }) => ({ t }),
    async debugFault({ drill }) {
      if (!debug) throw new EngineError('unsupported', 'fault drills are off (the page enables them with _debug=faults)');
      return { message: runFaultDrill(drill) };
    },
    ...ioMethods(io),
  });
}
