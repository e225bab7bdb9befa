// The runs table's summary row for a loss raced with several seeds: its statuses, median (IQR) across
// seeds of each seed's last-K Dice and of the chosen metric columns, and the live verdict from the
// paired comparison with the best loss over the same seeds (src/domain/paired.ts), once both have one.
import { formatMetric, METRICS, type MetricId } from '../domain/metrics';
import { formatMedianIqr, type MedianIqr, medianIqr } from '../domain/summary';
import { lastKAcrossSeeds, metricAcrossSeeds, type ReplicateRow, type SeedGroup, verdictLine } from '../state/replicates';

/** "2 done · 1 collapsed": how many seeds are in each status, in the order they first appear. */
function statusCounts(g: SeedGroup, text: Record<string, string>): string {
  const counts = new Map<string, number>();
  for (const r of g.runs) counts.set(text[r.status] ?? r.status, (counts.get(text[r.status] ?? r.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(' · ');
}

/** Seeds the trainer sees collapsed while they still train, and since when the first of them is. */
function liveCollapses(g: SeedGroup): string | null {
  const live = g.runs.filter((r) => r.verdict && r.status === 'running');
  if (live.length === 0) return null;
  const since = Math.min(...live.map((r) => r.verdict!.since));
  return `${live.length} of ${g.runs.length} collapsed since step ${since}`;
}

const stepRange = (g: SeedGroup) => {
  const steps = g.runs.map((r) => r.steps.at(-1)?.step ?? 0);
  const lo = Math.min(...steps);
  const hi = Math.max(...steps);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
};

const metricText = (id: MetricId, m: MedianIqr) =>
  m.count === 0 ? '–' : `${formatMetric(id, m.median)} (${formatMetric(id, m.iqr)})`;

export function SeedGroupRow(p: {
  group: SeedGroup;
  lastK: number;
  columns: MetricId[];
  /** This loss's row of the race's replicate summary, and the best loss's name. */
  replicate: ReplicateRow | undefined;
  best: string | null;
  statusText: Record<string, string>;
  menuColumn: boolean;
}) {
  const { group: g, lastK } = p;
  const n = g.runs.length;
  const seeds = g.runs.map((r) => Number(r.config.seed));
  const verdict = p.replicate ? verdictLine(p.replicate, p.best) : null;
  const collapses = liveCollapses(g);
  const ms = medianIqr(g.runs.map((r) => r.steps.at(-1)?.msPerStep ?? Number.NaN));
  return (
    <tr className="seed-group" aria-label={`${g.loss}, ${n} seeds`}>
      <th scope="row" style={{ borderLeft: `6px solid ${g.color}` }}>
        {g.loss} <span className="seed-count">({n} seeds)</span>
      </th>
      <td className="settings-cell">
        seeds {Math.min(...seeds)}–{Math.max(...seeds)}
      </td>
      <td className={collapses ? 'status failed' : 'status'}>
        {statusCounts(g, p.statusText)}
        {collapses && <span className="status-why">{collapses}</span>}
        {verdict && (
          <output
            className="status-why seed-verdict"
            aria-label={`${g.loss} verdict across seeds`}
            title={p.replicate?.paired?.text}
          >
            {verdict}
          </output>
        )}
      </td>
      <td>{stepRange(g)}</td>
      <td title={`Median (IQR) across the ${n} seeds of each seed's last-${lastK} median; a diverged seed counts 0`}>
        {formatMedianIqr(lastKAcrossSeeds(g.runs, lastK))}
      </td>
      {p.columns.map((id) => (
        <td key={id} title={`${METRICS[id].label} at each seed's last validation: median (IQR) across seeds`}>
          {metricText(id, metricAcrossSeeds(g.runs, id))}
        </td>
      ))}
      <td>{ms.count ? ms.median.toFixed(0) : '–'}</td>
      {p.menuColumn && <td />}
    </tr>
  );
}
