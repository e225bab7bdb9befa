// Curves out of the run store: one CSV row per recorded step, and a race as a history file (the
// format the History view reads: settings as a query plus every run's curves), re-importable here.
import { exportHistory } from '../../state/persist/history-json';
import { experimentStatus, type ExperimentRecord } from '../../state/persist/records';
import type { RunSummary } from '../../state/store';

const CSV_COLUMNS = ['run', 'label', 'step', 'loss', 'train_dice', 'predicted_fg', 'ms_per_step', 'lr', 'validation_dice'];

/** A CSV field: quoted when it holds a comma, quote or line break. */
function field(v: unknown): string {
  const s = v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every run's step points with the validation Dice of that step (empty where none was measured). */
export function curvesCsv(runs: readonly RunSummary[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of runs) {
    const val = new Map(r.validation.map((v) => [v.step, v.dice]));
    for (const p of r.steps)
      lines.push(
        [r.id, r.label, p.step, p.loss, p.trainDice, p.predictedFg, p.msPerStep, p.lr, val.get(p.step)].map(field).join(','),
      );
  }
  return `${lines.join('\n')}\n`;
}

/** The current race as a one-experiment history file. */
export function raceJson(params: { runs: readonly RunSummary[]; query: string; backend: string; now?: number }): string {
  const now = params.now ?? Date.now();
  const record: ExperimentRecord = {
    id: `export-${now}`,
    name: `${params.runs.map((r) => r.label).join(' vs ')} (exported)`,
    createdAt: Math.min(now, ...params.runs.map((r) => r.startedAt)),
    updatedAt: now,
    query: params.query,
    backend: params.backend,
    status: experimentStatus(params.runs),
    runs: [...params.runs],
    checkpointStep: null,
  };
  return exportHistory([record], now);
}
