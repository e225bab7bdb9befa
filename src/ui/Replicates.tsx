// A race with several seeds per loss (`seeds=`): each loss's last validation metric as mean [95% CI]
// over its seeds, and the paired comparison with the best loss that every verdict rests on.
import { formatMetric, METRICS, type MetricId } from '../domain/metrics';
import { replicateSummary } from '../state/replicates';
import type { RunSummary } from '../state/store';

export function Replicates({ runs, metric }: { runs: RunSummary[]; metric: MetricId }) {
  const { rows, best } = replicateSummary(runs, metric);
  const f = (v: number) => formatMetric(metric, v);
  return (
    <table className="runs replicates" aria-label="Replicates">
      <caption>
        Validation {METRICS[metric].label} at each run's last validation, over seeds: mean [95% t interval]; each loss against the
        best one, seed by seed (Wilcoxon signed-rank, exact up to 10 seeds).
      </caption>
      <thead>
        <tr>
          <th scope="col">Loss</th>
          <th scope="col">Seeds</th>
          <th scope="col">Mean [95% CI]</th>
          <th scope="col">Paired comparison</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.loss}>
            <th scope="row" style={{ borderLeft: `4px solid ${r.color}` }}>
              {r.loss}
            </th>
            <td>
              {r.ci.n} of {r.seeds.length}
            </td>
            <td>{r.ci.n ? `${f(r.ci.mean)} [${f(r.ci.lo)}, ${f(r.ci.hi)}]` : '–'}</td>
            <td>{r.loss === best ? 'best mean' : (r.paired?.text ?? '–')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
