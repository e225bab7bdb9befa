// Checkpoints of a run: model weights (trainable and batch-norm statistics), Adam's state and the
// step, as plain typed arrays. Restoring one into a fresh trainer on the same data continues the run
// exactly where it stopped: batches depend only on (seed, step), Adam's moments and step count come back.
import * as tf from '@tensorflow/tfjs';
import { EngineError } from '../../domain/errors';
import type { Trainer } from './trainer';

export type { ResumeState, RunCheckpoint, TensorData } from '../../domain/engine-types';
import type { ResumeState, RunCheckpoint, TensorData } from '../../domain/engine-types';

async function read(t: tf.Tensor): Promise<TensorData> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  const raw = await t.data();
  const data = dtype === 'int32' ? Int32Array.from(raw as Int32Array) : Float32Array.from(raw as Float32Array);
  return { shape: [...t.shape], dtype, data };
}

function toTensor(d: TensorData): tf.Tensor {
  return tf.tensor(d.data, d.shape, d.dtype);
}

/** Reads a trainer's state. Call between steps (Runner.between) so weights and step agree. */
export async function captureTrainer(trainer: Trainer): Promise<RunCheckpoint> {
  const { model, optimizer } = trainer.checkpointParts;
  // Clones hold the current buffers even if a step assigns new ones while the reads are in flight.
  const weights = tf.tidy(() => model.getWeights().map((w) => w.clone()));
  const named = await optimizer.getWeights();
  const moments = tf.tidy(() => named.slice(1).map((n) => n.tensor.clone()));
  const iter = named[0].tensor;
  try {
    return {
      runId: trainer.runId,
      step: trainer.step,
      lr: trainer.lr,
      weights: await Promise.all(weights.map(read)),
      optimizer: await Promise.all([iter, ...moments].map(read)),
      backend: tf.getBackend(),
      savedAt: Date.now(),
    };
  } finally {
    tf.dispose([...weights, ...moments, iter]);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Checks a resume state against a model before touching anything; returns the first problem. */
export function checkResume(model: tf.LayersModel, state: ResumeState): string | null {
  if (!Number.isInteger(state.step) || state.step < 0) return `bad step ${state.step}`;
  if (!(state.lr > 0 && state.lr <= 1)) return `bad learning rate ${state.lr}`;
  const current = model.getWeights();
  if (state.weights.length !== current.length)
    return `the checkpoint has ${state.weights.length} weight tensors, the network ${current.length}`;
  for (let i = 0; i < current.length; i++) {
    const w = state.weights[i];
    if (!sameShape(w.shape, current[i].shape)) return `weight ${i} has shape [${w.shape}], the network [${current[i].shape}]`;
    if (w.data.length !== current[i].size) return `weight ${i} has ${w.data.length} values, expected ${current[i].size}`;
  }
  const trainable = model.trainableWeights.length;
  // Adam before its first step has only the iteration count.
  if (state.optimizer.length !== 1 && state.optimizer.length !== 1 + 2 * trainable)
    return `the optimizer state has ${state.optimizer.length} tensors, expected ${1 + 2 * trainable}`;
  for (const t of state.optimizer) {
    const size = t.shape.reduce((a, v) => a * v, 1);
    if (t.data.length !== size) return `an optimizer tensor has ${t.data.length} values for shape [${t.shape}]`;
  }
  return null;
}

/** Loads a resume state into a freshly built trainer (its model and its Adam optimizer). */
export async function restoreTrainer(trainer: Trainer, state: ResumeState): Promise<void> {
  const { model, optimizer } = trainer.checkpointParts;
  const problem = checkResume(model, state);
  if (problem) throw new EngineError('invalid-request', `cannot continue ${trainer.runId}: ${problem}`);
  const weights = state.weights.map(toTensor);
  model.setWeights(weights);
  tf.dispose(weights);
  if (state.optimizer.length > 1) {
    const tensors = state.optimizer.map(toTensor);
    // setWeights makes its own variables from these; the inputs can go afterwards.
    await optimizer.setWeights(tensors.map((tensor, i) => ({ name: `ckpt_${i}`, tensor })));
    tf.dispose(tensors);
  }
  trainer.resumeAt({ step: state.step, lr: state.lr, history: state.history ?? [] });
}
