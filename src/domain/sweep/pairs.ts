// Two losses compared over a sweep's matched runs: each pair is one (burden, patch, LR, seed), where both
// losses trained on the same phantom, patches and initial weights. The paired difference of the seeds'
// statistics and the Wilcoxon signed-rank test decide; overlapping cell intervals never do.
import type { LossId } from '../losses';
import { formatPaired, type PairedComparison, pairedComparison } from '../paired';
import { lossShortLabel } from './labels';
import { higherIsBetter, type SweepTable } from './table';

/** better/worse: a against b, separated; 'not separated': the interval includes 0 or Wilcoxon p >= ALPHA. */
export type PairOutcome = 'better' | 'worse' | 'not separated' | 'too few';

/** Two-sided level under which a paired difference counts as separated (with its 95% interval excluding 0). */
export const ALPHA = 0.05;

export interface LossPair {
  a: LossId;
  b: LossId;
  comparison: PairedComparison;
  outcome: PairOutcome;
}

/** a's and b's per-seed values over every (table, row, seed) where both have one, in the same order. */
export function matchedValues(params: { tables: readonly SweepTable[]; a: LossId; b: LossId }): { a: number[]; b: number[] } {
  const out = { a: [] as number[], b: [] as number[] };
  for (const t of params.tables) {
    const ia = t.losses.indexOf(params.a);
    const ib = t.losses.indexOf(params.b);
    if (ia < 0 || ib < 0) continue;
    for (const row of t.rows)
      for (const sa of row.cells[ia].perSeed) {
        const sb = row.cells[ib].perSeed.find((s) => s.seed === sa.seed);
        if (!sb || Number.isNaN(sa.value) || Number.isNaN(sb.value)) continue;
        out.a.push(sa.value);
        out.b.push(sb.value);
      }
  }
  return out;
}

export function pairLosses(params: { tables: readonly SweepTable[]; a: LossId; b: LossId }): LossPair {
  const up = higherIsBetter(params.tables[0]?.statistic);
  const comparison = pairedComparison({ ...matchedValues(params), higherIsBetter: up });
  const d = comparison.difference;
  let outcome: PairOutcome = 'not separated';
  if (comparison.n < 2) outcome = 'too few';
  else if ((d.lo > 0 || d.hi < 0) && comparison.wilcoxon.p < ALPHA) outcome = d.mean > 0 === up ? 'better' : 'worse';
  return { a: params.a, b: params.b, comparison, outcome };
}

/** The reference loss (GDL) against every other loss of the tables; empty when it is not in the sweep. */
export function pairsAgainst(params: { tables: readonly SweepTable[]; reference?: LossId }): LossPair[] {
  const reference = params.reference ?? 'gdl';
  const losses = params.tables[0]?.losses ?? [];
  if (!losses.includes(reference)) return [];
  return losses.filter((l) => l !== reference).map((b) => pairLosses({ tables: params.tables, a: reference, b }));
}

/** "GDL vs WCE: better in 9 of 10 pairs, paired difference +0.12 [0.07, 0.18], Wilcoxon p = 0.004: GDL is better." */
export function pairSentence(p: LossPair): string {
  const a = lossShortLabel(p.a);
  const b = lossShortLabel(p.b);
  const c = p.comparison;
  if (p.outcome === 'too few')
    return `${a} vs ${b}: ${c.n} matched ${c.n === 1 ? 'pair' : 'pairs'}, fewer than 2: no paired comparison yet.`;
  const text = formatPaired({ a, b, c, unit: 'pairs' });
  if (p.outcome === 'better') return `${text}: ${a} is better.`;
  if (p.outcome === 'worse') return `${text}: ${b} is better.`;
  const why = c.difference.lo <= 0 && c.difference.hi >= 0 ? 'the interval includes 0' : `Wilcoxon p ≥ ${ALPHA}`;
  return `${text}: not separated (${why}).`;
}
