// A race's replicates: runs grouped by loss; per loss, median (IQR) across seeds for the runs table,
// the last validation's metric over its seeds as a mean with its 95% interval, and each loss compared
// seed by seed with the best one (the paired comparison decides, not whether intervals overlap).
import { isBetter, METRICS, type MetricId } from '../domain/metrics';
import { formatPaired, type MeanCi, meanCi, type PairedComparison, pairedComparison } from '../domain/paired';
import { type MedianIqr, medianIqr, windowStats } from '../domain/summary';
import { metricOf, type RunSummary } from './store';

/** A loss's runs in a race, one per seed. */
export interface SeedGroup {
  loss: string;
  color: string;
  runs: RunSummary[];
}

/** The runs by loss, in race order. */
export function groupByLoss(runs: readonly RunSummary[]): SeedGroup[] {
  const byLoss = new Map<string, SeedGroup>();
  for (const r of runs) {
    const loss = String(r.config.loss ?? r.label);
    const g = byLoss.get(loss);
    if (g) g.runs.push(r);
    else byLoss.set(loss, { loss, color: r.color, runs: [r] });
  }
  return [...byLoss.values()];
}

/** Whether some loss races two or more seeds (then charts and tables summarise across seeds). */
export const hasReplicates = (groups: readonly SeedGroup[]): boolean => groups.some((g) => g.runs.length > 1);

/** Median (IQR) across seeds of each run's last-K training Dice median; a diverged run counts 0 (the paper's "0 (0)"). */
export function lastKAcrossSeeds(runs: readonly RunSummary[], lastK: number): MedianIqr {
  const perRun = runs
    .filter((r) => r.status === 'diverged' || r.steps.length > 0)
    .map((r) =>
      r.status === 'diverged' ? 0 : windowStats({ values: r.steps.slice(-lastK).map((p) => p.trainDice), window: lastK }).median,
    );
  return medianIqr(perRun);
}

/** Median (IQR) across seeds of each run's last validation value of a metric (seeds without one are left out). */
export const metricAcrossSeeds = (runs: readonly RunSummary[], metric: MetricId): MedianIqr =>
  medianIqr(runs.map((r) => metricOf(r.validation.at(-1), metric)));

export interface ReplicateRow {
  loss: string;
  color: string;
  /** Seed of each run and its value (NaN until it has a validation). */
  seeds: number[];
  values: number[];
  ci: MeanCi;
  /** Against the best loss over the seeds both have (absent for the best itself). */
  paired?: { against: string; comparison: PairedComparison; text: string };
}

/**
 * One row per loss in race order; `best` names the loss with the best mean (null before any validation),
 * taken over the seeds every loss has a value for when there are such seeds, so a loss whose other seeds
 * have not reported yet is not ranked on a different set of seeds.
 */
export function replicateSummary(runs: readonly RunSummary[], metric: MetricId): { rows: ReplicateRow[]; best: string | null } {
  const rows: ReplicateRow[] = groupByLoss(runs).map(({ loss, color, runs: rs }) => {
    const values = rs.map((r) => metricOf(r.validation.at(-1), metric));
    return { loss, color, seeds: rs.map((r) => Number(r.config.seed)), values, ci: meanCi(values) };
  });
  const at = (row: ReplicateRow, seed: number) => row.values[row.seeds.indexOf(seed)] ?? Number.NaN;
  const common = (rows[0]?.seeds ?? []).filter((s) => rows.every((r) => !Number.isNaN(at(r, s))));
  const rankMean = (r: ReplicateRow) => (common.length ? meanCi(common.map((s) => at(r, s))).mean : r.ci.mean);
  const best = rows.reduce<ReplicateRow | null>((a, r) => (!a || isBetter(metric, rankMean(r), rankMean(a)) ? r : a), null);
  if (!best || Number.isNaN(best.ci.mean)) return { rows, best: null };
  for (const row of rows) {
    if (row === best) continue;
    const seeds = best.seeds.filter((s) => row.seeds.includes(s));
    const comparison = pairedComparison({
      a: seeds.map((s) => at(best, s)),
      b: seeds.map((s) => at(row, s)),
      higherIsBetter: METRICS[metric].higherIsBetter,
    });
    const digits = METRICS[metric].unit === '' ? 3 : 1;
    row.paired = { against: best.loss, comparison, text: formatPaired({ a: best.loss, b: row.loss, c: comparison, digits }) };
  }
  return { rows, best: best.loss };
}

/** The runs table's one-line verdict for a loss ("best mean", "gdl vs wce: better in 3 of 3 seeds, p = 0.250"); null before any pair. */
export function verdictLine(row: ReplicateRow, best: string | null): string | null {
  if (best === null || Number.isNaN(row.ci.mean)) return null;
  if (row.loss === best) return 'best mean';
  const c = row.paired?.comparison;
  if (!c || c.n === 0) return null;
  const p = c.wilcoxon.p < 0.001 ? '< 0.001' : `= ${c.wilcoxon.p.toFixed(3)}`;
  return `${best} vs ${row.loss}: better in ${c.better} of ${c.n} seeds, p ${p}`;
}
