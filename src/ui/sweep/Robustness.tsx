// Per loss: mean of the cell medians, the worst cell and the failed cells; GDL paired against each loss
// over matched (cell, seed) runs; and what that says about the paper's claim (GDL most robust under
// high imbalance), judged on the pairs when cells have 2+ seeds.
import { formatBurden, formatLr } from '../../domain/sweep/plan';
import { lossShortLabel } from '../../domain/sweep/labels';
import { METRICS } from '../../domain/metrics';
import { pairSentence, pairsAgainst } from '../../domain/sweep/pairs';
import type { LossRobustness, SweepTable } from '../../domain/sweep/table';
import type { SweepStatistic } from '../../domain/sweep/types';
import { verdict } from '../../domain/sweep/verdict';

const fmt = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(2));

export function Robustness({
  rows,
  tables,
  seeds,
  statistic = 'trainDice',
}: {
  rows: LossRobustness[];
  tables: readonly SweepTable[];
  seeds: number;
  statistic?: SweepStatistic;
}) {
  const burdens = tables.length;
  const pairs = pairsAgainst({ tables });
  return (
    <section className="sweep-robustness" aria-label="Robustness">
      <table aria-label="Robustness per loss">
        <thead>
          <tr>
            <th scope="col">Loss</th>
            <th scope="col">Mean {statistic === 'trainDice' ? 'Dice' : METRICS[statistic].label}</th>
            <th scope="col">Worst cell</th>
            <th scope="col">Failed cells</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.loss}>
              <th scope="row">{lossShortLabel(r.loss)}</th>
              <td>{fmt(r.mean)}</td>
              <td>
                {r.worst
                  ? `${fmt(r.worst.median)} (${r.worst.patch}, ${formatLr(r.worst.lr)}${burdens > 1 ? `, ${formatBurden(r.worst.burden)}` : ''})`
                  : '–'}
              </td>
              <td className={r.failed > 0 ? 'failed-count' : undefined}>
                {r.failed} of {r.done}
                {r.partial ? ` (+${r.partial} partly)` : ''}
                {r.done < r.total ? `, ${r.total - r.done} to go` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pairs.length > 0 && (
        <>
          <h4>GDL paired over the same cell and seed</h4>
          <ul aria-label="Paired comparisons">
            {pairs.map((p) => (
              <li key={p.b} data-outcome={p.outcome}>
                {pairSentence(p)}
              </li>
            ))}
          </ul>
        </>
      )}
      <p role="note" aria-label="Robustness verdict">
        {verdict(rows, statistic, { tables, seeds })}
      </p>
    </section>
  );
}
