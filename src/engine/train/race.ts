// Builds a race: one Trainer per run on one shared batch source, each owning a fresh model made from
// its run's seed (same seed -> same initial weights, the paper's fair start). The Session and the
// sweep runner both build their races here.
import { EngineError } from '../../domain/errors';
import { boundaryWeightAt } from '../../domain/losses';
import * as tf from '@tensorflow/tfjs';
import { computeLoss, isLossId, needsDistanceMaps, resolveLossOptions } from '../losses';
import { createNetwork, type NetworkKind } from '../networks';
import type { RunEmit } from './events';
import type { BatchSource } from './source';
import { type LossFn, Trainer, type TrainerParams } from './trainer';

function lossFnFor(id: string, options: Record<string, unknown>): LossFn {
  if (!isLossId(id)) throw new EngineError('invalid-request', `unknown loss '${id}'`);
  const resolved = resolveLossOptions(id, options);
  const fn: LossFn = (yTrue, yPred, context) => computeLoss(id, yTrue, yPred, resolved, context);
  if (!needsDistanceMaps(id)) return fn;
  // The boundary loss reads the maps only while its weight is above 0 (as train.py's needs_distance).
  const o = resolved as Parameters<typeof boundaryWeightAt>[0];
  return Object.assign(fn, { needsDistance: (step: number) => boundaryWeightAt(o, step) > 0 });
}

/** Why a loss cannot train on `classes` classes (e.g. the paper's two-class DL2), or null: tried on a 1-voxel input. */
function lossProblem(loss: LossFn, classes: number): string | null {
  try {
    tf.tidy(() => {
      const y = tf.oneHot(tf.tensor1d([classes - 1], 'int32'), classes).reshape([1, 1, 1, classes]);
      loss(y, tf.fill([1, 1, 1, classes], 1 / classes));
    });
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export type TrainerSchedule = Partial<
  Pick<TrainerParams, 'readEvery' | 'validateEvery' | 'validateFrom' | 'snapshotEvery' | 'collapseMinSteps'>
>;

export interface RaceRun {
  runId: string;
  loss: string;
  lossOptions: Record<string, unknown>;
  lr: number;
  steps: number;
  seed: number;
}

export interface RaceParams {
  network: NetworkKind;
  inChannels: number;
  numClasses: number;
  source: BatchSource;
  emit: RunEmit;
  runs: readonly RaceRun[];
  trainer?: TrainerSchedule;
  /** Loads weights into run i's fresh model before its trainer is made (warm start); may throw. */
  initModel?: (index: number, model: tf.LayersModel) => void;
}

export interface Race {
  trainers: Trainer[];
  /** Per run: why its loss cannot train on this many classes, or null. */
  problems: (string | null)[];
}

/** Every loss is resolved before any model is built; on a failure nothing built is left behind. */
export function buildRace(p: RaceParams): Race {
  const losses = p.runs.map((r) => lossFnFor(r.loss, r.lossOptions));
  // A loss defined for two classes only ends its own run with the reason; the rest of the race trains.
  const problems = losses.map((l) => (p.numClasses === 2 ? null : lossProblem(l, p.numClasses)));
  const trainers: Trainer[] = [];
  try {
    for (const [i, r] of p.runs.entries()) {
      const model = createNetwork({ kind: p.network, inChannels: p.inChannels, numClasses: p.numClasses, seed: r.seed });
      try {
        p.initModel?.(i, model);
      } catch (err) {
        model.dispose();
        throw err;
      }
      trainers.push(
        new Trainer({
          runId: r.runId,
          model,
          source: p.source,
          loss: losses[i],
          lr: r.lr,
          steps: r.steps,
          batchStream: r.seed,
          emit: p.emit,
          ...p.trainer,
        }),
      );
    }
  } catch (err) {
    for (const t of trainers) t.dispose();
    throw err;
  }
  return { trainers, problems };
}
