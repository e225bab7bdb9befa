// Per loss: mean of the cell medians, the worst cell and the failed cells, and what that says about
// the paper's claim (GDL most robust under high imbalance).
import { formatBurden, formatLr } from '../../domain/sweep/plan';
import { lossShortLabel } from '../../domain/sweep/labels';
import { METRICS } from '../../domain/metrics';
import type { LossRobustness } from '../../domain/sweep/table';
import type { SweepStatistic } from '../../domain/sweep/types';
import { verdict } from '../../domain/sweep/verdict';

const fmt = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(2));

export function Robustness({
  rows,
  burdens,
  statistic = 'trainDice',
}: {
  rows: LossRobustness[];
  burdens: number;
  statistic?: SweepStatistic;
}) {
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
      <p role="note" aria-label="Robustness verdict">
        {verdict(rows, statistic)}
      </p>
    </section>
  );
}
