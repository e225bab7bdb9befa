// The paper's statistic per cell: median (IQR) of training Dice over the last K steps, pooled over the
// cell's seeds; and each seed's own statistic (the median of its window, the paper's number for one run)
// with their mean and 95% t interval, which the table shows once a cell has 2+ seeds. A diverged run counts as K zeros (the paper's "0 (0)"); a collapsed run counts as what
// it scored; a run that errored has no values. Failed runs are flagged either way.
// Any validation metric can be the statistic instead: each run gives its window validations' values; a
// diverged run gives zeros where higher is better and nothing where lower is (no finite worst distance).
import { type MeanCi, meanCi } from '../paired';
import { formatMedianIqr, type MedianIqr, medianIqr } from '../summary';
import type { RunStatus } from '../runs';
import { METRICS } from '../metrics';
import { CURVE_POINTS, type RunResult, type SweepStatistic, WINDOW_VALIDATIONS } from './types';

export type FailureKind = 'diverged' | 'collapsed' | 'error';
/** ok: every seed trained; failed: every finished seed failed; partial: some did. */
export type CellState = 'ok' | 'failed' | 'partial' | 'pending';

/** One seed's statistic in a cell: the median of that run's window values (NaN when it has none). */
export interface SeedStat {
  seed: number;
  value: number;
  failure: FailureKind | null;
}

/** Pooled median (IQR) fields are the paper's; perSeed and acrossSeeds keep the spread between seeds. */
export interface CellStats extends MedianIqr {
  state: CellState;
  /** Seeds with a result, out of seedsTotal. */
  seedsDone: number;
  seedsTotal: number;
  failures: FailureKind[];
  /** By ascending seed, one per seed with a result. */
  perSeed: SeedStat[];
  /** Mean and 95% t interval of the per-seed values (NaN values left out). */
  acrossSeeds: MeanCi;
  /** The paper's pooled text: "0.75 (0.14)", "0 (0)" for diverged runs, "…" while pending. */
  pooledText: string;
  /** What the table shows: pooledText for one seed per cell, "0.75 [0.70, 0.80]" (mean [95% CI]) for 2+. */
  text: string;
}

/** The cell's headline number: the pooled median for one seed per cell, the mean across seeds for 2+. */
export const cellValue = (c: CellStats): number => (c.seedsTotal >= 2 ? c.acrossSeeds.mean : c.median);

/** "0.75 [0.70, 0.80]"; one seed has no interval: "0.75 (1 seed)"; exact zeros print as "0". */
export function formatMeanCi(ci: MeanCi, digits = 2): string {
  const f = (x: number) => (x === 0 ? '0' : x.toFixed(digits));
  if (ci.n === 0) return 'n/a';
  if (ci.n === 1) return `${f(ci.mean)} (1 seed)`;
  return `${f(ci.mean)} [${f(ci.lo)}, ${f(ci.hi)}]`;
}

export function failureOf(status: RunStatus): FailureKind | null {
  return status === 'diverged' || status === 'collapsed' || status === 'error' ? status : null;
}

/** The values one run contributes to its cell's statistic. */
export function runValues(params: { result: RunResult; lastK: number; statistic?: SweepStatistic }): number[] {
  const { result, lastK, statistic = 'trainDice' } = params;
  if (statistic !== 'trainDice') {
    if (result.status === 'diverged') return METRICS[statistic].higherIsBetter ? new Array(WINDOW_VALIDATIONS).fill(0) : [];
    if (result.status === 'error') return [];
    return (result.validation ?? []).map((v) => v.metrics[statistic]).filter((v) => !Number.isNaN(v));
  }
  if (result.status === 'diverged') return new Array(lastK).fill(0);
  if (result.status === 'error') return [];
  const { window: dice } = result; // the sweep format's field, not the DOM global
  return dice.slice(-lastK);
}

/** A cell over the results of its seeds: pooled median (IQR), each seed's median, their mean [95% CI] (pass no other cell's results). */
export function cellStats(params: {
  results: readonly RunResult[];
  seeds: number;
  lastK: number;
  statistic?: SweepStatistic;
}): CellStats {
  const { results, seeds, lastK, statistic } = params;
  const values = results.flatMap((result) => runValues({ result, lastK, statistic }));
  const stats = medianIqr(values);
  const failures = results.map((r) => failureOf(r.status)).filter((f): f is FailureKind => f !== null);
  let state: CellState = 'ok';
  if (results.length === 0) state = 'pending';
  else if (failures.length === results.length) state = 'failed';
  else if (failures.length > 0) state = 'partial';
  const perSeed = [...results]
    .sort((a, b) => a.seed - b.seed)
    .map((r) => ({
      seed: r.seed,
      value: medianIqr(runValues({ result: r, lastK, statistic })).median,
      failure: failureOf(r.status),
    }));
  const acrossSeeds = meanCi(perSeed.map((s) => s.value));
  const pooledText = state === 'pending' ? '…' : state === 'failed' && stats.count === 0 ? 'error' : formatMedianIqr(stats);
  const text = seeds < 2 || state === 'pending' || pooledText === 'error' ? pooledText : formatMeanCi(acrossSeeds);
  return { ...stats, state, seedsDone: results.length, seedsTotal: seeds, failures, perSeed, acrossSeeds, pooledText, text };
}

/** Last K values of a run's Dice series, rounded so stored and recomputed statistics agree exactly. */
export function runWindow(params: { dice: readonly number[]; lastK: number }): number[] {
  return params.dice.slice(-params.lastK).map(round5);
}

/** Bin means of a series, at most `points` of them (the whole run's curve, small enough to store). */
export function downsampleCurve(params: { values: readonly number[]; points?: number }): number[] {
  const { values } = params;
  const points = params.points ?? CURVE_POINTS;
  if (values.length <= points) return values.map(round5);
  const out: number[] = [];
  for (let b = 0; b < points; b++) {
    const lo = Math.floor((b * values.length) / points);
    const hi = Math.floor(((b + 1) * values.length) / points);
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += values[i];
    out.push(round5(sum / (hi - lo)));
  }
  return out;
}

function round5(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e5) / 1e5 : x;
}
