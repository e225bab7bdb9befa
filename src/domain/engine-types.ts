// The engine API's plain-data types: requests, summaries, run events and checkpoints. Structured-clone
// safe; the engine, the worker protocol, the page's controllers and the tests all speak them.
import type { Difficulty } from './difficulty';
import type { ErrorCode } from './errors';
import type { LossId } from './losses';
import type { ValidationMetrics } from './metrics';
import type { NetworkKind } from './networks';
import type { LesionKind } from './phantom';
import type { RunStatus } from './runs';

export interface VolumeData {
  name: string;
  dims: [number, number, number];
  spacing: [number, number, number];
  /** Row-major 4x4 voxel -> world (mm). */
  affine: number[];
  data: Float32Array;
}

/** What the data panel controls: the phantom subjects and how patches are cut from them. */
export interface DataRequest {
  seed: number;
  lesion: LesionKind;
  fraction: number;
  noise: number;
  /** Phantom difficulty preset; absent: 'realistic' (DEFAULT_DIFFICULTY). */
  difficulty?: Difficulty;
  /** Patch side (2D) or cube side (3D) and batch size. */
  patch: number;
  batch: number;
  /** The network the patches are for: 2D nets get axial slices, 3D nets cubes; sizes snap to what it accepts. */
  network: NetworkKind;
  /** Phantom shape [x, y, z]; defaults to the engine's default phantom. */
  shape?: [number, number, number];
  trainSubjects?: number;
  validationSubjects?: number;
}

export interface DataSummary {
  /** The subject shown in the viewer (a validation subject: its predictions are on unseen data). */
  display: { images: VolumeData[]; modalities: string[]; label: Uint8Array };
  achievedFraction: number;
  /** Median foreground fraction of sampled training patches (the paper's Imbalance Ratio). */
  patchImbalance: number;
  /** Patch side really used (snapped to what the network accepts). */
  patch: number;
  subjects: { train: number; validation: number };
  /** Classes trained, background included (2 unless every class of a user label map is kept). */
  numClasses: number;
  /** The label value each class index stands for (user label maps kept whole); display.label holds indices. */
  classValues?: number[];
  /**
   * The trivial baseline: the best single-threshold Dice over modalities (threshold searched on the training
   * subjects inside the brain, bright or dark), measured on the validation subjects. Phantom data only.
   */
  baseline?: { dice: number; modality: string; threshold: number; direction: 'bright' | 'dark' };
  ms: number;
}

export interface RunRequest {
  runId: string;
  loss: LossId;
  /** Only options this loss owns (src/domain/loss-options.ts optionsFor). */
  lossOptions: Record<string, string | number | boolean>;
  lr: number;
  network: NetworkKind;
  steps: number;
  seed: number;
  /** Warm start: initial weights from a checkpoint loaded with loadCheckpoint (its id), not from the seed. */
  init?: string;
  /** Continue from a checkpoint (reload, lost device) instead of starting at step 0. */
  resume?: ResumeState;
}

export type ControlAction = 'play' | 'pause' | 'step' | 'stop';

export interface StepPoint {
  step: number;
  loss: number;
  /** Hard Dice of the foreground on the training batch (argmax). */
  trainDice: number;
  /** Fraction of the batch predicted foreground: 0 or 1 for long means a collapsed run. */
  predictedFg: number;
  /** Wall time per step averaged over the read window (includes GPU time, since it waits for the read). */
  msPerStep: number;
  lr: number;
}

export interface RunEvents {
  /**
   * code: why an 'error' status happened (e.g. 'out-of-memory'), classified where it was caught.
   * verdict: present when the live verdict changes (the status itself unchanged): a collapse seen while the
   * run goes on, or null when it predicts both classes again.
   */
  status: {
    runId: string;
    status: RunStatus;
    step: number;
    message?: string;
    code?: ErrorCode;
    verdict?: LiveVerdict | null;
  };
  steps: { runId: string; points: StepPoint[] };
  /**
   * dice: mean over foreground classes and subjects; perClass (C > 2 only): each foreground class's mean;
   * metrics: the challenge metrics of foreground (any class) vs background, means over subjects (domain/metrics.ts).
   */
  validation: {
    runId: string;
    step: number;
    dice: number;
    perSubject: number[];
    perClass?: number[];
    /** Always set by the trainer; absent in events recorded before the metrics existed. */
    metrics?: ValidationMetrics;
  };
  /** probs: p(foreground) = 1 - p(background), so any class counts when there are more than two. */
  snapshot: { runId: string; step: number; height: number; width: number; probs: Float32Array };
  lr: { runId: string; step: number; lr: number };
}

export type RunEventName = keyof RunEvents;

/** A run predicting one class for the last K steps (the collapse rule's K) while it still trains. */
export interface LiveVerdict {
  kind: 'collapsed';
  /** First step of the one-class stretch. */
  since: number;
}
export interface TensorData {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

export interface RunCheckpoint {
  runId: string;
  /** Steps already taken: the next step is step + 1. */
  step: number;
  lr: number;
  /** model.getWeights() order. */
  weights: TensorData[];
  /** Adam's getWeights() order: iterations, first moments, second moments. */
  optimizer: TensorData[];
  /** Backend the weights were computed on. */
  backend: string;
  savedAt: number;
}

/** What a run request carries to continue from a checkpoint. */
export interface ResumeState {
  step: number;
  lr: number;
  weights: TensorData[];
  optimizer: TensorData[];
  /** Points recorded so far (collapse detection looks back over them). */
  history?: StepPoint[];
}
