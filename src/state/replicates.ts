// A race's replicates: per loss, the last validation's metric over its seeds as a mean with its 95%
// interval, and each loss compared seed by seed with the best one (the paired comparison decides, not
// whether intervals overlap).
import { isBetter, METRICS, type MetricId } from '../domain/metrics';
import { formatPaired, type MeanCi, meanCi, type PairedComparison, pairedComparison } from '../domain/paired';
import { metricOf, type RunSummary } from './store';

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

/** One row per loss in race order; `best` names the loss with the best mean (null before any validation). */
export function replicateSummary(runs: readonly RunSummary[], metric: MetricId): { rows: ReplicateRow[]; best: string | null } {
  const byLoss = new Map<string, RunSummary[]>();
  for (const r of runs) {
    const loss = String(r.config.loss ?? r.label);
    byLoss.set(loss, [...(byLoss.get(loss) ?? []), r]);
  }
  const rows: ReplicateRow[] = [...byLoss].map(([loss, rs]) => {
    const values = rs.map((r) => metricOf(r.validation.at(-1), metric));
    return { loss, color: rs[0].color, seeds: rs.map((r) => Number(r.config.seed)), values, ci: meanCi(values) };
  });
  const best = rows.reduce<ReplicateRow | null>((a, r) => (!a || isBetter(metric, r.ci.mean, a.ci.mean) ? r : a), null);
  if (!best || Number.isNaN(best.ci.mean)) return { rows, best: null };
  const at = (row: ReplicateRow, seed: number) => row.values[row.seeds.indexOf(seed)] ?? Number.NaN;
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
