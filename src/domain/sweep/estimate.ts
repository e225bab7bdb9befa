// Run count and a time estimate before a sweep starts. Step costs were measured here with the
// reference networks in Node on 2 cores (scripts/sweep.ts prints the real rate); they are a guide.
import type { BackendName } from '../backends';
import { stepCostMs } from '../step-cost';
import { planSweep } from './plan';
import type { SweepSpec } from './types';

/** Phantom generation for one group (3 subjects) at side 64, scaling with the volume. */
const DATA_MS_AT_64 = 500;
/** Building a model and its first (kernel-compiling) steps, per run. */
const RUN_SETUP_MS = 250;

export interface SweepEstimate {
  runs: number;
  groups: number;
  /** Sum of steps over all runs. */
  runSteps: number;
  ms: number;
  msPerStep: Record<string, number>;
  /** How much to trust the number. */
  basis: string;
}

export function estimateSweep(params: { spec: SweepSpec; backend: BackendName; skip?: ReadonlySet<string> }): SweepEstimate {
  const { spec, backend, skip } = params;
  const { groups } = planSweep(spec);
  const msPerStep: Record<string, number> = {};
  let ms = 0;
  let runs = 0;
  let groupsToRun = 0;
  for (const g of groups) {
    const todo = skip ? g.cells.filter((c) => !skip.has(c.key)).length : g.cells.length;
    const perStep = stepCostMs({ network: spec.network, patch: g.patch.patch, batch: g.patch.batch, backend });
    msPerStep[g.patch.id] = perStep;
    if (todo === 0) continue;
    groupsToRun++;
    runs += todo;
    ms += DATA_MS_AT_64 * (spec.size / 64) ** 3 + todo * (RUN_SETUP_MS + spec.steps * perStep);
  }
  const basis =
    backend === 'wasm'
      ? 'measured on wasm (2 CPU cores)'
      : backend === 'cpu'
        ? 'rough: plain cpu backend, measured per network against wasm'
        : `rough: ${backend} as measured on software rendering here (a real GPU is much faster)`;
  return { runs, groups: groupsToRun, runSteps: runs * spec.steps, ms, msPerStep, basis };
}
