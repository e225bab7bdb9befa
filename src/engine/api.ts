// The engine's public surface, shared by the worker and the in-thread client. Plain data only:
// every argument and result must survive structured cloning.
import type { ControlAction, DataRequest, DataSummary, RunRequest } from '../domain/engine-types';
import type { BenchRequest, BenchResult } from './backend/bench';
import type { BackendChoice, BackendReport } from './backend/backend';
import type { AutoParams } from './backend/measure';
import type { RunCheckpoint } from './train/checkpoint';
import type { EngineFault, FaultDrill } from './backend/device-watch';
import type { RunEvents } from './train/events';
import type { StartSweepRequest, StartSweepResult, SweepAction, SweepProgress, SweepRunState } from '../domain/sweep/types';
import type { IoApi } from './io/api';
import type { ExplorerRequest, ExplorerResult } from './explorer/synthetic';
import type { ExportProjectRequest, ExportProjectResult } from './export/api';

export type {
  ControlAction,
  DataRequest,
  DataSummary,
  RunRequest,
  VolumeData,
} from '../domain/engine-types';

/** What the page sends for auto: network, batch, remembered choices, _measure=all. */
export type AutoMeasureRequest = Pick<AutoParams, 'network' | 'batch' | 'patch' | 'remembered' | 'includeSoftware'>;

export interface EngineApi extends IoApi {
  /** Selects the backend; call before anything that computes. */
  init(req: {
    backend?: BackendChoice /** Enables debugFault (test and teaching drills). */;
    debug?: boolean;
    /** auto: the page's network to time on each usable backend, and the choices it remembers. */
    measure?: AutoMeasureRequest;
    /** The data the page will ask for next: its phantoms are made while the backend starts (unless backends are timed). */
    prefetch?: DataRequest;
  }): Promise<BackendReport>;
  /** Generates the phantom subjects and the patch sampler; replaces any previous data (and runs). */
  prepareData(req: DataRequest): Promise<DataSummary>;
  /** Creates runs on the current data (same seed -> same start and batches); replaces previous runs. */
  createRuns(req: { runs: RunRequest[] }): Promise<{ runIds: string[]; params: Record<string, number> }>;
  control(req: { action: ControlAction }): Promise<{ playing: boolean }>;
  setLearningRate(req: { lr: number; runId?: string }): Promise<void>;
  /** Axial slice for prediction snapshots; snapshots every run there at once. */
  setSnapshotSlice(req: { z: number }): Promise<void>;
  /** Times the reference net on one backend, engine Trainer vs a bare tfjs loop (npm run bench). */
  benchmark(req: BenchRequest): Promise<BenchResult>;
  /** Loss explorer curves from computeLoss and autodiff on a synthetic image (src/engine/explorer). */
  explorerCurves(req: ExplorerRequest): Promise<ExplorerResult>;
  /** Starts a sweep (loss x LR x patch x burden x seed) in the background; progress comes as 'sweep' events. */
  startSweep(req: StartSweepRequest): Promise<StartSweepResult>;
  controlSweep(req: { action: SweepAction }): Promise<{ state: SweepRunState | 'idle' }>;
  /** "Take it further": the data, the Python project and each run's weights as one zip (src/engine/export). */
  exportProject(req: ExportProjectRequest): Promise<ExportProjectResult>;
  /** Every run's weights, optimizer state and step (typed arrays, transferred). */
  checkpoint(req: Record<string, never>): Promise<RunCheckpoint[]>;
  /** Heartbeat: answers at once between steps; a dead worker never does. */
  ping(req: { t: number }): Promise<{ t: number }>;
  /** Causes a fault on purpose; only after init({ debug: true }). */
  debugFault(req: { drill: FaultDrill }): Promise<{ message: string }>;
}

/** Events the engine emits; it never knows who listens. */
export interface EngineEvents extends RunEvents {
  log: { level: 'info' | 'warn' | 'error'; message: string };
  /** Posted from a worker between kernels of a long step (at most once a second): it is alive, only busy. */
  alive: { t: number; longestKernelMs: number };
  sweep: SweepProgress;
  /** The GPU under the backend went away: the runs cannot go on in this engine. */
  fault: EngineFault;
}

export type EngineMethod = keyof EngineApi;
export type EngineEventName = keyof EngineEvents;
export type Emit = <K extends EngineEventName>(name: K, payload: EngineEvents[K]) => void;
