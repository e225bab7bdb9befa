// What the page asks the engine for: the data request and one run request per raced loss, each with
// only the options its loss owns. Pure, so the contract test builds exactly what the page sends.
import type { DataRequest, RunRequest } from '../engine/api';
import { optionsFor } from '../domain/loss-options';
import { phantomShape } from '../domain/phantom';
import { patchAndBatch, type Settings, selectedLosses } from './settings';

/** Per loss, one run per replicate seed (seed, seed + 1, ...): the same seed starts every loss from the same weights. */
export function buildRunRequests(s: Settings): RunRequest[] {
  const seeds = Array.from({ length: Math.max(1, s.seeds) }, (_, k) => s.seed + k);
  return selectedLosses(s).flatMap((loss) =>
    seeds.map((seed) => ({
      runId: `${loss}-${seed}`,
      loss,
      lossOptions: optionsFor(loss, s.lossOptions),
      lr: s.lr,
      network: s.network,
      steps: s.steps,
      seed,
      ...(s.init ? { init: s.init } : {}),
    })),
  );
}

export function buildDataRequest(s: Settings): DataRequest {
  const { patch, batch } = patchAndBatch(s);
  return {
    seed: s.seed,
    lesion: s.lesion,
    fraction: s.fraction,
    noise: s.noise,
    difficulty: s.difficulty,
    patch,
    batch,
    network: s.network,
    shape: phantomShape(s.size),
  };
}
