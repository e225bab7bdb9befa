// Time left in a race from a robust recent rate: each unfinished run's remaining steps times the median
// ms/step of its last points (the first steps' warm-up and one slow read do not move it). Runs of a race
// take turns, so their times add up.
import { isFinished } from '../domain/runs';
import type { StepPoint } from '../domain/engine-types';
import type { RunSummary } from './store';

/** Points of each run's recent rate; enough to ride out a slow read, few enough to follow a change. */
export const ETA_WINDOW = 25;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A run's recent ms/step: the median over its last points, null before its first measured step. */
export function recentMsPerStep(steps: readonly StepPoint[]): number | null {
  const recent = steps
    .slice(-ETA_WINDOW)
    .map((p) => p.msPerStep)
    .filter((ms) => Number.isFinite(ms) && ms > 0);
  return recent.length > 0 ? median(recent) : null;
}

/** Milliseconds left, or null while no run has a measured rate yet. */
export function raceEtaMs(runs: readonly Pick<RunSummary, 'status' | 'steps' | 'totalSteps'>[]): number | null {
  const rates = runs.map((r) => recentMsPerStep(r.steps));
  const known = rates.filter((x): x is number => x !== null);
  if (known.length === 0) return null;
  // A run that has not stepped yet is expected to go at the others' pace.
  const fallback = median(known);
  return runs.reduce((t, r, i) => {
    if (isFinished(r.status)) return t;
    const left = Math.max(0, r.totalSteps - (r.steps.at(-1)?.step ?? 0));
    return t + left * (rates[i] ?? fallback);
  }, 0);
}
