// A sweep's data: the grid it asks for, the result of each run and the record the app stores.
// Plain data only (structured-clone and JSON safe); imports no tfjs, so the page can use it.
import type { Difficulty } from '../difficulty';
import type { LesionKind } from '../phantom';
import type { LossId } from '../losses';
import type { NetworkKind } from '../network-spec';
import type { MetricId, ValidationMetrics } from '../metrics';
import type { RunStatus } from '../runs';

export type SweepLesion = LesionKind;

/** A patch/batch preset (a row group of the paper's tables), e.g. { id: 'S', patch: 16, batch: 5 }. */
export interface PatchChoice {
  id: string;
  /** Side of the square (2D) or cubic (3D) patch in voxels. */
  patch: number;
  batch: number;
}

export interface SweepSpec {
  name: string;
  network: NetworkKind;
  losses: LossId[];
  lrs: number[];
  patches: PatchChoice[];
  /** Lesion burdens (foreground fraction of the phantom), one table each. */
  burdens: number[];
  /** Seeds per cell: firstSeed, firstSeed + 1, ... (the seed sets both phantom and initial weights). */
  seeds: number;
  firstSeed: number;
  steps: number;
  /** The statistic's window: median (IQR) of training Dice over the last K steps (the paper's 200). */
  lastK: number;
  lesion: SweepLesion;
  noise: number;
  /** Phantom difficulty; absent: the default (realistic), as for a DataRequest. Sweeps saved before it existed ran on easy. */
  difficulty?: Difficulty;
  /** Phantom side in voxels (x and y; z is 3/4 of it). */
  size: number;
}

/** One training run of the grid. */
export interface SweepCell {
  key: string;
  loss: LossId;
  lr: number;
  /** PatchChoice id. */
  patch: string;
  burden: number;
  seed: number;
}

/** Cells sharing one dataset (burden, patch, seed): built once, raced in lockstep. */
export interface SweepGroup {
  key: string;
  burden: number;
  patch: PatchChoice;
  seed: number;
  cells: SweepCell[];
}

/** What a finished run leaves behind: enough to recompute its statistic and draw its curve. */
export interface RunResult extends Omit<SweepCell, 'key'> {
  key: string;
  status: RunStatus;
  /** Last step reached (the divergence step for diverged runs). */
  step: number;
  /** Training Dice of the last K steps reached, oldest first. */
  window: number[];
  /** Training Dice over the whole run, averaged into at most CURVE_POINTS bins. */
  curve: number[];
  /** The challenge metrics of the validations in the last K steps (WINDOW_VALIDATIONS of them; absent in older files). */
  validation?: { step: number; metrics: ValidationMetrics }[];
  message?: string;
}

/** What a cell's median (IQR) is of: training Dice over the last K steps (the paper's), or a validation metric. */
export type SweepStatistic = 'trainDice' | MetricId;

/** Validations a sweep run makes in its last K steps, evenly spaced, the last at the final step. */
export const WINDOW_VALIDATIONS = 4;

/** What the data of one group turned out to be. */
export interface GroupInfo {
  key: string;
  burden: number;
  patch: string;
  seed: number;
  /** Patch side really used (snapped to what the network accepts and what fits the phantom). */
  side: number;
  batch: number;
  /** Median foreground fraction of training patches (the paper's imbalance ratio). */
  patchImbalance: number;
  achievedFraction: number;
  /** Validation Dice of the best single intensity threshold on this group's phantom (absent in older files). */
  baselineDice?: number;
}

export type SweepRunState = 'running' | 'paused' | 'done' | 'cancelled' | 'error';
/** 'interrupted': the page was closed while the sweep ran; it can be resumed from its finished runs. */
export type SweepState = SweepRunState | 'interrupted';

/** The 'sweep' engine event: progress, plus the runs and groups finished since the last event. */
export interface SweepProgress {
  sweepId: string;
  state: SweepRunState;
  runsDone: number;
  runsTotal: number;
  stepsDone: number;
  stepsTotal: number;
  /** The group in training, e.g. "burden 1%, patch S, seed 1". */
  current: string | null;
  /** Wall time per run-step measured in this sweep (all runs of a race together). */
  msPerStep: number | null;
  etaMs: number | null;
  elapsedMs: number;
  results: RunResult[];
  groups: GroupInfo[];
  message?: string;
}

export interface SweepRecord {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  spec: SweepSpec;
  state: SweepState;
  /** Backend the runs trained on (the last session's). */
  backend: string;
  results: RunResult[];
  groups: GroupInfo[];
  elapsedMs: number;
  message?: string;
}

export const CURVE_POINTS = 100;

export type SweepAction = 'pause' | 'resume' | 'cancel';

export interface StartSweepRequest {
  sweepId: string;
  spec: SweepSpec;
  /** Keys of runs already finished (resuming a stored sweep). */
  skip?: string[];
}

export interface StartSweepResult {
  runsTotal: number;
  runsToDo: number;
  groups: number;
}
