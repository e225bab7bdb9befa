// Saved records stay small for long runs: the most recent points at full resolution (the runs table's
// last-K statistics and the trainer's collapse check read them exactly), min/max buckets before them.
// The format is today's (lists of points, just fewer of the old ones), so every record loads as before.
import type { StepPoint } from '../../engine/train/events';
import { MinMaxSummary } from '../series';
import type { RunSummary } from '../store';

export const COMPACT_LIMITS = {
  /** Step points kept exactly at the end: far more than any last-K window (the table uses 50). */
  recentSteps: 5_000,
  /** Step points at most for everything before them (min/max of loss and training Dice). */
  historySteps: 2_000,
  recentValidation: 1_000,
  historyValidation: 1_000,
};

export type CompactLimits = typeof COMPACT_LIMITS;

/** A run as saved: fresh arrays (the store's grow in place), long series cut down. */
export function compactRun(run: RunSummary, limits: CompactLimits = COMPACT_LIMITS): RunSummary {
  const steps = compactSeries({
    points: run.steps,
    recent: limits.recentSteps,
    history: limits.historySteps,
    values: [(p) => p.loss, (p) => p.trainDice],
    extra: collapseEdge,
  });
  const validation = compactSeries({
    points: run.validation,
    recent: limits.recentValidation,
    history: limits.historyValidation,
    values: [(p) => p.dice],
  });
  return { ...run, steps, validation, lrChanges: run.lrChanges.slice() };
}

function compactSeries<T extends { step: number }>(p: {
  points: readonly T[];
  recent: number;
  history: number;
  values: readonly ((x: T) => number)[];
  /** Indices that must survive besides the buckets' (sorted). */
  extra?: (points: readonly T[]) => number[];
}): T[] {
  const { points } = p;
  if (points.length <= p.recent + p.history) return points.slice();
  const cut = points.length - p.recent;
  const summary = new MinMaxSummary<T>({ x: (x) => x.step, values: p.values, maxPoints: p.history });
  for (let i = 0; i < cut; i++) summary.push(points[i]);
  const keep = [...summary.indices(), ...(p.extra?.(points) ?? []).filter((i) => i < cut)].sort((a, b) => a - b);
  const out: T[] = [];
  for (const [j, i] of keep.entries()) if (j === 0 || i !== keep[j - 1]) out.push(points[i]);
  for (let i = cut; i < points.length; i++) out.push(points[i]);
  return out;
}

/**
 * The last step whose batch prediction was mixed (0 < fg < 1) and the one after it: the trainer's
 * collapse check (findCollapse) on a resumed run depends on exactly these two points.
 */
function collapseEdge(points: readonly StepPoint[]): number[] {
  for (let i = points.length - 1; i >= 0; i--) {
    const fg = points[i].predictedFg;
    if (fg > 0 && fg < 1) return i + 1 < points.length ? [i, i + 1] : [i];
  }
  return [];
}
