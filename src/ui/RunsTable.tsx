// One row per run: settings, status (with the step where it failed), median (IQR) Dice over the last K steps,
// and the last validation's metrics the user picked as columns (the "Columns" menu, `cols=` in the URL).
// A loss raced with several seeds gets a summary row above its seeds (SeedGroupRow.tsx).
import { formatMetric, METRIC_IDS, METRICS, type MetricId } from '../domain/metrics';
import type { DataSummary } from '../domain/engine-types';
import { isFinished } from '../domain/runs';
import { metricOf, type RunSummary } from '../state/store';
import { formatMedianIqr, windowStats } from '../domain/summary';
import { groupByLoss, hasReplicates, replicateSummary } from '../state/replicates';
import { SeedGroupRow } from './SeedGroupRow';

const STATUS_TEXT: Record<string, string> = {
  idle: 'ready',
  running: 'running',
  paused: 'paused',
  done: 'done',
  stopped: 'stopped',
  diverged: 'diverged',
  collapsed: 'collapsed',
  error: 'error',
};

/** What changes when every class of a label map is trained. */
export function ClassesNote({ numClasses, values }: { numClasses: number; values?: number[] }) {
  const named = values ? ` (label values ${values.slice(1).join(', ')}; 0 is background)` : '';
  return (
    <p className="hint classes-note" role="note" aria-label="Classes">
      {numClasses} classes{named}: Dice is the mean over the foreground classes, each class's validation Dice is in brackets; the
      viewer and its p(foreground) show any foreground class; the paper's DL2 and SS losses are two-class and stop with the
      reason.
    </p>
  );
}

/** Validation Dice; with more than two classes, each foreground class's Dice by its label value too. */
function validationText(v: RunSummary['validation'][number] | undefined, classValues?: number[]): string {
  if (!v) return '–';
  if (!v.perClass) return v.dice.toFixed(3);
  const named = v.perClass.map((d, l) => `${classValues?.[l + 1] ?? l + 1}: ${d.toFixed(2)}`);
  return `${v.dice.toFixed(3)} (${named.join(' · ')})`;
}

/** Validation Dice keeps its old header (and its per-class brackets); other metrics are named by their label. */
const settingsText = (config: Record<string, unknown>) =>
  Object.entries(config)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

const columnHeader = (id: MetricId) => (id === 'dice' ? 'Validation Dice' : `Validation ${METRICS[id].label}`);

/** The metric columns to show, as a menu of checkboxes (an accessible group, one checkbox per metric). */
export function ColumnsMenu({ columns, onColumns }: { columns: MetricId[]; onColumns: (cols: MetricId[]) => void }) {
  const toggle = (id: MetricId, on: boolean) => onColumns(METRIC_IDS.filter((m) => (m === id ? on : columns.includes(m))));
  return (
    <details className="columns-menu" data-control="run_columns">
      <summary>Columns</summary>
      <fieldset>
        <legend>Validation metrics shown in the runs table</legend>
        {METRIC_IDS.map((id) => (
          <label key={id} title={METRICS[id].description}>
            <input type="checkbox" checked={columns.includes(id)} onChange={(e) => toggle(id, e.target.checked)} />{' '}
            {METRICS[id].label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

export type Baseline = NonNullable<DataSummary['baseline']>;

export function RunsTable({
  baseline,
  runs,
  lastK,
  metric = 'dice',
  selected,
  onSelect,
  classValues,
  columns = ['dice'],
  onColumns,
}: {
  runs: RunSummary[];
  lastK: number;
  selected: string | null;
  onSelect: (id: string) => void;
  /** Label value of each class index, when every class of a label map is trained. */
  classValues?: number[];
  /** Validation metrics shown as columns, in METRIC_IDS order. */
  columns?: MetricId[];
  onColumns?: (cols: MetricId[]) => void;
  /** The best single intensity threshold on the validation subject: what a network has to beat. */
  baseline?: Baseline;
  /** The metric a race with several seeds per loss is compared on (the chart's). */
  metric?: MetricId;
}) {
  const shown = METRIC_IDS.filter((id) => columns.includes(id));
  // With several seeds per loss, each loss's seeds sit under a row that summarises them.
  const groups = groupByLoss(runs);
  const replicates = hasReplicates(groups);
  const summary = replicates ? replicateSummary(runs, metric) : { rows: [], best: null };
  const row = (r: RunSummary) => {
    const last = r.steps.at(-1);
    const failed = r.status === 'diverged' || r.status === 'collapsed' || r.status === 'error';
    // The trainer's live verdict, until the run ends (its final status says it then).
    const live = r.verdict && !isFinished(r.status) ? r.verdict : undefined;
    return (
      <tr key={r.id} aria-selected={selected === r.id} className={selected === r.id ? 'selected' : undefined}>
        <th scope="row">
          <button type="button" className="run-name" onClick={() => onSelect(r.id)} style={{ borderColor: r.color }}>
            {r.label}
          </button>
        </th>
        <td className="settings-cell" title={settingsText(r.config)}>
          {settingsText(r.config)}
        </td>
        <td className={failed || live ? 'status failed' : 'status'} title={r.message}>
          {STATUS_TEXT[r.status]}
          {failed ? ` at step ${r.statusStep}` : ''}
          {live && (
            <span className="status-verdict" title="still training: the label goes if it predicts both classes again">
              , collapsed since {live.since}
            </span>
          )}
          {r.status === 'error' && r.message && <span className="status-why">{r.message}</span>}
        </td>
        <td>{last?.step ?? 0}</td>
        <td>
          {r.status === 'diverged'
            ? '0 (0)'
            : formatMedianIqr(windowStats({ values: r.steps.slice(-lastK).map((p) => p.trainDice), window: lastK }))}
        </td>
        {shown.map((id) => (
          <td key={id}>
            {id === 'dice'
              ? validationText(r.validation.at(-1), classValues)
              : r.validation.length
                ? formatMetric(id, metricOf(r.validation.at(-1), id))
                : '–'}
          </td>
        ))}
        <td>{last ? last.msPerStep.toFixed(0) : '–'}</td>
        {onColumns && <td />}
      </tr>
    );
  };
  return (
    <div className="runs-table">
      <table className="runs" aria-label="Runs" data-control="runs">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Settings</th>
            <th scope="col">Status</th>
            <th scope="col">Step</th>
            <th scope="col" title={`Training-batch Dice over the last ${lastK} steps: median (IQR), the paper's statistic`}>
              Dice, last {lastK}: median (IQR)
            </th>
            {shown.map((id) => (
              <th key={id} scope="col" title={METRICS[id].description}>
                {columnHeader(id)}
              </th>
            ))}
            <th scope="col">ms/step</th>
            {/* The Columns menu has a column of its own, so it covers no header. */}
            <td className="columns-cell">{onColumns && <ColumnsMenu columns={columns} onColumns={onColumns} />}</td>
          </tr>
        </thead>
        {replicates ? (
          groups.map((g) => (
            <tbody key={g.loss} className="seed-group-body">
              {g.runs.length > 1 && (
                <SeedGroupRow
                  group={g}
                  lastK={lastK}
                  columns={shown}
                  replicate={summary.rows.find((row) => row.loss === g.loss)}
                  best={summary.best}
                  statusText={STATUS_TEXT}
                  menuColumn={!!onColumns}
                />
              )}
              {g.runs.map(row)}
            </tbody>
          ))
        ) : (
          <tbody>{runs.map(row)}</tbody>
        )}
        {baseline && (
          <tfoot>
            <tr className="baseline-row" aria-label="Threshold baseline">
              <th scope="row">threshold</th>
              <td className="settings-cell" colSpan={4}>
                best single threshold: {baseline.modality} {baseline.direction === 'bright' ? '>' : '<'}{' '}
                {baseline.threshold.toPrecision(3)} (searched on the training subjects, no learning)
              </td>
              {shown.map((id) => (
                <td key={id}>{id === 'dice' ? baseline.dice.toFixed(3) : '–'}</td>
              ))}
              <td>–</td>
              {onColumns && <td />}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
