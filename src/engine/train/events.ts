// Events a training run emits. Plain data (structured-clone safe); typed arrays move, not copy.
import type { ErrorCode } from '../../domain/errors';
import type { RunStatus } from '../../domain/runs';

export { isFinished, type RunStatus } from '../../domain/runs';

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
  /** code: why an 'error' status happened (e.g. 'out-of-memory'), classified where it was caught. */
  status: { runId: string; status: RunStatus; step: number; message?: string; code?: ErrorCode };
  steps: { runId: string; points: StepPoint[] };
  /** dice: mean over foreground classes and subjects; perClass (C > 2 only): each foreground class's mean. */
  validation: { runId: string; step: number; dice: number; perSubject: number[]; perClass?: number[] };
  /** probs: p(foreground) = 1 - p(background), so any class counts when there are more than two. */
  snapshot: { runId: string; step: number; height: number; width: number; probs: Float32Array };
  lr: { runId: string; step: number; lr: number };
}

export type RunEventName = keyof RunEvents;
export type RunEmit = <K extends RunEventName>(name: K, payload: RunEvents[K]) => void;
