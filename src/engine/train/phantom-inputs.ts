// A phantom dataset's size and the inputs of its phantoms, apart from the dataset code: the page's phantom
// helpers read them to start on a link's first phantoms before the engine has loaded (no heavy imports here).
import { DEFAULT_DIFFICULTY } from '../../domain/difficulty';
import type { DataRequest } from '../../domain/engine-types';
import type { PhantomInput } from '../data/phantom';

export const DATASET_DEFAULTS = { trainSubjects: 2, validationSubjects: 1, validationSlices: 6, slab3d: 16 };

/** The phantoms a request needs: training subjects, then validation subjects. */
export function phantomInputs(req: DataRequest): PhantomInput[] {
  const n =
    (req.trainSubjects ?? DATASET_DEFAULTS.trainSubjects) + (req.validationSubjects ?? DATASET_DEFAULTS.validationSubjects);
  return Array.from({ length: n }, (_, i) => ({
    seed: req.seed * 1000 + i,
    noise: req.noise,
    difficulty: req.difficulty ?? DEFAULT_DIFFICULTY,
    lesion: { kind: req.lesion, fraction: req.fraction },
    ...(req.shape ? { shape: req.shape } : {}),
  }));
}
