// The export's runs as an app sweep (src/domain/sweep): when they form a grid the Sweeps view can hold,
// experiment.json carries its SweepSpec, each run's cell (key, loss, lr, patch, burden, seed) and the data
// groups, and sweep.py writes results/sweep.json in the app's sweep file format (parseSweepFile reads it).
// Otherwise the reason, in a sentence the export's README repeats.
import { DEFAULT_DIFFICULTY } from '../../domain/difficulty';
import type { LossId } from '../../domain/loss-option-types';
import { resolveLossOptions } from '../../domain/loss-options';
import type { NetworkKind } from '../../domain/network-spec';
import { phantomShape } from '../../domain/phantom';
import { SWEEP_FILE_FORMAT, SWEEP_FILE_VERSION } from '../../domain/sweep/format';
import { cellKey, checkSweepSpec, groupKey } from '../../domain/sweep/plan';
import { CURVE_POINTS, type GroupInfo, type SweepCell, type SweepSpec, WINDOW_VALIDATIONS } from '../../domain/sweep/types';
import { DATASET_DEFAULTS, type Dataset } from '../train/dataset';
import { pytorchOptions } from './pytorch-support';

/** What sweep.py needs to write the app's sweep file (SWEEP_FILE_FORMAT, version 1). */
export interface ExportedSweep {
  format: typeof SWEEP_FILE_FORMAT;
  version: typeof SWEEP_FILE_VERSION;
  spec: SweepSpec;
  /** One per run of experiment.json, in its order: the run's cell of the grid. */
  cells: (SweepCell & { runId: string })[];
  /** Data groups (burden, patch, seed): the export's one dataset for every seed. */
  groups: GroupInfo[];
  /** The app's constants sweep.py follows: window validations per run, curve points per run. */
  windowValidations: number;
  curvePoints: number;
}

interface GridRun {
  runId: string;
  loss: LossId;
  lossOptions: Record<string, unknown>;
  lr: number;
  steps: number;
  seed: number;
}

/** A fifth of the steps (the presets' 60 of 300, the paper's 200 of 1000), at least 1. */
export const defaultLastK = (steps: number): number => Math.max(1, Math.round(steps / 5));

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The runs as a sweep the Sweeps view imports, or why they are not one. Runs are already file-safe. */
export function exportedSweep(params: {
  name: string;
  ds: Dataset;
  network: NetworkKind;
  runs: readonly GridRun[];
  lastK?: number;
  /** Whether any run starts from trained weights (the page's, or a checkpoint's) instead of its seed's. */
  fromTrained: boolean;
}): { sweep: ExportedSweep } | { reason: string } {
  const { ds, runs } = params;
  const req = ds.request;
  if (!req) return { reason: 'the data are your own volumes; a sweep of the app is defined on its phantoms' };
  if (params.fromTrained)
    return { reason: "runs start from trained weights; a sweep's runs start from their seed's initial weights at step 1" };
  const dims = ds.train[0].dims;
  const size = dims[0];
  if (!sameJson(dims, phantomShape(size)))
    return { reason: `the phantom's shape ${dims.join('x')} is not a sweep phantom's (side x side x 3/4 side)` };
  if (
    (req.trainSubjects ?? DATASET_DEFAULTS.trainSubjects) !== DATASET_DEFAULTS.trainSubjects ||
    (req.validationSubjects ?? DATASET_DEFAULTS.validationSubjects) !== DATASET_DEFAULTS.validationSubjects
  )
    return {
      reason: `a sweep trains on ${DATASET_DEFAULTS.trainSubjects} phantoms and validates on ${DATASET_DEFAULTS.validationSubjects}`,
    };
  const resolved = (loss: LossId, options: Record<string, unknown>) =>
    pytorchOptions(loss, resolveLossOptions(loss, options) as unknown as Record<string, unknown>);
  const custom = runs.find((r) => !sameJson(resolved(r.loss, r.lossOptions), resolved(r.loss, {})));
  if (custom)
    return { reason: `run '${custom.runId}' sets options of ${custom.loss}; a sweep trains every loss with its defaults` };
  const steps = runs[0].steps;
  if (runs.some((r) => r.steps !== steps)) return { reason: 'the runs train for different numbers of steps' };
  const losses = [...new Set(runs.map((r) => r.loss))];
  const lrs = [...new Set(runs.map((r) => r.lr))];
  const seeds = [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b);
  if (seeds.some((s, i) => s !== seeds[0] + i))
    return { reason: `the seeds ${seeds.join(', ')} are not consecutive (a sweep's are first, first + 1, ...)` };
  const cellOf = (r: GridRun) => `${r.loss}|${r.lr}|${r.seed}`;
  if (new Set(runs.map(cellOf)).size !== runs.length || runs.length !== losses.length * lrs.length * seeds.length)
    return { reason: 'the runs are not every loss x learning rate x seed once' };
  const patch = { id: String(req.patch), patch: req.patch, batch: req.batch };
  const spec: SweepSpec = {
    name: params.name.slice(0, 120),
    network: params.network,
    losses,
    lrs,
    patches: [patch],
    burdens: [req.fraction],
    seeds: seeds.length,
    firstSeed: seeds[0],
    steps,
    lastK: Math.min(steps, params.lastK ?? defaultLastK(steps)),
    lesion: req.lesion,
    noise: req.noise,
    difficulty: req.difficulty ?? DEFAULT_DIFFICULTY,
    size,
  };
  const problems = checkSweepSpec(spec);
  if (problems.length > 0) return { reason: `the grid breaks the app's sweep rules (${problems.join('; ')})` };
  const cells = runs.map((r) => {
    const c = { loss: r.loss, lr: r.lr, patch: patch.id, burden: req.fraction, seed: r.seed };
    return { runId: r.runId, key: cellKey(c), ...c };
  });
  const side = typeof ds.spec.size === 'number' ? ds.spec.size : ds.spec.size[0];
  const groups: GroupInfo[] = seeds.map((seed) => ({
    key: groupKey({ burden: req.fraction, patch: patch.id, seed }),
    burden: req.fraction,
    patch: patch.id,
    seed,
    side,
    batch: req.batch,
    patchImbalance: ds.patchImbalance,
    achievedFraction: ds.achievedFraction,
    ...(ds.baseline ? { baselineDice: ds.baseline.dice } : {}),
  }));
  return {
    sweep: {
      format: SWEEP_FILE_FORMAT,
      version: SWEEP_FILE_VERSION,
      spec,
      cells,
      groups,
      windowValidations: WINDOW_VALIDATIONS,
      curvePoints: CURVE_POINTS,
    },
  };
}
